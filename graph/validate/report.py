"""A validation report as text a person can act on: grouped by rule, counted, with examples."""

from collections import defaultdict
from collections.abc import Mapping
from itertools import islice

from vnpolicy.graph.namespaces import compact
from vnpolicy.graph.uris import DEFAULT_BASE
from vnpolicy.graph.validate.validation import ValidationReport, Violation

_DATA_PREFIXES = {"data": DEFAULT_BASE}


def source_of(focus: str, origins: Mapping[str, str]) -> str | None:
    """Where a focus node was written: its own origin, or that of the nearest resource above it
    in the URI path (a relation node under a provision points at the provision's line)."""
    candidate = focus
    while candidate:
        if candidate in origins:
            return origins[candidate]
        if "/" not in candidate.rstrip("/"):
            return None
        candidate = candidate.rstrip("/").rsplit("/", 1)[0]
    return None


def format_report(
    report: ValidationReport, *, examples: int = 5, origins: Mapping[str, str] | None = None
) -> str:
    """Group violations by shape and message; show ``examples`` focus nodes of each group.

    With ``origins`` (URI → ``file:line``), each focus node names the source line it came from.
    """
    if report.conforms:
        return "Conforms: no violations.\n"
    groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for violation in report.violations:
        groups[(violation.source_constraint or violation.source_shape, violation.message)].append(
            violation
        )
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    lines = [
        f"Does not conform: {len(report.violations)} violation(s) of {len(groups)} rule(s).",
        "",
    ]
    for (shape, message), members in ordered:
        lines.append(f"[{len(members)}] {_short(shape)}: {message}")
        for violation in islice(members, examples):
            lines.append(f"    focus: {_short(violation.focus)}")
            if origins and (where := source_of(violation.focus, origins)):
                lines.append(f"      at: {where}")
            if violation.path:
                lines.append(f"      path: {_short(violation.path)}")
            if violation.value:
                lines.append(f"      value: {_short(violation.value)}")
        if len(members) > examples:
            lines.append(f"    ... and {len(members) - examples} more")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _short(text: str) -> str:
    if text.startswith(("http://", "https://")):
        return compact(text, _DATA_PREFIXES)
    return text if len(text) <= 200 else text[:197] + "..."
