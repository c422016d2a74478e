#!/usr/bin/env bash
# Install the headless browser the HTML report test uses (Debian `chromium`) and Japanese fonts
# so screenshots show 日本語 rather than boxes. Safe to run repeatedly: does nothing when both are
# present. Used by CI (.ci/run) before `make test`; tests/test_browser.py skips, saying why, when
# the browser is still missing afterwards (e.g. no network, no root).
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! fc-list 2>/dev/null | grep -qi "noto sans cjk\|ipaexgothic"; then
    need+=(fonts-noto-cjk)
fi
if [ ${#need[@]} -eq 0 ]; then
    echo "install_browser: chromium and CJK fonts already present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "install_browser: need root (or sudo) to install: ${need[*]}" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig
echo "install_browser: installed ${need[*]}"
