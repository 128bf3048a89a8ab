#!/usr/bin/env bash
# Install what the tests need and run them: lint, types, then pytest (browser tests included).
# Used by the README's test command and by CI (.ci/run). Needs root or sudo for Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# Korean glyphs for screenshots and static maps.
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
# GDAL's command-line reader: the export tests read KML and FlatGeobuf back with it.
command -v ogrinfo >/dev/null 2>&1 || need+=(gdal-bin)
# ffprobe: the video tests read the clips' codec, size and frame count with it.
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
# Node's built-in test runner: unit tests of the map script's modules (tests/js/).
command -v node >/dev/null 2>&1 || need+=(nodejs)
# npm: axe-core, the accessibility rules the browser tests run (tests/test_axe_browser.py).
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

python -m pip install --quiet --disable-pip-version-check -e ".[test,dask]"
python -m ruff check .
python -m ruff format --check .
python -m mypy
node --test tests/js/
# axe-core, pinned so the rules do not change under us; into tests/node/ (git-ignored).
[ -f tests/node/node_modules/axe-core/axe.min.js ] ||
  npm install --no-save --no-audit --no-fund --prefix tests/node axe-core@4.10.3 >/dev/null
python -m pytest "$@"
