"""Drive Debian's Chromium with Playwright, the network blocked: a reader's browser, offline."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class Visit:
    """What happened while a page was open."""

    page: Any
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def require_chromium() -> None:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: run scripts/test.sh, which installs it")


@contextmanager
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def visit(
    b: Any,
    path: Path | str,
    width: int = 1100,
    height: int = 750,
    wait_for: str | None = ".geo-stop",
) -> Iterator[Visit]:
    """Open a local file, or a URL on 127.0.0.1 (``geo preview``), with every request that
    leaves it recorded and refused."""
    if isinstance(path, str):
        if not path.startswith("http://127.0.0.1:"):
            raise ValueError(f"only local files and loopback URLs: {path}")
        url, origin = path, path.split("/", 3)[2]
    else:
        url, origin = path.resolve().as_uri(), None
    context = b.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    v = Visit(page)

    def route(r: Any) -> None:
        asked = r.request.url
        same_server = origin is not None and asked.startswith(f"http://{origin}/")
        if asked.startswith(("file:", "data:", "blob:")) or same_server:
            r.continue_()
        else:
            v.external.append(asked)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: v.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: v.errors.append(str(e)))

    def on_dialog(d: Any) -> None:
        v.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url, wait_until="load")
    if wait_for:
        page.wait_for_function(f"() => document.querySelectorAll('{wait_for}').length > 0")
    try:
        yield v
    finally:
        context.close()
