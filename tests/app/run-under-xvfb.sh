#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a GTK test on its own headless X server, inside its own session bus.
#   run-under-xvfb.sh TEST [ARGS...]
#
# Xvfb picks a free display and writes its number to a pipe (-displayfd), so several
# suites can run side by side. A missing Xvfb is a failure, never a skip: CI must not
# pass by testing nothing.
set -euo pipefail

for tool in Xvfb dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "Bail out! $tool is not installed (apt-get install xvfb dbus)" >&2
    exit 1
  fi
done

workdir=$(mktemp -d "${TMPDIR:-/tmp}/crm-xvfb.XXXXXX")
xvfb_pid=

cleanup () {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkfifo "$workdir/displayfd"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset \
  3>"$workdir/displayfd" 2>"$workdir/xvfb.log" &
xvfb_pid=$!

# Xvfb writes the display number once it accepts connections; EOF means it died.
display=
if ! read -r -t 30 display <"$workdir/displayfd" || [ -z "$display" ]; then
  echo "Bail out! Xvfb did not start:" >&2
  cat "$workdir/xvfb.log" >&2
  exit 1
fi

export DISPLAY=":$display"
export GDK_BACKEND=x11
export GSETTINGS_BACKEND=memory
# The app opens its replica under XDG_DATA_HOME: never the developer's own.
export XDG_DATA_HOME="$workdir/data" XDG_CONFIG_HOME="$workdir/config" XDG_CACHE_HOME="$workdir/cache"
# Any GLib warning or critical in the code under test fails it.
export G_DEBUG="${G_DEBUG:+$G_DEBUG,}fatal-warnings"
# The private session bus has no accessibility registry worth starting for a test.
export GTK_A11Y=none
export NO_AT_BRIDGE=1

# Under AddressSanitizer, leave GL off: Mesa's software driver (swrast_dri.so) is
# dlclose()d at exit, so LeakSanitizer reports its allocations from an "<unknown module>"
# that no suppression can name. The tests check behaviour, not rendering. (Without a
# GPU, /dev/dri, the app itself picks cairo, so there the ordinary build renders with
# cairo too; GSK_RENDERER=gl in the environment runs them on llvmpipe.)
# (No `ldd | grep -q` here: grep quitting early makes ldd die of SIGPIPE, and pipefail
# then reports no match.)
case "$(ldd "$1" 2>/dev/null || true)" in
  *libasan.so*) export GDK_DEBUG="${GDK_DEBUG:+$GDK_DEBUG,}gl-disable" ;;
  *) ;;
esac

# Not exec: the EXIT trap must still stop Xvfb.
status=0
dbus-run-session -- "$@" || status=$?
exit "$status"
