/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-validate"

#include "config.h"

#include <string.h>

#include "crm-time.h"
#include "crm-validate.h"

/*
 * The syntax checks of crm-validate.h. They answer yes or no only, so that a
 * widget can call them on every keystroke; crm-validate.c turns a no into a
 * sentence.
 */

/* RFC 5322 "atext", the unquoted local part every mail server accepts. */
#define EMAIL_LOCAL_CHARS \
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-"

static gboolean
is_valid_email_local (const char *local,
                      gsize       len)
{
  /* RFC 5321 §4.5.3.1.1: 64 octets at most. Dots separate non-empty atoms. */
  if (len == 0 || len > 64 || local[0] == '.' || local[len - 1] == '.')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (local[i] == '.')
        {
          if (local[i + 1] == '.')
            return FALSE;
        }
      else if (strchr (EMAIL_LOCAL_CHARS, local[i]) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_valid_domain_label (const char *label,
                       gsize       len)
{
  if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (label[i]) && label[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
is_valid_email_domain (const char *domain)
{
  g_auto(GStrv) labels = NULL;
  guint n;
  const char *tld;

  /* RFC 5321 §4.5.3.1.2; a dot is required because a bare host name is not
   * an address anyone outside the firm can write to. */
  if (strlen (domain) > 253 || strchr (domain, '.') == NULL)
    return FALSE;

  labels = g_strsplit (domain, ".", -1);
  n = g_strv_length (labels);
  for (guint i = 0; i < n; i++)
    if (!is_valid_domain_label (labels[i], strlen (labels[i])))
      return FALSE;

  /* Top-level domains are never all digits: that is an IP address. */
  tld = labels[n - 1];
  return strlen (tld) >= 2 && strspn (tld, "0123456789") != strlen (tld);
}

gboolean
crm_is_valid_email (const char *text)
{
  const char *at;

  if (text == NULL || strlen (text) > 254)
    return FALSE;

  at = strchr (text, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    return FALSE;

  return is_valid_email_local (text, (gsize) (at - text)) && is_valid_email_domain (at + 1);
}

/* Invalid UTF-8 counts as such a character: it cannot be walked safely. */
static gboolean
has_space_or_control (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return TRUE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        return TRUE;
    }
  return FALSE;
}

gboolean
crm_is_valid_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (text == NULL || has_space_or_control (text))
    return FALSE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  /* Only what a browser opens: a "javascript:" or "file:" link in a CRM
   * record is a trap for whoever clicks it. */
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;

  /* The host comes back percent-decoded: "exa%20mple.fr" hides a space. */
  host = g_uri_get_host (uri);
  return host != NULL && *host != '\0' && host[0] != '.' && host[0] != '-'
         && !has_space_or_control (host);
}

gboolean
crm_is_valid_phone (const char *text)
{
  guint digits = 0;
  int open_parens = 0;

  if (text == NULL)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p == '+')
        {
          /* The international prefix, and nowhere else. */
          if (p != text)
            return FALSE;
        }
      else if (*p == '(')
        {
          if (++open_parens > 1)
            return FALSE;
        }
      else if (*p == ')')
        {
          if (--open_parens < 0)
            return FALSE;
        }
      else if (*p != ' ' && *p != '.' && *p != '-')
        return FALSE;
    }

  /* E.164 caps numbers at 15 digits; 20 leaves room for an extension or a
   * trunk prefix written as "(0)". Fewer than 6 is no phone number at all. */
  return open_parens == 0 && digits >= 6 && digits <= 20;
}

gboolean
crm_is_valid_date (const char *text)
{
  return crm_date_parse (text, NULL, NULL, NULL);
}

gboolean
crm_is_valid_datetime (const char *text)
{
  return crm_time_parse (text, NULL);
}

gboolean
crm_is_valid_mandat_number (const char *text)
{
  gsize n_digits;
  int year;

  /* ^M-\d{4}-\d{3,6}$, ASCII digits only. */
  if (text == NULL || strncmp (text, "M-", 2) != 0)
    return FALSE;
  if (strspn (text + 2, "0123456789") != 4 || text[6] != '-')
    return FALSE;

  n_digits = strspn (text + 7, "0123456789");
  if (n_digits < 3 || n_digits > 6 || text[7 + n_digits] != '\0')
    return FALSE;

  /* The firm's archive starts in 1990; a year past 2100 is a typing slip. */
  year = (int) g_ascii_strtoll (text + 2, NULL, 10);
  return year >= 1990 && year <= 2100;
}
