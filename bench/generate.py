"""Writes a synthetic corpus for benchmarks: the real corpus plus N generated documents.

The output is a sources folder (``documents/*.md``, ``registry.yaml``) that ``vnpolicy build
--sources DIR`` and ``vnpolicy serve --sources DIR`` read like ``graph/sources``. The 63 real
documents are copied unchanged, so the research queries find their anchors (Resolution 57-NQ/TW,
Circular 09/2021/TT-BGDĐT, ...); the generated ones are shaped like them: every document type,
sections with tasks, directions and targets, a Vietnamese original and an English translation,
pillar tags asserted and cue words for the tagger, mentions of earlier documents in the text,
and implementation, basis and citation links whose in-degree follows a power law (each link
picks its target by preferential attachment among earlier documents, so the links always point
back in time, as the shapes require).

Every generated document says it is synthetic (note, numbers from 100001 up, sources on
example.org), and the corpus is written outside the published sources: it is test data only.
Deterministic: the same seed and size give the same bytes.

    uv run python bench/generate.py --documents 10000 --out bench/data/10k
"""

import argparse
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "graph" / "sources"
FIRST_NUMBER = 100001
FIRST_DAY = date(2025, 11, 1)
DAYS = 365

#: Document type id: (weight, issuer body id, number template). {n} the number, {y} the year.
TYPES: dict[str, tuple[int, str, str]] = {
    "official-dispatch": (20, "moet", "{n}/BGDĐT-CNTT"),
    "decision": (16, "prime-minister", "{n}/QĐ-TTg"),
    "plan": (14, "moet", "{n}/KH-BGDĐT"),
    "circular": (8, "most", "{n}/{y}/TT-BKHCN"),
    "decree": (6, "government", "{n}/{y}/NĐ-CP"),
    "notice": (5, "government-office", "{n}/TB-VPCP"),
    "government-resolution": (4, "government", "{n}/NQ-CP"),
    "directive": (3, "prime-minister", "{n}/CT-TTg"),
    "normative-decision": (2, "prime-minister", "{n}/{y}/QĐ-TTg"),
    "submission": (2, "most", "{n}/TTr-BKHCN"),
    "law": (2, "national-assembly-15", "{n}/{y}/QH15"),
    "national-assembly-resolution": (2, "national-assembly-15", "{n}/{y}/QH15"),
    "standing-committee-resolution": (
        1,
        "national-assembly-standing-committee-15",
        "{n}/{y}/UBTVQH15",
    ),
    "joint-circular": (1, "moet", "{n}/{y}/TTLT-BGDĐT-BKHCN"),
    "party-resolution": (2, "politburo", "{n}-NQ/TW"),
    "party-conclusion": (2, "politburo", "{n}-KL/TW"),
    "party-directive": (1, "secretariat", "{n}-CT/TW"),
    "party-decision": (1, "politburo", "{n}-QĐ/TW"),
    "party-regulation": (1, "politburo", "{n}-QĐ/TW"),
    "party-plan": (1, "central-steering-committee", "{n}-KH/BCĐTW"),
    "party-dispatch": (1, "central-steering-committee", "{n}-CV/BCĐTW"),
    "party-notice": (1, "central-steering-committee", "{n}-TB/BCĐTW"),
    "party-rules": (1, "central-steering-committee", "{n}-QC/BCĐTW"),
    "party-programme": (1, "central-steering-committee", "{n}-CTr/BCĐTW"),
    "party-guideline": (1, "central-party-office", "{n}-HD/VPTW"),
}
#: Real documents the generated ones may link to, with the weight of a new document's link.
ANCHORS = ["57-NQ/TW", "03/NQ-CP", "09/2021/TT-BGDĐT", "71/NQ-CP", "193/2025/QH15"]
RELATIONS = [("implements", 5), ("based-on", 2), ("cites", 2), ("builds-on", 1)]
PILLARS = ["institutions", "human-resources", "infrastructure", "data", "strategic-technology"]
#: English wording per pillar, with the tagger's cue words in it.
EN_CLAUSES = {
    "institutions": "complete the legal mechanisms and a regulatory sandbox for pilot models",
    "human-resources": "train researchers and educators in digital skills and attract talent",
    "infrastructure": "invest in digital infrastructure, broadband and shared platforms",
    "data": "build national databases and develop the data economy with data security",
    "strategic-technology": (
        "master core technology such as artificial intelligence and semiconductors"
    ),
}
VI_CLAUSES = {
    "institutions": "hoàn thiện thể chế, cơ chế thử nghiệm có kiểm soát",
    "human-resources": "đào tạo nhân lực chất lượng cao, thu hút nhân tài",
    "infrastructure": "đầu tư hạ tầng số, băng rộng và nền tảng dùng chung",
    "data": "xây dựng cơ sở dữ liệu quốc gia, phát triển kinh tế dữ liệu",
    "strategic-technology": "làm chủ công nghệ chiến lược, trí tuệ nhân tạo, bán dẫn",
}
UNITS = [
    ("percent", "at-least", 30, 100),
    ("count", "at-least", 5, 500),
    ("rank", "rank-within", 3, 50),
]


@dataclass
class Generated:
    number: str
    day: date
    tasks: int  # provisions in section 1, which later documents may implement by part
    kind: str  # their kind: "task", or "direction" in an official dispatch
    in_degree: int = 0
    links: list[str] = field(default_factory=list)


