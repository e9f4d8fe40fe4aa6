"""The W3C SPARQL 1.1 test manifests (``tests/conformance/w3c-sparql11/``): each test's requests,
written in the HTTP-in-RDF vocabulary, read into plain records; each suite reads the expected
responses its own way."""

from dataclasses import dataclass

from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from tests.utils.paths import TESTS_DIR

SUITES = TESTS_DIR / "conformance" / "w3c-sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  #: by lower-case name
    text: str | None
    encoding: str
    response: Node  #: the expected response, in the manifest

    def body(self, location: str = "") -> bytes | None:
        """The body, with ``$LOCATION$`` (a suite's placeholder) replaced."""
        if self.text is None:
            return None
        return self.text.replace("$LOCATION$", location).encode(self.encoding)


def _required(node: Node | None, what: str) -> Node:
    assert node is not None, f"the manifest lacks {what}"
    return node


@dataclass(frozen=True)
class ManifestTest:
    manifest: Graph
    node: Node
    name: str
    title: str
    requests: list[Request]

    @classmethod
    def read(cls, manifest: Graph, node: Node) -> "ManifestTest":
        name = str(node).rsplit("#", 1)[1]
        title = str(manifest.value(node, MF.name))
        return cls(manifest, node, name, title, requests(manifest, node))

    def expected(self, request: Request, predicate: Node) -> Node | None:
        """What the manifest expects of ``request``'s response (e.g. ``mf:expectedFormat``)."""
        return self.manifest.value(request.response, predicate)

    def statuses(self, request: Request) -> set[str]:
        """The expected statuses' names (``NoContent``, ``StatusCode2xx``)."""
        return {
            str(status).rsplit("#", 1)[1]
            for status in self.manifest.objects(request.response, MF.expectedStatus)
        }


def entries(manifest: Graph) -> list[Node]:
    """The tests the manifest lists, in its order."""
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    return list(Collection(manifest, _required(manifest.value(root, MF.entries), "mf:entries")))


def headers(manifest: Graph, node: Node | None) -> dict[str, str]:
    """An ``ht:headers`` list, by lower-case name."""
    if node is None:
        return {}
    return {
        str(manifest.value(header, HT.fieldName)).lower(): str(
            manifest.value(header, HT.fieldValue)
        )
        for header in Collection(manifest, node)
    }


def text(manifest: Graph, node: Node | None) -> str | None:
    """The characters of an ``ht:body``."""
    return None if node is None else str(manifest.value(node, CNT.chars))


def requests(manifest: Graph, test: Node) -> list[Request]:
    """A test's requests, in order."""
    action = manifest.value(test, MF.action)
    listed = _required(manifest.value(action, HT.requests), "ht:requests")
    found = []
    for request in Collection(manifest, listed):
        body = manifest.value(request, HT.body)
        encoding = None if body is None else manifest.value(body, CNT.characterEncoding)
        found.append(
            Request(
                method=str(manifest.value(request, HT.methodName)),
                path=str(manifest.value(request, HT.absolutePath)),
                headers=headers(manifest, manifest.value(request, HT.headers)),
                text=text(manifest, body),
                encoding=str(encoding or "UTF-8").lower(),
                response=_required(manifest.value(request, HT.resp), "ht:resp"),
            )
        )
    return found
