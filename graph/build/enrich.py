"""What the build derives from the texts: pillar tags and citation links.

Derived statements are kept apart from asserted ones: a derived pillar is a
``vnp:Classification`` with assignment *derived*, the text it came from and the label it matched;
a derived citation is an ``eli:cites`` relation whose node names the wording it was read from.
"""

from collections import Counter
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from vnpolicy.graph.build.builder import DocumentBuilder
from vnpolicy.graph.build.context import BuildContext
from vnpolicy.graph.build.mentions import find_mentions
from vnpolicy.graph.build.source_format import Origin
from vnpolicy.graph.build.statements import sourced_statement
from vnpolicy.graph.namespaces import DCTERMS, ELI, PROV, RDF, RDFS, VNP, VOCAB

DERIVED = URIRef(f"{VOCAB}assignment/derived")
CITES = URIRef(f"{VOCAB}relation-type/cites")


@dataclass
class TagReport:
    """How many provisions got each pillar, asserted and derived."""

    asserted: Counter[str] = field(default_factory=Counter)
    derived: Counter[str] = field(default_factory=Counter)
    provisions: int = 0


def _wordings(
    graph: Graph, provision: URIRef, *, descriptions: bool
) -> list[tuple[URIRef, Literal]]:
    """What a provision can be read from: its wordings, then its titles (and descriptions and
    target indicators).

    Descriptions are the editors' sourced summaries where no wording is known (e.g. the sub-tasks
    of 03/NQ-CP), and a target's indicator says what it measures: good enough for pillar tags,
    but not for citations, which must rest on the document's own words (an editor's "no link to
    Resolution 57" is not a citation).
    """
    wordings = sorted(
        (text, value)
        for text in graph.subjects(ELI.realizes, provision)
        if (text, RDF.type, VNP.ProvisionText) in graph
        for value in graph.objects(text, RDF.value)
        if isinstance(text, URIRef) and isinstance(value, Literal)
    )
    titles = sorted(
        (provision, value)
        for predicate in (
            (DCTERMS.title, DCTERMS.description, VNP.indicator)
            if descriptions
            else (DCTERMS.title,)
        )
        for value in graph.objects(provision, predicate)
        if isinstance(value, Literal)
    )
    return wordings + titles


def tag_pillars(builder: DocumentBuilder, context: BuildContext, report: TagReport) -> None:
    """Derive the pillars each provision's wording names, one classification per pillar.

    How cues are read (normalised, names and titles left out) is ``pillar_cues``; the first
    wording a pillar's cue is found in is kept as the tag's evidence, with the cue.
    """
    graph = builder.graph
    reader = context.vocabulary.cue_reader
    for provision in sorted(builder.parts):
        report.provisions += 1
        for pillar in graph.objects(provision, VNP.assertedConcern):
            report.asserted[str(pillar).rsplit("/", 1)[1]] += 1
        found: dict[URIRef, tuple[URIRef, Literal]] = {}
        for evidence, wording in _wordings(graph, provision, descriptions=True):
            for cue in reader.matches(wording):
                found.setdefault(cue.concept, (evidence, cue.label))
        for pillar, (evidence, label) in sorted(found.items()):
            pillar_id = str(pillar).rsplit("/", 1)[1]
            node = context.minter.statement(provision, "classification", f"derived-{pillar_id}")
            graph.add((node, RDF.type, VNP.Classification))
            graph.add((node, VNP.classifiedResource, provision))
            graph.add((node, VNP.classifiedAs, pillar))
            graph.add((node, VNP.assignment, DERIVED))
            graph.add((node, PROV.wasDerivedFrom, evidence))
            graph.add((node, VNP.matchedLabel, Literal(str(label))))
            for source in sorted(graph.objects(evidence, DCTERMS.source), key=str):
                graph.add((node, DCTERMS.source, source))
            graph.add((provision, VNP.derivedConcern, pillar))
            report.derived[pillar_id] += 1


def _linked(graph: Graph, source: URIRef, target: URIRef) -> bool:
    """Whether a relation of any kind is already written from ``source`` to ``target``."""
    return any(
        (node, VNP.toResource, target) in graph for node in graph.subjects(VNP.fromResource, source)
    )


def cite_mentions(builder: DocumentBuilder, context: BuildContext) -> None:
    """Turn every mention of a known document in a wording or title into a citation link."""
    graph = builder.graph
    places: list[tuple[URIRef, URIRef, Literal, Origin]] = []
    for provision, part in sorted(builder.parts.items()):
        for evidence, wording in _wordings(graph, provision, descriptions=False):
            places.append((provision, evidence, wording, part.origin))
    for title in sorted(graph.objects(builder.uri, DCTERMS.title), key=str):
        if isinstance(title, Literal):
            places.append((builder.uri, builder.uri, title, builder.where("title")))
    for source, evidence, wording, where in places:
        for mention in find_mentions(str(wording)):
            known = context.index.resolve(mention, builder.head.province)
            if known is None:
                context.warnings.append(
                    f"{where}: mention {mention.text!r} matches no known document (or several)"
                )
                continue
            if known.uri == builder.uri or _linked(graph, source, known.uri):
                continue
            key = str(known.uri).removeprefix(context.minter.base).replace("/", "-")
            node = context.minter.statement(source, "relation/cites", key)
            cited = set(graph.objects(evidence, DCTERMS.source))
            entries = [e for e in context.registry.sources.values() if e.uri in cited]
            certainty = context.certainty(None, entries, where)
            sourced_statement(graph, context, node, VNP.DocumentRelation, certainty, entries, where)
            graph.add((node, VNP.fromResource, source))
            graph.add((node, VNP.toResource, known.uri))
            graph.add((node, VNP.relationType, CITES))
            graph.add((node, PROV.wasDerivedFrom, evidence))
            graph.add((node, VNP.statedIn, source))
            graph.add(
                (node, RDFS.comment, Literal(f"Read from the mention “{mention.text}”.", lang="en"))
            )
            graph.add((source, ELI.cites, known.uri))
