"""The releases as RDF: the DCAT dataset series, each release's PROV record and VoID, and the
Linked Data Event Stream of document versions (docs/decisions/0025).

Where the server lives is passed in (``root``); a version of a document is named by the release
that first held it and the document's path on the server (``{root}releases/{id}/eli/…``), which
is also its Memento.
"""

from collections.abc import Callable
from datetime import datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, VOID, XSD

from vnpolicy.graph.namespaces import ELI
from vnpolicy.graph.output.releases import RELEASE_DUMPS
from vnpolicy.graph.read.releases import Change, DocumentVersion, Release

#: DCAT 3 (rdflib's closed DCAT namespace lacks the series and version terms).
DCAT = Namespace("http://www.w3.org/ns/dcat#")
LDES = Namespace("https://w3id.org/ldes#")
TREE = Namespace("https://w3id.org/tree#")
ACTIVITY = Namespace("https://www.w3.org/ns/activitystreams#")
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
DUMP_MEDIA_TYPES = {"vnpolicy.nq": "application/n-quads", "vnpolicy.trig": "application/trig"}
#: The path of the document a version is of: an LDES client groups versions by it.
VERSION_OF = DCTERMS.isVersionOf
TIMESTAMP = PROV.generatedAtTime

#: The server path of a document URI (``/eli/vn/…``), from the server's URL space.
PathOf = Callable[[str], str]


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT), ("dct", DCTERMS), ("prov", PROV), ("void", VOID), ("ldes", LDES),
        ("tree", TREE), ("eli", ELI), ("as", ACTIVITY),
    ):  # fmt: skip
        graph.bind(prefix, namespace)
    return graph


