"""Statements that carry their own provenance: qualified facts, relations and source errors.

A fact written as ``{value: …, certainty: …, sources: […], note: …}`` becomes a
``vnp:QualifiedFact``; the plain triple is added too unless the fact is uncertain
(docs/decisions/0005). Relations become ``vnp:DocumentRelation`` nodes the same way.
"""

from collections.abc import Callable
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from vnpolicy.graph.build.context import (
    BuildContext,
    add_note,
    add_sources,
    add_texts,
    check_keys,
    person,
)
from vnpolicy.graph.build.registry import SourceEntry
from vnpolicy.graph.build.source_format import Origin, as_date
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.namespaces import RDF, RDFS, VNP, VOCAB, XSD
from vnpolicy.graph.numbers import ascii_fold
from vnpolicy.graph.uris import Minter

UNCERTAIN = URIRef(f"{VOCAB}certainty/uncertain")
_QUALIFIER_KEYS = {"value", "certainty", "sources", "quotes", "note"}
_RELATION_KEYS = {"part", "sources", "quotes", "certainty", "stated-in", "affected", "note"}


def add_quotes(
    graph: Graph,
    context: BuildContext,
    node: URIRef,
    quotes: Any,
    sources: list[SourceEntry],
    where: Origin,
) -> None:
    """The words of each source that support a statement: ``quotes: {source key: "…"}``.

    A quote is kept so that a reader can check the statement without the page being reachable
    (docs/decisions/0021); it names one of the statement's own sources.
    """
    if quotes is None:
        return
    if not isinstance(quotes, dict):
        raise InputError(f"{where}: 'quotes' maps a source key to the words it states")
    own = {entry.key: entry for entry in sources}
    for key, words in sorted(quotes.items()):
        if key not in own:
            raise InputError(
                f"{where}: quote of {key!r}, which is not among the statement's sources"
            )
        if not isinstance(words, str) or not words.strip():
            raise InputError(f"{where}: the quote of {key!r} is empty")
        quote = context.minter.statement(node, "quote", key)
        graph.add((node, VNP.supportingQuote, quote))
        graph.add((quote, RDF.type, VNP.Quotation))
        graph.add((quote, VNP.quotedFrom, own[key].uri))
        graph.add((quote, RDF.value, Literal(" ".join(words.split()))))


def sourced_statement(
    graph: Graph,
    context: BuildContext,
    node: URIRef,
    kind: URIRef,
    certainty: URIRef,
    sources: list[SourceEntry],
    where: Origin,
    note: Any = None,
) -> None:
    """A reified statement's type, certainty, sources (described) and note, and its origin."""
    context.note_origin(node, where)
    graph.add((node, RDF.type, kind))
    graph.add((node, VNP.certainty, certainty))
    add_sources(graph, node, sources)
    context.registry.describe(graph, sources)
    add_note(graph, node, note)


def qualified(
    graph: Graph,
    context: BuildContext,
    subject: URIRef,
    predicate: URIRef,
    raw: Any,
    convert: Callable[[Any], Node],
    where: Origin,
    name: str,
    fact_base: URIRef | None = None,
) -> None:
    """State ``subject predicate value``; a qualified mapping also records how sure it is.

    The fact node is minted under ``fact_base`` (default: the subject).
    """
    if not (isinstance(raw, dict) and "value" in raw):
        graph.add((subject, predicate, convert(raw)))
        return
    check_keys(raw, _QUALIFIER_KEYS, where, f"the qualified value of {name!r}")
    value = convert(raw["value"])
    sources = context.sources(raw.get("sources"), where)
    if not sources:
        raise InputError(f"{where}: the qualified value of {name!r} names no 'sources'")
    certainty = context.certainty(raw.get("certainty"), sources, where)
    fact = context.minter.statement(fact_base or subject, "fact", name)
    sourced_statement(
        graph, context, fact, VNP.QualifiedFact, certainty, sources, where, raw.get("note")
    )
    add_quotes(graph, context, fact, raw.get("quotes"), sources, where)
    graph.add((fact, RDF.subject, subject))
    graph.add((fact, RDF.predicate, predicate))
    graph.add((fact, RDF.object, value))
    if certainty != UNCERTAIN:
        graph.add((subject, predicate, value))


