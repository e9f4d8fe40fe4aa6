"""Reading one document's source file: Markdown with YAML front matter (docs/decisions/0006).

The front matter describes the document. The body is its structure: a heading
``## Section 1 (I) — Quan điểm chỉ đạo`` opens a part (kind, ordinal, optional printed number in
brackets, optional title in the file's heading language), deeper headings nest, and a numbered
item ``2. Task — …`` is a leaf part of the heading above it. The YAML lines under a heading (up
to the next heading or item) or indented under an item describe that part. A line starting with a
single ``#`` is a comment. Every part keeps its line so errors can point at it.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from vnpolicy.graph.errors import InputError

_HEADING = re.compile(
    r"^(?P<hashes>#{2,6})\s+(?P<kind>[A-Za-z]+)\s+(?P<ordinal>[0-9]+)"
    r"(?:\s+\((?P<printed>[^)]+)\))?(?:\s+[\u2014\u2013]\s+(?P<title>.+?))?\s*$"
)
_ITEM = re.compile(
    r"^(?P<ordinal>[0-9]+)\.\s+(?P<kind>[A-Za-z]+)"
    r"(?:\s+\((?P<printed>[^)]+)\))?(?:\s+[\u2014\u2013]\s+(?P<title>.+?))?\s*$"
)
_COMMENT = re.compile(r"^#(?!#)")


#: libyaml's parser when PyYAML was built with it (the wheels are), four times faster.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A safe loader that refuses duplicate keys (a silent overwrite would lose an edit)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


@dataclass(frozen=True)
class Origin:
    """Where something was written: a file and a 1-based line."""

    path: Path
    line: int

    def __str__(self) -> str:
        try:
            shown = self.path.resolve().relative_to(Path.cwd())
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"


@dataclass
class SourcePart:
    """A section or provision as written: its heading or item line and its YAML fields."""

    kind: str
    ordinal: int
    printed: str | None
    title: str | None
    fields: dict[str, Any]
    origin: Origin
    children: list["SourcePart"] = field(default_factory=list)


@dataclass
class SourceFile:
    """One document's source: front matter fields and the parts of its body."""

    path: Path
    fields: dict[str, Any]
    parts: list[SourcePart]
    #: The line of each top-level front-matter key, for error messages.
    field_lines: dict[str, int]

    def origin(self, key: str | None = None) -> Origin:
        return Origin(self.path, self.field_lines.get(key, 1) if key else 1)


def load_yaml(text: str, origin: Origin) -> Any:
    """Parse YAML safely; errors name the file and the line in it."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as error:
        # The line where the faulty construct starts (an unclosed bracket's line), and where
        # the parser noticed the problem if that is later.
        context = getattr(error, "context_mark", None)
        problem_mark = getattr(error, "problem_mark", None)
        mark = context or problem_mark
        line = origin.line + (mark.line if mark is not None else 0)
        problem = getattr(error, "problem", None) or str(error)
        if context is not None and problem_mark is not None and problem_mark.line > context.line:
            problem += f" (noticed at line {origin.line + problem_mark.line})"
        raise InputError(f"{origin.path}:{line}: invalid YAML: {problem}") from error


def _mapping(value: Any, origin: Origin) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{origin}: expected 'key: value' lines, found {type(value).__name__}")
    return value


def read_source(path: Path) -> SourceFile:
    """Parse a document source file; raise ``InputError`` with file and line on bad syntax."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read: {error}") from error
    if not lines or lines[0].strip() != "---":
        raise InputError(f"{path}:1: a source file starts with '---' and YAML front matter")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise InputError(f"{path}:1: the front matter is not closed by a '---' line") from None
    front = "\n".join(lines[1:end])
    fields = _mapping(load_yaml(front, Origin(path, 2)), Origin(path, 2))
    field_lines = {
        match[1]: index + 2
        for index, line in enumerate(lines[1:end])
        if (match := re.match(r"^([A-Za-z][\w-]*):", line))
    }
    parts = _read_body(path, lines, end + 1)
    return SourceFile(path, fields, parts, field_lines)


def _read_body(path: Path, lines: list[str], start: int) -> list[SourcePart]:
    roots: list[SourcePart] = []
    stack: list[tuple[int, SourcePart]] = []  # (heading level, part)
    index = start
    while index < len(lines):
        line = lines[index]
        origin = Origin(path, index + 1)
        if not line.strip() or _COMMENT.match(line):
            index += 1
            continue
        if heading := _HEADING.match(line):
            level = len(heading["hashes"])
            block, index = _block(lines, index + 1, indented=False)
            part = _part(heading, block, origin)
            while stack and stack[-1][0] >= level:
                stack.pop()
            if level > 2 and (not stack or stack[-1][0] != level - 1):
                raise InputError(f"{origin}: heading level {level} has no level {level - 1} above")
            (stack[-1][1].children if stack else roots).append(part)
            stack.append((level, part))
            continue
        if item := _ITEM.match(line):
            block, index = _block(lines, index + 1, indented=True)
            part = _part(item, block, origin)
            (stack[-1][1].children if stack else roots).append(part)
            continue
        raise InputError(
            f"{origin}: expected a heading ('## Section 1 — title'), a numbered item "
            f"('1. Task — title') or YAML under one; found {line.strip()[:60]!r}"
        )
    return roots


def _block(lines: list[str], index: int, *, indented: bool) -> tuple[list[tuple[int, str]], int]:
    """The YAML lines that belong to the heading or item just read, with their line indexes."""
    block: list[tuple[int, str]] = []
    while index < len(lines):
        line = lines[index]
        if line.strip() and (_HEADING.match(line) or _ITEM.match(line) or _COMMENT.match(line)):
            break
        if indented and line.strip() and not line[0].isspace():
            break
        block.append((index, line))
        index += 1
    return block, index


def _part(match: re.Match[str], block: list[tuple[int, str]], origin: Origin) -> SourcePart:
    text = "\n".join(line for _, line in block)
    if block and text.strip():
        indent = min(len(line) - len(line.lstrip()) for _, line in block if line.strip())
        text = "\n".join(line[indent:] for _, line in block)
        fields = _mapping(load_yaml(text, Origin(origin.path, block[0][0] + 1)), origin)
    else:
        fields = {}
    return SourcePart(
        kind=match["kind"].lower(),
        ordinal=int(match["ordinal"]),
        printed=match["printed"],
        title=match["title"],
        fields=fields,
        origin=origin,
    )


def as_date(value: Any, where: Origin) -> datetime.date:
    """A YAML date (``2024-12-22``) or an ISO date string."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
