"""ETag and Cache-Control on GET answers, in process: the same answer gets the same tag from every
query worker, a matching If-None-Match gets 304 with no body."""

import httpx
import pytest

from tests.utils.corpus import R57, path

PATHS = [
    f"{path(R57)}.html",
    f"{path(R57)}.ttl",
    "/export/documents.graphml",
    "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
    "/",
]


@pytest.mark.parametrize("target", PATHS)
def test_get_answers_carry_a_stable_tag_and_revalidate(client: httpx.Client, target: str) -> None:
    first = client.get(target)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('"')
    for _ in range(4):  # the answers of both query workers
        assert client.get(target).headers["etag"] == tag
    assert first.headers["cache-control"] == "no-cache"
    if not target.startswith("/sparql"):  # the query endpoint answers GET and POST only
        head = client.head(target)
        assert head.headers["etag"] == tag
    revalidated = client.get(target, headers={"If-None-Match": f'W/"x", {tag}'})
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == tag
    stale = client.get(target, headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    assert stale.content == first.content


def test_other_representations_get_other_tags(client: httpx.Client) -> None:
    tags = {
        client.get(f"{path(R57)}{suffix}").headers["etag"]
        for suffix in (".ttl", ".jsonld", ".html", ".nt")
    }
    assert len(tags) == 4


def test_errors_posts_state_and_dumps_are_left_alone(client: httpx.Client) -> None:
    missing = client.get("/no/such/thing.ttl")
    assert missing.status_code == 404
    assert "etag" not in missing.headers
    posted = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert posted.status_code == 200
    assert "etag" not in posted.headers
    health = client.get("/health")
    assert health.headers["cache-control"] == "no-store"  # a state, never kept by a cache
    dump = client.head("/dumps/vnpolicy.nq")
    assert dump.headers["etag"].endswith('-vnpolicy.nq"')  # the dump's own validator
