"""Every page as a person sees it. On the demo data, every GET route of the
app's url_map is opened as each kind of user (anonymous, and each user role
in workshops/vocab.py: viewer, organiser of the workshop's network, organiser
of another network, admin), before anything is submitted, and fails on what
a person would call broken:

- a server error (500);
- an error, conflict or warning banner, or a field error, on a page nobody
  has submitted anything to yet;
- a negative duration ("-92 days", "-56.5 days");
- "None", "undefined" or "nan" as visible text (or as a field's value);
- an empty <h1> or <h2>;
- a clipped label in an SVG chart ("umanitarian assistance and d…").

The templates run with jinja2's StrictUndefined (create_app under TESTING),
so a variable a view forgot to pass fails the page with a 500 here.

Arguments of the URLs come from the demo data: each workshop and what hangs
from it (agenda item, participant, personal and secret links), several
recommendations (with and without uptake events, closed, of a workshop not
yet held), and every year of the reports. A route whose arguments the sweep
cannot fill must be named in UNFILLED with the reason.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from workshops import create_app
from workshops.api.operations import create_token
from workshops.demo import DEMO_PASSWORD, load
from workshops.extensions import db
from workshops.models import (
    MemberInstitute,
    Network,
    Output,
    Participation,
    Person,
    Recommendation,
    Series,
    Theme,
    Track1Body,
    User,
    Workshop,
)
from workshops.vocab import USER_ROLES

from ..conftest import _empty_all_tables, _settings

# Who looks: anonymous, then a demo login for each user role (two organisers:
# one of NADI and ASEAN-ISIS, one of CSCAP, so every workshop is seen by an
# organiser of its own network and one of another).
LOGINS = {
    "anonymous": None,
    "viewer": "viewer@example.org",
    "organiser": "organiser@example.org",
    "cscap-organiser": "cscap-organiser@example.org",
    "admin": "admin@example.org",
}

# Arguments the sweep fills, by group: a route naming anything inside a
# workshop is opened for each sampled workshop; one naming a recommendation
# for each sampled recommendation.
WORKSHOP_ARGS = {"workshop_id", "slug", "item_id", "uid", "participation_id", "kind", "token"}
RECOMMENDATION_ARGS = {"recommendation_id", "event_id"}

# Slow routes (a PDF takes a second) are opened with one workshop or year of
# each kind of link instead of all of them, to keep the sweep quick; a PDF
# (no HTML to read, only a 500 to catch) by the two extremes of access.
FEW_VARIANTS = {"agenda_views.agenda_pdf", "reports.report_pdf", "agenda_views.agenda_ics",
                "agenda_views.item_ics"}
FEW_USERS = {"agenda_views.agenda_pdf": ("anonymous", "admin"), "reports.report_pdf": ("anonymous", "admin")}

# Routes the sweep cannot open with demo data, and why. Keep it short.
UNFILLED: dict[str, str] = {
    "auth.set_password": "a password link's token exists only in the mail that carried it "
                         "(tests/mail/test_password_reset.py and test_invitations.py open it)",
    "documents.download": "a file to save, not a page: tests/documents/test_documents.py checks its headers, "
                          "and the access matrix (tests/security) who may download",
}

# Routes whose every variant may answer something else than 200 to an admin,
# and why (any other route must show an admin at least one page).
NOT_A_PAGE_FOR_ADMIN = {
    "auth.login": "a logged-in user is sent on to the home page",
    "auth.second_factor": "only half-way through a login with a second factor",
}

# Pages where a notice before any submit is what the page is for, and why.
EXPECTED_NOTICE: dict[str, str] = {}

BANNER_CLASSES = ("form-summary", "field-error", "flash-error", "flash-warning", "flash-danger")
CONFLICT_TEXT = "Someone else changed this record"
NEGATIVE_DURATION = re.compile(
    r"(?<![\w.,])[-−‒]\s?\d[\d,]*(?:\.\d+)?\s*(?:days?|weeks?|months?|years?|hours?|minutes?)\b")
NOTHING_WORDS = re.compile(r"\b(None|undefined|nan|NaN)\b")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr"}
INVISIBLE = {"script", "style", "template", "title", "head"}


@dataclass
class Page:
    """What a person sees of an HTML page."""

    texts: list[str] = field(default_factory=list)
    texts_outside_svg: list[str] = field(default_factory=list)
    # Text that may hold a negative duration: not a cell of a "Change" column.
    durations: list[str] = field(default_factory=list)
    headings: list[tuple[str, str]] = field(default_factory=list)
    svg_labels: list[str] = field(default_factory=list)
    banners: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, dict]] = []
        self.heading: list[str] | None = None
        self.svg_text: list[str] | None = None
        # Per open table: its column headings and the current cell's column.
        self.tables: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"headings": [], "column": -1})
        elif tag == "tr" and self.tables:
            self.tables[-1]["column"] = -1
        elif tag in ("td", "th") and self.tables:
            self.tables[-1]["column"] += 1
            if any(t == "thead" for t, _ in self.stack):
                self.tables[-1]["headings"].append("")
        classes = (attrs.get("class") or "").split()
        hit = [c for c in BANNER_CLASSES if c in classes]
        if hit:
            self.page.banners.append(hit[0])
        if tag == "input" and attrs.get("type") not in ("hidden", "checkbox", "radio", "submit"):
            self.page.values.append(attrs.get("value") or "")
        if tag in VOID:
            return
        self.stack.append((tag, attrs))
        if tag in ("h1", "h2"):
            self.heading = []
        if tag == "text" and any(t == "svg" for t, _ in self.stack):
            self.svg_text = []

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            top, _ = self.stack.pop()
            if top in ("h1", "h2") and self.heading is not None:
                self.page.headings.append((top, " ".join("".join(self.heading).split())))
                self.heading = None
            if top == "table" and self.tables:
                self.tables.pop()
            if top == "text" and self.svg_text is not None:
                self.page.svg_labels.append(" ".join("".join(self.svg_text).split()))
                self.svg_text = None
            if top == tag:
                break

    def handle_data(self, data):
        if any(t in INVISIBLE for t, _ in self.stack) or any("hidden" in a for _, a in self.stack):
            return
        self.page.texts.append(data)
        if self.tables and any(t == "thead" for t, _ in self.stack) and self.tables[-1]["headings"]:
            self.tables[-1]["headings"][-1] += data
        if not self._in_change_column():
            self.page.durations.append(data)
        if not any(t == "svg" for t, _ in self.stack):
            self.page.texts_outside_svg.append(data)
        if self.heading is not None:
            self.heading.append(data)
        if self.svg_text is not None:
            self.svg_text.append(data)


    def _in_change_column(self) -> bool:
        """A cell under a "Change" heading: a signed difference, not a duration."""
        if not self.tables or not any(t in ("td", "th") for t, _ in self.stack):
            return False
        table = self.tables[-1]
        headings, column = table["headings"], table["column"]
        return 0 <= column < len(headings) and headings[column].strip().startswith("Change")


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def broken(html: str, *, notice_expected: bool = False) -> list[str]:
    """What a person would call broken on a page nobody has submitted yet."""
    page = read(html)
    text = " ".join(" ".join(page.texts).split())
    # "None." alone (an empty table saying so) is English, not Python's None.
    sentences = " ".join(t for t in page.texts if t.strip() != "None.")
    problems = []
    if not notice_expected:
        problems += [f"a {name} banner before any submit" for name in dict.fromkeys(page.banners)]
    if CONFLICT_TEXT in text:
        problems.append("the conflict banner before any submit")
    problems += [f"a negative duration: {m.group(0)!r}"
                 for m in NEGATIVE_DURATION.finditer(" ".join(" ".join(page.durations).split()))]
    problems += [f"{m.group(0)!r} as visible text: …{text[max(0, m.start() - 40):m.end() + 20]}…"
                 for m in NOTHING_WORDS.finditer(" ".join(sentences.split()))]
    problems += [f"{v!r} as a field's value" for v in page.values if NOTHING_WORDS.fullmatch(v.strip())]
    problems += [f"an empty <{tag}>" for tag, words in page.headings if not words]
    problems += [f"a clipped chart label: {label!r}" for label in clipped_labels(page)]
    return problems


def clipped_labels(page: Page) -> list[str]:
    """SVG labels cut at the end ("…") or starting mid-word: their first
    word is never a word of the page, only the end of a longer one."""
    words = set(re.findall(r"\w+", " ".join(page.texts_outside_svg).lower()))
    clipped = []
    for label in page.svg_labels:
        if label.endswith(("…", "...")):
            clipped.append(label)
            continue
        first = re.match(r"[^\W\d_]+", label)
        if first and len(first.group(0)) > 2:
            head = first.group(0).lower()
            if head not in words and any(w.endswith(head) and w != head for w in words):
                clipped.append(label)
    return clipped


def test_the_checks_catch_what_they_are_meant_to_catch():
    assert broken('<h1>Ok</h1><div class="form-summary" role="alert">Please correct</div>') \
        == ["a form-summary banner before any submit"]
    assert broken("<p>Someone else changed this record while you were editing it.</p>") \
        == ["the conflict banner before any submit"]
    assert broken("<p>-92 days since the workshop ended</p>") == ["a negative duration: '-92 days'"]
    assert broken("<td>−56.5 days</td><td>+15.0 days</td><p>3–5 days; 1-2 days</p>") \
        == ["a negative duration: '−56.5 days'"]
    assert broken("<dd>None</dd>")[0].startswith("'None' as visible text")
    assert broken("<dd>nan</dd>")[0].startswith("'nan' as visible text")
    assert broken("<td>None.</td><td>Nothing yet</td>") == []
    change = ("<table><thead><tr><th>Figure</th><th>2026</th><th>Change</th></tr></thead>"
              "<tbody><tr><th>Median days</th><td>{}</td><td>−159 days</td></tr></tbody></table>")
    assert broken(change.format("51 days")) == []
    assert broken(change.format("−51 days")) == ["a negative duration: '−51 days'"]
    assert broken('<input name="x" value="None">') == ["'None' as a field's value"]
    assert broken('<script>let x = undefined;</script><p hidden>None</p><h1>Fine</h1>') == []
    assert broken("<h1> </h1><h2><a href='/'></a></h2>") == ["an empty <h1>", "an empty <h2>"]
    chart = '<svg><text>umanitarian assistance and d…</text><text>Maritime security</text></svg>'
    assert broken(chart + "<td>Humanitarian assistance and disaster relief</td>") \
        == ["a clipped chart label: 'umanitarian assistance and d…'"]
    assert broken("<svg><text>umanitarian assistance</text></svg><td>Humanitarian assistance</td>") \
        == ["a clipped chart label: 'umanitarian assistance'"]
    assert broken('<svg><text x="1">Counter-terrorism</text><rect/></svg><h1>Themes</h1>') == []


# ------------------------------------------------------------------ the data


@dataclass
class Samples:
    """The demo records the sweep fills URL arguments from."""

    places: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    single: dict[str, list] = field(default_factory=dict)


def _samples() -> Samples:
    samples = Samples()
    today = dt.date.today()
    # A workshop of each kind (visibility, status, held or not yet) and of each network.
    kinds, networks, workshops = set(), set(), []
    for workshop in db.session.scalars(select(Workshop).order_by(Workshop.start_date)):
        kind = (workshop.visibility, workshop.status, workshop.end_date < today)
        if kind not in kinds or workshop.network_id not in networks:
            kinds.add(kind)
            networks.add(workshop.network_id)
            workshops.append(workshop)
    for workshop in workshops:
        base = {"workshop_id": workshop.id, "slug": workshop.slug}
        item = workshop.agenda_items[0] if workshop.agenda_items else None
        if item is not None:
            base.update(item_id=item.id, uid=item.uid)
        participation = db.session.scalar(
            select(Participation).where(Participation.workshop_id == workshop.id).order_by(Participation.id))
        if participation is not None:
            base["participation_id"] = participation.id
        samples.places.append(base)
        if workshop.secret_token:
            samples.places.append({**base, "kind": "s", "token": workshop.secret_token})
        if participation is not None and participation.personal_token:
            samples.places.append({**base, "kind": "p", "token": participation.personal_token})
            # The participant's own pages behind the link (/p/<token>/reply, /unsubscribe).
            samples.places.append({**base, "token": participation.personal_token})
    # Recommendations of every kind: with and without events, closed, of a
    # workshop held long ago, of one not yet held, of a written output alone.
    chosen: dict[tuple, dict] = {}
    for rec in db.session.scalars(select(Recommendation).order_by(Recommendation.id)):
        events = sorted(rec.events, key=lambda e: e.id)
        kind = (bool(events), rec.closed_as is not None, rec.origin_end >= today, rec.workshop is None)
        if kind not in chosen:
            chosen[kind] = {"recommendation_id": rec.id, **({"event_id": events[0].id} if events else {})}
    samples.recommendations = list(chosen.values())
    years = sorted({w.start_date.year for w in db.session.scalars(select(Workshop))})
    samples.single = {
        "network_id": list(db.session.scalars(select(Network.id).order_by(Network.id))),
        "series_id": list(db.session.scalars(select(Series.id).order_by(Series.id)))[:2],
        "institute_id": list(db.session.scalars(select(MemberInstitute.id).order_by(MemberInstitute.id)))[:1],
        "body_id": list(db.session.scalars(select(Track1Body.id).order_by(Track1Body.id)))[:2],
        "theme_id": list(db.session.scalars(select(Theme.id).order_by(Theme.id)))[:1],
        "person_id": list(db.session.scalars(select(Person.id).order_by(Person.id)))[:2],
        "output_id": list(db.session.scalars(select(Output.id).order_by(Output.id))),
        "year": years + [years[-1] + 1],
        # A report over a period of years, the grant cycle (/reports/<first>-<last>).
        "period": [f"{years[0]}-{years[-1]}"] if years[-1] - years[0] < 30 else [f"{years[-1] - 5}-{years[-1]}"],
        "fmt": ["csv", "xlsx"],
        "filename": ["app.css"],
        "user_id": list(db.session.scalars(select(User.id).where(User.role == "viewer").order_by(User.id))),
        "action": ["deactivate", "reactivate"],
        # A network's public outcomes page and feed, by acronym in any case.
        "network": [n.lower() for n in db.session.scalars(select(Network.acronym).order_by(Network.id))],
    }
    return samples


def _one_of_each_kind(found: list[dict]) -> list[dict]:
    """The first set of values for each kind of link (public, s, p)."""
    first: dict[str | None, dict] = {}
    for values in found:
        first.setdefault(values.get("kind"), values)
    return list(first.values())


def variants(rule, samples: Samples) -> list[dict]:
    """Every set of values the sweep opens a rule with (none: unfillable)."""
    args = set(rule.arguments)
    groups: list[list[dict]] = []
    if args & WORKSHOP_ARGS:
        needed = args & WORKSHOP_ARGS
        groups.append([{k: v for k, v in p.items() if k in needed} for p in samples.places
                       if needed <= p.keys() and ("kind" in needed) == ("kind" in p)])
    if args & RECOMMENDATION_ARGS:
        needed = args & RECOMMENDATION_ARGS
        groups.append([{k: v for k, v in r.items() if k in needed} for r in samples.recommendations
                       if needed <= r.keys()])
    for name in sorted(args - WORKSHOP_ARGS - RECOMMENDATION_ARGS):
        groups.append([{name: value} for value in samples.single.get(name, [])])
    found = []
    for combination in itertools.product(*groups):
        values = {}
        for part in combination:
            values.update(part)
        if values not in found:
            found.append(values)
    return found


@pytest.fixture(scope="module")
def demo(database_url, tmp_path_factory):
    """One app on the demo data for the whole module, a client per login."""
    app = create_app(_settings(database_url, tmp_path_factory.mktemp("sweep")))
    with app.app_context():
        load()
        samples = _samples()
        clients, tokens = {}, {}
        for who, email in LOGINS.items():
            client = app.test_client()
            tokens[who] = {}
            if email is not None:
                user = db.session.scalar(select(User).where(User.email == email))
                assert user is not None, email
                response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
                assert response.status_code == 302, (who, response.get_data(as_text=True)[:300])
                # The API reads a personal token, not the login session.
                tokens[who] = {"Authorization": f"Bearer {create_token(user, user, 'page sweep')[1]}"}
                db.session.commit()
            clients[who] = client
        db.session.remove()
        yield app, samples, clients, tokens
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
        db.engine.dispose()


def test_every_user_role_is_swept():
    roles = {"viewer": "viewer", "organiser": "organiser", "cscap-organiser": "organiser", "admin": "admin"}
    assert set(roles.values()) == set(USER_ROLES)
    assert set(LOGINS) == {"anonymous", *roles}


def test_every_get_page_as_every_user_shows_nothing_broken(demo):
    app, samples, clients, tokens = demo
    adapter = app.url_map.bind("localhost")
    rules = sorted((r for r in app.url_map.iter_rules() if "GET" in r.methods), key=lambda r: r.rule)
    problems: list[str] = []
    admin_saw: dict[str, set[int]] = {}
    opened = 0
    for rule in rules:
        if rule.endpoint in UNFILLED:
            continue
        found = variants(rule, samples) if rule.arguments else [{}]
        if rule.endpoint in FEW_VARIANTS:
            found = _one_of_each_kind(found)
        if not found:
            problems.append(f"{rule.rule}: no demo record fills {sorted(rule.arguments)}; "
                            "fill it in the sweep or name it in UNFILLED with the reason")
            continue
        for values, (who, client) in itertools.product(found, clients.items()):
            if who not in FEW_USERS.get(rule.endpoint, LOGINS):
                continue
            path = adapter.build(rule.endpoint, values)
            response = client.get(path, headers=tokens[who] if rule.endpoint.startswith("api.") else {})
            body = response.get_data()
            response.close()
            opened += 1
            if who == "admin":
                admin_saw.setdefault(rule.endpoint, set()).add(response.status_code)
            if response.status_code >= 500:
                problems.append(f"{who} {path}: {response.status_code}")
                continue
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            html = body.decode()
            for problem in broken(html, notice_expected=rule.endpoint in EXPECTED_NOTICE):
                problems.append(f"{who} {path}: {problem}")
    for endpoint, statuses in sorted(admin_saw.items()):
        if 200 not in statuses and endpoint not in NOT_A_PAGE_FOR_ADMIN:
            problems.append(f"{endpoint}: an admin never got a page (only {sorted(statuses)}): "
                            "fill its arguments better")
    assert opened > 500
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(dict.fromkeys(problems))


def test_the_unfilled_and_excused_routes_exist(demo):
    app, _, _, _ = demo
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert set(UNFILLED) | set(NOT_A_PAGE_FOR_ADMIN) | set(EXPECTED_NOTICE) | FEW_VARIANTS | set(FEW_USERS) \
        <= endpoints
