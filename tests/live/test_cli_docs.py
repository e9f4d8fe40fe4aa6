"""The command reference in the README is what the installed command prints, and every example
in the commands' help runs."""

import shlex
import shutil
from pathlib import Path

import pytest

from tests.utils.command import vnpolicy
from tests.utils.paths import ROOT
from vnpolicy.server.cli.main import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "names", [(), *((name,) for name in main.commands)], ids=lambda names: " ".join(names) or "-"
)
def test_the_reference_is_what_the_real_command_prints(names: tuple[str, ...]) -> None:
    """The reference's rendering of the help is the installed command's own, at 80 columns."""
    from vnpolicy.server.cli.reference import help_text

    printed = vnpolicy(*names, "--help", env={"COLUMNS": "80"}).stdout
    assert printed == help_text(*names) + "\n"
    assert f"```text\n{printed}```\n" in README


#: Examples in the help that cannot run here, and why.
NOT_RUN = {
    "vnpolicy serve --port 8080 --store var/store": "serves until stopped",
    "vnpolicy publish http://127.0.0.1:7878/store --sparql-endpoint http://127.0.0.1:7878/query": (
        "needs an external store; tests/live/test_external_store.py publishes to one"
    ),
    "vnpolicy export --query my-view.rq --format cytoscape -o my-view.cyjs": (
        "needs the reader's own query"
    ),
    "vnpolicy mcp": "serves until stopped; tests/live/test_assistants.py drives it",
    "vnpolicy new-document plan-344.yaml --dry-run": (
        "needs the editor's own form; tests/fast/test_new_document.py writes one and runs it"
    ),
    "vnpolicy mcp --server http://127.0.0.1:8000/ --transport http --port 8001": (
        "serves until stopped, on a fixed port"
    ),
}


def _examples() -> list[str]:
    from vnpolicy.server.cli.reference import help_text

    found = []
    for name in main.commands:
        lines = help_text(name).splitlines()
        for index, line in enumerate(lines):
            if line.strip() in ("Example:", "Examples:"):
                for example in lines[index + 1 :]:
                    if not example.strip().startswith("vnpolicy "):
                        break
                    found.append(example.strip())
    return found


def test_every_example_in_the_help_runs(built: Path, tmp_path: Path) -> None:
    """Each example of the help (and so of the README) runs and succeeds, from a folder holding
    the dumps in out/ and the query catalogue in graph/queries/."""
    examples = _examples()
    assert set(NOT_RUN) <= set(examples), "NOT_RUN names an example the help no longer gives"
    shutil.copytree(built, tmp_path / "out")
    (tmp_path / "graph").symlink_to(ROOT / "graph")
    for example in examples:
        if example in NOT_RUN:
            continue
        done = vnpolicy(*shlex.split(example)[1:], cwd=tmp_path)
        assert done.returncode == 0, f"{example}: {done.stderr}"
        assert done.stdout or " -o " in example, f"{example} printed nothing"
