"""Which change feeds a page links from its head: a document's type and issuer feeds."""

from vnpolicy.graph.namespaces import ELI, VOCAB

#: A feed's kind in its path (``/feeds/type/…``) → the concept scheme of its values.
FEED_KINDS = {"type": "document-type", "issuer": "body"}
FEED_PREDICATES = {str(ELI.type_document): "type", str(ELI.passed_by): "issuer"}


def document_feeds(links: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The type and issuer feeds of a document, from its (predicate, object) links."""
    found = []
    for predicate, value in links:
        kind = FEED_PREDICATES.get(predicate)
        prefix = f"{VOCAB}{FEED_KINDS[kind]}/" if kind else ""
        if kind and value.startswith(prefix):
            code = value.removeprefix(prefix)
            title = f"vnpolicy: changes to documents of {kind} {code}"
            found.append({"title": title, "href": f"/feeds/{kind}/{code}.atom"})
    return found
