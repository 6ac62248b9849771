#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Screenshots of the dashboard, pipeline, tasks and preferences on demo data, in French,
# light and dark, each rendered by the page's own window (show-page --screenshot).
#   tests/app/screenshot-pages.sh BUILD_DIR OUT_DIR [ROWS]
set -euo pipefail

build=$(realpath "$1")
out=$(realpath -m "$2")
rows=${3:-3000}
mkdir -p "$out"

export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$build/data"
export LANG=C.UTF-8
export LANGUAGE=fr
export GTK_A11Y=none
export NO_AT_BRIDGE=1

for page in dashboard pipeline tasks preferences; do
  for style in light dark; do
    args=("$page" --rows "$rows" --screenshot "$out/$page-$style.png")
    [ "$style" = dark ] && args+=(--dark)
    xvfb-run -a -s '-screen 0 1366x800x24' \
      dbus-run-session -- "$build/tests/app/show-page" "${args[@]}" >/dev/null
    echo "$out/$page-$style.png"
  done
done
