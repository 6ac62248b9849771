/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-search-query"

#include "config.h"

#include <string.h>

#include "crm-search-query.h"

/* Letters FTS5's unicode61 keeps as they are even with remove_diacritics 2, spelled
 * out the way a French keyboard user would type them without the special key. */
static const char *
fold_expansion (gunichar c)
{
  switch (c)
    {
    case 0x0153: return "oe"; /* œ */
    case 0x0152: return "OE"; /* Œ */
    case 0x00E6: return "ae"; /* æ */
    case 0x00C6: return "AE"; /* Æ */
    case 0x00DF: return "ss"; /* ß */
    case 0x1E9E: return "SS"; /* ẞ */
    case 0xFB00: return "ff";
    case 0xFB01: return "fi";
    case 0xFB02: return "fl";
    case 0xFB03: return "ffi";
    case 0xFB04: return "ffl";
    case 0xFB05: return "st";
    case 0xFB06: return "st";
    default: return NULL;
    }
}

/* Letters with no Unicode decomposition, so stripping combining marks alone
 * would leave them accented (ø, đ, ł...). */
static const char *
ascii_expansion (gunichar c)
{
  switch (c)
    {
    case 0x00F8: return "o";  /* ø */
    case 0x0111: return "d";  /* đ */
    case 0x0142: return "l";  /* ł */
    case 0x0131: return "i";  /* ı */
    case 0x00F0: return "d";  /* ð */
    case 0x00FE: return "th"; /* þ */
    case 0x0127: return "h";  /* ħ */
    default: return fold_expansion (c);
    }
}

