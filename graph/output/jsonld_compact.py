"""Compact JSON-LD of a flat graph, with an inline context of the project's prefixes.

Written here rather than by rdflib's JSON-LD serialiser, which costs ~40 µs a triple (most of a
large build's per-document writing). The shape is that of JSON-LD 1.1 compaction against a
context holding only prefixes: one node object per subject in ``@graph``, ``@type`` for
``rdf:type``, ``prefix:local`` keys and IRIs, a plain string for an ``xsd:string`` literal,
``{"@value", "@language"}`` or ``{"@value", "@type"}`` otherwise, one value unwrapped and
several as a list. Keys, nodes and values are sorted, so the same graph gives the same bytes;
one node per line (json's C encoder does not indent, and a line per resource reads well).
The tests read every document's file back (with Oxigraph's JSON-LD parser) and compare graphs.
"""

import functools
import json
from collections.abc import Iterable
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from vnpolicy.graph.namespaces import PREFIX_IRIS, namespace_of

_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: Sorted once: every file carries the same context.
CONTEXT = dict(sorted(PREFIX_IRIS.items()))
_CONTEXT_TEXT = json.dumps(CONTEXT, indent=1).replace("\n", "\n ")


@functools.lru_cache(maxsize=1 << 16)
def _compact_iri(iri: str) -> str:
    """``prefix:local`` when that reads back as ``iri``, else ``iri`` itself.

    A suffix starting with ``//`` would make the compact form read as an absolute IRI.
    """
    found = namespace_of(iri)
    if found is None:
        return iri
    prefix, namespace = found
    local = iri[len(namespace) :]
    return iri if local.startswith("//") else f"{prefix}:{local}"


def _node_id(term: NamedNode | BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, BlankNode) else _compact_iri(term.value)


def _value(term: NamedNode | BlankNode | Literal) -> Any:
    if not isinstance(term, Literal):
        return {"@id": _node_id(term)}
    if term.language:
        return {"@language": term.language, "@value": term.value}
    if term.datatype.value == _STRING:
        return term.value
    return {"@type": _compact_iri(term.datatype.value), "@value": term.value}


def _sort_key(value: Any) -> tuple[tuple[str, str], ...]:
    """Strings before objects, objects by their sorted members: a total, stable order."""
    if isinstance(value, str):
        return (("", value),)
    return tuple(sorted(value.items()))


def jsonld(triples: Iterable[Triple]) -> str:
    """The triples as a compact JSON-LD document (indented, UTF-8 text, ending in a newline)."""
    nodes: dict[str, dict[str, list[Any]]] = {}
    for triple in triples:
        subject = triple.subject
        if not isinstance(subject, (NamedNode, BlankNode)):
            raise TypeError(f"JSON-LD cannot hold a quoted triple as subject: {subject}")
        node = nodes.setdefault(_node_id(subject), {})
        obj = triple.object
        if triple.predicate.value == _TYPE and isinstance(obj, (NamedNode, BlankNode)):
            node.setdefault("@type", []).append(_node_id(obj))
        else:
            if isinstance(obj, Triple):
                raise TypeError(f"JSON-LD cannot hold a quoted triple as object: {obj}")
            node.setdefault(_compact_iri(triple.predicate.value), []).append(_value(obj))
    graph = []
    for node_id in sorted(nodes):
        compacted: dict[str, Any] = {"@id": node_id}
        for key, values in nodes[node_id].items():
            values.sort(key=_sort_key)
            compacted[key] = values[0] if len(values) == 1 else values
        graph.append(compacted)
    return "".join(
        [
            '{"@context": ',
            _CONTEXT_TEXT,
            ',\n "@graph": [\n  ',
            ",\n  ".join(json.dumps(node, ensure_ascii=False, sort_keys=True) for node in graph),
            "\n ]\n}\n",
        ]
    )
