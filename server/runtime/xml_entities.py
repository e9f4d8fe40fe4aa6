"""Entity declarations in uploaded RDF/XML, bounded before the parser sees them.

Oxigraph's RDF/XML parser fetches no external entity, but it expands internal ones without a
limit: ten nested declarations of ten references each (the "billion laughs") grow a 1 kB upload
into gigabytes. RDF/XML written by tools does use flat entities as namespace abbreviations
(``<!ENTITY owl "http://www.w3.org/2002/07/owl#">`` then ``rdf:resource="&owl;Class"``), so
those are kept; what is refused is any declaration that refers to another entity, external and
parameter entities, and expansion beyond the body size limit.
"""

import re

from vnpolicy.server.errors import BadRequest, TooLarge

_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.S)
_DECLARATION = re.compile(r"<!ENTITY\s+([^\s%\"']+)\s+(?:\"([^\"]*)\"|'([^']*)')\s*>")
_REFERENCE = re.compile(r"&([A-Za-z_][\w.-]*);")
_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}


def check_entities(data: bytes, limit: int) -> None:
    """Refuse RDF/XML whose entities could expand past ``limit`` bytes or reach outside."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadRequest(f"RDF/XML must be UTF-8; byte {error.start} is not") from None
    if "<!ENTITY" not in text:
        return
    subset = _SUBSET.search(text)
    if subset is None:
        raise BadRequest("RDF/XML declares an entity outside a DOCTYPE's internal subset")
    values: dict[str, str] = {}
    for declaration in re.findall(r"<!ENTITY.*?>", subset[1], re.S):
        match = _DECLARATION.fullmatch(declaration.strip())
        if match is None:
            raise BadRequest(
                f"RDF/XML entity declaration {declaration[:80]!r} is refused: only internal "
                'general entities with a literal value (<!ENTITY name "value">) are accepted',
            )
        value = match[2] if match[2] is not None else match[3]
        if _REFERENCE.search(value) or "%" in value:
            raise BadRequest(
                f"RDF/XML entity {match[1]!r} refers to another entity; nested entities "
                "are refused (they can expand without bound)",
            )
        values[match[1]] = value
    body = text[subset.end() :]
    expanded = len(body.encode())
    for reference in _REFERENCE.finditer(body):
        name = reference[1]
        if name in values:
            expanded += len(values[name].encode())
        elif name not in _PREDEFINED:
            raise BadRequest(f"RDF/XML refers to an undeclared entity &{name};")
    if expanded > limit:
        raise TooLarge(
            f"RDF/XML expands its entities to {expanded} bytes, more than the {limit} allowed"
        )