char *
crm_search_fold (const char *text)
{
  GString *out;
  const char *p;
  gboolean needs_work = FALSE;

  if (text == NULL)
    return NULL;

  /* Every expanded letter is encoded with a lead byte of 0xC3, 0xC5, 0xE1 or 0xEF;
   * most text has none of them and is copied as is (this runs in SQL triggers). */
  for (p = text; *p != '\0'; p++)
    {
      guchar b = (guchar) *p;

      if (b == 0xC3 || b == 0xC5 || b == 0xE1 || b == 0xEF)
        {
          needs_work = TRUE;
          break;
        }
    }

  if (!needs_work || !g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  out = g_string_sized_new (strlen (text) + 8);
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *expansion = fold_expansion (c);

      if (expansion != NULL)
        g_string_append (out, expansion);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static char *
fold_ascii_slow (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  lower = g_utf8_strdown (valid, -1);
  decomposed = g_utf8_normalize (lower, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type;
      const char *expansion;

      type = g_unichar_type (c);
      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;

      expansion = ascii_expansion (c);
      if (expansion != NULL)
        g_string_append (out, expansion);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Latin letters are most of what a French CRM holds, and this runs on every
 * word stored (the vocabulary of the term index): their folded forms are
 * computed once, by the general path above, so both paths agree by
 * construction. */
#define LATIN_FIRST 0x80
#define LATIN_LAST 0x24F
#define PUNCT_FIRST 0x2000 /* General Punctuation: ’ « » … – in French text */
#define PUNCT_LAST 0x206F
#define N_LATIN (LATIN_LAST - LATIN_FIRST + 1)
#define N_FAST (N_LATIN + PUNCT_LAST - PUNCT_FIRST + 1)

/* The folded form of @c, or NULL when it is outside the tabulated ranges. */
static const char *
fast_fold (gunichar c)
{
  static char *table[N_FAST];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < N_FAST; i++)
        {
          gunichar u = i < N_LATIN ? LATIN_FIRST + i : PUNCT_FIRST + (i - N_LATIN);
          char utf8[8] = { 0 };

          g_unichar_to_utf8 (u, utf8);
          table[i] = fold_ascii_slow (utf8);
        }
      g_once_init_leave (&initialized, 1);
    }

  if (c >= LATIN_FIRST && c <= LATIN_LAST)
    return table[c - LATIN_FIRST];
  if (c >= PUNCT_FIRST && c <= PUNCT_LAST)
    return table[N_LATIN + (c - PUNCT_FIRST)];
  return NULL;
}

char *
crm_search_fold_ascii (const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0';)
    {
      guchar b = (guchar) *p;
      const char *folded;
      gunichar c;

      if (b < 0x80)
        {
          g_string_append_c (out, g_ascii_tolower ((char) b));
          p++;
          continue;
        }

      c = g_utf8_get_char_validated (p, -1);
      folded = c == (gunichar) -1 || c == (gunichar) -2 ? NULL : fast_fold (c);
      if (folded == NULL)
        {
          /* Anything else (combining marks, other scripts, broken UTF-8): the
           * general path, for the whole text, since folding may need context. */
          g_string_free (out, TRUE);
          return fold_ascii_slow (text);
        }
      g_string_append (out, folded);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

/* The code points FTS5's unicode61 tokenizer (remove_diacritics 2) reads as
 * part of a word, as ranges. Its Unicode tables are older than GLib's: it keeps
 * in words every code point it does not know, such as the emoji and currency
 * signs added since, which GLib calls symbols. Splitting on one of them would
 * search for a word the index never saw, so this follows SQLite, not GLib.
 * /core/search-query/unicode61-word-chars checks every code point against the
 * SQLite linked in, and prints the table again should it ever differ. */
static const struct { gunichar first, last; } unicode61_word_ranges[] = {
  { 0x0030, 0x0039 }, { 0x0041, 0x005A }, { 0x0061, 0x007A }, { 0x00AA, 0x00AA },
  { 0x00B2, 0x00B3 }, { 0x00B5, 0x00B5 }, { 0x00B9, 0x00BA }, { 0x00BC, 0x00BE },
  { 0x00C0, 0x00D6 }, { 0x00D8, 0x00F6 }, { 0x00F8, 0x02C1 }, { 0x02C6, 0x02D1 },
  { 0x02E0, 0x02E4 }, { 0x02EC, 0x02EC }, { 0x02EE, 0x02EE }, { 0x0300, 0x0304 },
  { 0x0306, 0x030C }, { 0x030F, 0x030F }, { 0x0311, 0x0311 }, { 0x031B, 0x031B },
  { 0x0323, 0x0328 }, { 0x032D, 0x032E }, { 0x0330, 0x0331 }, { 0x0370, 0x0374 },
  { 0x0376, 0x037D }, { 0x037F, 0x0383 }, { 0x0386, 0x0386 }, { 0x0388, 0x03F5 },
  { 0x03F7, 0x0481 }, { 0x048A, 0x0559 }, { 0x0560, 0x0588 }, { 0x058B, 0x058E },
  { 0x0590, 0x0590 }, { 0x05C8, 0x05F2 }, { 0x05F5, 0x05FF }, { 0x0605, 0x0605 },
  { 0x061C, 0x061D }, { 0x0620, 0x064A }, { 0x0660, 0x0669 }, { 0x066E, 0x066F },
  { 0x0671, 0x06D3 }, { 0x06D5, 0x06D5 }, { 0x06E5, 0x06E6 }, { 0x06EE, 0x06FC },
  { 0x06FF, 0x06FF }, { 0x070E, 0x070E }, { 0x0710, 0x0710 }, { 0x0712, 0x072F },
  { 0x074B, 0x07A5 }, { 0x07B1, 0x07EA }, { 0x07F4, 0x07F5 }, { 0x07FA, 0x0815 },
  { 0x081A, 0x081A }, { 0x0824, 0x0824 }, { 0x0828, 0x0828 }, { 0x082E, 0x082F },
  { 0x083F, 0x0858 }, { 0x085C, 0x085D }, { 0x085F, 0x08E3 }, { 0x08FF, 0x08FF },
  { 0x0904, 0x0939 }, { 0x093D, 0x093D }, { 0x0950, 0x0950 }, { 0x0958, 0x0961 },
  { 0x0966, 0x096F }, { 0x0971, 0x0980 }, { 0x0984, 0x09BB }, { 0x09BD, 0x09BD },
  { 0x09C5, 0x09C6 }, { 0x09C9, 0x09CA }, { 0x09CE, 0x09D6 }, { 0x09D8, 0x09E1 },
  { 0x09E4, 0x09F1 }, { 0x09F4, 0x09F9 }, { 0x09FC, 0x0A00 }, { 0x0A04, 0x0A3B },
  { 0x0A3D, 0x0A3D }, { 0x0A43, 0x0A46 }, { 0x0A49, 0x0A4A }, { 0x0A4E, 0x0A50 },
  { 0x0A52, 0x0A6F }, { 0x0A72, 0x0A74 }, { 0x0A76, 0x0A80 }, { 0x0A84, 0x0ABB },
  { 0x0ABD, 0x0ABD }, { 0x0AC6, 0x0AC6 }, { 0x0ACA, 0x0ACA }, { 0x0ACE, 0x0AE1 },
  { 0x0AE4, 0x0AEF }, { 0x0AF2, 0x0B00 }, { 0x0B04, 0x0B3B }, { 0x0B3D, 0x0B3D },
  { 0x0B45, 0x0B46 }, { 0x0B49, 0x0B4A }, { 0x0B4E, 0x0B55 }, { 0x0B58, 0x0B61 },
  { 0x0B64, 0x0B6F }, { 0x0B71, 0x0B81 }, { 0x0B83, 0x0BBD }, { 0x0BC3, 0x0BC5 },
  { 0x0BC9, 0x0BC9 }, { 0x0BCE, 0x0BD6 }, { 0x0BD8, 0x0BF2 }, { 0x0BFB, 0x0C00 },
  { 0x0C04, 0x0C3D }, { 0x0C45, 0x0C45 }, { 0x0C49, 0x0C49 }, { 0x0C4E, 0x0C54 },
  { 0x0C57, 0x0C61 }, { 0x0C64, 0x0C7E }, { 0x0C80, 0x0C81 }, { 0x0C84, 0x0CBB },
  { 0x0CBD, 0x0CBD }, { 0x0CC5, 0x0CC5 }, { 0x0CC9, 0x0CC9 }, { 0x0CCE, 0x0CD4 },
  { 0x0CD7, 0x0CE1 }, { 0x0CE4, 0x0D01 }, { 0x0D04, 0x0D3D }, { 0x0D45, 0x0D45 },
  { 0x0D49, 0x0D49 }, { 0x0D4E, 0x0D56 }, { 0x0D58, 0x0D61 }, { 0x0D64, 0x0D78 },
  { 0x0D7A, 0x0D81 }, { 0x0D84, 0x0DC9 }, { 0x0DCB, 0x0DCE }, { 0x0DD5, 0x0DD5 },
  { 0x0DD7, 0x0DD7 }, { 0x0DE0, 0x0DF1 }, { 0x0DF5, 0x0E30 }, { 0x0E32, 0x0E33 },
  { 0x0E3B, 0x0E3E }, { 0x0E40, 0x0E46 }, { 0x0E50, 0x0E59 }, { 0x0E5C, 0x0EB0 },
  { 0x0EB2, 0x0EB3 }, { 0x0EBA, 0x0EBA }, { 0x0EBD, 0x0EC7 }, { 0x0ECE, 0x0F00 },
  { 0x0F20, 0x0F33 }, { 0x0F40, 0x0F70 }, { 0x0F88, 0x0F8C }, { 0x0F98, 0x0F98 },
  { 0x0FBD, 0x0FBD }, { 0x0FCD, 0x0FCD }, { 0x0FDB, 0x102A }, { 0x103F, 0x1049 },
  { 0x1050, 0x1055 }, { 0x105A, 0x105D }, { 0x1061, 0x1061 }, { 0x1065, 0x1066 },
  { 0x106E, 0x1070 }, { 0x1075, 0x1081 }, { 0x108E, 0x108E }, { 0x1090, 0x1099 },
  { 0x10A0, 0x10FA }, { 0x10FC, 0x135C }, { 0x1369, 0x138F }, { 0x139A, 0x13FF },
  { 0x1401, 0x166C }, { 0x166F, 0x167F }, { 0x1681, 0x169A }, { 0x169D, 0x16EA },
  { 0x16EE, 0x1711 }, { 0x1715, 0x1731 }, { 0x1737, 0x1751 }, { 0x1754, 0x1771 },
  { 0x1774, 0x17B3 }, { 0x17D7, 0x17D7 }, { 0x17DC, 0x17DC }, { 0x17DE, 0x17FF },
  { 0x180F, 0x18A8 }, { 0x18AA, 0x191F }, { 0x192C, 0x192F }, { 0x193C, 0x193F },
  { 0x1941, 0x1943 }, { 0x1946, 0x19AF }, { 0x19C1, 0x19C7 }, { 0x19CA, 0x19DD },
  { 0x1A00, 0x1A16 }, { 0x1A1C, 0x1A1D }, { 0x1A20, 0x1A54 }, { 0x1A5F, 0x1A5F },
  { 0x1A7D, 0x1A7E }, { 0x1A80, 0x1A9F }, { 0x1AA7, 0x1AA7 }, { 0x1AAE, 0x1AFF },
  { 0x1B05, 0x1B33 }, { 0x1B45, 0x1B59 }, { 0x1B7D, 0x1B7F }, { 0x1B83, 0x1BA0 },
  { 0x1BAE, 0x1BE5 }, { 0x1BF4, 0x1BFB }, { 0x1C00, 0x1C23 }, { 0x1C38, 0x1C3A },
  { 0x1C40, 0x1C7D }, { 0x1C80, 0x1CBF }, { 0x1CC8, 0x1CCF }, { 0x1CE9, 0x1CEC },
  { 0x1CEE, 0x1CF1 }, { 0x1CF5, 0x1DBF }, { 0x1DE7, 0x1DFB }, { 0x1E00, 0x1FBC },
  { 0x1FBE, 0x1FBE }, { 0x1FC2, 0x1FCC }, { 0x1FD0, 0x1FDC }, { 0x1FE0, 0x1FEC },
  { 0x1FF0, 0x1FFC }, { 0x1FFF, 0x1FFF }, { 0x2065, 0x2069 }, { 0x2070, 0x2079 },
  { 0x207F, 0x2089 }, { 0x208F, 0x209F }, { 0x20BA, 0x20CF }, { 0x20F1, 0x20FF },
  { 0x2102, 0x2102 }, { 0x2107, 0x2107 }, { 0x210A, 0x2113 }, { 0x2115, 0x2115 },
  { 0x2119, 0x211D }, { 0x2124, 0x2124 }, { 0x2126, 0x2126 }, { 0x2128, 0x2128 },
  { 0x212A, 0x212D }, { 0x212F, 0x2139 }, { 0x213C, 0x213F }, { 0x2145, 0x2149 },
  { 0x214E, 0x214E }, { 0x2150, 0x218F }, { 0x23F4, 0x23FF }, { 0x2427, 0x243F },
  { 0x244B, 0x249B }, { 0x24EA, 0x24FF }, { 0x2700, 0x2700 }, { 0x2776, 0x2793 },
  { 0x2B4D, 0x2B4F }, { 0x2B5A, 0x2CE4 }, { 0x2CEB, 0x2CEE }, { 0x2CF2, 0x2CF8 },
  { 0x2CFD, 0x2CFD }, { 0x2D00, 0x2D6F }, { 0x2D71, 0x2D7E }, { 0x2D80, 0x2DDF },
  { 0x2E2F, 0x2E2F }, { 0x2E3C, 0x2E7F }, { 0x2E9A, 0x2E9A }, { 0x2EF4, 0x2EFF },
  { 0x2FD6, 0x2FEF }, { 0x2FFC, 0x2FFF }, { 0x3005, 0x3007 }, { 0x3021, 0x3029 },
  { 0x3031, 0x3035 }, { 0x3038, 0x303C }, { 0x3040, 0x3098 }, { 0x309D, 0x309F },
  { 0x30A1, 0x30FA }, { 0x30FC, 0x318F }, { 0x3192, 0x3195 }, { 0x31A0, 0x31BF },
  { 0x31E4, 0x31FF }, { 0x321F, 0x3229 }, { 0x3248, 0x324F }, { 0x3251, 0x325F },
  { 0x3280, 0x3289 }, { 0x32B1, 0x32BF }, { 0x32FF, 0x32FF }, { 0x3400, 0x4DBF },
  { 0x4E00, 0xA48F }, { 0xA4C7, 0xA4FD }, { 0xA500, 0xA60C }, { 0xA610, 0xA66E },
  { 0xA67F, 0xA69E }, { 0xA6A0, 0xA6EF }, { 0xA6F8, 0xA6FF }, { 0xA717, 0xA71F },
  { 0xA722, 0xA788 }, { 0xA78B, 0xA801 }, { 0xA803, 0xA805 }, { 0xA807, 0xA80A },
  { 0xA80C, 0xA822 }, { 0xA82C, 0xA835 }, { 0xA83A, 0xA873 }, { 0xA878, 0xA87F },
  { 0xA882, 0xA8B3 }, { 0xA8C5, 0xA8CD }, { 0xA8D0, 0xA8DF }, { 0xA8F2, 0xA8F7 },
  { 0xA8FB, 0xA925 }, { 0xA930, 0xA946 }, { 0xA954, 0xA95E }, { 0xA960, 0xA97F },
  { 0xA984, 0xA9B2 }, { 0xA9CE, 0xA9DD }, { 0xA9E0, 0xAA28 }, { 0xAA37, 0xAA42 },
  { 0xAA44, 0xAA4B }, { 0xAA4E, 0xAA5B }, { 0xAA60, 0xAA76 }, { 0xAA7A, 0xAA7A },
  { 0xAA7C, 0xAAAF }, { 0xAAB1, 0xAAB1 }, { 0xAAB5, 0xAAB6 }, { 0xAAB9, 0xAABD },
  { 0xAAC0, 0xAAC0 }, { 0xAAC2, 0xAADD }, { 0xAAE0, 0xAAEA }, { 0xAAF2, 0xAAF4 },
  { 0xAAF7, 0xABE2 }, { 0xABEE, 0xFB1D }, { 0xFB1F, 0xFB28 }, { 0xFB2A, 0xFBB1 },
  { 0xFBC2, 0xFD3D }, { 0xFD40, 0xFDFB }, { 0xFDFE, 0xFDFF }, { 0xFE1A, 0xFE1F },
  { 0xFE27, 0xFE2F }, { 0xFE53, 0xFE53 }, { 0xFE67, 0xFE67 }, { 0xFE6C, 0xFEFE },
  { 0xFF00, 0xFF00 }, { 0xFF10, 0xFF19 }, { 0xFF21, 0xFF3A }, { 0xFF41, 0xFF5A },
  { 0xFF66, 0xFFDF }, { 0xFFE7, 0xFFE7 }, { 0xFFEF, 0xFFF8 }, { 0x10000, 0x100FF },
  { 0x10103, 0x10136 }, { 0x10140, 0x10178 }, { 0x1018A, 0x1018F }, { 0x1019C, 0x101CF },
  { 0x101FE, 0x1039E }, { 0x103A0, 0x103CF }, { 0x103D1, 0x10856 }, { 0x10858, 0x1091E },
  { 0x10920, 0x1093E }, { 0x10940, 0x10A00 }, { 0x10A04, 0x10A04 }, { 0x10A07, 0x10A0B },
  { 0x10A10, 0x10A37 }, { 0x10A3B, 0x10A3E }, { 0x10A40, 0x10A4F }, { 0x10A59, 0x10A7E },
  { 0x10A80, 0x10B38 }, { 0x10B40, 0x10FFF }, { 0x11003, 0x11037 }, { 0x1104E, 0x1107F },
  { 0x11083, 0x110AF }, { 0x110C2, 0x110FF }, { 0x11103, 0x11126 }, { 0x11135, 0x1113F },
  { 0x11144, 0x1117F }, { 0x11183, 0x111B2 }, { 0x111C1, 0x111C4 }, { 0x111C9, 0x116AA },
  { 0x116B8, 0x1246F }, { 0x12474, 0x16F50 }, { 0x16F7F, 0x16F8E }, { 0x16F93, 0x1CFFF },
  { 0x1D0F6, 0x1D0FF }, { 0x1D127, 0x1D128 }, { 0x1D1DE, 0x1D1FF }, { 0x1D246, 0x1D2FF },
  { 0x1D357, 0x1D6C0 }, { 0x1D6C2, 0x1D6DA }, { 0x1D6DC, 0x1D6FA }, { 0x1D6FC, 0x1D714 },
  { 0x1D716, 0x1D734 }, { 0x1D736, 0x1D74E }, { 0x1D750, 0x1D76E }, { 0x1D770, 0x1D788 },
  { 0x1D78A, 0x1D7A8 }, { 0x1D7AA, 0x1D7C2 }, { 0x1D7C4, 0x1EEEF }, { 0x1EEF2, 0x1EFFF },
  { 0x1F02C, 0x1F02F }, { 0x1F094, 0x1F09F }, { 0x1F0AF, 0x1F0B0 }, { 0x1F0BF, 0x1F0C0 },
  { 0x1F0D0, 0x1F0D0 }, { 0x1F0E0, 0x1F10F }, { 0x1F12F, 0x1F12F }, { 0x1F16C, 0x1F16F },
  { 0x1F19B, 0x1F1E5 }, { 0x1F203, 0x1F20F }, { 0x1F23B, 0x1F23F }, { 0x1F249, 0x1F24F },
  { 0x1F252, 0x1F2FF }, { 0x1F321, 0x1F32F }, { 0x1F336, 0x1F336 }, { 0x1F37D, 0x1F37F },
  { 0x1F394, 0x1F39F }, { 0x1F3C5, 0x1F3C5 }, { 0x1F3CB, 0x1F3DF }, { 0x1F3F1, 0x1F3FF },
  { 0x1F43F, 0x1F43F }, { 0x1F441, 0x1F441 }, { 0x1F4F8, 0x1F4F8 }, { 0x1F4FD, 0x1F4FF },
  { 0x1F53E, 0x1F53F }, { 0x1F544, 0x1F54F }, { 0x1F568, 0x1F5FA }, { 0x1F641, 0x1F644 },
  { 0x1F650, 0x1F67F }, { 0x1F6C6, 0x1F6FF }, { 0x1F774, 0xE0000 }, { 0xE0002, 0xE001F },
  { 0xE0080, 0xE00FF }, { 0xE01F0, 0x10FFFF }

};

static gboolean
unicode61_is_word_char (gunichar c)
{
  gsize lo = 0, hi = G_N_ELEMENTS (unicode61_word_ranges);

  if (c < 0x80)
    return g_ascii_isalnum ((char) c);

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (c < unicode61_word_ranges[mid].first)
        hi = mid;
      else if (c > unicode61_word_ranges[mid].last)
        lo = mid + 1;
      else
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_mark (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
         type == G_UNICODE_ENCLOSING_MARK;
}

/* What unicode61 treats as part of a word, plus the combining marks that belong
 * to the letter before them (inside a quoted phrase FTS5 cuts again where it
 * must, so keeping them costs nothing). Everything else only separates words,
 * which is what keeps operators and punctuation out of the FTS5 syntax.
 * @is_base tells a character that is not a mark: a word needs one to be worth
 * searching. */
static gboolean
is_word_char (gunichar  c,
              gboolean *is_base)
{
  gboolean mark = c >= 0x300 && is_mark (c);

  *is_base = !mark && unicode61_is_word_char (c);
  return *is_base || mark;
}

gboolean
crm_search_is_word_char (gunichar c)
{
  gboolean is_base;

  return is_word_char (c, &is_base);
}

/* Splits folded, valid UTF-8 into words. A word made only of combining marks is
 * dropped: unicode61 may see no token in it, and an empty FTS5 phrase is useless. */
static GPtrArray *
split_words (const char *text,
             guint       max_words)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);
  guint word_chars = 0;
  gboolean has_base = FALSE;
  const char *p = text;

  for (;;)
    {
      gunichar c = *p != '\0' ? g_utf8_get_char (p) : 0;
      gboolean is_base = FALSE;

      if (c != 0 && is_word_char (c, &is_base))
        {
          if (word_chars < CRM_SEARCH_MAX_TOKEN_CHARS)
            {
              g_string_append_unichar (word, c);
              word_chars++;
            }
          has_base |= is_base;
        }
      else
        {
          if (word->len > 0 && has_base && words->len < max_words)
            g_ptr_array_add (words, g_strndup (word->str, word->len));
          g_string_truncate (word, 0);
          word_chars = 0;
          has_base = FALSE;
        }

      if (c == 0)
        break;
      p = g_utf8_next_char (p);
    }

  g_string_free (word, TRUE);
  return words;
}

CrmSearchQuery *
crm_search_query_parse (const char *text)
{
  CrmSearchQuery *query = g_new0 (CrmSearchQuery, 1);
  g_autofree char *valid = NULL;
  g_autofree char *composed = NULL;
  g_autofree char *folded = NULL;
  GPtrArray *words;

  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  /* Composed form, so "e" + combining acute is one character like the "é" that a
   * keyboard produces and that the stored text most likely holds. */
  composed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  folded = crm_search_fold (composed != NULL ? composed : valid);

  words = split_words (folded, CRM_SEARCH_MAX_TOKENS);
  query->n_tokens = words->len;
  g_ptr_array_add (words, NULL);
  query->tokens = (GStrv) g_ptr_array_free (words, FALSE);

  return query;
}

void
crm_search_query_free (CrmSearchQuery *query)
{
  if (query == NULL)
    return;

  g_strfreev (query->tokens);
  g_free (query);
}

char *
crm_search_quote (const char *word,
                  gboolean    prefix)
{
  GString *out = g_string_new ("\"");

  for (const char *p = word != NULL ? word : ""; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  if (prefix)
    g_string_append_c (out, '*');

  return g_string_free (out, FALSE);
}

char *
crm_search_query_to_fts (const CrmSearchQuery *query)
{
  GString *out;

  g_return_val_if_fail (query != NULL, NULL);

  if (query->n_tokens == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < query->n_tokens; i++)
    {
      g_autofree char *quoted = crm_search_quote (query->tokens[i], i + 1 == query->n_tokens);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, quoted);
    }

  return g_string_free (out, FALSE);
}

char *
crm_search_query_to_trigram (const CrmSearchQuery *query)
{
  GString *out;

  g_return_val_if_fail (query != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < query->n_tokens; i++)
    {
      g_autofree char *ascii = crm_search_fold_ascii (query->tokens[i]);
      g_autofree char *quoted = NULL;

      if (g_utf8_strlen (ascii, -1) < CRM_SEARCH_TRIGRAM_MIN_CHARS)
        continue;

      quoted = crm_search_quote (ascii, FALSE);
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, quoted);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

GStrv
crm_search_terms (const char *text,
                  guint       min_chars)
{
  g_autofree char *ascii = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GHashTable) seen = NULL;
  GPtrArray *terms;

  terms = g_ptr_array_new ();
  if (text == NULL)
    {
      g_ptr_array_add (terms, NULL);
      return (GStrv) g_ptr_array_free (terms, FALSE);
    }

  ascii = crm_search_fold_ascii (text);
  words = split_words (ascii, G_MAXUINT);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (g_utf8_strlen (word, -1) < min_chars || g_hash_table_contains (seen, word))
        continue;
      g_hash_table_add (seen, (gpointer) word);
      g_ptr_array_add (terms, g_strdup (word));
    }
  g_ptr_array_add (terms, NULL);

  return (GStrv) g_ptr_array_free (terms, FALSE);
}

guint
crm_search_edit_distance (const char *a,
                          const char *b,
                          guint       max)
{
  g_autofree gunichar *ua = NULL;
  g_autofree gunichar *ub = NULL;
  g_autofree guint *rows = NULL;
  glong la = 0, lb = 0;
  guint *prev2, *prev, *cur;

  ua = g_utf8_to_ucs4_fast (a != NULL ? a : "", -1, &la);
  ub = g_utf8_to_ucs4_fast (b != NULL ? b : "", -1, &lb);

  if ((guint) ABS (la - lb) > max)
    return max + 1;

  /* Three rolling rows of the dynamic programme; the one two rows back is what
   * lets a swap of neighbours ("genreale") cost one edit instead of two. */
  rows = g_new0 (guint, 3 * (lb + 1));
  prev2 = rows;
  prev = rows + (lb + 1);
  cur = rows + 2 * (lb + 1);

  for (glong j = 0; j <= lb; j++)
    prev[j] = (guint) j;

  for (glong i = 1; i <= la; i++)
    {
      guint row_min;
      guint *tmp;

      cur[0] = (guint) i;
      row_min = cur[0];
      for (glong j = 1; j <= lb; j++)
        {
          guint cost = ua[i - 1] == ub[j - 1] ? 0 : 1;
          guint best = MIN (prev[j] + 1, cur[j - 1] + 1);

          best = MIN (best, prev[j - 1] + cost);
          if (i > 1 && j > 1 && ua[i - 1] == ub[j - 2] && ua[i - 2] == ub[j - 1])
            best = MIN (best, prev2[j - 2] + 1);
          cur[j] = best;
          row_min = MIN (row_min, best);
        }

      if (row_min > max)
        return max + 1;

      tmp = prev2;
      prev2 = prev;
      prev = cur;
      cur = tmp;
    }

  return MIN (prev[lb], max + 1);
}
