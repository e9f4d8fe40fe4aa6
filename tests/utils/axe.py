"""axe-core, the accessibility checker the browser tests inject into pages (locked in tests/js)."""

from typing import Any

from playwright.sync_api import Page

from tests.utils.paths import TESTS_DIR

AXE = TESTS_DIR / "js" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[tuple[str, str, list[Any]]]:
    """axe-core's serious and critical findings on the page (axe must be injected first)."""
    found = page.evaluate("axe.run(document).then((r) => r.violations)")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]
