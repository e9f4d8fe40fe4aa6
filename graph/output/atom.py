"""Atom feeds (RFC 4287) of the documents the releases added, changed or removed, in the manner
of ELI's update feeds (pillar 4): one entry per document version, its id the document's ELI URI,
``updated`` the release's time, its link the document's page.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from vnpolicy.graph.read.releases import Change

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
#: The most entries one feed holds (the newest).
MOST_ENTRIES = 500
_VERBS = {"added": "New", "changed": "Changed", "removed": "Removed"}


@dataclass(frozen=True)
class Feed:
    url: str  # where the feed is served: also its id
    title: str
    home: str  # the site's public URL
    updated: datetime  # when the feed last changed (the newest release), or the data did


def _stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def atom_feed(feed: Feed, changes: Sequence[Change], page_of: Callable[[str], str]) -> bytes:
    """The feed of ``changes`` (newest first); ``page_of`` gives a document's public page."""
    ElementTree.register_namespace("", ATOM)

    def child(
        parent: ElementTree.Element, name: str, text: str | None = None, **attributes: str
    ) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
        element.text = text
        return element

    root = ElementTree.Element(f"{{{ATOM}}}feed")
    child(root, "id", feed.url)
    child(root, "title", feed.title)
    newest = changes[0].release.time if changes else feed.updated
    child(root, "updated", _stamp(newest))
    author = child(root, "author")
    child(author, "name", "vnpolicy")
    child(author, "uri", feed.home)
    child(root, "link", rel="self", href=feed.url, type=MEDIA_TYPE)
    child(root, "link", rel="alternate", href=feed.home, type="text/html")
    child(root, "generator", "vnpolicy", uri=feed.home)
    for change in changes[:MOST_ENTRIES]:
        version = change.version
        entry = child(root, "entry")
        child(entry, "id", version.document)
        child(entry, "title", f"{_VERBS[change.kind]}: {version.label('en')}")
        child(entry, "updated", _stamp(change.release.time))
        child(entry, "link", rel="alternate", href=page_of(version.document), type="text/html")
        child(entry, "category", term=change.kind, label=_VERBS[change.kind])
        summary = f"{_VERBS[change.kind]} in release {change.release.id}"
        if "vi" in version.labels:
            summary += f" — {version.labels['vi']}"
        child(entry, "summary", summary)
    written: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return written
