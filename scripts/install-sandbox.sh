#!/bin/sh
# Install Debian's bubblewrap (bwrap), the sandbox each graded submission runs in
# (see chainlab.grading.sandbox). Does nothing when bwrap is already there.
# Without it, practice grading runs unsandboxed with a warning in the report, and
# assessment grading refuses to start.
set -eu

if command -v bwrap >/dev/null 2>&1; then
    exit 0
fi

fail() {
    echo "install-sandbox: $1" >&2
    echo "install-sandbox: submissions will be graded without a sandbox. Install bubblewrap yourself (Debian/Ubuntu: 'apt-get install bubblewrap') and run 'make test' again." >&2
    exit 1
}

[ "$(uname -s)" = Linux ] || fail "the sandbox needs Linux (user, mount, pid and network namespaces)."
command -v apt-get >/dev/null 2>&1 || fail "no apt-get here, so bubblewrap cannot be installed automatically."

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    fail "installing bubblewrap needs root (or password-less sudo)."
fi

echo "install-sandbox: installing bubblewrap with apt-get (one time)..."
$SUDO apt-get update -qq || fail "'apt-get update' failed (no network or no package mirror?)."
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq bubblewrap >/dev/null || fail "'apt-get install bubblewrap' failed."
command -v bwrap >/dev/null 2>&1 || fail "apt-get finished but bwrap is missing."
echo "install-sandbox: $(bwrap --version) installed."
