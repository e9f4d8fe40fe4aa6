"""The build runs with fewer garbage collections and leaves the threshold as it found it."""

import gc

import pytest

from vnpolicy.graph.collection import BUILD_THRESHOLD, fewer_collections


def _fail_inside_nested_blocks() -> None:
    with fewer_collections():
        assert gc.get_threshold() == BUILD_THRESHOLD
        with fewer_collections():
            assert gc.get_threshold() == BUILD_THRESHOLD
        assert gc.get_threshold() == BUILD_THRESHOLD
        raise RuntimeError("the build failed")


def test_the_threshold_is_raised_inside_and_restored_after_an_error() -> None:
    before = gc.get_threshold()
    assert before[0] < BUILD_THRESHOLD[0]
    with pytest.raises(RuntimeError, match="the build failed"):
        _fail_inside_nested_blocks()
    assert gc.get_threshold() == before


def test_a_decorated_function_runs_under_the_build_threshold() -> None:
    seen = []

    @fewer_collections()
    def step() -> None:
        seen.append(gc.get_threshold())

    step()
    step()
    assert seen == [BUILD_THRESHOLD, BUILD_THRESHOLD]
    assert gc.get_threshold()[0] < BUILD_THRESHOLD[0]
