#!/usr/bin/env bash
# Installs the tools the tests run besides Node: ShellCheck (test/buildspecs/shellcheck.test.ts checks every
# generated buildspec with it). Debian's package; nothing is done when it is already installed.
set -euo pipefail

if command -v shellcheck > /dev/null; then
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi

# The package lists may be stale or the mirror briefly unreachable: retry the update a few times.
for attempt in 1 2 3; do
    if "${SUDO[@]}" apt-get update; then
        break
    fi
    if [ "$attempt" -eq 3 ]; then
        echo "setup-tools: apt-get update failed 3 times" >&2
        exit 1
    fi
    sleep $((attempt * 5))
done

"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y shellcheck
shellcheck --version
