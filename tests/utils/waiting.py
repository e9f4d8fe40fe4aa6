"""Waiting for a condition the test can observe, never for a fixed time."""

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: Seconds a test waits for something that should happen at once: long enough that only a hang,
#: never a slow or loaded machine, reaches it. Also the timeout of the live tier's HTTP clients.
PATIENCE = 120.0


def wait_until(
    condition: Callable[[], T | None], what: str, timeout: float = PATIENCE, interval: float = 0.02
) -> T:
    """Poll ``condition`` every ``interval`` seconds (shorter to catch a state that lasts a
    moment) until it returns something true, and return that; fail saying ``what`` was awaited
    if ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(interval)