def generate(documents: int, out: Path, seed: int = 57) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "documents").mkdir(parents=True)
    for path in sorted((SOURCES / "documents").glob("*.md")):
        shutil.copyfile(path, out / "documents" / path.name)
    registry = [(SOURCES / "registry.yaml").read_text(encoding="utf-8").rstrip("\n"), ""]
    registry.append(
        "  # --- synthetic sources of the generated benchmark documents (bench/generate.py)"
    )
    types = list(TYPES)
    weights = [TYPES[t][0] for t in types]
    # Preferential attachment: a document appears once per link it received, plus once.
    pool: list[Generated | str] = list(ANCHORS) * 20
    made: list[Generated] = []
    for index in range(documents):
        number = FIRST_NUMBER + index
        day = FIRST_DAY + timedelta(days=index * DAYS // max(documents, 1))
        doc_type = rng.choices(types, weights)[0]
        issuer, template = TYPES[doc_type][1], TYPES[doc_type][2]
        kind = "direction" if doc_type == "official-dispatch" else "task"
        doc = Generated(template.format(n=number, y=day.year), day, rng.randint(1, 4), kind)
        links = _links(rng, pool, doc)
        keys = (f"syn{number}o", f"syn{number}n")
        registry.append(
            f'  {keys[0]}: {{url: "https://example.org/vnpolicy-bench/{number}", kind: official}}'
        )
        registry.append(
            f'  {keys[1]}: {{url: "https://news.example.net/vnpolicy-bench/{number}", kind: news}}'
        )
        text = _document(rng, doc, doc_type, issuer, keys, links, made)
        name = doc.number.replace("/", "-").replace("Đ", "D").lower()
        (out / "documents" / f"{name}.md").write_text(text, encoding="utf-8")
        made.append(doc)
        pool.append(doc)
    (out / "registry.yaml").write_text("\n".join(registry) + "\n", encoding="utf-8")


def _links(
    rng: random.Random, pool: list["Generated | str"], doc: Generated
) -> list[tuple[str, str, str | None]]:
    """(relation type, target number, part) for 1 to 4 links to distinct earlier documents."""
    links: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
        target = rng.choice(pool)
        number = target if isinstance(target, str) else target.number
        if number in seen:
            continue
        seen.add(number)
        relation = rng.choices([r for r, _ in RELATIONS], [w for _, w in RELATIONS])[0]
        part = None
        if isinstance(target, Generated):
            target.in_degree += 1
            if relation == "implements" and rng.random() < 0.5:
                part = f"section 1/{target.kind} {rng.randint(1, target.tasks)}"
        pool.append(target)
        links.append((relation, number, part))
    return links


def _document(
    rng: random.Random,
    doc: Generated,
    doc_type: str,
    issuer: str,
    keys: tuple[str, str],
    links: list[tuple[str, str, str | None]],
    made: list[Generated],
) -> str:
    both = f"[{keys[0]}, {keys[1]}]"
    pillars = rng.sample(PILLARS, rng.randint(1, 2))
    lines = [
        "---",
        "# SYNTHETIC benchmark document written by bench/generate.py: not a real document.",
        f"number: {doc.number}",
        f"type: {doc_type}",
        f"issuer: {issuer}",
        f"date: {doc.day.isoformat()}",
        f'label: {{en: "Synthetic {doc.number}", vi: "Văn bản mô phỏng {doc.number}"}}',
        "title:",
        f'  vi: "Về việc {VI_CLAUSES[pillars[0]]} (mô phỏng)"',
        f'  en: "On measures to {EN_CLAUSES[pillars[0]]} (synthetic)"',
        f"sources: {both}",
        'note: "Synthetic document generated for benchmarks; not a real document."',
        "texts:",
        f"  vie: {{language: vi, kind: original, publisher: {issuer}, sources: [{keys[0]}]}}",
        f"  eng: {{language: en, kind: translation, publisher: {issuer}, sources: [{keys[1]}]}}",
        "relations:",
    ]
    for relation, target, part in links:
        lines.append(f"  - {relation}: {target}")
        if part:
            lines.append(f"    part: {part}")
        lines.append(f"    sources: {both}")
    lines += ["---", "", f"# {doc.number}", "", "## Section 1 (I) — Nhiệm vụ và giải pháp"]
    lines += ["title: {en: Tasks and solutions}", f"sources: [{keys[0]}]", ""]
    for ordinal in range(1, doc.tasks + 1):
        pillar = rng.choice(PILLARS)
        mention = ""
        if made and rng.random() < 0.3:
            mention = f", in line with {rng.choice(made).number}"
        lines += [
            f"{ordinal}. {doc.kind.capitalize()}",
            f"   pillars: [{pillar}]" if rng.random() < 0.5 else "",
            "   text:",
            f'     vie: "{VI_CLAUSES[pillar].capitalize()} (nhiệm vụ {ordinal})."',
            f'     eng: "{EN_CLAUSES[pillar].capitalize()}{mention} (task {ordinal})."',
            f"   sources: [{keys[0]}]",
            "",
        ]
    if rng.random() < 0.25:
        lines += ["## Section 2 (II) — Mục tiêu", "title: {en: Targets}", f"sources: {both}", ""]
        for ordinal in range(1, rng.randint(2, 4)):
            unit, comparator, low, high = rng.choice(UNITS)
            lines += [
                f"{ordinal}. Target",
                f'   indicator: {{en: "Synthetic indicator {ordinal} of {doc.number}"}}',
                f"   value: {rng.randint(low, high)}",
                f"   unit: {unit}",
                f"   comparator: {comparator}",
                "   scope: southeast-asia" if unit == "rank" else "",
                f"   deadline: {rng.choice([2027, 2030, 2030, 2035, 2045])}",
                f"   sources: {both}",
                "",
            ]
    return "\n".join(line for line in lines if line != "") + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=1000, help="generated documents")
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--out", type=Path, required=True, help="sources folder to write")
    arguments = parser.parse_args()
    generate(arguments.documents, arguments.out, arguments.seed)
    print(f"wrote {arguments.documents} generated + real documents to {arguments.out}")


if __name__ == "__main__":
    main()
