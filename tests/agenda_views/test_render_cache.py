"""The rendered agendas are kept in a cachetools LRU keyed by their ETag
(agenda_views/views.py init_app): a bounded cache keeps the agendas seen
last, and a cache of size 0 (the benchmark's setting) keeps nothing and
still answers every visit."""

from __future__ import annotations

import pytest

from workshops.agenda_views import views


@pytest.fixture
def cache_of(app):
    """Give the app a render cache of `size` and return it (cachetools.LRUCache)."""

    def sized(size: int):
        app.config["AGENDA_CACHE_SIZE"] = size
        views.init_app(app)
        cache, _lock = app.extensions[views.CACHE_KEY]
        return cache

    return sized


def visit(client, url) -> tuple[str, bytes]:
    response = client.get(url)
    assert response.status_code == 200
    return response.headers["ETag"].strip('"'), response.data


def test_a_full_cache_lets_go_of_the_agenda_seen_longest_ago(client, programme, cache_of):
    cache = cache_of(2)
    a, b, c = (programme(visibility="public", per_day=1, people=1) for _ in range(3))

    etag_a, body_a = visit(client, a.url())
    etag_b, _ = visit(client, b.url())
    assert visit(client, a.url()) == (etag_a, body_a)  # a is now the one seen last
    etag_c, _ = visit(client, c.url())

    assert set(cache) == {etag_a, etag_c}
    assert cache[etag_a] == body_a


def test_a_cache_of_size_zero_keeps_nothing_and_renders_every_visit(client, programme, cache_of):
    cache = cache_of(0)
    p = programme(visibility="public", per_day=2, people=2)

    first, again = visit(client, p.url()), visit(client, p.url())

    assert first == again and b"Session 1.1" in first[1]
    assert len(cache) == 0
