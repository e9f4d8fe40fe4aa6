"""Writing the built dataset: TriG and N-Quads of the whole, Turtle and JSON-LD per document.

Every file is deterministic (same sources, same bytes): N-Quads lines are sorted, Turtle comes
from rdflib's sorted serialiser, JSON-LD is re-ordered by ``@id`` with sorted keys. The files are
written to a temporary folder beside the output and swapped in at the end, so a failed build
never leaves a half-written output behind.
"""

import json
import multiprocessing
import os
import shutil
from io import BytesIO
from pathlib import Path
from typing import Any

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from graph.dataset import Dataset
from graph.namespaces import PREFIXES
from graph.paths import MANIFEST_FILE, NQUADS_DUMP, TRIG_DUMP

DOCUMENTS = "documents"


def document_slug(dataset: Dataset, document: URIRef) -> str:
    """``…/eli/vn/tw/nq/2024/57`` → ``tw-nq-2024-57``; an unnumbered ``…/id/document/x`` → ``x``."""
    path = str(document).removeprefix(dataset.minter.base)
    return path.removeprefix("eli/vn/").removeprefix("id/document/").replace("/", "-")


def _bind(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)


class _ExactTurtle(TurtleSerializer):
    """rdflib's Turtle, except that a whole-number ``xsd:decimal`` keeps its lexical form.

    rdflib writes ``"30"^^xsd:decimal`` as the shorthand ``30.0``, which reads back as another
    literal; the build writes decimals in the form Oxigraph's store keeps (decision 0011).
    """

    def label(self, node: Node, position: int) -> str:
        if isinstance(node, Literal) and node.datatype == XSD.decimal and "." not in node:
            return node._literal_n3(qname_callback=lambda dt: self.get_pname(dt, False))
        return str(super().label(node, position))


def _turtle(graph: Graph) -> str:
    _bind(graph)
    stream = BytesIO()
    _ExactTurtle(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")


def _split(text: str) -> tuple[list[str], str]:
    """The prefix lines and the body of a Turtle text."""
    lines = text.splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix")]
    body = "\n".join(line for line in lines if not line.startswith(("@prefix", "@base"))).strip()
    return prefixes, body


def trig(dataset: Dataset, turtles: dict[URIRef, str] | None = None) -> str:
    """The whole dataset as TriG: one ``GRAPH`` block per named graph, prefixes declared once.

    ``turtles`` may give graphs already written as Turtle, by graph name, to save writing them
    twice.
    """
    prefixes: dict[str, str] = {}
    blocks = []
    for name, graph in dataset.named_graphs():
        text = turtles[name] if turtles and name in turtles else _turtle(graph)
        lines, body = _split(text)
        for line in lines:
            prefix = line.split()[1]
            if prefixes.setdefault(prefix, line) != line:
                raise RuntimeError(f"prefix {prefix} bound to two namespaces: {line}")
        # Not indented: a multi-line literal would take the indentation into its value.
        blocks.append(f"<{name}> {{\n{body}\n}}\n")
    return "\n".join(sorted(prefixes.values())) + "\n\n" + "\n".join(blocks)


def nquads(dataset: Dataset) -> str:
    """The whole dataset as N-Quads, lines sorted."""
    lines = []
    for name, graph in dataset.named_graphs():
        for line in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines():
            if line.strip():
                lines.append(f"{line.rstrip().removesuffix('.').rstrip()} <{name}> .")
    return "\n".join(sorted(lines)) + "\n"


def _sorted_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def jsonld(graph: Graph) -> str:
    """A document graph as compact JSON-LD with an inline context (never a remote one)."""
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = data.get("@graph", [data])
    ordered = {
        "@context": {key: context[key] for key in sorted(context)},
        "@graph": sorted(
            (_sorted_json({k: v for k, v in node.items() if k != "@context"}) for node in nodes),
            key=lambda node: str(node.get("@id", "")),
        ),
    }
    return json.dumps(ordered, ensure_ascii=False, indent=1) + "\n"


def manifest(dataset: Dataset, inputs: str | None = None) -> dict[str, Any]:
    graphs = []
    by_graph = {dataset.minter.graph(uri): uri for uri in dataset.documents}
    for name, graph in dataset.named_graphs():
        entry: dict[str, Any] = {"graph": str(name), "triples": len(graph)}
        document = by_graph.get(name)
        if document is not None:
            slug = document_slug(dataset, document)
            entry |= {
                "document": str(document),
                "turtle": f"{DOCUMENTS}/{slug}.ttl",
                "jsonld": f"{DOCUMENTS}/{slug}.jsonld",
            }
        graphs.append(entry)
    return {
        "base": dataset.minter.base,
        "inputs": inputs,
        "quads": sum(entry["triples"] for entry in graphs),
        "graphs": graphs,
        "warnings": dataset.context.warnings,
    }


#: Documents rendered by one worker at a time; below ``_PARALLEL_FROM`` documents it is all done
#: in this process (forking costs more than it saves).
_CHUNK = 100
_PARALLEL_FROM = 400
_documents: list[tuple[URIRef, Graph]] = []


def _render(document_graph: tuple[URIRef, Graph]) -> tuple[str, str]:
    return _turtle(document_graph[1]), jsonld(document_graph[1])


def _render_chunk(start: int) -> list[tuple[str, str]]:
    return [_render(item) for item in _documents[start : start + _CHUNK]]


def _render_documents(dataset: Dataset) -> dict[URIRef, tuple[str, str]]:
    """Each document graph as Turtle and JSON-LD: rdflib's serialisers are most of a large
    build's writing time, so a large corpus is rendered in forked processes (one per CPU),
    which read the graphs from this process's memory. The output does not depend on it."""
    global _documents
    items = sorted(dataset.documents.items())
    processes = os.cpu_count() or 1
    if len(items) < _PARALLEL_FROM or processes == 1:
        return {document: _render((document, graph)) for document, graph in items}
    _documents = items
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            chunks = pool.map(_render_chunk, range(0, len(items), _CHUNK))
    finally:
        _documents = []
    texts = [text for chunk in chunks for text in chunk]
    return {document: text for (document, _), text in zip(items, texts, strict=True)}


def write_dataset(dataset: Dataset, out_dir: Path, inputs: str | None = None) -> list[Path]:
    """Write every dump under ``out_dir`` (replacing what was there); return the files written."""
    out_dir = out_dir.resolve()
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / DOCUMENTS).mkdir(parents=True)
    try:
        rendered = _render_documents(dataset)
        turtles = {
            dataset.minter.graph(document): turtle for document, (turtle, _) in rendered.items()
        }
        (staging / TRIG_DUMP).write_text(trig(dataset, turtles), encoding="utf-8")
        (staging / NQUADS_DUMP).write_text(nquads(dataset), encoding="utf-8")
        for document in sorted(dataset.documents):
            slug = document_slug(dataset, document)
            (staging / DOCUMENTS / f"{slug}.ttl").write_text(
                turtles[dataset.minter.graph(document)], encoding="utf-8"
            )
            (staging / DOCUMENTS / f"{slug}.jsonld").write_text(
                rendered[document][1], encoding="utf-8"
            )
        (staging / MANIFEST_FILE).write_text(
            json.dumps(manifest(dataset, inputs), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            out_dir.rename(old)
        staging.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(path for path in out_dir.rglob("*") if path.is_file())