def part_uri(document: URIRef, path: Any, where: Origin) -> URIRef:
    """The part of ``document`` at ``path``: ``section 3/task 2`` → ``…/section/3/task/2``."""
    uri = document
    for step in str(path).split("/"):
        words = step.split()
        kind_ordinal = len(words) == 2 and words[0].isascii() and words[0].isalpha()
        if not (kind_ordinal and words[1].isdigit()):
            raise InputError(f"{where}: part path {path!r} is 'kind ordinal/kind ordinal…'")
        uri = Minter.part(uri, words[0], int(words[1]))
    return uri


def relation(
    graph: Graph,
    context: BuildContext,
    source: URIRef,
    document: URIRef,
    raw: Any,
    where: Origin,
) -> None:
    """A link from ``source`` (a document or one of its parts) written as ``{type: target, …}``."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a relation is written '- implements: 57-NQ/TW' plus fields")
    types = sorted(set(raw) - _RELATION_KEYS)
    if len(types) != 1:
        raise InputError(
            f"{where}: a relation names exactly one type among "
            f"{', '.join(sorted(context.vocabulary.ids('relation-type')))}; found {types}"
        )
    type_id = types[0]
    relation_type = context.vocabulary.concept("relation-type", type_id, where)
    direct = context.vocabulary.direct_property(relation_type)
    if direct is None:
        raise InputError(f"{where}: {type_id!r} is a group of relation types, not a type")
    target_text = raw[type_id]
    if type_id in ("establishes", "regulates"):
        target = context.vocabulary.concept("body", target_text, where)
    else:
        head = context.heads.get(document)
        target = context.document(target_text, where, head.province if head else None)
        if "part" in raw:
            target = part_uri(target, raw["part"], where)
            context.wanted_parts.append((target, where))
    sources = context.sources(raw.get("sources"), where)
    if not sources:
        raise InputError(f"{where}: the {type_id} relation to {target_text!r} names no 'sources'")
    certainty = context.certainty(raw.get("certainty"), sources, where)
    key = str(target).removeprefix(context.minter.base).removeprefix(f"{VOCAB}body/")
    node = context.minter.statement(source, f"relation/{type_id}", key.replace("/", "-"))
    sourced_statement(
        graph, context, node, VNP.DocumentRelation, certainty, sources, where, raw.get("note")
    )
    add_quotes(graph, context, node, raw.get("quotes"), sources, where)
    graph.add((node, VNP.fromResource, source))
    graph.add((node, VNP.toResource, target))
    graph.add((node, VNP.relationType, relation_type))
    add_texts(graph, node, VNP.affectedParts, raw.get("affected"), where)
    if "stated-in" in raw:
        stated = raw["stated-in"]
        stated_in = document if stated == "self" else part_uri(document, stated, where)
        if stated != "self":
            context.wanted_parts.append((stated_in, where))
        graph.add((node, VNP.statedIn, stated_in))
    if certainty != UNCERTAIN:
        graph.add((source, direct, target))


_ERROR_KEYS = {"source", "about", "property", "stated", "correct", "kind", "note", "sources", "key"}
#: Source-file field names and the property each states.
FIELD_PROPERTIES = {
    "date": URIRef("http://data.europa.eu/eli/ontology#date_document"),
    "effective": URIRef("http://data.europa.eu/eli/ontology#first_date_entry_in_force"),
    "number": VNP.officialNumber,
    "signer": VNP.signer,
    "title": URIRef("http://purl.org/dc/terms/title"),
}


def source_error(
    graph: Graph,
    context: BuildContext,
    document: URIRef,
    raw: Any,
    where: Origin,
    texts: dict[str, URIRef],
) -> None:
    """An error a source makes about the document, recorded so it is never taken for a fact."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a source error is a mapping (source, about, stated, kind, …)")
    check_keys(raw, _ERROR_KEYS, where, "a source error")
    about_text = str(raw.get("about", "self"))
    if about_text == "self":
        about = document
    elif about_text.startswith("text "):
        key = about_text.removeprefix("text ").strip()
        if key not in texts:
            raise InputError(f"{where}: text {key!r} is not declared under 'texts'")
        about = texts[key]
    else:
        about = part_uri(document, about_text, where)
        context.wanted_parts.append((about, where))
    prop_name = raw.get("property")
    in_source = context.registry.source(raw.get("source"), where)
    key = raw.get("key") or prop_name or str(raw.get("stated", ""))[:40]
    node = context.minter.statement(about, "source-error", f"{in_source.key}-{key}")
    context.note_origin(node, where)
    graph.add((node, RDF.type, VNP.SourceError))
    graph.add((node, VNP.inSource, in_source.uri))
    context.registry.describe(graph, [in_source])
    graph.add((node, VNP.errorAbout, about))
    if prop_name is not None:
        if prop_name not in FIELD_PROPERTIES:
            raise InputError(
                f"{where}: property {prop_name!r} is one of {sorted(FIELD_PROPERTIES)}"
            )
        graph.add((node, VNP.errorProperty, FIELD_PROPERTIES[prop_name]))
    if "stated" not in raw:
        raise InputError(f"{where}: a source error quotes what the source states ('stated')")
    graph.add((node, VNP.statedValue, Literal(str(raw["stated"]))))
    if "correct" in raw:
        correct = raw["correct"]
        graph.add(
            (
                node,
                VNP.correctValue,
                Literal(as_date(correct, where).isoformat(), datatype=XSD.date)
                if prop_name in ("date", "effective")
                else Literal(str(correct)),
            )
        )
    graph.add(
        (node, VNP.errorKind, context.vocabulary.concept("error-kind", raw.get("kind"), where))
    )
    if raw.get("note"):
        graph.add((node, RDFS.comment, Literal(str(raw["note"]).strip(), lang="en")))
    evidence = context.sources(raw.get("sources"), where)
    add_sources(graph, node, evidence)
    context.registry.describe(graph, evidence)


