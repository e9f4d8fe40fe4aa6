"""The explorer's vendored libraries (``server/http/static/vendor``) are what the lock file in
``server/http/vendor-src`` names: the versions recorded with the bundle are the locked ones, the
manifest pins exactly those, every bundled package's licence is kept beside it, and the pages load
the bundle from this server only."""

import json
from pathlib import Path

import httpx

from tests.utils.paths import ROOT

SOURCE = ROOT / "server/http/vendor-src"
VENDOR = ROOT / "server/http/static/vendor"
BUNDLE = "sigma-graphology.min.js"


def _locked() -> dict[str, str]:
    packages = json.loads((SOURCE / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    return {
        path.removeprefix("node_modules/"): entry["version"]
        for path, entry in packages.items()
        if path.startswith("node_modules/")
    }


def test_the_bundle_records_the_locked_versions() -> None:
    recorded = json.loads((VENDOR / "VERSIONS.json").read_text(encoding="utf-8"))[BUNDLE]
    locked = _locked()
    assert {"sigma", "graphology", "esbuild"} <= set(recorded)
    assert {name: locked[name] for name in recorded} == recorded
    manifest = json.loads((SOURCE / "package.json").read_text(encoding="utf-8"))
    pinned = {**manifest["dependencies"], **manifest["devDependencies"]}
    assert {name: locked[name] for name in pinned} == pinned, "package.json pins exact versions"


def test_every_bundled_package_keeps_its_licence() -> None:
    recorded = json.loads((VENDOR / "VERSIONS.json").read_text(encoding="utf-8"))[BUNDLE]
    bundled = set(recorded) - {"esbuild"}  # the bundler; none of its code is in the bundle
    licences = {path.name for path in VENDOR.glob("LICENCE-*.txt")}
    assert licences == {f"LICENCE-{name}.txt" for name in bundled}
    for name in bundled:
        text = (VENDOR / f"LICENCE-{name}.txt").read_text(encoding="utf-8")
        assert "Permission is hereby granted" in text, f"{name} is not MIT-licensed any more"


def test_the_build_script_writes_what_is_committed() -> None:
    """build.sh writes the bundle, the licences of the packages it lists and VERSIONS.json into
    the vendor folder, and nothing else is there but the query editor's own folder."""
    script = (SOURCE / "build.sh").read_text(encoding="utf-8")
    assert "npm ci" in script
    assert f'--outfile="$out/{BUNDLE}"' in script
    files = {path.name for path in VENDOR.iterdir() if path.is_file()}
    assert files - {f.name for f in VENDOR.glob("LICENCE-*.txt")} == {BUNDLE, "VERSIONS.json"}
    assert {path.name for path in VENDOR.iterdir() if path.is_dir()} == {"editor"}
    assert "rm -rf" not in script, "the build must leave vendor/editor/ alone"


def test_the_explorer_loads_the_bundle_from_this_server(client: httpx.Client) -> None:
    page = client.get("/explore").text
    assert f'<script src="/static/vendor/{BUNDLE}" defer></script>' in page
    script = client.get(f"/static/vendor/{BUNDLE}")
    assert script.status_code == 200
    assert script.content == (VENDOR / BUNDLE).read_bytes()
    assert b"eval(" not in script.content, "the pages' policy forbids eval"


def test_the_source_folder_is_not_served_or_packaged(client: httpx.Client) -> None:
    assert client.get("/static/vendor-src/package.json").status_code == 404
    assert not (ROOT / "server/http/static/vendor-src").exists()
    assert Path(SOURCE / "package-lock.json").is_file()
