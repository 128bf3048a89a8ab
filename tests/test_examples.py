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
    examples = module.examples()
    assert "maps/k-silk-road-2024/index.html" in examples
    stale = []
    for rel, data in examples.items():
        path = REPO / rel
        if not path.exists():
            stale.append(rel)
        elif rel.endswith(".png"):
            # Rasterising depends on the FreeType build: compare what the image is, not bytes.
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert path.read_bytes()[16:24] == data[16:24], f"{rel}: image size changed"
        elif path.read_bytes() != data:
            stale.append(rel)
    assert not stale, f"stale examples {stale}: run python scripts/make_examples.py"
