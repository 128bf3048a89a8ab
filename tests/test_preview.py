"""geo preview: the server's routes, the watcher, the problem page and the command."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import geo
from geo.cli import main
from geo.errors import Problem
from geo.preview import (
    CSP,
    HOST,
    VERSION_PATH,
    Preview,
    problem_page,
    signature,
    with_reload_hook,
)
from geo.render import render_map
from tests.conftest import DATA, serving

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>{{7*7}}"
HOOK = re.compile(r"<script>/\* geo preview: .*?</script>\n", re.S)


def get(port: int, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """One raw request: the path goes on the wire exactly as given."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host if host is not None else f"{HOST}:{port}")
        conn.endheaders()
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


class _Items(HTMLParser):
    """The text of each ``<li>``, as a browser would show it."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._open = True
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self.items[-1] += data


def items(page: str) -> list[str]:
    parser = _Items()
    parser.feed(page)
    return parser.items


def wait_version(server, after: int) -> dict:
    status, _, body = get(server.port, f"{VERSION_PATH}?after={after}")
    assert status == 200
    return json.loads(body)


@pytest.fixture()
def trip(tmp_path: Path) -> Path:
    path = tmp_path / "trip.yaml"
    shutil.copy(DATA / "mini.yaml", path)
    return path


def edit(path: Path, old: str, new: str) -> None:
    """Save an edit as editors do, whole: a watcher never reads a half-written file (a plain
    write_text truncates first, and a poll between the two saw an empty trip: a flaky test)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text.replace(old, new), encoding="utf-8")
    os.replace(tmp, path)


def test_root_is_the_map_geo_map_writes_plus_the_hook(trip, mini):
    with serving(trip) as server:
        status, headers, body = get(server.port, "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    page = body.decode("utf-8")
    assert len(HOOK.findall(page)) == 1
    assert HOOK.sub("", page) == render_map(mini)
    assert page.index("geo preview: reload") > page.index('id="geo-data"')


def test_lang_follows_the_option(trip, mini):
    with serving(trip, lang="ko") as server:
        page = get(server.port, "/")[2].decode("utf-8")
    assert HOOK.sub("", page) == render_map(mini, lang="ko")


def test_listens_on_loopback_only(trip):
    with serving(trip) as server:
        assert server.socket.getsockname()[0] == "127.0.0.1"
        assert server.url == f"http://127.0.0.1:{server.port}/"


def test_headers_keep_the_page_to_itself(trip):
    with serving(trip) as server:
        _, headers, _ = get(server.port, "/")
    assert headers["Content-Security-Policy"] == CSP
    assert "connect-src 'self'" in CSP and "default-src 'none'" in CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/trip.yaml",
        "/../trip.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "/index.html",
        "/maps/",
        "/__geo/",
        "/__geo/version/../../trip.yaml",
    ],
)
def test_only_the_defined_routes_answer(trip, path):
    with serving(trip) as server:
        status, _, body = get(server.port, path)
    assert status == 404
    assert b"mini" not in body and b"root:" not in body


def test_the_watched_file_itself_is_not_served(trip):
    with serving(trip) as server:
        status, _, body = get(server.port, str(trip))
    assert status == 404
    assert b"Seongnam" not in body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.2:{port}", ""])
def test_other_host_names_are_refused(trip, host):
    """A page on another site whose name resolves to 127.0.0.1 (DNS rebinding) reads nothing."""
    with serving(trip) as server:
        status, _, body = get(server.port, "/", host=host.format(port=server.port))
        ok = get(server.port, "/", host=f"localhost:{server.port}")[0]
    assert status == 421
    assert b"Seongnam" not in body
    assert ok == 200


def test_other_methods_are_refused(trip):
    with serving(trip) as server:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=10)
        conn.request("POST", "/", body=b"x")
        status = conn.getresponse().status
        conn.close()
    assert status == 501


def test_version_now_and_after_a_save(trip):
    with serving(trip) as server:
        assert json.loads(get(server.port, VERSION_PATH)[2]) == {"version": 1, "ok": True}
        # Not the current version: answered at once.
        assert wait_version(server, 0) == {"version": 1, "ok": True}
        # The current version: held until the file changes.
        answers: list[dict] = []
        waiting = threading.Thread(target=lambda: answers.append(wait_version(server, 1)))
        waiting.start()
        time.sleep(0.5)
        assert answers == []
        edit(trip, "A mini tour", "A longer tour")
        waiting.join(timeout=15)
        assert answers == [{"version": 2, "ok": True}]
        page = get(server.port, "/")[2].decode("utf-8")
    assert "<h1>A longer tour</h1>" in page
    assert "})(2);" in page


