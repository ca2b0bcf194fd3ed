#!/bin/sh
# Install JupyterHub's proxy (configurable-http-proxy, pinned in deploy/proxy/package-lock.json) for the course server
# and its test (tests/test_hub.py). Does nothing when it is installed already. Needs Node.js 20 or newer and npm.
set -eu

PROXY_DIR="$(cd "$(dirname "$0")/../deploy/proxy" && pwd)"

if [ -x "$PROXY_DIR/node_modules/.bin/configurable-http-proxy" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "install-proxy: npm is missing, so JupyterHub's proxy cannot be installed. Install Node.js 20 or newer (Debian/Ubuntu: 'apt-get install nodejs npm') and run this again." >&2
    exit 1
fi
echo "install-proxy: installing configurable-http-proxy with npm (one time)..."
npm ci --prefix "$PROXY_DIR" --no-audit --no-fund --loglevel=error >/dev/null
echo "install-proxy: configurable-http-proxy $("$PROXY_DIR/node_modules/.bin/configurable-http-proxy" --version) installed in $PROXY_DIR."
