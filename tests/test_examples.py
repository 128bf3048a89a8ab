"""The committed example maps are what `python scripts/make_examples.py` writes today."""

from __future__ import annotations

import importlib.util

from tests.conftest import REPO


def test_examples_are_fresh():
    spec = importlib.util.spec_from_file_location(
        "make_examples", REPO / "scripts" / "make_examples.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stale = [rel for rel, data in module.examples().items()
             if not (REPO / rel).exists() or (REPO / rel).read_bytes() != data]  # fmt: skip
    assert not stale, f"stale examples {stale}: run python scripts/make_examples.py"