@pytest.mark.parametrize("after", ["x", "-1", "1.5", "1e3", "99999999999", "%D9%A3", "1%00"])
def test_bad_version_number(trip, after):
    with serving(trip) as server:
        status, _, _ = get(server.port, f"{VERSION_PATH}?after={after}")
    assert status == 400


def test_invalid_file_shows_validate_problems_and_recovers(trip):
    with serving(trip) as server:
        edit(trip, "arrive: 2024-06-13", "arrive: 2024-13-45")
        assert wait_version(server, 1) == {"version": 2, "ok": False}
        page = get(server.port, "/")[2].decode("utf-8")
        validate = CliRunner().invoke(main, ["validate", str(trip)])
        edit(trip, "arrive: 2024-13-45", "arrive: 2024-06-13")
        assert wait_version(server, 2) == {"version": 3, "ok": True}
        assert "<h1>A mini tour</h1>" in get(server.port, "/")[2].decode("utf-8")
    assert validate.exit_code == 2
    lines = validate.output.splitlines()
    assert lines[0] == f"error: {trip}: 1 problem"
    assert items(page) == [line.strip() for line in lines[1:]]
    assert "stops[2].arrive" in items(page)[0]
    assert f'<p class="geo-file">{trip}</p>' in page
    assert len(HOOK.findall(page)) == 1


def test_unreadable_yaml_and_unknown_place(trip):
    with serving(trip) as server:
        trip.write_text("trip: [\n", encoding="utf-8")
        wait_version(server, 1)
        syntax = items(get(server.port, "/")[2].decode("utf-8"))
        shutil.copy(DATA / "mini.yaml", trip)
        edit(trip, "place: Samarkand", "place: Nowhereville")
        wait_version(server, 2)
        place = items(get(server.port, "/")[2].decode("utf-8"))
    assert len(syntax) == 1 and "YAML syntax error" in syntax[0]
    assert len(place) == 1 and place[0].startswith("stops[3].place: 'Nowhereville'")


def test_deleted_file_is_a_problem_and_the_server_keeps_running(trip):
    with serving(trip) as server:
        kept = trip.read_text(encoding="utf-8")
        trip.unlink()
        assert wait_version(server, 1)["ok"] is False
        gone = items(get(server.port, "/")[2].decode("utf-8"))
        trip.write_text(kept, encoding="utf-8")
        assert wait_version(server, 2)["ok"] is True
    assert gone == [f"{trip}: no such file or folder; give a .yaml file or a folder of CSVs"]


def test_hostile_values_in_the_problem_page_are_text(trip):
    with serving(trip) as server:
        edit(trip, "arrive: 2024-06-13", "arrive: '<script>alert(1)</script>{{7*7}}'")
        edit(trip, "arrive: 2024-06-15", "arrive: '<img src=x onerror=alert(2)>'")
        wait_version(server, 1)
        page = get(server.port, "/")[2].decode("utf-8")
    body = HOOK.sub("", page)
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{7*7}}" in body
    assert "&lt;img src=x onerror=alert(2)&gt;" in body
    # {{7*7}} stays text; the file's own path is left out (pytest's tmp folder may be pytest-49).
    assert "49" not in body.replace(str(trip), "")
    found = items(page)
    assert found[0].startswith("stops[2].arrive: '<script>alert(1)</script>{{7*7}}' is not")
    assert found[1].startswith("stops[3].arrive: '<img src=x onerror=alert(2)>' is not")


def test_hostile_trip_map_is_geo_maps_own(tmp_path):
    trip = tmp_path / "hostile.yaml"
    shutil.copy(DATA / "hostile.yaml", trip)
    with serving(trip) as server:
        page = get(server.port, "/")[2].decode("utf-8")
    assert HOOK.sub("", page) == render_map(geo.load_trip(trip))


def test_problem_page_escapes_every_field():
    page = problem_page(
        f"/tmp/{HOSTILE}.yaml",
        [Problem(f"stops[0].{HOSTILE}", f"{HOSTILE} is bad", f"fix {HOSTILE}"), Problem("", "x")],
    )
    assert "<script>alert" not in page and "<img" not in page
    assert page.count("&lt;script&gt;alert(1)") == 4
    assert items(page) == [
        f"stops[0].{HOSTILE}: {HOSTILE} is bad; fix {HOSTILE}",
        "x",
    ]
    assert "<h1>2 problems</h1>" in page


