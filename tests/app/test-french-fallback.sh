#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The app speaks French on a machine with no language of its own (LANG unset, C, POSIX or
# C.UTF-8, as fresh Debian images have), and leaves alone a LANGUAGE the user chose.
#   test-french-fallback.sh APP_BINARY
app=$1
status=0

check () {
  expected=$1
  shift
  out=$(env -u LC_ALL -u LC_MESSAGES -u LANGUAGE -u LANG "$@" "$app" --help 2>&1)
  if printf '%s\n' "$out" | grep -q "$expected"; then
    echo "ok: $* → $expected"
  else
    echo "FAIL: $* should give « $expected »:"
    printf '%s\n' "$out"
    status=1
  fi
}

check "Afficher la version et quitter"
check "Afficher la version et quitter" LANG=C
check "Afficher la version et quitter" LANG=POSIX
check "Afficher la version et quitter" LANG=C.UTF-8
check "Afficher la version et quitter" LC_ALL=C.utf8
check "Show the version and exit" LANG=C.UTF-8 LANGUAGE=en
exit $status
