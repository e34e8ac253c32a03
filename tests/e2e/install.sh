#!/usr/bin/env bash
# What `make e2e` (tests/e2e/run_e2e.py) needs beyond `make setup`:
#   - Chromium from Debian (/usr/bin/chromium); Playwright drives it with executable_path,
#     so `playwright install` (which downloads browsers) is never run;
#   - the Python playwright package in .venv (unless requirements.lock already pins it).
# Run from the project root after `make setup` (CI: after `make test`). Needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")/../.."
PLAYWRIGHT_VERSION=1.65.2

if [ ! -x /usr/bin/chromium ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
fi
/usr/bin/chromium --version

if ! .venv/bin/python -c "import playwright" 2>/dev/null; then
    .venv/bin/python -m pip install --disable-pip-version-check -q "playwright==${PLAYWRIGHT_VERSION}"
fi
.venv/bin/python -c "from importlib.metadata import version; print('playwright', version('playwright'))"
