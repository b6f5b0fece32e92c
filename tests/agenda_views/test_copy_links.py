"""The share-links page: a copy button per link (issue 15, item 4). A
self-hosted script reveals the buttons; without JavaScript they stay hidden
and the link text in its read-only field is selectable."""

from __future__ import annotations

import re


def test_the_share_links_page_has_a_copy_button_per_link(client, programme, auth):
    p = programme(visibility="public", per_day=1, people=3)
    auth.login(role="organiser", networks=[p.workshop.series.network])
    page = client.get(f"/agenda/{p.slug}/links").get_data(as_text=True)
    targets = re.findall(r'<button type="button"[^>]*data-copy="([^"]+)" hidden>', page)
    assert sorted(targets) == sorted(["public-url", "secret-url"] + [f"link-{x.id}" for x in p.participations])
    for target in targets:
        assert f'id="{target}" type="text" readonly' in page  # the link itself, selectable without JavaScript
    assert '<script type="module" src="/static/copy-link.js' in page
    assert "onclick" not in page
