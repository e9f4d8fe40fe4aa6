"""ETag and Cache-Control on GET answers, against the real server: the same answer gets the same
tag in every process, a matching If-None-Match gets 304 with no body."""

import httpx
import pytest

from tests.conftest import LiveServer

PATHS = [
    "/eli/vn/tw/nq/2024/57.html",
    "/eli/vn/tw/nq/2024/57.ttl",
    "/export/documents.graphml",
    "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
    "/",
]


@pytest.mark.parametrize("path", PATHS)
def test_get_answers_carry_a_stable_tag_and_revalidate(server: LiveServer, path: str) -> None:
    first = httpx.get(server.url + path, timeout=60)
    again = httpx.get(server.url + path, timeout=60)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('"')
    assert again.headers["etag"] == tag
    assert first.headers["cache-control"] == "no-cache"
    if not path.startswith("/sparql"):  # the query endpoint answers GET and POST only
        head = httpx.head(server.url + path, timeout=60)
        assert head.headers["etag"] == tag
    revalidated = httpx.get(server.url + path, headers={"If-None-Match": f'W/"x", {tag}'})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == tag
    stale = httpx.get(server.url + path, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    assert stale.content == first.content


def test_other_representations_get_other_tags(server: LiveServer) -> None:
    tags = {
        httpx.get(f"{server.url}/eli/vn/tw/nq/2024/57{suffix}").headers["etag"]
        for suffix in (".ttl", ".jsonld", ".html", ".nt")
    }
    assert len(tags) == 4


def test_errors_posts_and_dumps_are_left_alone(server: LiveServer) -> None:
    missing = httpx.get(f"{server.url}/no/such/thing.ttl")
    assert missing.status_code == 404
    assert "etag" not in missing.headers
    posted = httpx.post(f"{server.url}/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert posted.status_code == 200
    assert "etag" not in posted.headers
    dump = httpx.head(f"{server.url}/dumps/vnpolicy.nq")
    assert dump.headers["etag"].endswith('-vnpolicy.nq"')  # the dump's own validator
