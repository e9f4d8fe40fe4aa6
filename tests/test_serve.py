"""Starting the server: it builds stale dumps, reuses current ones, and keeps an on-disk store."""

import concurrent.futures
import os
import socket
import subprocess
import time
from pathlib import Path

import httpx


def _start(
    out: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str, Path]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = out.parent / f"serve-{port}.log"
    env = {**os.environ, **(env or {}), "VNPOLICY_OUT": str(out), "VNPOLICY_PORT": str(port)}
    with log.open("wb") as sink:
        process = subprocess.Popen(["vnpolicy", "serve", *args], env=env, stdout=sink, stderr=sink)
    url = f"http://127.0.0.1:{port}/sparql"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return process, url, log
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"no answer within 60 s: {log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=10)


def _documents(url: str) -> str:
    query = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }"
    answer = httpx.get(url, params={"query": query}, timeout=10).json()
    return str(answer["results"]["bindings"][0]["n"]["value"])


def test_builds_when_stale_then_reuses_and_keeps_a_disk_store(tmp_path: Path) -> None:
    out, store = tmp_path / "out", tmp_path / "store"
    process, url, log = _start(out, "--store", str(store))
    try:
        assert _documents(url) == "63"
        assert "built and loaded" in log.read_text()
        deadline = time.monotonic() + 30  # the dumps are written by the build's own process
        while not (out / "manifest.json").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (out / "vnpolicy.nq").is_file()
        assert len(list((out / "documents").glob("*.jsonld"))) == 63
    finally:
        _stop(process)
    assert (store / "vnpolicy-inputs.sha256").is_file()
    process, url, log = _start(out, "--store", str(store))
    try:
        assert _documents(url) == "63"
        assert "vnpolicy: loaded" in log.read_text()
    finally:
        _stop(process)


def _children(pid: int) -> set[int]:
    result = subprocess.run(
        ["ps", "-ww", "-o", "pid=,args=", "--ppid", str(pid)],
        capture_output=True,
        text=True,
        check=False,
    )
    return {
        int(line.split()[0])
        for line in result.stdout.splitlines()
        if line.strip() and "resource_tracker" not in line
    }


def test_a_runaway_query_is_stopped_and_others_still_answer(tmp_path: Path, built: Path) -> None:
    process, url, _ = _start(built, env={"VNPOLICY_QUERY_TIMEOUT": "1"})
    try:
        workers = _children(process.pid)
        assert len(workers) == 2
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        with (
            httpx.Client(timeout=30) as client,
            concurrent.futures.ThreadPoolExecutor(1) as executor,
        ):
            started = time.monotonic()
            pending = executor.submit(client.get, url, params={"query": runaway})
            time.sleep(0.2)
            for _ in range(5):  # the other worker keeps answering meanwhile
                quick = time.monotonic()
                assert client.get(url, params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
                assert time.monotonic() - quick < 0.9
            stopped = pending.result()
            elapsed = time.monotonic() - started
        assert stopped.status_code == 503
        assert "stopped after the 1 s limit" in stopped.text
        assert elapsed < 5
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the killed worker is gone and replaced
            now = _children(process.pid)
            if len(now) == 2 and now != workers:
                break
            time.sleep(0.2)
        assert len(now) == 2
        assert len(now & workers) == 1
        assert _documents(url) == "63"
    finally:
        _stop(process)
