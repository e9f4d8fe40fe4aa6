"""The README cannot drift: its quick-start commands are the ones CI runs, every command of the
CLI, every setting and every route is documented, and its command reference and settings table
are written from the code."""

import difflib
import re

import pytest
from starlette.routing import Mount, Route

from tests.utils.inprocess import InProcessApp
from tests.utils.paths import ROOT
from vnpolicy.server.cli.main import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    commands = _quick_start()
    assert commands == ["uv run --no-dev vnpolicy serve", "uv run pytest"]
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


def test_every_route_is_documented(app: InProcessApp) -> None:
    paths = {
        route.path.split("{", 1)[0] for route in app.app.routes if isinstance(route, Route | Mount)
    }
    assert {"/sparql", "/resource", "/static", "/health"} <= paths
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
