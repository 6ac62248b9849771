#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Screenshots of every main page of the real window on demo data, in French, light and
# dark, at 1366×800: dashboard, organisation list, an organisation, people, a person,
# mandates, interactions, tasks, pipeline, the Ctrl+K search, preferences, the conflict
# dialog and the inbox.
#   tests/app/screenshot-pages.sh BUILD_DIR [OUT_DIR] [ROWS]
# OUT_DIR defaults to _screenshots; ROWS (demo rows) to 5000. Each picture is taken on
# its own Xvfb (xvfb-run -a picks a free display) inside its own session bus.
set -euo pipefail

build=$(realpath "$1")
out=$(realpath -m "${2:-_screenshots}")
rows=${3:-5000}
mkdir -p "$out"

for tool in xvfb-run dbus-run-session import; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install xvfb dbus imagemagick)" >&2; exit 1; }
done

export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$build/data"
export LANG=C.UTF-8
export LANGUAGE=fr
export GTK_A11Y=none
export NO_AT_BRIDGE=1

shoot () {
  local name=$1 style=$2; shift 2
  xvfb-run -a -s '-screen 0 1366x800x24' dbus-run-session -- "$@" >/dev/null 2>"$out/.log" \
    || { cat "$out/.log" >&2; exit 1; }
  echo "$out/$name-$style.png"
}

window_scenes=(dashboard main organisation people-list person mandats interactions tasks
               pipeline search)
for style in light dark; do
  for scene in "${window_scenes[@]}"; do
    shoot "$scene" "$style" "$build/tests/app/shot-window" "$scene" "$out/$scene-$style.png" "$rows" "$style"
  done
  for scene in conflict inbox; do
    shoot "$scene" "$style" "$build/tests/app/shot-sync" "$scene" "$out/$scene-$style.png" "$style"
  done
  args=(preferences --rows 200 --screenshot "$out/preferences-$style.png")
  [ "$style" = dark ] && args+=(--dark)
  shoot preferences "$style" "$build/tests/app/show-page" "${args[@]}"
done
rm -f "$out/.log"
