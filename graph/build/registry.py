"""The registry of sources and publishers that document files cite by short key.

``graph/sources/registry.yaml`` lists each web page or local text once: its URL (or a local copy,
whose SHA-256 the build computes), its kind and publisher. Document files then write
``sources: [apag, seed-000]``; every source they name is described in the graph where it is used.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef

from vnpolicy.graph.build.source_format import Origin, load_yaml
from vnpolicy.graph.build.vocabulary import Vocabulary
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.namespaces import DCTERMS, RDF, SKOS, VNP, XSD
from vnpolicy.graph.uris import Minter


@dataclass(frozen=True)
class SourceEntry:
    key: str
    uri: URIRef
    kind: URIRef
    publisher: URIRef | None
    title: dict[str, str]
    local_copy: str | None
    digest: str | None
    origin: Origin

    @property
    def independence_key(self) -> str:
        """What makes two sources one: the same publisher, or failing that the same site.

        A site is the registrable domain, so two pages of one portal (thongtin.vietnam.vn and
        www.vietnam.vn, en.nhandan.vn and nhandan.vn) count as one source (FACTS.md: "two pages
        of one publisher count as one source").
        """
        if self.publisher is not None:
            return str(self.publisher)
        return registrable_domain(urlsplit(str(self.uri)).hostname or "")


#: Second-level suffixes under which a site's own name is the third label (dantri.com.vn).
_SECOND_LEVEL = {"com.vn", "net.vn", "org.vn", "gov.vn", "edu.vn", "ac.vn", "info.vn"}


def registrable_domain(host: str) -> str:
    """The part of ``host`` a publisher registers: ``thongtin.vietnam.vn`` → ``vietnam.vn``."""
    labels = host.lower().rstrip(".").split(".")
    keep = 3 if ".".join(labels[-2:]) in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


class Registry:
    """Sources and publishers by key, read from one YAML file."""

    def __init__(self, path: Path, root: Path, minter: Minter, vocabulary: Vocabulary) -> None:
        self.path = path
        text = path.read_text(encoding="utf-8")
        data = load_yaml(text, Origin(path, 1)) or {}
        lines = text.splitlines()
        self._line = {
            line.strip().split(":", 1)[0]: index + 1
            for index, line in enumerate(lines)
            if line.startswith("  ") and not line.startswith("   ") and ":" in line
        }
        self.publishers: dict[str, tuple[URIRef, dict[str, str]]] = {}
        for key, entry in (data.get("publishers") or {}).items():
            names = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(names, dict) or not names:
                raise InputError(f"{self._origin(key)}: publisher {key!r} needs 'name: {{en: …}}'")
            self.publishers[key] = (minter.agent("organization", key), names)
        self.sources: dict[str, SourceEntry] = {}
        for key, entry in (data.get("sources") or {}).items():
            self.sources[key] = self._source(key, entry, root, minter, vocabulary)

    def _origin(self, key: str) -> Origin:
        return Origin(self.path, self._line.get(key, 1))

    def _source(
        self, key: str, entry: Any, root: Path, minter: Minter, vocabulary: Vocabulary
    ) -> SourceEntry:
        where = self._origin(key)
        if not isinstance(entry, dict) or "kind" not in entry:
            raise InputError(
                f"{where}: source {key!r} needs at least 'kind' and 'url' or 'local-copy'"
            )
        local_copy = entry.get("local-copy")
        digest = None
        if local_copy is not None:
            copy = root / str(local_copy)
            try:
                digest = hashlib.sha256(copy.read_bytes()).hexdigest()
            except OSError as error:
                raise InputError(f"{where}: local copy {local_copy!r}: {error}") from error
        url = entry.get("url")
        if url is None and local_copy is None:
            raise InputError(f"{where}: source {key!r} needs a 'url' or a 'local-copy'")
        uri = URIRef(str(url)) if url else minter.source(key)
        publisher = entry.get("publisher")
        return SourceEntry(
            key=key,
            uri=uri,
            kind=vocabulary.concept("source-kind", entry["kind"], where),
            publisher=self.publisher(publisher, where) if publisher else None,
            title=dict(entry.get("title") or {}),
            local_copy=str(local_copy) if local_copy else None,
            digest=digest,
            origin=where,
        )

    def publisher(self, key: str, where: Origin) -> URIRef:
        if key not in self.publishers:
            raise InputError(f"{where}: unknown publisher {key!r} (add it to {self.path.name})")
        return self.publishers[key][0]

    def source(self, key: object, where: Origin) -> SourceEntry:
        if not isinstance(key, str) or key not in self.sources:
            raise InputError(f"{where}: unknown source {key!r} (add it to {self.path.name})")
        return self.sources[key]

    def describe(self, graph: Graph, entries: Iterable[SourceEntry]) -> None:
        """Add the description of each source (and its publisher) to ``graph``."""
        for entry in entries:
            graph.add((entry.uri, RDF.type, VNP.Source))
            graph.add((entry.uri, VNP.sourceKind, entry.kind))
            for language, title in sorted(entry.title.items()):
                graph.add((entry.uri, DCTERMS.title, Literal(title, lang=language)))
            if entry.local_copy and entry.digest:
                graph.add((entry.uri, VNP.localCopy, Literal(entry.local_copy)))
                graph.add((entry.uri, VNP.sha256, Literal(entry.digest, datatype=XSD.hexBinary)))
            if entry.publisher is not None:
                graph.add((entry.uri, DCTERMS.publisher, entry.publisher))
                self.describe_publisher(graph, entry.publisher)

    def describe_publisher(self, graph: Graph, uri: URIRef) -> None:
        for publisher, names in self.publishers.values():
            if publisher == uri:
                graph.add((uri, RDF.type, VNP.Organization))
                for language, name in sorted(names.items()):
                    graph.add((uri, SKOS.prefLabel, Literal(name, lang=language)))
