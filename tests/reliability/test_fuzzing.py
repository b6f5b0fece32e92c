"""Property-based fuzzing of every write: random and malformed values in
every form of the app (each POST route of the URL map, starting from the
form as the app renders it, with some fields replaced) and in every API
write (JSON bodies derived from a valid one, or not JSON at all).

Whatever arrives: never a server error, and a refused request (4xx) leaves
the database exactly as it was (every row of every table compared). An
accepted one is undone before the next example, so each starts from the
same world.
"""

from __future__ import annotations

import json

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Pristine, checksum, log_in
from tests.factories import API_BODIES, build_world

# A handful of examples per route keeps the whole file near a minute;
# a failing example is printed with the field values that broke it.
FORM_EXAMPLES = 12
API_EXAMPLES = 25
QUERY_EXAMPLES = 4
NASTY_QUERY_VALUES = ["²", "9" * 30, "2147483648", "a\x00b", "-1", "x" * 3000]
# Query parameters the pages and the API read, besides those of their forms.
QUERY_NAMES = ["page", "per_page", "q", "network", "series", "year", "theme", "status", "sort", "country",
               "sector", "role", "stage", "target", "priority", "kind", "level", "tz", "as_of", "format",
               "person_id", "slug", "workshop", "user", "object_type", "action", "date_from", "date_to", "day",
               "next"]

ODD_TEXTS = [
    "", " ", "0", "-1", "2147483648", "-9223372036854775809", "99999999999999999999999", "1e309", "NaN",
    "2025-02-30", "9999-12-31", "0001-01-01", "1900-01-01", "25:61", "23:59", "None", "null", "[]", "{}",
    "<script>alert(1)</script>", "' OR 1=1 --", "\u202e", "\x00", "\r\n", "=cmd|' /C calc'!A0", "ä" * 300,
    "x" * 100_000, "https://", "javascript:alert(1)", "../../etc/passwd", "Asia/Nowhere", "%00", "\ufeff",
    "²", "١٢", "9" * 30, "4294967296",  # digits int() refuses, digits it takes, numbers no column holds
]
texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x20), max_size=10),
    st.sampled_from(ODD_TEXTS),
    st.integers().map(str),
    st.dates().map(str),
    st.times().map(lambda t: t.strftime("%H:%M")),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(ODD_TEXTS) | st.dates().map(str),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=6,
)


def _forms_of(html: str, base: str) -> list[dict]:
    """The POST forms of a page: action, fields with their values as
    rendered, and the values offered by selects, check boxes and radios."""
    found = []
    for form in lxml.html.fromstring(html).forms:
        if (form.method or "GET").upper() != "POST":
            continue
        defaults: dict[str, list[str]] = {}
        for name, value in form.form_values():
            defaults.setdefault(name, []).append(value)
        offered: dict[str, set[str]] = {}
        files = set()
        for element in form.inputs:
            name = element.get("name")
            if not name:
                continue
            offered.setdefault(name, set())
            if element.tag == "select":
                offered[name] |= {o.get("value", o.text_content()) for o in element.iter("option")}
            elif element.get("type") in ("checkbox", "radio"):
                offered[name].add(element.get("value", "on"))
            elif element.get("type") == "file":
                files.add(name)
        action = form.get("action") or base
        found.append({"action": action.split("#")[0], "defaults": defaults, "offered": offered, "files": files})
    return found


