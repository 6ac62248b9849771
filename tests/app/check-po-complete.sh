#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every string of the files in po/POTFILES.in has a French translation in po/fr.po
# (the app is French first): the strings are extracted as xgettext does for the
# catalogue, merged with fr.po, and any untranslated or fuzzy one is named.
#   check-po-complete.sh SOURCE_ROOT
set -euo pipefail

root=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/crm-po.XXXXXX")
trap 'rm -rf "$work"' EXIT

for tool in xgettext msgmerge msgattrib; do
  command -v "$tool" >/dev/null || { echo "Bail out! $tool is missing (apt-get install gettext)"; exit 1; }
done

cd "$root"
grep -v '^#' po/POTFILES.in | grep -v '^$' > "$work/files"
xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 -f "$work/files" -o "$work/crm.pot" 2>/dev/null
msgmerge -q po/fr.po "$work/crm.pot" -o "$work/fr.po"
stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$work/fr.po" 2>&1)

echo "1..1"
case "$stats" in
  *fuzzy*|*untranslated*)
    echo "not ok 1 - po/fr.po translates every string ($stats)"
    { msgattrib --untranslated --no-obsolete "$work/fr.po"; msgattrib --only-fuzzy --no-obsolete "$work/fr.po"; } \
      | grep -v '^#' | sed 's/^/# /'
    exit 1 ;;
  *) echo "ok 1 - po/fr.po translates every string ($stats)" ;;
esac
