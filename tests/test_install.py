"""`pip install .` gives a package that works from any directory, bundled data included."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 and "Could not find a version" in proc.stderr:
        pytest.skip("no package index to fetch the build backend from")
    assert proc.returncode == 0, proc.stderr
    (path,) = out.glob("*.whl")
    return path


def test_wheel_carries_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "geo/data/k-silk-road-2024.yaml" in names
    assert "geo/data/basemap/countries-50m.geojson" in names
    assert "geo/py.typed" in names
    assert not any(n.startswith("tests/") for n in names)


def _host_site_packages() -> list[str]:
    """The running environment's package folders (a virtual environment's, or the system's)."""
    out = []
    for entry in sys.path:
        path = Path(entry)
        if path.name in ("site-packages", "dist-packages") and path.is_dir():
            out.append(str(path.resolve()))
    return list(dict.fromkeys(out))


def test_installed_geo_info_from_another_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    # The dependencies come from the environment running the tests, wherever that is (a
    # virtual environment does not see its base interpreter's packages, so system_site_packages
    # would miss them); only the wheel is installed fresh. Folders listed in a .pth file join
    # sys.path without their own .pth files, so the checkout's editable install stays out.
    venv.create(env_dir, system_site_packages=False, with_pip=True)
    py = env_dir / "bin" / "python"
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "_host_packages.pth").write_text("\n".join(_host_site_packages()) + "\n")
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    proc = subprocess.run(
        [env_dir / "bin" / "geo", "info"], cwd=work, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "Samarkand" in proc.stdout and "Jun 16, 2024" in proc.stdout
    where = subprocess.run(
        [py, "-c", "import geo, geo._data as d; print(d.data_path('k-silk-road-2024.yaml'))"],
        cwd=work, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert str(env_dir) in where  # read from the installed package, not the checkout
