"""The README cannot drift: its quick-start commands are the ones CI runs, every command of the
CLI is documented, and its command reference and settings table are written from the code."""

import difflib
import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.command import vnpolicy
from vnpolicy.server.cli.main import main

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    commands = _quick_start()
    assert commands == ["uv run vnpolicy serve", "uv run pytest"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "uv run --frozen pytest" in ci


def test_every_cli_command_is_documented() -> None:
    for name in main.commands:
        assert f"`vnpolicy {name}" in README, f"vnpolicy {name} is not in the README"


def test_every_setting_is_documented_with_its_default() -> None:
    from vnpolicy.server.settings import describe

    for variable, default, meaning in describe():
        shown = {"VNPOLICY_OUT": "out", "VNPOLICY_SOURCES": "graph/sources"}.get(variable, default)
        assert f"| `{variable}` | `{shown}` | {meaning} |" in README, variable


def test_every_route_is_documented() -> None:
    from pyoxigraph import Store
    from starlette.routing import Mount, Route

    from vnpolicy.server.http.app import create_app
    from vnpolicy.server.runtime.workers import QueryPool
    from vnpolicy.server.settings import load_settings

    settings = load_settings({})
    store = Store()
    app = create_app(settings, store, QueryPool(settings, store, None))
    paths = {
        route.path.split("{", 1)[0] for route in app.routes if isinstance(route, Route | Mount)
    }
    assert {"/sparql", "/resource", "/static"} <= paths
    for path in sorted(paths - {"/", "/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"}):
        assert f"`{path}" in README, f"the route {path} is not in the README"


def test_the_readme_command_reference_and_settings_table_are_written_from_the_code() -> None:
    from vnpolicy.server.cli.reference import COMMAND, rewrite

    written = rewrite(README)
    if written != README:
        diff = difflib.unified_diff(
            README.splitlines(), written.splitlines(), "README.md", "from the code", lineterm=""
        )
        shown = "\n".join(list(diff)[:40])
        pytest.fail(f"README.md differs from the commands' help or the settings; run\n"
                    f"    {COMMAND}\nto write it again:\n{shown}")  # fmt: skip


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
        "needs an external store; tests/test_external_store.py publishes to one"
    ),
    "vnpolicy export --query my-view.rq --format cytoscape -o my-view.cyjs": (
        "needs the reader's own query"
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
