"""The tagger measured against the editors' gold set (``graph/sources/pillars-gold.yaml``).

For each pillar: how many of the provisions in the gold set the tagger derived it for rightly
(true positives), wrongly (false positives), or missed (false negatives), and the precision,
recall and F1 those give. Asserted tags are the editors' override and are not counted: this
measures the derived tags alone.
"""

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from vnpolicy.graph.build.source_format import Origin, load_yaml
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.namespaces import VNP, VOCAB

PILLARS = ("institutions", "human-resources", "infrastructure", "data", "strategic-technology")
GOLD_FILE = "pillars-gold.yaml"


@dataclass(frozen=True)
class GoldEntry:
    pillars: frozenset[str]
    reason: str


@dataclass(frozen=True)
class PillarScore:
    pillar: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_gold(path: Path) -> dict[str, GoldEntry]:
    """The gold set by path under the base URI; a pillar id that does not exist is an error."""
    data = load_yaml(path.read_text(encoding="utf-8"), Origin(path, 1)) or {}
    entries: dict[str, GoldEntry] = {}
    for key, raw in (data.get("provisions") or {}).items():
        pillars = raw.get("pillars") if isinstance(raw, dict) else None
        reason = raw.get("reason") if isinstance(raw, dict) else None
        if not isinstance(pillars, list) or not reason:
            raise InputError(f"{path}: {key}: give 'pillars: [...]' and a one-line 'reason'")
        unknown = set(pillars) - set(PILLARS)
        if unknown:
            raise InputError(f"{path}: {key}: unknown pillars {sorted(unknown)}")
        entries[str(key)] = GoldEntry(frozenset(pillars), str(reason))
    return entries


def derived_pillars(graph: Graph, provision: URIRef) -> frozenset[str]:
    prefix = f"{VOCAB}pillar/"
    return frozenset(
        str(pillar).removeprefix(prefix)
        for pillar in graph.objects(provision, VNP.derivedConcern)
        if str(pillar).startswith(prefix)
    )


def score_tagger(graph: Graph, gold: dict[str, GoldEntry], base: str) -> list[PillarScore]:
    """Precision, recall and F1 per pillar of the derived tags in ``graph`` against ``gold``."""
    counts = {pillar: [0, 0, 0] for pillar in PILLARS}
    for key, entry in gold.items():
        provision = URIRef(base + key)
        if (provision, VNP.inDocument, None) not in graph:
            raise InputError(f"{GOLD_FILE}: {key} is not a provision of the corpus")
        derived = derived_pillars(graph, provision)
        for pillar in PILLARS:
            if pillar in derived and pillar in entry.pillars:
                counts[pillar][0] += 1
            elif pillar in derived:
                counts[pillar][1] += 1
            elif pillar in entry.pillars:
                counts[pillar][2] += 1
    return [PillarScore(pillar, *counts[pillar]) for pillar in PILLARS]


def score_table(scores: list[PillarScore]) -> list[str]:
    """The scores as lines of text, one per pillar, as ``vnpolicy build`` prints them."""
    lines = [f"  {'pillar':22} {'P':>5} {'R':>5} {'F1':>5}   TP  FP  FN"]
    for score in scores:
        lines.append(
            f"  {score.pillar:22} {score.precision:5.2f} {score.recall:5.2f} {score.f1:5.2f}"
            f"  {score.true_positives:3} {score.false_positives:3} {score.false_negatives:3}"
        )
    return lines
