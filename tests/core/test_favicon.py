"""The site's icon: /favicon.ico (which browsers ask for on their own) is an
image, not a 404, served as a static file under the same strict headers;
every page links it and its SVG version."""

from __future__ import annotations

from defusedxml import ElementTree

from workshops.core.security import CONTENT_SECURITY_POLICY


def test_favicon_ico_is_an_icon_under_the_same_content_security_policy(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    body = response.get_data()
    assert body[:4] == b"\x00\x00\x01\x00" and int.from_bytes(body[4:6], "little") >= 1  # an ICO with images
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_svg_icon_is_an_image_without_style_or_script(client):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert ElementTree.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
    assert "style" not in svg and "<script" not in svg and "href" not in svg


def test_every_page_links_the_icons(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    for href in ("/favicon.ico", "/static/favicon.svg"):
        assert client.get(href).status_code == 200


def test_other_static_files_keep_their_addresses(app):
    from flask import url_for

    with app.test_request_context():
        assert url_for("static", filename="app.css") == "/static/app.css"
        assert url_for("static", filename="favicon.svg") == "/static/favicon.svg"


def test_the_icon_stays_cacheable_for_logged_in_users_as_every_static_file(client, auth):
    auth.login(role="viewer")
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