def _crawl(app, client, world) -> dict[str, list[dict]]:
    """Every form on every page an admin can open, by the path it posts to."""
    forms: dict[str, list[dict]] = {}
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/v1/") \
                or {"kind", "fmt"} & set(rule.arguments) or any(x in rule.rule for x in (".pdf", ".ics", ".csv", ".xlsx",
                                                                               ".json", ".xml")):
            continue
        path = adapter.build(rule.endpoint, world.url_values(rule.arguments, "participants"))
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in _forms_of(response.get_data(as_text=True), path):
            forms.setdefault(form["action"].split("?")[0], []).append(form)
    # A new-record form renders empty: it starts from the values an edit form
    # of the same fields shows, so the examples get past "required".
    known = {}
    for form in (f for fs in forms.values() for f in fs):
        for name, values in form["defaults"].items():
            if any(values) and name not in ("version", "csrf_token"):
                known.setdefault(name, values)
    for form in (f for fs in forms.values() for f in fs):
        for name in form["offered"]:
            if not any(form["defaults"].get(name, [])) and name in known:
                form["defaults"][name] = list(known[name])
    return forms


def _field_values(draw, form: dict) -> tuple[dict, dict]:
    """The form as rendered, with a random subset of its fields replaced by
    a known choice or something odd, sometimes a field dropped or added."""
    data = {k: list(v) for k, v in form["defaults"].items()}
    names = sorted(set(form["offered"]) | set(data))
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=4)) if names else []:
        choices = sorted(form["offered"].get(name, ()))
        pick = draw(st.one_of(st.sampled_from(choices), texts) if choices else texts)
        data[name] = draw(st.sampled_from([[pick], [pick, draw(texts)], []]))
    if draw(st.booleans()):
        data[draw(st.sampled_from(["version", "id", "person_id", "status", draw(st.text(max_size=8))]))] = \
            [draw(texts)]
    data.pop("csrf_token", None)
    files = {}
    for name in form["files"]:
        content = draw(st.one_of(st.binary(max_size=300), texts.map(lambda t: t.encode("utf-8", "replace"))))
        files[name] = (content, draw(st.sampled_from(["people.csv", "people.xlsx", "x", "../../a.csv"])))
    return data, files


def _post_form(client, path: str, data: dict, files: dict):
    import io

    from werkzeug.datastructures import MultiDict

    body = MultiDict([(k, v) for k, values in data.items() for v in values])
    for name, (content, filename) in files.items():
        body.add(name, (io.BytesIO(content), filename))
    return client.post(path, data=body, content_type="multipart/form-data" if files else None)


class Arena:
    """The world, an admin's browser and the way back to the world as built."""

    def __init__(self, app, make):
        self.app = app
        self.world = build_world(make)
        self.client = app.test_client()
        log_in(self.client, self.world.users["admin"])
        self.cookie = self.client.get_cookie("session")
        self.pristine = Pristine()
        self.state = checksum()

    def back_to_start(self) -> None:
        self.pristine.restore()
        self.client.set_cookie("session", self.cookie.value, domain=self.cookie.domain, path=self.cookie.path)

    def judge(self, response, what: str, ends_session: bool = False) -> None:
        status = response.status_code
        body = response.get_data(as_text=True)
        assert status < 500, f"{what}: {status}\n{body[:1500]}"
        after = checksum()
        if status >= 400:
            changed = [t for t in after if after[t] != self.state[t]]
            assert not changed, f"{what} was refused ({status}) but changed {changed}"
        if after != self.state or ends_session:
            self.back_to_start()


def _web_routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" in rule.methods and not rule.rule.startswith("/api/v1/"):
            yield rule


def test_random_form_posts_never_break_the_app_nor_half_save(app, make):
    arena = Arena(app, make)
    forms = _crawl(app, arena.client, arena.world)
    arena.back_to_start()
    vocabulary = {"defaults": {}, "offered": {n: set() for fs in forms.values() for f in fs for n in f["offered"]},
                  "files": set()}
    adapter = app.url_map.bind("localhost")
    for rule in _web_routes(app):
        path = adapter.build(rule.endpoint, arena.world.url_values(rule.arguments, "participants"))
        candidates = forms.get(path) or [vocabulary]
        anonymous = rule.endpoint in ("auth.login", "auth.second_factor")
        client = app.test_client() if anonymous else arena.client

        _fuzz_form(arena, client, path, candidates)()


