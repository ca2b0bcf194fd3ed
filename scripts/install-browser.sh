#!/bin/sh
# Install Debian's Chromium for the browser test (tests/test_browser.py).
# Does nothing when /usr/bin/chromium is already there. Playwright drives this
# system browser; `playwright install` is never used.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

fail() {
    echo "install-browser: $1" >&2
    echo "install-browser: the browser test will be skipped. Install Chromium yourself (Debian/Ubuntu: 'apt-get install chromium') and run 'make test' again." >&2
    exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "no apt-get here, so Chromium cannot be installed automatically."

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    fail "installing Chromium needs root (or password-less sudo)."
fi

echo "install-browser: installing Chromium with apt-get (one time)..."
$SUDO apt-get update -qq || fail "'apt-get update' failed (no network or no package mirror?)."
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null || fail "'apt-get install chromium' failed."
[ -x "$CHROMIUM" ] || fail "apt-get finished but $CHROMIUM is missing."
echo "install-browser: $("$CHROMIUM" --version 2>/dev/null || echo Chromium) installed."
