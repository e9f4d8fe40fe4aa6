"""A new document's source file from a short form (issue 23, docs/decisions/0021).

An editor writes what a page states: the number (or a key), type, issuer, date, title, the
relations, and each source with its URL and the words that support the record::

    number: 344/KH-UBND
    type: provincial-plan
    issuer: bac-ninh-people-committee
    date: 2025-05-30
    title: {vi: "Kế hoạch triển khai Nghị quyết số 57-NQ/TW …"}
    sources:
      - {key: tvpl-344, url: "https://…", kind: legal-database, quote: "Số: 344/KH-UBND …"}
    relations:
      - implements: 57-NQ/TW

This module turns it into the Markdown source (``evidence: quoted``: every relation and the date
carry the sources' quotes) and the registry lines of the sources the registry lacks; the caller
builds and validates the corpus with them before anything is written.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vnpolicy.graph.build.source_format import Origin, as_date, load_yaml
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.numbers import normalise
from vnpolicy.graph.uris import slug

_FORM_KEYS = {
    "number", "key", "type", "issuer", "date", "label", "title", "description", "note",
    "sources", "relations", "file",
}  # fmt: skip
_SOURCE_KEYS = {"key", "url", "kind", "publisher", "quote"}
_RELATION_KEYS = {"certainty", "note", "quotes", "sources"}


@dataclass(frozen=True)
class NewSource:
    key: str
    url: str | None
    kind: str | None
    publisher: str | None
    quote: str


@dataclass(frozen=True)
class NewDocument:
    """What to write: the source file's name and text, and the registry lines it needs."""

    file_name: str
    text: str
    registry_lines: list[str]
    #: Every number the form names (its own and its relations' targets), for ``identify``.
    numbers: list[str]


def _sources(raw: Any, where: Origin, registered: dict[str, str]) -> list[NewSource]:
    if not isinstance(raw, list) or not raw:
        raise InputError(f"{where}: 'sources' lists at least one source with its quote")
    sources = []
    for entry in raw:
        if not isinstance(entry, dict) or not entry.get("key") or not entry.get("quote"):
            raise InputError(f"{where}: each source has a 'key' and the 'quote' it supports")
        unknown = sorted(set(entry) - _SOURCE_KEYS)
        if unknown:
            raise InputError(f"{where}: unknown source field(s) {', '.join(unknown)}")
        key = str(entry["key"])
        if key not in registered and not (entry.get("url") and entry.get("kind")):
            raise InputError(
                f"{where}: source {key!r} is not in the registry: give its 'url' and 'kind'"
            )
        if key in registered and entry.get("url") and entry["url"] != registered[key]:
            raise InputError(f"{where}: source {key!r} is in the registry with another URL")
        sources.append(
            NewSource(
                key,
                str(entry["url"]) if entry.get("url") else None,
                str(entry["kind"]) if entry.get("kind") else None,
                str(entry["publisher"]) if entry.get("publisher") else None,
                " ".join(str(entry["quote"]).split()),
            )
        )
    return sources


def _quoted(sources: list[NewSource]) -> dict[str, Any]:
    return {
        "sources": [source.key for source in sources],
        "quotes": {source.key: source.quote for source in sources},
    }


def _relation(raw: Any, where: Origin, sources: list[NewSource]) -> tuple[dict[str, Any], str]:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a relation is written '- implements: 57-NQ/TW'")
    kinds = sorted(set(raw) - _RELATION_KEYS)
    if len(kinds) != 1:
        raise InputError(f"{where}: a relation names exactly one type; found {kinds}")
    kind = kinds[0]
    by_key = {source.key: source for source in sources}
    keys = raw.get("sources") or list(by_key)
    if any(key not in by_key for key in keys):
        raise InputError(f"{where}: a relation's sources must be among the form's sources")
    chosen = [by_key[key] for key in keys]
    relation: dict[str, Any] = {kind: str(raw[kind]), **_quoted(chosen)}
    if isinstance(raw.get("quotes"), dict):
        relation["quotes"].update({str(k): str(v) for k, v in raw["quotes"].items()})
    for key in ("certainty", "note"):
        if key in raw:
            relation[key] = raw[key]
    return relation, str(raw[kind])


def compose(form_path: Path, registered: dict[str, str]) -> NewDocument:
    """The source file and registry lines for the short form at ``form_path``.

    ``registered`` maps the registry's source keys to their URLs.
    """
    try:
        text = form_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{form_path}: cannot read: {error}") from error
    where = Origin(form_path, 1)
    form = load_yaml(text, where)
    if not isinstance(form, dict):
        raise InputError(f"{where}: a short form is 'key: value' lines")
    unknown = sorted(set(form) - _FORM_KEYS)
    if unknown:
        allowed = ", ".join(sorted(_FORM_KEYS))
        raise InputError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {allowed}")
    for required in ("type", "issuer", "title"):
        if not form.get(required):
            raise InputError(f"{where}: the short form needs '{required}'")
    if bool(form.get("number")) == bool(form.get("key")):
        raise InputError(
            f"{where}: give the document's 'number' or, if no source gives it, a 'key'"
        )
    sources = _sources(form.get("sources"), where, registered)
    numbers: list[str] = []
    fields: dict[str, Any] = {"evidence": "quoted"}
    if form.get("number"):
        number = str(form["number"])
        try:
            normalise(number)
        except ValueError as error:
            raise InputError(f"{where}: {error}") from None
        fields["number"] = number
        numbers.append(number)
    else:
        fields["key"] = str(form["key"])
    fields["type"] = str(form["type"])
    fields["issuer"] = str(form["issuer"])
    if form.get("date") is not None:
        date: datetime.date = as_date(form["date"], where)
        fields["date"] = {"value": date.isoformat(), **_quoted(sources)}
    title = form["title"]
    if not isinstance(title, dict):
        raise InputError(f"{where}: 'title' is a language map: {{vi: …, en: …}}")
    shown = str(form.get("number") or form.get("key"))
    fields["label"] = form.get("label") or {"vi": shown, "en": shown}
    fields["title"] = title
    for key in ("description", "note"):
        if form.get(key):
            fields[key] = form[key]
    fields["sources"] = [source.key for source in sources]
    relations = []
    for raw in form.get("relations") or []:
        relation, target = _relation(raw, where, sources)
        relations.append(relation)
        numbers.append(target)
    if relations:
        fields["relations"] = relations
    body = yaml.dump(fields, allow_unicode=True, sort_keys=False, width=100)
    file_name = f"{form.get('file') or slug(shown)}.md"
    header = f"# Written by `vnpolicy new-document` from {form_path.name}.\n"
    lines = [
        f'  {s.key}: {{url: "{s.url}", kind: {s.kind}'
        + (f", publisher: {s.publisher}" if s.publisher else "")
        + "}"
        for s in sources
        if s.key not in registered
    ]
    return NewDocument(file_name, f"---\n{header}{body}---\n", lines, numbers)
