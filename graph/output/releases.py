"""Recording a release: each build that changes the published data keeps its dumps and a record
of which documents were added, changed or removed (docs/decisions/0025).

A release lives beside the build's own files, in ``out/releases/``, and never changes them:

- ``index.json``: the releases kept, oldest first (id, time);
- ``{id}/release.json``: the record (commit, inputs digest, the digest of every document's
  Turtle, what changed since the release before);
- ``{id}/vnpolicy.nq`` and ``{id}/vnpolicy.trig``: the dumps as that build wrote them;
- ``versions/{digest}.ttl``: each document's Turtle, by the digest of its bytes, shared by the
  releases that hold the same version.

Only the newest ``keep`` releases stay; a version no kept release names is removed with them.
"""

import hashlib
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from vnpolicy.graph.namespaces import ELI, RDFS
from vnpolicy.graph.paths import DEFAULT_RELEASES_KEPT, NQUADS_DUMP, ROOT, TRIG_DUMP

if TYPE_CHECKING:
    from vnpolicy.graph.build.dataset import Dataset

RELEASES = "releases"
INDEX_FILE = "index.json"
RECORD_FILE = "release.json"
VERSIONS = "versions"
DEFAULT_KEPT = DEFAULT_RELEASES_KEPT  # VNPOLICY_RELEASES_KEPT
#: The dumps a release keeps.
RELEASE_DUMPS = (NQUADS_DUMP, TRIG_DUMP)


def git_commit(folder: Path = ROOT) -> str | None:
    """The commit checked out in ``folder``, when it is a git checkout (else None)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and len(commit) == 40 else None


def release_id(inputs: str, commit: str | None) -> str:
    """The sources' digest (12 hex digits), then the commit's first 10 when there is one."""
    return inputs[:12] + (f"-{commit[:10]}" if commit else "")


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as reader:
        for chunk in iter(lambda: reader.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _write_json(path: Path, value: Any) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(path)


def _labels(dataset: "Dataset", document: URIRef) -> dict[str, str]:
    graph = dataset.documents[document]
    found: dict[str, str] = {}
    for label in sorted(graph.objects(document, RDFS.label), key=str):
        if isinstance(label, Literal) and label.language and label.language not in found:
            found[label.language] = str(label)
    return found


def _document_entries(
    dataset: "Dataset", out_dir: Path, slugs: dict[URIRef, str]
) -> dict[str, Any]:
    """Every document of the build: its slug, the digest of its Turtle, its type and issuers."""
    entries = {}
    for document in sorted(dataset.documents):
        graph = dataset.documents[document]
        slug = slugs[document]
        entries[str(document)] = {
            "slug": slug,
            "sha256": file_digest(out_dir / "documents" / f"{slug}.ttl"),
            "type": sorted(str(kind) for kind in graph.objects(document, ELI.type_document)),
            "issuers": sorted(str(body) for body in graph.objects(document, ELI.passed_by)),
            "labels": _labels(dataset, document),
        }
    return entries


def _copy(source: Path, target: Path) -> None:
    """A hard link where the file system allows (the build's files are never written again:
    a build replaces the folder), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def record_release(
    out_dir: Path,
    dataset: "Dataset",
    slugs: dict[URIRef, str],
    inputs: str | None,
    keep: int = DEFAULT_KEPT,
    commit: str | None = None,
    now: datetime | None = None,
) -> str | None:
    """Record the build just written to ``out_dir`` as a release unless its data is the same
    as the newest release's; return the new release's id (None: nothing changed)."""
    folder = out_dir / RELEASES
    (folder / VERSIONS).mkdir(parents=True, exist_ok=True)
    index_path = folder / INDEX_FILE
    index: list[dict[str, str]] = read_json(index_path) if index_path.is_file() else []
    previous = read_json(folder / index[-1]["id"] / RECORD_FILE) if index else None
    dump_digest = file_digest(out_dir / NQUADS_DUMP)
    if previous is not None and previous["dump_sha256"] == dump_digest:
        return None
    documents = _document_entries(dataset, out_dir, slugs)
    identifier = release_id(inputs or dump_digest, commit)
    taken = {entry["id"] for entry in index}
    if identifier in taken:
        identifier += f"-{sum(1 for id in taken if id.startswith(identifier)) + 1}"
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    if previous is not None:
        # Releases are ordered by time: a clock set back still makes a later release.
        moment = max(moment, datetime.fromisoformat(previous["time"]) + timedelta(seconds=1))
    time = moment.isoformat().replace("+00:00", "Z")
    before: dict[str, Any] = previous["documents"] if previous else {}
    added = sorted(set(documents) - set(before))
    removed = sorted(set(before) - set(documents))
    changed = sorted(
        uri
        for uri in set(documents) & set(before)
        if documents[uri]["sha256"] != before[uri]["sha256"]
    )
    for uri, entry in documents.items():
        if uri in before and uri not in changed:
            entry["since"] = before[uri]["since"]
        else:
            entry["since"] = {"release": identifier, "time": time}
        version = folder / VERSIONS / f"{entry['sha256']}.ttl"
        if not version.exists():
            _copy(out_dir / "documents" / f"{entry['slug']}.ttl", version)
    record = {
        "id": identifier,
        "time": time,
        "commit": commit,
        "inputs": inputs,
        "previous": previous["id"] if previous else None,
        "dump_sha256": dump_digest,
        "added": added,
        "changed": changed,
        "removed": {uri: before[uri] for uri in removed},
        "documents": documents,
    }
    target = folder / identifier
    staging = folder / f".{identifier}.part"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for name in RELEASE_DUMPS:
        _copy(out_dir / name, staging / name)
    _write_json(staging / RECORD_FILE, record)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    index.append({"id": identifier, "time": time})
    _prune(folder, index, keep)
    return identifier


def _prune(folder: Path, index: list[dict[str, str]], keep: int) -> None:
    """Keep the newest ``keep`` releases (at least one) and the versions they name."""
    kept, dropped = index[-max(keep, 1) :], index[: -max(keep, 1)]
    _write_json(folder / INDEX_FILE, kept)
    for entry in dropped:
        shutil.rmtree(folder / entry["id"], ignore_errors=True)
    named: set[str] = set()
    for entry in kept:
        record = read_json(folder / entry["id"] / RECORD_FILE)
        for documents in (record["documents"], record["removed"]):
            named.update(document["sha256"] for document in documents.values())
    for version in (folder / VERSIONS).glob("*.ttl"):
        if version.stem not in named:
            version.unlink()
