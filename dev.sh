#!/usr/bin/env bash
# Set up circlekeeper on a fresh machine and start it, or run every check and test.
#   ./dev.sh start [ARGS...]   install into .venv and start the app (extra ARGS go to circlekeeper)
#   ./dev.sh test  [ARGS...]   install what the tests need, then ruff, mypy and pytest (ARGS to pytest);
#                              the whole suite takes several minutes (it builds the bundle once)
set -euo pipefail
cd "$(dirname "$0")"

# Qt on a bare Debian needs these; without a font package every glyph is an empty box.
QT_LIBS=(libegl1 libgl1 libdbus-1-3 libfontconfig1 libglib2.0-0 libxkbcommon0 fonts-dejavu-core
         libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
         libxcb-image0 libxcb-render-util0 libxcb-randr0)
# The tests read PDFs back (poppler), build the bundle (PyInstaller needs binutils' objdump),
# validate the Linux desktop entry and AppStream metainfo, and run the store, service and CLI
# tests once more on a throwaway local PostgreSQL server.
TEST_TOOLS=(poppler-utils binutils desktop-file-utils appstream postgresql)

install_system_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian: the user installs Qt's needs
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing system packages: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

make_venv() {
    local python=${PYTHON:-python3}
    if [ ! -x .venv/bin/python ]; then
        "$python" -m venv .venv 2>/dev/null || {
            install_system_packages python3-venv
            "$python" -m venv .venv
        }
    fi
    echo "Installing circlekeeper into .venv…" >&2
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
    local log
    log=$(mktemp)
    if ! .venv/bin/python -m pip install -q -e ".$1" >"$log" 2>&1; then
        grep -v '^WARNING: Location' "$log" >&2
        echo "circlekeeper did not install; see the messages above." >&2
        exit 1
    fi
    rm -f "$log"
}

case "${1:-}" in
    start)
        shift
        if [ $# -eq 0 ] && [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] \
            && [ -z "${WAYLAND_DISPLAY:-}" ]; then
            echo "circlekeeper opens a window, and this terminal has no desktop session (no" >&2
            echo "DISPLAY or WAYLAND_DISPLAY). Run ./dev.sh start from a terminal on the desktop;" >&2
            echo "here, './dev.sh start --self-test' checks that it starts. Nothing was installed." >&2
            exit 2
        fi
        install_system_packages "${QT_LIBS[@]}"
        make_venv ""
        echo "Starting circlekeeper…" >&2
        exec .venv/bin/circlekeeper "$@"
        ;;
    test)
        shift
        install_system_packages "${QT_LIBS[@]}" "${TEST_TOOLS[@]}"
        make_venv "[dev]"
        echo "== ruff" >&2
        .venv/bin/ruff check src tests migrations benchmarks packaging
        .venv/bin/ruff format --check src tests migrations benchmarks packaging
        echo "== mypy (strict on circlekeeper.core)" >&2
        .venv/bin/mypy
        echo "== pytest (with coverage)" >&2
        exec .venv/bin/python -m pytest --cov=circlekeeper --cov-report=term "$@"
        ;;
    *)
        echo "usage: ./dev.sh start [ARGS...] | ./dev.sh test [PYTEST ARGS...]" >&2
        exit 2
        ;;
esac
