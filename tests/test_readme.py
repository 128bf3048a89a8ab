"""The README's Python example runs as written."""

from __future__ import annotations

import re

from tests.conftest import REPO


def test_readme_python_example_runs(tmp_path, monkeypatch):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## In Python\n\n```python\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.png", "my-map.html", "trip.gpkg"]
    assert "geoDrawTrip(" in (tmp_path / "my-map.html").read_text(encoding="utf-8")