def test_reload_hook_goes_before_the_last_body_end():
    page = "<html><body><p>&lt;/body&gt;</p>\n</body>\n</html>\n"
    hooked = with_reload_hook(page, 7)
    assert hooked.startswith("<html><body><p>&lt;/body&gt;</p>\n<script>")
    assert hooked.endswith("})(7);\n</script>\n</body>\n</html>\n")
    with pytest.raises(ValueError, match="no </body>"):
        with_reload_hook("<p>", 1)


def test_signature_of_a_file_and_a_csv_folder(tmp_path, trip):
    before = signature(trip)
    edit(trip, "A mini tour", "A mini tour!")
    assert signature(trip) != before
    folder = tmp_path / "csv"
    shutil.copytree(DATA / "mini-csv", folder)
    before = signature(folder)
    assert [entry[0] for entry in before] == sorted(p.name for p in folder.iterdir())
    with (folder / "stops.csv").open("a", encoding="utf-8") as f:
        f.write("\n")
    assert signature(folder) != before
    assert signature(tmp_path / "missing.yaml") == ()


def test_csv_folder_is_watched(tmp_path):
    folder = tmp_path / "csv"
    shutil.copytree(DATA / "mini-csv", folder)
    with serving(folder) as server:
        trip_csv = folder / "trip.csv"
        text = trip_csv.read_text(encoding="utf-8")
        title = geo.load_trip(folder).meta.title.get_lang("en", "en")
        trip_csv.write_text(text.replace(title, "Renamed"), encoding="utf-8")
        wait_version(server, 1)
        page = get(server.port, "/")[2].decode("utf-8")
    assert "<h1>Renamed</h1>" in page


def test_poll_renders_only_on_change(trip):
    seen = []
    watched = Preview(trip, on_render=seen.append)
    watched.refresh()
    assert watched.poll() is False
    edit(trip, "A mini tour", "Changed")
    assert watched.poll() is True
    assert watched.poll() is False
    assert [r.version for r in seen] == [1, 2]
    assert all(r.ok for r in seen)


def test_cli_port_in_use(trip):
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["preview", str(trip), "--port", str(port)])
    assert result.exit_code == 2
    assert result.output == (
        f"error: --port: {port} on 127.0.0.1 is in use; give another port, or --port 0 for any "
        "free port\n"
    )


def test_cli_missing_trip(tmp_path):
    result = CliRunner().invoke(main, ["preview", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml: no such file or folder" in result.output
    assert "Traceback" not in result.output


def test_cli_serves_and_stops_cleanly_on_ctrl_c(trip):
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo", "preview", str(trip), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        m = re.fullmatch(
            rf"previewing {re.escape(str(trip))} at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)\n",
            line,
        )
        assert m, line
        port = int(m.group(1))
        status, _, body = get(port, "/")
        assert status == 200 and b"<h1>A mini tour</h1>" in body
        # An open page's pending version request does not keep the server from stopping, and
        # the page is not left hanging: it gets the version or a closed connection.
        pending: list[object] = []

        def ask() -> None:
            try:
                pending.append(json.loads(get(port, f"{VERSION_PATH}?after=1")[2]))
            except (OSError, http.client.HTTPException) as exc:
                pending.append(type(exc))

        waiting = threading.Thread(target=ask, daemon=True)
        waiting.start()
        time.sleep(0.3)
        started = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert time.perf_counter() - started < 10
    waiting.join(timeout=5)
    assert not waiting.is_alive() and len(pending) == 1
    assert "Traceback" not in err and "Aborted" not in err
    assert re.match(r"map rendered in \d+\.\d\d s\n", err)
    assert err.endswith("stopped\n")


def test_warm_render_is_the_cold_render(bundled):
    """The per-process caches that make a re-render fast change no byte of the map."""
    from geo.render import payload

    payload._basemap_layer.cache_clear()
    cold = render_map(geo.load_trip(geo.bundled_trip()))
    warm = render_map(geo.load_trip(geo.bundled_trip()))
    assert payload._basemap_layer.cache_info().hits >= 1
    assert warm == cold


def test_a_caller_editing_its_payload_leaves_the_cache_alone(mini):
    from geo.render.payload import build_payload

    first = build_payload(mini, "en")
    expected = json.dumps(first, sort_keys=True)
    first["basemap"]["features"][0][0] = 99
    first["basemap"]["labels"][0][2] = "edited"
    first["basemap"]["features"].clear()
    assert json.dumps(build_payload(mini, "en"), sort_keys=True) == expected


def test_cli_default_port_is_the_library_s():
    from geo.preview import DEFAULT_PORT

    port = next(p for p in main.commands["preview"].params if p.name == "port")
    assert port.default == DEFAULT_PORT
