"""Live preview: a trip's map served on loopback, re-rendered in this process on every save.

``geo preview`` pays the imports once, then watches the trip file (or every file of a CSV
folder) by polling sizes and modification times with the standard library: no dependency, and
it behaves the same on every file system, editor and container. On a change it renders the map
again with :func:`geo.render.render_map`, or, when the file is invalid, the list of problems
``geo validate`` prints. The page asks the server for the current version with a long poll and
reloads itself when the version moves on.

The server listens on 127.0.0.1 only, answers only the routes below (no file is ever served from
disk, so there is no path to traverse), refuses requests addressed to another host name (DNS
rebinding), and sends a Content-Security-Policy that lets the page talk to nothing but itself.

Routes:

``GET /``
    The map exactly as ``geo map`` writes it, plus one small script before ``</body>``; or the
    problem page.
``GET /__geo/version?after=N``
    ``{"version": V, "ok": true|false}``; when ``V == N`` the answer waits (up to
    :data:`LONG_POLL_S`) for the next version, so a save shows at once without busy polling.
``GET /favicon.ico``
    204, so browsers do not log a missing icon.
"""

from __future__ import annotations

import html
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from geo.errors import GeoError, Problem, TripFormatError
from geo.i18n import locale

__all__ = [
    "DEFAULT_PORT",
    "HOST",
    "Preview",
    "PreviewServer",
    "Rendered",
    "problem_page",
    "signature",
    "with_reload_hook",
]

HOST = "127.0.0.1"
# Unassigned, and clear of the 8000/8080/5000 that other development servers take.
DEFAULT_PORT = 8731
# How often the watcher looks at the file: a save shows within this, plus the render.
POLL_S = 0.05
# Longest a version request is held open before the page asks again.
LONG_POLL_S = 20.0
VERSION_PATH = "/__geo/version"

# The page may run its own inline scripts and styles, show inline images, and fetch from this
# server; nothing else (no other host, no form, no frame around it, no plugin).
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

# The reload hook: a constant script; the only thing put into it is an integer.
_HOOK = """<script>/* geo preview: reload when the trip file changes */
(function (version) {
  "use strict";
  function poll() {
    fetch("%s?after=" + version, {cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (d) { if (d.version !== version) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})(%d);
</script>
"""

