"""``vnpolicy build`` run as a user runs it: the same bytes from every build, and bad sources
refused with file and line, nothing written."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from vnpolicy.graph.paths import SOURCES_DIR
from vnpolicy.graph.read.releases import Archive


def vnpolicy(
    *args: str, cwd: Path | None = None, seed: str = "0"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        ["vnpolicy", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_rebuilding_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert vnpolicy("build", "--out", str(first), seed="1").returncode == 0
    assert vnpolicy("build", "--out", str(second), seed="2").returncode == 0
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    # Each build is recorded as a release (out/releases/, its time differs): the same release
    # id and the same dumps, and nothing else differs.
    releases = [Archive(out).releases() for out in (first, second)]
    assert [[release.id for release in kept] for kept in releases] == [[releases[0][0].id]] * 2
    for name in names:
        if name.parts[0] == "releases" and name.suffix == ".json":
            continue
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def _sources_with(tmp_path: Path, name: str, text: str) -> Path:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, sources)
    (sources / "documents" / name).write_text(text, encoding="utf-8")
    return sources


def test_a_non_conforming_source_stops_the_build_with_file_and_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous build")
    sources = _sources_with(
        tmp_path,
        "bad.md",
        "---\nnumber: 99/NQ-CP\ntype: government-resolution\nissuer: government\n"
        "label: {en: Bad}\nsources: [apag]\n---\n\n## Section 1\ntitle: {en: No sources here}\n\n"
        "1. Target\n   indicator: {en: Reversed}\n   min: 10\n   max: 5\n   unit: percent\n"
        "   comparator: within-range\n   deadline: 2030\n   sources: [apag]\n",
    )
    result = vnpolicy("build", "--sources", str(sources), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "vnps:Target-range-ordered" in result.stdout
    assert "bad.md:12" in result.stdout
    assert "vnps:Provision-source" in result.stdout
    assert "bad.md:9" in result.stdout
    assert "Nothing written" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


HEAD = "---\nnumber: 1/NQ-CP\ntype: government-resolution\nissuer: government\nlabel: {en: X}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\nnumber: 1/NQ-CP\ntype: nope\n---\n", "bad.md:3: unknown document-type 'nope'"),
        (
            "---\nnumber: 03-NQ/CP\ntype: government-resolution\n---\n",
            "write the official form '03/NQ-CP'",
        ),
        (
            HEAD + "sources: [no-such-source]\n---\n",
            "bad.md:6: unknown source 'no-such-source'",
        ),
        (
            HEAD
            + "sources: [apag]\nrelations:\n  - implements: 999/NQ-CP\n    sources: [apag]\n---\n",
            "no source file describes document '999/NQ-CP'",
        ),
        ("---\nnumber: 1/NQ-CP\ntype: [unclosed\n---\n", "bad.md:3: invalid YAML"),
        (
            HEAD + "sources: [apag]\n---\n\nsome prose\n",
            "bad.md:9: expected a heading",
        ),
        (
            HEAD + "sources: [apag]\ncolour: red\n---\n",
            "unknown field(s) colour",
        ),
    ],
)
def test_unusable_sources_are_refused_with_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    sources = _sources_with(tmp_path, "bad.md", text)
    result = vnpolicy("build", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unresolved_mention_is_a_warning_with_file(tmp_path: Path) -> None:
    sources = _sources_with(
        tmp_path,
        "mentions.md",
        "---\nnumber: 98/NQ-CP\ntype: government-resolution\nissuer: government\ndate: 2025-05-01\n"
        "label: {en: Mentions}\nsources: [apag]\ntexts:\n  en: {language: en, kind: translation, "
        "publisher: lawnet, sources: [seed-000]}\n---\n\n## Article 1\n"
        'text:\n  en: "Implements Decree 168 and Resolution 71 and Circular 77/2020/TT-BGDDT."\n',
    )
    result = vnpolicy("build", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mentions.md:12: mention 'Resolution 71'" in result.stderr
    assert "mentions.md:12: mention '77/2020/TT-BGDDT'" in result.stderr
    assert "Decree 168'" not in result.stderr
    nq = (tmp_path / "out" / "vnpolicy.nq").read_text(encoding="utf-8")
    cites = (
        "<https://w3id.org/vnpolicy/eli/vn/cp/nq/2025/98/article/1> "
        "<http://data.europa.eu/eli/ontology#cites> <https://w3id.org/vnpolicy/eli/vn/cp/nd/2024/168>"
    )
    assert cites in nq