def _time(moment: datetime) -> Literal:
    return Literal(moment.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


def series_uri(root: str) -> URIRef:
    return URIRef(f"{root}releases")


def release_uri(root: str, identifier: str) -> URIRef:
    return URIRef(f"{root}releases/{identifier}")


def version_uri(root: str, release: str, document: str, path_of: PathOf) -> URIRef:
    """The version of ``document`` first held by ``release`` (also its Memento's URL)."""
    return URIRef(f"{root}releases/{release}{path_of(document)}")


def add_series(graph: Graph, releases: list[Release], dataset: URIRef, root: str) -> None:
    """The releases kept, as a ``dcat:DatasetSeries`` the dataset belongs to."""
    series = series_uri(root)
    graph.add((series, RDF.type, DCAT.DatasetSeries))
    graph.add((series, DCTERMS.title, Literal("vnpolicy releases", lang="en")))
    graph.add((series, DCTERMS.description, Literal(
        "Each build that changed the published data, with its dumps and a PROV record of the "
        "documents it added, changed and removed; only the newest releases are kept.",
        lang="en")))  # fmt: skip
    graph.add((dataset, DCAT.inSeries, series))
    feed = URIRef(f"{root}feeds/changes.atom")
    graph.add((series, DCAT.distribution, feed))
    graph.add((feed, RDF.type, DCAT.Distribution))
    graph.add((feed, DCAT.accessURL, feed))
    graph.add((feed, DCAT.mediaType, URIRef(MEDIA_TYPES + "application/atom+xml")))
    graph.add((feed, DCTERMS.title, Literal("Atom feed of the documents changed", lang="en")))
    stream = stream_uri(root)
    graph.add((stream, RDF.type, LDES.EventStream))
    graph.add((stream, RDF.type, DCAT.Dataset))
    graph.add((stream, DCTERMS.title, Literal("vnpolicy document versions", lang="en")))
    graph.add((stream, DCTERMS.conformsTo, URIRef("https://w3id.org/ldes/specification")))
    graph.add((stream, PROV.wasDerivedFrom, dataset))
    graph.add((stream, DCAT.landingPage, stream))
    if releases:
        graph.add((series, DCAT.first, release_uri(root, releases[0].id)))
        graph.add((series, DCAT.last, release_uri(root, releases[-1].id)))
        graph.add((dataset, DCAT.hasCurrentVersion, release_uri(root, releases[-1].id)))
    for position, release in enumerate(releases):
        uri = release_uri(root, release.id)
        graph.add((uri, RDF.type, DCAT.Dataset))
        graph.add((uri, DCAT.inSeries, series))
        graph.add((uri, DCAT.version, Literal(release.id)))
        graph.add((uri, DCTERMS.issued, _time(release.time)))
        graph.add((dataset, DCAT.hasVersion, uri))
        if position:
            graph.add((uri, DCAT.prev, release_uri(root, releases[position - 1].id)))
        for name in RELEASE_DUMPS:
            url = URIRef(f"{uri}/{name}")
            graph.add((uri, DCAT.distribution, url))
            graph.add((url, RDF.type, DCAT.Distribution))
            graph.add((url, DCAT.downloadURL, url))
            graph.add((url, DCAT.mediaType, URIRef(MEDIA_TYPES + DUMP_MEDIA_TYPES[name])))


def release_record(
    release: Release, earlier: Release | None, dataset: URIRef, root: str, path_of: PathOf
) -> Graph:
    """One release: its VoID and DCAT description and its PROV record (the build that made it,
    the versions it generated, the ones it replaced or invalidated). ``earlier`` is the release
    before it, when still kept."""
    graph = _graph()
    uri = release_uri(root, release.id)
    activity = URIRef(f"{uri}#build")
    for kind in (VOID.Dataset, DCAT.Dataset, PROV.Entity):
        graph.add((uri, RDF.type, kind))
    graph.add((uri, DCTERMS.title, Literal(f"vnpolicy release {release.id}", lang="en")))
    graph.add((uri, DCAT.version, Literal(release.id)))
    graph.add((uri, DCAT.inSeries, series_uri(root)))
    graph.add((uri, DCTERMS.isVersionOf, dataset))
    graph.add((uri, DCTERMS.issued, _time(release.time)))
    graph.add((uri, PROV.generatedAtTime, _time(release.time)))
    graph.add((uri, PROV.wasGeneratedBy, activity))
    graph.add((uri, VOID.entities, Literal(len(release.documents))))
    if release.previous:
        graph.add((uri, PROV.wasRevisionOf, release_uri(root, release.previous)))
    for name in RELEASE_DUMPS:
        url = URIRef(f"{uri}/{name}")
        graph.add((uri, VOID.dataDump, url))
        graph.add((uri, DCAT.distribution, url))
        graph.add((url, RDF.type, DCAT.Distribution))
        graph.add((url, DCAT.downloadURL, url))
        graph.add((url, DCAT.mediaType, URIRef(MEDIA_TYPES + DUMP_MEDIA_TYPES[name])))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, PROV.endedAtTime, _time(release.time)))
    graph.add((activity, RDFS.label, Literal("vnpolicy build", lang="en")))
    if release.inputs:
        sources = URIRef(f"{uri}#sources")
        graph.add((activity, PROV.used, sources))
        graph.add((sources, RDF.type, PROV.Entity))
        graph.add((sources, DCTERMS.identifier, Literal(f"sha256:{release.inputs}")))
    if release.commit:
        commit = URIRef(f"{uri}#commit")
        graph.add((activity, PROV.used, commit))
        graph.add((commit, RDF.type, PROV.Entity))
        graph.add((commit, DCTERMS.identifier, Literal(f"git:{release.commit}")))
    counts = f"{len(release.added)} added, {len(release.changed)} changed, "
    counts += f"{len(release.removed)} removed"
    graph.add((uri, DCTERMS.description, Literal(f"Documents: {counts}.", lang="en")))
    for change in release.changes:
        version = version_uri(root, change.release.id, change.version.document, path_of)
        graph.add((version, PROV.specializationOf, URIRef(change.version.document)))
        graph.add((version, RDFS.comment, Literal(change.kind, lang="en")))
        if change.kind == "removed":
            before = version_uri(
                root, change.version.since_release, change.version.document, path_of
            )
            graph.add((activity, PROV.invalidated, before))
            graph.add((version, RDF.type, ACTIVITY.Tombstone))
            graph.add((version, PROV.wasRevisionOf, before))
            continue
        graph.add((version, RDF.type, PROV.Entity))
        graph.add((activity, PROV.generated, version))
        graph.add((version, PROV.wasGeneratedBy, activity))
        graph.add((version, PROV.generatedAtTime, _time(release.time)))
        old = earlier.documents.get(change.version.document) if earlier else None
        if change.kind == "changed" and old is not None:
            before = version_uri(root, old.since_release, old.document, path_of)
            graph.add((version, PROV.wasRevisionOf, before))
            graph.add((activity, PROV.invalidated, before))
    return graph


