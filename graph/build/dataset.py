"""The corpus build: source files in, one validated RDF dataset out (docs/decisions/0006).

Two passes: the first reads every file and learns each document's URI, so that the second can
resolve links in any direction; then the texts are read for pillars and citations, the dataset
is checked as a whole and the alignment entailments are computed.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from vnpolicy.graph.build.alignment import entailments
from vnpolicy.graph.build.builder import DocumentBuilder, new_graph
from vnpolicy.graph.build.context import BuildContext, DocumentHead
from vnpolicy.graph.build.enrich import TagReport, cite_mentions, tag_pillars
from vnpolicy.graph.build.mentions import DocumentIndex, KnownDocument
from vnpolicy.graph.build.registry import Registry
from vnpolicy.graph.build.source_format import SourceFile, as_date, read_source
from vnpolicy.graph.build.vocabulary import Vocabulary
from vnpolicy.graph.collection import fewer_collections
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.model import load_model
from vnpolicy.graph.namespaces import DCTERMS, VNP
from vnpolicy.graph.numbers import normalise
from vnpolicy.graph.paths import DOCUMENTS_DIR, REGISTRY_FILE, ROOT
from vnpolicy.graph.uris import DEFAULT_BASE, Minter

Quad = tuple[Node, Node, Node, URIRef]


@dataclass
class Dataset:
    """The built corpus: one graph per document, the model, and the entailed triples."""

    minter: Minter
    model: Graph
    documents: dict[URIRef, Graph]
    entailed: Graph
    context: BuildContext
    tags: TagReport

    def named_graphs(self) -> Iterator[tuple[URIRef, Graph]]:
        """Every named graph in a stable order: the model, the documents, the entailments."""
        yield self.minter.model_graph, self.model
        for uri in sorted(self.documents):
            yield self.minter.home_graph(uri), self.documents[uri]
        yield self.minter.entailments_graph, self.entailed

    def asserted(self) -> Graph:
        """The union of the document graphs: what the shapes validate."""
        union = new_graph()
        for graph in self.documents.values():
            union += graph
        return union

    def quads(self) -> Iterator[Quad]:
        for name, graph in self.named_graphs():
            for subject, predicate, obj in graph:
                yield subject, predicate, obj, name


def _written(raw: Any) -> Any:
    """The value a field is written with, whether plain or qualified (``{value: …, …}``)."""
    return raw.get("value") if isinstance(raw, dict) and "value" in raw else raw


def _head(source: SourceFile, minter: Minter, vocabulary: Vocabulary) -> DocumentHead:
    fields = {key: _written(value) for key, value in source.fields.items()}
    type_where = source.origin("type")
    doc_type = vocabulary.concept("document-type", fields.get("type"), type_where)
    date_raw = fields.get("date")
    date = as_date(date_raw, source.origin("date")) if date_raw is not None else None
    labels = fields.get("label") or {}
    label = str(labels.get("en") or labels.get("vi") or source.path.stem)
    province = _province(source, vocabulary)
    province_id, place = province if province else (None, None)
    if "number" in fields:
        where = source.origin("number")
        try:
            read = normalise(str(fields["number"]))
        except ValueError as error:
            raise InputError(f"{where}: {error}") from None
        if read.corrections or read.number.text != str(fields["number"]):
            raise InputError(
                f"{where}: write the official form {read.number.text!r}, not "
                f"{fields['number']!r} ({'; '.join(read.corrections) or 'diacritics'})"
            )
        if read.is_local and place is None:
            raise InputError(
                f"{where}: {read.number.text} is a provincial body's number; the issuer must be "
                "a provincial body (one with a province in ontology/vocab-bodies-local.ttl)"
            )
        uri = minter.document_for(
            read.number,
            vocabulary.uri_segment(doc_type),
            date.year if date else None,
            place if read.is_local else None,
        )
        return DocumentHead(
            source, uri, read.number, str(fields["type"]), doc_type, date, label, province_id
        )
    if "key" not in fields:
        raise InputError(
            f"{source.origin()}: a document has a 'number' or, if it has none, a 'key'"
        )
    uri = minter.unnumbered_document(str(fields["key"]))
    return DocumentHead(source, uri, None, str(fields["type"]), doc_type, date, label, province_id)


def _province(source: SourceFile, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """The province (id, URI segment) of the document's first provincial issuer, if any."""
    issuers = source.fields.get("issuer")
    for issuer in issuers if isinstance(issuers, list) else [issuers]:
        if isinstance(issuer, str):
            body = vocabulary.concept("body", issuer, source.origin("issuer"))
            if (province := vocabulary.province(body)) is not None:
                return province
    return None


@fewer_collections()
def build_dataset(
    documents_dir: Path = DOCUMENTS_DIR,
    registry_file: Path = REGISTRY_FILE,
    base: str = DEFAULT_BASE,
    model: Graph | None = None,
) -> Dataset:
    """Read every ``*.md`` file in ``documents_dir`` and build the dataset (not yet validated)."""
    minter = Minter(base)
    model = model if model is not None else load_model()
    vocabulary = Vocabulary(model)
    registry = Registry(registry_file, ROOT, minter, vocabulary)
    files = sorted(documents_dir.glob("*.md"))
    if not files:
        raise InputError(f"{documents_dir}: no document source files (*.md)")
    heads: dict[URIRef, DocumentHead] = {}
    keyed: dict[str, URIRef] = {}
    for path in files:
        head = _head(read_source(path), minter, vocabulary)
        if head.uri in heads:
            raise InputError(
                f"{path}: describes the same document as {heads[head.uri].source.path.name}"
            )
        heads[head.uri] = head
        if head.number is None:
            keyed[str(head.source.fields["key"])] = head.uri
    index = DocumentIndex(
        KnownDocument(head.uri, head.number, head.type_id, head.year, head.province)
        for head in heads.values()
    )
    context = BuildContext(minter, vocabulary, registry, index, heads, keyed)
    builders = [DocumentBuilder(head, context) for head in heads.values()]
    graphs = {builder.uri: builder.build() for builder in builders}
    parts = {uri for builder in builders for uri in builder.parts}
    for wanted, where in context.wanted_parts:
        if wanted not in parts:
            raise InputError(f"{where}: no document has the part {wanted}")
    tags = TagReport()
    for builder in builders:
        cite_mentions(builder, context)
        tag_pillars(builder, context, tags)
    cited = {o for graph in graphs.values() for o in graph.objects(None, DCTERMS.source)}
    cited |= {o for graph in graphs.values() for o in graph.objects(None, VNP.inSource)}
    for entry in registry.sources.values():
        if entry.uri not in cited:
            context.warnings.append(f"{entry.origin}: source {entry.key!r} is cited by no document")
    dataset = Dataset(minter, model, graphs, Graph(), context, tags)
    dataset.entailed = entailments(graphs.values(), model)
    return dataset
