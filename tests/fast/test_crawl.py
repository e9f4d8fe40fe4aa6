"""A crawl of the site as a reader meets it: every HTML page reachable from the home page, in
English and in Vietnamese, and every internal link on each — none may be broken."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from vnpolicy.graph.formats import BY_SUFFIX

#: Links whose target is a download or an action, checked for a status but not read as pages.
NOT_PAGES = ("/dumps/", "/export/", "/static/", "/sparql", "/api/", "/opensearch.xml")
#: How many links of one kind (``eli….ttl``, ``browse?type``) are fetched.
SAMPLE = 40
RDF_SUFFIXES = {suffix for suffix in BY_SUFFIX if suffix != "html"}
#: More pages than the fixture corpus has: a crawl that reaches it has lost its way.
MOST_PAGES = 6_000


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}
        named = dict(attrs)
        url = named.get(wanted.get(tag, ""))
        if url and tag != "form" and "hidden" not in named:  # a hidden link is not reachable
            self.found.append(url)


def _internal(page: str, url: str) -> str | None:
    """The path and query of an internal link, without its fragment; None for others."""
    if url.startswith(("mailto:", "javascript:", "data:", "#")):
        return None
    absolute = urljoin("http://site" + page, url)
    parts = urlsplit(absolute)
    if parts.netloc != "site":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _is_data(target: str) -> bool:
    """A description in an RDF format (``….ttl``, ``?format=nt``), not a page."""
    path, _, query = target.partition("?")
    suffix = path.rsplit("/", 1)[-1].rpartition(".")[2]
    return (suffix in RDF_SUFFIXES and "." in path.rsplit("/", 1)[-1]) or (
        "format=" in query and "format=html" not in query
    )


def _kind(target: str) -> str:
    """What sort of leaf a link is: its first path segment and its suffix or query keys."""
    path, _, query = target.partition("?")
    first = path.strip("/").split("/", 1)[0]
    suffix = path.rsplit("/", 1)[-1].rpartition(".")[2] if "." in path.rsplit("/", 1)[-1] else ""
    keys = sorted({part.partition("=")[0] for part in query.split("&") if part})
    return f"{first}.{suffix}?{'&'.join(keys)}"


def _is_variant(target: str) -> bool:
    """A page narrowed or ordered by its query (``/browse?type=…&year=…``, ``?sort=``): checked,
    but its own links are not followed, or the crawl would walk every combination of facets."""
    _, _, query = target.partition("?")
    return any(
        key not in ("lang", "") for key, _, _ in (p.partition("=") for p in query.split("&"))
    )


@pytest.mark.parametrize("language", ["en", "vi"])
def test_no_internal_link_is_broken(client: httpx.Client, language: str) -> None:
    start = "/" if language == "en" else "/?lang=vi"
    queue, seen, checked = deque([start]), {start}, 0
    broken: list[str] = []
    sampled: dict[str, int] = {}
    while queue:
        page = queue.popleft()
        answer = client.get(page, follow_redirects=True)
        checked += 1
        assert checked < MOST_PAGES, "the crawl found more pages than the corpus has"
        if answer.status_code >= 400:
            broken.append(f"{page} → {answer.status_code}")
            continue
        if not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        links = Links()
        links.feed(answer.text)
        for url in links.found:
            target = _internal(str(answer.url.path), url)
            if target is None or target in seen:
                continue
            seen.add(target)
            if target.startswith(NOT_PAGES) or _is_data(target) or _is_variant(target):
                kind = _kind(target)
                sampled[kind] = sampled.get(kind, 0) + 1
                if sampled[kind] > SAMPLE:  # the same link on every page: a sample is enough
                    continue
                status = client.get(target, follow_redirects=True).status_code
                if status >= 400:
                    broken.append(f"{target} (linked from {page}) → {status}")
            else:
                queue.append(target)
    assert broken == []
    assert checked > 100  # the crawl reached the documents, not just the home page
