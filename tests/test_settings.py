"""The settings table: an unknown ``VNPOLICY_*`` variable stops every command that reads settings
(exit 2, one line naming the closest setting, no traceback)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vnpolicy.graph.errors import InputError
from vnpolicy.server.settings import load_settings


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        ("VNPOLICY_QUERY_TIMOUT", "did you mean VNPOLICY_QUERY_TIMEOUT?"),
        ("VNPOLICY_PROT", "did you mean VNPOLICY_PORT?"),
        ("VNPOLICY_WRITE_TOKN", "did you mean VNPOLICY_WRITE_TOKEN?"),
        ("VNPOLICY_MAXROWS", "did you mean VNPOLICY_MAX_ROWS?"),
        ("vnpolicy_base", "did you mean VNPOLICY_BASE?"),
        ("VNPOLICY_COLOUR", "'vnpolicy settings' lists them."),
    ],
)
def test_an_unknown_variable_is_refused_with_the_closest_setting(
    variable: str, message: str
) -> None:
    with pytest.raises(InputError) as refused:
        load_settings({variable: "1"})
    assert str(refused.value) == f"{variable} is not a setting; {message}"


def test_every_unknown_variable_is_named() -> None:
    with pytest.raises(InputError) as refused:
        load_settings({"VNPOLICY_PROT": "1", "VNPOLICY_HOST": "::1", "VNPOLICY_QUERY_TIMOUT": "1"})
    assert str(refused.value).splitlines() == [
        "VNPOLICY_PROT is not a setting; did you mean VNPOLICY_PORT?",
        "VNPOLICY_QUERY_TIMOUT is not a setting; did you mean VNPOLICY_QUERY_TIMEOUT?",
    ]


def test_other_variables_are_not_settings_business() -> None:
    settings = load_settings({"VNPOLICYX": "1", "PATH": "/bin", "VNPOLICY_PORT": "8080"})
    assert settings.port == 8080


def test_the_real_serve_stops_on_a_misspelt_setting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNPOLICY_")}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "vnpolicy"), "serve"],
        capture_output=True,
        text=True,
        env={**env, "VNPOLICY_QUERY_TIMOUT": "3"},
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: VNPOLICY_QUERY_TIMOUT is not a setting; did you mean VNPOLICY_QUERY_TIMEOUT?\n"
    )
    assert list(tmp_path.iterdir()) == []