# ---------------------------------------------------------------------------------- the LDES


def stream_uri(root: str) -> URIRef:
    return URIRef(f"{root}ldes")


def view_uri(root: str) -> URIRef:
    return URIRef(f"{root}ldes/pages")


def page_uri(root: str, identifier: str) -> URIRef:
    return URIRef(f"{root}ldes/pages/{identifier}")


def _describe_stream(graph: Graph, root: str, kept: int) -> URIRef:
    stream = stream_uri(root)
    graph.add((stream, RDF.type, LDES.EventStream))
    graph.add((stream, DCTERMS.title, Literal("vnpolicy document versions", lang="en")))
    graph.add((stream, LDES.timestampPath, TIMESTAMP))
    graph.add((stream, LDES.versionOfPath, VERSION_OF))
    graph.add((stream, TREE.view, view_uri(root)))
    policy = BNode("retention")
    graph.add((view_uri(root), LDES.retentionPolicy, policy))
    graph.add((policy, RDF.type, LDES.LatestVersionSubset))
    graph.add((policy, LDES.amount, Literal(1)))
    graph.add((policy, RDFS.comment, Literal(
        f"The newest {kept} releases are kept: every document's version current at the oldest "
        "of them, and each version made since.", lang="en")))  # fmt: skip
    return stream


def stream_graph(releases: list[Release], root: str, kept: int) -> Graph:
    """The event stream and its view: one relation per release page, by time."""
    graph = _graph()
    _describe_stream(graph, root, kept)
    view = view_uri(root)
    graph.add((view, RDF.type, TREE.Node))
    for position, release in enumerate(releases):
        relation = BNode(f"page{position}")
        members = page_members(releases, position)
        earliest = min((change.version.since for change in members), default=release.time)
        graph.add((view, TREE.relation, relation))
        graph.add((relation, RDF.type, TREE.GreaterThanOrEqualToRelation))
        graph.add((relation, TREE.node, page_uri(root, release.id)))
        graph.add((relation, TREE.path, TIMESTAMP))
        graph.add((relation, TREE.value, _time(min(earliest, release.time))))
    return graph


def page_members(releases: list[Release], position: int) -> list[Change]:
    """The members of a release's page: what it changed; for the oldest release kept, every
    document it holds (the versions the releases pruned before it made)."""
    release = releases[position]
    if position:
        return release.changes
    held = [Change("added", version, release) for version in release.documents.values()]
    return held + [change for change in release.changes if change.kind == "removed"]


def page_graph(
    releases: list[Release], position: int, root: str, kept: int, path_of: PathOf
) -> Graph:
    """One release's page of the stream: its members, each a version of one document."""
    graph = _graph()
    stream = _describe_stream(graph, root, kept)
    release = releases[position]
    page = page_uri(root, release.id)
    graph.add((page, RDF.type, TREE.Node))
    for change in page_members(releases, position):
        version = change.version
        made_by = release.id if change.kind == "removed" else version.since_release
        member = version_uri(root, made_by, version.document, path_of)
        graph.add((stream, TREE.member, member))
        _describe_version(graph, member, change, release)
    return graph


def _describe_version(graph: Graph, member: URIRef, change: Change, release: Release) -> None:
    version: DocumentVersion = change.version
    graph.add((member, VERSION_OF, URIRef(version.document)))
    if change.kind == "removed":
        graph.add((member, RDF.type, ACTIVITY.Tombstone))
        graph.add((member, TIMESTAMP, _time(release.time)))
        return
    graph.add((member, RDF.type, PROV.Entity))
    graph.add((member, TIMESTAMP, _time(version.since)))
    for language, label in sorted(version.labels.items()):
        graph.add((member, RDFS.label, Literal(label, lang=language)))
    for kind in version.types:
        graph.add((member, ELI.type_document, URIRef(kind)))
    for issuer in version.issuers:
        graph.add((member, ELI.passed_by, URIRef(issuer)))
    graph.add((member, DCTERMS.identifier, Literal(f"sha256:{version.sha256}")))
