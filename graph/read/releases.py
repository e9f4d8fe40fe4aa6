"""Reading the releases a build kept in ``out/releases/`` (graph/output/releases.py writes them).

``Archive`` reads the index and each release's record once and again only when the index file
changes (a build wrote a new release); what it holds is bounded by the releases kept.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from vnpolicy.graph.output.releases import INDEX_FILE, RECORD_FILE, RELEASES, VERSIONS, read_json


@dataclass(frozen=True)
class DocumentVersion:
    """One document as a release holds it (or, for a removed one, as it was last)."""

    document: str  # the document's URI
    slug: str
    sha256: str  # of its Turtle: names the version
    types: tuple[str, ...]
    issuers: tuple[str, ...]
    labels: dict[str, str]
    since_release: str  # the release that first held this version
    since: datetime

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or next(iter(self.labels.values()), self.document)


@dataclass(frozen=True)
class Change:
    """A document added, changed or removed by a release."""

    kind: str  # "added", "changed", "removed"
    version: DocumentVersion  # the new version; for a removed document, its last one
    release: "Release"


@dataclass(frozen=True)
class Release:
    id: str
    time: datetime
    commit: str | None
    inputs: str | None
    previous: str | None
    documents: dict[str, DocumentVersion]
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: dict[str, DocumentVersion]

    @property
    def changes(self) -> list[Change]:
        found = [Change("added", self.documents[uri], self) for uri in self.added]
        found += [Change("changed", self.documents[uri], self) for uri in self.changed]
        found += [Change("removed", version, self) for version in self.removed.values()]
        return sorted(found, key=lambda change: change.version.document)


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _version(uri: str, raw: dict[str, Any]) -> DocumentVersion:
    return DocumentVersion(
        uri,
        raw["slug"],
        raw["sha256"],
        tuple(raw["type"]),
        tuple(raw["issuers"]),
        dict(raw["labels"]),
        raw["since"]["release"],
        parse_time(raw["since"]["time"]),
    )


def _release(raw: dict[str, Any]) -> Release:
    return Release(
        raw["id"],
        parse_time(raw["time"]),
        raw["commit"],
        raw["inputs"],
        raw["previous"],
        {uri: _version(uri, entry) for uri, entry in raw["documents"].items()},
        tuple(raw["added"]),
        tuple(raw["changed"]),
        {uri: _version(uri, entry) for uri, entry in raw["removed"].items()},
    )


class Archive:
    """The releases kept under ``out``, oldest first."""

    def __init__(self, out: Path) -> None:
        self.folder = out / RELEASES
        self._seen: tuple[float, int] | None = None
        self._releases: list[Release] = []

    def releases(self) -> list[Release]:
        index = self.folder / INDEX_FILE
        try:
            stat = index.stat()
        except FileNotFoundError:
            self._seen, self._releases = None, []
            return []
        seen = (stat.st_mtime, stat.st_ino)
        if seen != self._seen:
            entries = read_json(index)
            self._releases = [
                _release(read_json(self.folder / entry["id"] / RECORD_FILE)) for entry in entries
            ]
            self._seen = seen
        return self._releases

    def release(self, identifier: str) -> Release | None:
        return next((found for found in self.releases() if found.id == identifier), None)

    def file(self, release: Release, name: str) -> Path:
        return self.folder / release.id / name

    def version_file(self, version: DocumentVersion) -> Path:
        return self.folder / VERSIONS / f"{version.sha256}.ttl"

    def changes(self) -> list[Change]:
        """Every change of the releases kept, newest first."""
        return [change for release in reversed(self.releases()) for change in release.changes]

    def versions(self, document: str) -> list[tuple[Release, DocumentVersion]]:
        """The versions of ``document`` the releases kept hold, oldest first, each with the
        first kept release that holds it."""
        found: list[tuple[Release, DocumentVersion]] = []
        for release in self.releases():
            version = release.documents.get(document)
            if version is not None and (not found or found[-1][1].sha256 != version.sha256):
                found.append((release, version))
        return found