def test_random_api_writes_never_break_the_app_nor_half_save(app, make):
    arena = Arena(app, make)
    token = arena.world.tokens["admin"]
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        methods = rule.methods & {"POST", "PATCH", "PUT", "DELETE"}
        if not methods or not rule.rule.startswith("/api/v1/"):
            continue
        method = methods.pop()
        path = adapter.build(rule.endpoint, arena.world.url_values(rule.arguments, "participants"))
        _fuzz_api(arena, method, path, API_BODIES[rule.endpoint], token)()


def _fuzz_form(arena: Arena, client, path: str, candidates: list[dict]):
    @settings(max_examples=FORM_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def post(data):
        form = data.draw(st.sampled_from(candidates))
        values, files = _field_values(data.draw, form)
        response = _post_form(client, path, values, files)
        arena.judge(response, f"POST {path} {values!r:.600}", ends_session=path == "/logout")

    return post


def _fuzz_api(arena: Arena, method: str, path: str, valid, token: str):
    @settings(max_examples=API_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def send(data):
        body = valid(arena.world, arena.world.places["participants"])
        shape = data.draw(st.sampled_from(["mutated", "mutated", "mutated", "any json", "bytes"]))
        if shape == "mutated":
            for key in data.draw(st.lists(st.sampled_from(sorted(body) + ["extra"]), unique=True, max_size=3)):
                body[key] = data.draw(json_values)
            raw = json.dumps(body).encode()
        elif shape == "any json":
            raw = json.dumps(data.draw(json_values)).encode()
        else:
            raw = data.draw(st.binary(max_size=200))
        response = arena.client.open(path, method=method, data=raw, content_type="application/json",
                                     headers={"Authorization": f"Bearer {token}"})
        arena.judge(response, f"{method} {path} {raw[:600]!r}")

    return send


def _get_forms(html: str) -> set[str]:
    """The names of the fields of a page's GET forms (filters, search)."""
    names = set()
    for form in lxml.html.fromstring(html).forms:
        if (form.method or "GET").upper() == "GET":
            names |= {element.get("name") for element in form.inputs if element.get("name")}
    return names


def test_random_query_parameters_never_break_a_page(app, make, monkeypatch):
    """Every GET route, filters and page numbers included, with random query
    parameters: never a server error, and nothing changes."""
    # Typesetting a PDF tells nothing about how the parameters are read.
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda self, *a, **kw: b"%PDF-1.7 fuzzing")
    arena = Arena(app, make)
    place = arena.world.places["participants"]
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = arena.world.url_values(rule.arguments, "participants")
        values.update({k: v for k, v in {"kind": "s", "token": place.secret_token, "fmt": "csv"}.items()
                       if k in rule.arguments})
        path = adapter.build(rule.endpoint, values)
        headers = {"Authorization": f"Bearer {arena.world.tokens['admin']}"} if path.startswith("/api/v1/") else {}
        page = arena.client.get(path, headers=headers)
        names = sorted(set(QUERY_NAMES) | (_get_forms(page.get_data(as_text=True))
                                           if page.mimetype == "text/html" else set()))
        for nasty in NASTY_QUERY_VALUES:  # every parameter at once, each of these for sure
            response = arena.client.get(path, query_string=[(n, nasty) for n in names], headers=headers)
            assert response.status_code < 500, f"GET {path} with every parameter {nasty!r:.40}: {response.status_code}"
        _fuzz_query(arena, path, names, headers)()


def _fuzz_query(arena: Arena, path: str, names: list[str], headers: dict):
    @settings(max_examples=QUERY_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(query=st.lists(st.tuples(st.sampled_from(names), texts), min_size=1, max_size=4))
    def get(query):
        response = arena.client.get(path, query_string=query, headers=headers)
        assert response.status_code < 500, f"GET {path} {query!r:.600}: {response.status_code}"
        assert checksum() == arena.state, f"GET {path} {query!r:.300} changed the database"

    return get
