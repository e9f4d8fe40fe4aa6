"""The runner's tables, in Markdown, from its measurements (a ``Scale`` of bench/run.py).

Every ratio is to the floor: Oxigraph's own server in memory, the same engine on the same
storage as vnpolicy's embedded store. The goal of issue 17 is a p50 at most ``GOAL`` times the
floor's on every query and a throughput at 16 clients at least the floor's; each query's line
says whether vnpolicy meets it.
"""

import statistics
from typing import Any

from attacks import AttackReport

FLOOR = "oxigraph-memory"
GOAL = 1.25


def _rows(scale: Any, query: str) -> str:
    rows: dict[str, int] = scale.rows[query]
    if query in scale.asks:
        shown = {
            name: "true" if r == 1 else "false" if r == 0 else "failed" for name, r in rows.items()
        }
    else:
        shown = {name: str(r) for name, r in rows.items()}
    if len(set(shown.values())) == 1:
        return shown[FLOOR]
    return shown[FLOOR] + " (differs: " + ", ".join(f"{n} {r}" for n, r in shown.items()) + ")"


def query_table(scale: Any, names: list[str], queries: list[str]) -> list[str]:
    """Per query: the answer's size, each system's p50 and p95, each one's p50 over the
    floor's, and whether vnpolicy is within the goal."""
    others = [n for n in names if n != FLOOR]
    header = (
        "| query | rows | "
        + " | ".join(f"{n} p50 ms | p95" for n in names)
        + " | "
        + " | ".join(f"{n} / floor" for n in others)
        + f" | vnpolicy ≤ {GOAL}x floor |"
    )
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for query in queries:
        by = scale.queries[query]
        cells = " | ".join(f"{by[n]['p50_ms']:.1f} | {by[n]['p95_ms']:.1f}" for n in names)
        ratios = {n: by[n]["p50_ms"] / by[FLOOR]["p50_ms"] for n in others}
        met = "met" if ratios.get("vnpolicy", 0) <= GOAL else "**missed**"
        lines.append(
            f"| {query} | {_rows(scale, query)} | {cells} | "
            + " | ".join(f"{ratios[n]:.2f}" for n in others)
            + f" | {met} |"
        )
    vnpolicy = [by["vnpolicy"]["p50_ms"] / by[FLOOR]["p50_ms"] for by in
                (scale.queries[q] for q in queries)]  # fmt: skip
    met = sum(1 for ratio in vnpolicy if ratio <= GOAL)
    lines += [
        "",
        f"vnpolicy / floor: geometric mean {statistics.geometric_mean(vnpolicy):.2f},"
        f" range {min(vnpolicy):.2f}-{max(vnpolicy):.2f}; within {GOAL}x on {met} of"
        f" {len(vnpolicy)}",
    ]
    return lines


def throughput_table(scale: Any) -> list[str]:
    systems = list(scale.throughput)
    others = [n for n in systems if n != FLOOR]
    lines = [
        "| clients | "
        + " | ".join(f"{n} req/s" for n in systems)
        + " | "
        + " | ".join(f"{n} / floor" for n in others)
        + " |",
        "|---|" + "---|" * (len(systems) + len(others)),
    ]
    for level in scale.throughput[FLOOR]:
        rates = {n: scale.throughput[n][level] for n in systems}
        lines.append(
            f"| {level} | "
            + " | ".join(f"{rates[n]:.1f}" for n in systems)
            + " | "
            + " | ".join(f"{rates[n] / rates[FLOOR]:.2f}" for n in others)
            + " |"
        )
    return lines


def table(scales: list[Any]) -> str:
    lines: list[str] = []
    for scale in scales:
        names = list(scale.cold_start)
        lines.append(
            f"\n## {scale.documents} generated documents + 63 real: {scale.triples:,} quads"
        )
        built = (
            f"build + validation {scale.build_s:.1f} s (peak {scale.build_peak_mib:.0f} MiB)"
            if scale.build_s
            else "build reused (--reuse)"
        )
        lines.append(
            f"{built}; "
            + ", ".join(f"{n} load {seconds:.1f} s" for n, seconds in scale.load.items())
        )
        lines.append(
            "cold start to first answer: "
            + ", ".join(f"{n} {scale.cold_start[n]:.1f} s" for n in names)
            + f" ({FLOOR}: empty, before its load)"
        )
        lines.append(
            "memory after the run (PSS, server and workers): "
            + ", ".join(f"{n} {scale.rss_mib.get(n, 0):.0f} MiB" for n in names)
            + f"; vnpolicy's main process alone (RSS) {scale.main_rss_mib:.0f} MiB"
        )
        if scale.load_average:
            lines.append(
                "load average (1 min) at the start of each phase, on 2 cores: "
                + ", ".join(f"{phase} {load:.1f}" for phase, load in scale.load_average.items())
            )
        catalogue = [q for q in scale.queries if not q.startswith("bench/")]
        bench = [q for q in scale.queries if q.startswith("bench/")]
        lines += ["", "Research catalogue (graph/queries, SPARQL JSON):", ""]
        lines += query_table(scale, names, catalogue)
        lines += ["", "Bench set (bench/queries, each in its own format):", ""]
        lines += query_table(scale, names, bench)
        lines += ["", *throughput_table(scale), ""]
        for name, pages in scale.harvester.items():
            lines.append(
                f"harvester ({name}): "
                + ", ".join(
                    f"{k} p50 {v['p50_ms']:.1f} ms p95 {v['p95_ms']:.1f} ms"
                    for k, v in pages.items()
                )
            )
        lines.append(
            "documents view export: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in scale.exports.items())
        )
        lines.append(
            f"single-document write (PUT, validated): p50 {scale.write['p50_ms']:.0f} ms,"
            f" max {scale.write['max_ms']:.0f} ms"
        )
        if "error" in scale.attacks:
            lines += ["", f"Attack mix failed: {scale.attacks['error']}"]
        elif scale.attacks:
            lines += ["", "Attack mix, on a server with the default limits:", ""]
            lines += AttackReport(**scale.attacks).lines()
    return "\n".join(lines)