#: What a body fact may state, and the property each states.
_BODY_FACTS = {
    "headed-by": VNP.headedBy,
    "deputy-head": VNP.deputyHead,
    "first-meeting": VNP.firstMeeting,
}
_BODY_FACT_KEYS = {"body", "certainty", "sources", "note", *_BODY_FACTS}


def body_fact(graph: Graph, context: BuildContext, raw: Any, where: Origin) -> None:
    """A sourced fact about a body: who heads it (or is a deputy head), when it first met."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a body fact is a mapping (body, headed-by, sources)")
    check_keys(raw, _BODY_FACT_KEYS, where, "a body fact")
    body = context.vocabulary.concept("body", raw.get("body"), where)
    stated = [name for name in _BODY_FACTS if name in raw]
    if len(stated) != 1:
        raise InputError(f"{where}: a body fact states one of {', '.join(_BODY_FACTS)}")
    name = stated[0]
    value: Node
    if name == "first-meeting":
        value = Literal(as_date(raw[name], where).isoformat(), datatype=XSD.date)
    else:
        value = person(graph, context, str(raw[name]))
    qualifier = {key: raw[key] for key in ("certainty", "sources", "note") if key in raw}
    key = name
    if name == "deputy-head":  # several per body: one fact each, named for the person
        key = f"{name}-{ascii_fold(str(raw[name])).lower().replace(' ', '-')}"
    # A vocabulary URI is not ours to extend: the fact hangs under the body's id/ URI.
    qualified(
        graph,
        context,
        body,
        _BODY_FACTS[name],
        {"value": value, **qualifier},
        lambda value: value,
        where,
        key,
        fact_base=context.minter.agent("organization", str(raw["body"])),
    )
