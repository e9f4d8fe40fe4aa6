"""The settings table: an unknown ``VNPOLICY_*`` variable stops every command that reads settings
(exit 2, one line naming the closest setting, no traceback); the base URI is refused once, the
same way by every command; option help and ``vnpolicy settings`` come from the same table."""

import re
from pathlib import Path

import pytest

from tests.utils.command import vnpolicy
from vnpolicy.graph.errors import InputError
from vnpolicy.server.settings import describe, load_settings


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


@pytest.mark.parametrize(
    "args",
    [
        ("serve",),
        ("serve", "--get", "/sparql?query=ASK{}"),
        ("publish", "http://127.0.0.1:9/store"),
        ("build",),
        ("validate",),
        ("query", "ASK {}"),
    ],
)
def test_the_real_command_stops_on_a_misspelt_setting(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = vnpolicy(*args, env={"VNPOLICY_QUERY_TIMOUT": "3"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: VNPOLICY_QUERY_TIMOUT is not a setting; did you mean VNPOLICY_QUERY_TIMEOUT?\n"
    )
    assert list(tmp_path.iterdir()) == []  # nothing built, nothing written


def test_vnpolicy_settings_lists_every_setting_and_warns_of_unknown_ones() -> None:
    result = vnpolicy("settings", env={"VNPOLICY_PROT": "8080"})
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()]
    assert listed == [variable for variable, _, _ in describe()]
    assert result.stderr == "warning: VNPOLICY_PROT is not a setting; did you mean VNPOLICY_PORT?\n"


@pytest.mark.parametrize(
    ("base", "error"),
    [
        ("http://localhost:8000/", "is local; published data needs a public base"),
        ("https://example.org/policy", "must be an http(s) URL ending with '/'"),
    ],
)
@pytest.mark.parametrize("args", [("serve",), ("serve", "--get", "/"), ("build",), ("validate",)])
def test_a_bad_base_stops_every_command_with_one_message(
    tmp_path: Path, args: tuple[str, ...], base: str, error: str
) -> None:
    result = vnpolicy(*args, env={"VNPOLICY_BASE": base}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"error: base URI {base!r} {error}\n"
    assert list(tmp_path.iterdir()) == []


def test_the_base_option_of_build_is_checked_like_the_setting(tmp_path: Path) -> None:
    result = vnpolicy("build", "--base", "http://127.0.0.1/", cwd=tmp_path)
    assert result.returncode == 2
    assert "base URI 'http://127.0.0.1/' is local" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_build_writes_out_in_the_current_folder_and_says_so(tmp_path: Path) -> None:
    helped = " ".join(vnpolicy("build", "--help").stdout.split())
    assert (
        "a relative DIR is in the current folder. [env var: VNPOLICY_OUT; default: out]" in helped
    )
    result = vnpolicy("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^Wrote \d+ files to out/$", result.stdout, re.MULTILINE), result.stdout
    assert (tmp_path / "out" / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_build_honours_the_out_setting(tmp_path: Path) -> None:
    result = vnpolicy("build", env={"VNPOLICY_OUT": "elsewhere"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere"]
