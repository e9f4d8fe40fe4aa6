"""The distribution installs under one import name, ships its data, runs from any folder and
writes nothing beside its code (docs/decisions/0018)."""

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.utils.paths import DOCUMENT_COUNT, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def _installed_name(folder: Path) -> str:
    """The import name a repository folder installs as, by the package-dir mapping."""
    relative = folder.relative_to(ROOT).as_posix()
    mapping: dict[str, str] = SETUPTOOLS["package-dir"]
    for name, mapped in mapping.items():
        if relative == mapped or relative.startswith(mapped + "/"):
            return name + relative.removeprefix(mapped).replace("/", ".")
    raise AssertionError(f"{relative} is under no mapped folder")


def test_every_code_folder_is_a_listed_package() -> None:
    folders = {
        path.parent for top in ("graph", "server") for path in (ROOT / top).rglob("__init__.py")
    }
    listed = set(SETUPTOOLS["packages"])
    for folder in folders:
        assert _installed_name(folder) in listed, f"{folder} is not in [tool.setuptools] packages"
    assert {"vnpolicy.ontology", "vnpolicy.shapes"} <= listed
    assert all(name.startswith("vnpolicy.") for name in listed)


def test_every_data_file_is_package_data(tmp_path: Path) -> None:
    """Each file of the corpus, the catalogue, the model, the shapes and the pages is in the
    wheel, and the wheel holds nothing outside ``vnpolicy/`` but its metadata."""
    wheel = _wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    tops = {name.split("/", 1)[0] for name in names}
    name, version = wheel.name.split("-")[:2]
    assert tops == {"vnpolicy", f"{name}-{version}.dist-info"}
    expected = [
        *ROOT.glob("ontology/*.ttl"),
        *ROOT.glob("shapes/*.ttl"),
        *ROOT.glob("graph/queries/*.rq"),
        *ROOT.glob("graph/sources/documents/*.md"),
        *ROOT.glob("graph/sources/seeds/*"),
        ROOT / "graph/sources/registry.yaml",
        *ROOT.glob("server/http/templates/*"),
        *(file for file in ROOT.glob("server/http/static/**/*") if file.is_file()),
        ROOT / "graph/py.typed",
        ROOT / "server/py.typed",
    ]
    assert len(expected) > 100
    for path in expected:
        assert "vnpolicy/" + path.relative_to(ROOT).as_posix() in names, path


def _wheel(folder: Path) -> Path:
    """A wheel of the working tree, built offline by setuptools' PEP 517 hook (the development
    environment has setuptools; no build environment is downloaded), from a copy of what the
    distribution is made of: setuptools writes build/ and *.egg-info beside the sources, and
    two test runs at once must not build in the same place."""
    source = folder / "source"
    for name in ("graph", "server", "ontology", "shapes"):
        shutil.copytree(
            ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "node_modules")
        )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    build = "import sys, setuptools.build_meta as b; print(b.build_wheel(sys.argv[1]))"
    subprocess.run(
        [sys.executable, "-c", build, str(folder)], cwd=source, check=True, capture_output=True
    )
    (wheel,) = folder.glob("vnpolicy-*.whl")
    return wheel


@pytest.mark.slow
def test_the_installed_wheel_builds_validates_and_serves_from_another_folder(
    tmp_path: Path,
) -> None:
    """Installed into a fresh environment (its dependencies borrowed from this one), the wheel
    runs ``build``, ``validate`` and ``serve --get`` from an empty folder, and no file appears
    in its installed tree."""
    wheel = _wheel(tmp_path / "wheel")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    # The dependencies come from this environment, after the installed wheel on the path.
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = site / "vnpolicy"
    before = sorted(p for p in installed.rglob("*") if "__pycache__" not in p.parts)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VNPOLICY_", "PYTHON"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(python), "-c", "from vnpolicy.server.cli.main import main; main()", *args]
        return subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)

    found = subprocess.run(
        [python, "-c", "import vnpolicy.graph; print(vnpolicy.graph.__file__)"],
        capture_output=True, text=True, check=True, env=env, cwd=work,
    ).stdout  # fmt: skip
    assert found.startswith(str(installed)), found
    built = run("build")
    assert built.returncode == 0, built.stderr
    assert (work / "out" / "vnpolicy.nq").is_file()
    assert (ROOT / "out").resolve() != (work / "out").resolve()
    validated = run("validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "Conforms" in validated.stdout
    count = "/sparql?query=SELECT+(COUNT(*)+AS+?n)+WHERE+{?d+a+vnp:Document}"
    served = run("serve", "--get", count, "--accept", "text/csv")
    assert served.returncode == 0, served.stderr
    assert served.stdout.split() == ["n", str(DOCUMENT_COUNT)]
    after = sorted(p for p in installed.rglob("*") if "__pycache__" not in p.parts)
    assert after == before