_PROBLEM_CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans KR",sans-serif;
margin:0;color:#1d2330;background:#f6f6f4}
main{max-width:60rem;margin:2rem auto;padding:0 1.25rem}
h1{font-size:1.35rem;margin:0 0 .25rem;color:#9b1c1c}
.geo-file{margin:0 0 1.25rem;color:#4a5160;word-break:break-all}
ol{padding-left:1.5rem}
li{background:#fff;border-left:4px solid #c0392b;margin:.5rem 0;padding:.6rem .8rem;
overflow-wrap:anywhere}
code{font:600 .95em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#7a1616}
.geo-fix{color:#1f5130}
.geo-hint{color:#4a5160;font-size:.9rem;margin-top:1.5rem}
"""


def signature(path: Path) -> tuple[tuple[str, int, int, int], ...]:
    """What the watcher compares: name, inode, modification time (ns) and size of the file, or
    of every file in the CSV folder; empty when the path is missing.

    The inode catches editors that save by writing a new file and renaming it over the old one;
    the size catches two saves within a coarse file-system clock tick.
    """
    try:
        if path.is_dir():
            entries = sorted(os.scandir(path), key=lambda e: e.name)
            stats = [(e.name, e.stat()) for e in entries if e.is_file()]
        else:
            stats = [(path.name, path.stat())]
    except OSError:
        return ()
    return tuple((name, s.st_ino, s.st_mtime_ns, s.st_size) for name, s in stats)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def problem_page(source: str, problems: list[Problem], lang: str = "en") -> str:
    """The problems of an invalid trip file as an HTML page, every string escaped.

    Each list item reads exactly as the line ``geo validate`` prints for it: the record in
    ``<code>``, the problem (with the bad value), and the fix.

    Parameters
    ----------
    source
        The file or folder, as the error names it.
    problems
        From :class:`geo.errors.TripFormatError`, or one problem carrying any other error's
        message.
    lang
        The page's language (its heading and hint; the problems are in English, as
        ``geo validate`` prints them).
    """
    loc = locale(lang)
    n = len(problems)
    head = loc.tn("problems", n)
    items = []
    for p in problems:
        where = f"<code>{_e(p.where)}</code>: " if p.where else ""
        fix = f'; <span class="geo-fix">{_e(p.fix)}</span>' if p.fix else ""
        items.append(f'<li class="geo-problem">{where}{_e(p.message)}{fix}</li>')
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(loc.code)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(head)} · geo preview</title>\n<style>{_PROBLEM_CSS}</style>\n</head>\n"
        '<body class="geo-problems">\n<main>\n'
        f"<h1>{_e(head)}</h1>\n"
        f'<p class="geo-file">{_e(source)}</p>\n'
        f"<ol>\n{''.join(items)}\n</ol>\n"
        f'<p class="geo-hint">{_e(loc.t("preview_hint"))}</p>\n</main>\n</body>\n</html>\n'
    )


def with_reload_hook(page: str, version: int) -> str:
    """The page with the reload script put before its last ``</body>``.

    Both pages end with ``</body></html>`` written by geo itself; trip text in them is escaped
    (``<`` as ``&lt;`` in HTML, ``\\u003c`` in the JSON payload), so the last ``</body>`` is the
    real one.
    """
    cut = page.rfind("</body>")
    if cut < 0:
        raise ValueError("the page has no </body>")
    return page[:cut] + _HOOK % (VERSION_PATH, int(version)) + page[cut:]


@dataclass(frozen=True)
class Rendered:
    """One rendering of the trip: the map or the problem page, and how it went."""

    version: int
    page: str
    ok: bool
    report: str
    seconds: float


def _render(path: Path, lang: str | None) -> tuple[str, bool, str]:
    """The map page, or the problem page and the report ``geo validate`` would print."""
    import geo
    from geo.render import render_map

    # The page's language: --lang, else English (a trip that does not load has no language).
    shown = lang or "en"
    try:
        trip = geo.load_trip(path)
        return render_map(trip, lang=lang or trip.meta.lang), True, ""
    except TripFormatError as exc:
        return problem_page(exc.source, exc.problems, shown), False, exc.report()
    except (GeoError, OSError) as exc:
        return problem_page(str(path), [Problem("", str(exc))], shown), False, str(exc)
    except Exception as exc:  # a bug in geo must not end the author's session
        message = f"internal error ({type(exc).__name__}: {exc}); please report it"
        trace = traceback.format_exc()
        return problem_page(str(path), [Problem("", message)], shown), False, f"{message}\n{trace}"


@dataclass
class Preview:
    """A trip file, its latest rendering, and the thread that watches it.

    Only the watcher thread renders; request handlers read :attr:`current` and wait on the
    condition for the next version.

    Parameters
    ----------
    path
        The ``.yaml`` file or CSV folder.
    lang
        ``en`` or ``ko``; ``None`` follows the trip's own language.
    on_render
        Called after each rendering (from the watcher thread), e.g. to print a line.
    """

    path: Path
    lang: str | None = None
    on_render: Callable[[Rendered], None] | None = None
    current: Rendered = field(init=False)
    _changed: threading.Condition = field(init=False, default_factory=threading.Condition)
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _thread: threading.Thread | None = field(init=False, default=None)
    _seen: tuple[tuple[str, int, int, int], ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        self.current = Rendered(0, "", False, "", 0.0)

    def refresh(self) -> Rendered:
        """Render the file as it is now and publish the result as the next version."""
        self._seen = signature(self.path)
        start = time.perf_counter()
        page, ok, report = _render(self.path, self.lang)
        seconds = time.perf_counter() - start
        with self._changed:
            self.current = Rendered(self.current.version + 1, page, ok, report, seconds)
            self._changed.notify_all()
            done = self.current
        if self.on_render is not None:
            self.on_render(done)
        return done

    def wait(self, after: int, timeout: float = LONG_POLL_S) -> Rendered:
        """The current rendering, once its version differs from ``after`` (or on timeout)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.current.version != after or self._stop.is_set(), timeout
            )
            return self.current

    def poll(self) -> bool:
        """Re-render if the file changed since the last rendering; True if it did."""
        now = signature(self.path)
        if now == self._seen:
            return False
        # An editor may write a file in more than one step: wait until it holds still.
        while not self._stop.wait(POLL_S):
            settled = signature(self.path)
            if settled == now:
                break
            now = settled
        if self._stop.is_set():
            return False
        self.refresh()
        return True

    def start(self) -> None:
        """Watch the file in a background thread."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._watch, name="geo-preview-watch", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(POLL_S):
            self.poll()

    def stop(self) -> None:
        """Stop watching, wake every waiting request, and wait for a render in progress."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=10)


class PreviewServer(ThreadingHTTPServer):
    """The loopback HTTP server of a :class:`Preview`.

    Parameters
    ----------
    preview
        What to serve.
    port
        0 takes any free port; :attr:`port` then says which.
    """

    # Never share a port with another listener (SO_REUSEPORT would let a second server bind).
    allow_reuse_port = False
    daemon_threads = True

    def __init__(self, preview: Preview, port: int = DEFAULT_PORT) -> None:
        self.preview = preview
        super().__init__((HOST, port), _Handler)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The preview's address."""
        return f"http://{HOST}:{self.port}/"

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet about pages that went away (a reload drops its pending version request)."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    def allowed_hosts(self) -> set[str]:
        """The Host headers this server answers (the names of loopback, with the port)."""
        return {f"{name}:{self.port}" for name in (HOST, "localhost")}


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "geo-preview"
    sys_version = ""

    def do_GET(self) -> None:
        if self.headers.get("Host", "").lower() not in self.server.allowed_hosts():
            self._send(421, "text/plain", b"geo preview answers only at " + self._url())
            return
        url = urlsplit(self.path)
        if url.path == "/":
            current = self.server.preview.current
            if not current.page:
                self._send(503, "text/plain", b"the first rendering is not done yet")
                return
            page = with_reload_hook(current.page, current.version)
            self._send(200, "text/html", page.encode("utf-8"))
        elif url.path == VERSION_PATH:
            self._version(url.query)
        elif url.path == "/favicon.ico":
            self._send(204, "text/plain", b"")
        else:
            self._send(404, "text/plain", b"not found; the preview is at " + self._url())

    def _url(self) -> bytes:
        return self.server.url.encode("ascii")

    def _version(self, query: str) -> None:
        values = parse_qs(query, keep_blank_values=True).get("after", [])
        after = values[0] if len(values) == 1 else ""
        if after and not (after.isascii() and after.isdigit() and len(after) < 10):
            self._send(400, "text/plain", b"after: give a version number")
            return
        preview = self.server.preview
        current = preview.wait(int(after)) if after else preview.current
        body = json.dumps({"version": current.version, "ok": current.ok})
        self._send(200, "application/json", body.encode("ascii"))

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", CSP)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows renderings, not the page's version requests."""
