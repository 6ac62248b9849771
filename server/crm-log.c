/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-log"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crm-log.h"

/*
 * One writer for the whole process, set up before any thread starts and never changed
 * afterwards, so the writer reads it without a lock.
 */
static struct
{
  CrmLogFormat   format;
  GLogLevelFlags threshold;
  int            fd;
  GLogLevelFlags observed;  /* the least severe level the observer hears about */
  CrmLogObserver observer;
} log_state = { CRM_LOG_FORMAT_TEXT, G_LOG_LEVEL_INFO, STDERR_FILENO, 0, NULL };

/* Fields GLib fills in that a reader of the text or JSON lines does not need. */
static const char *const hidden_fields[] = {
  "MESSAGE", "PRIORITY", "GLIB_DOMAIN", "GLIB_OLD_LOG_API", "CODE_FILE", "CODE_LINE",
  "CODE_FUNC", "SYSLOG_IDENTIFIER", NULL
};

static const char *const secret_words[] = {
  "password", "passwd", "token", "secret", "authorization", "cookie", NULL
};

/**
 * crm_log_field_is_secret:
 *
 * Matches by part of the name, whatever the case, so REFRESH_TOKEN, JWT_SECRET and
 * HTTP_AUTHORIZATION are caught without anyone having to list them.
 */
gboolean
crm_log_field_is_secret (const char *key)
{
  /* Without a lowered copy: this runs for every field of every request line. */
  for (const char *p = key; *p != '\0'; p++)
    for (guint i = 0; secret_words[i] != NULL; i++)
      if (g_ascii_tolower (*p) == secret_words[i][0]
          && g_ascii_strncasecmp (p, secret_words[i], strlen (secret_words[i])) == 0)
        return TRUE;
  return FALSE;
}

/*
 * A message is free text, so secrets in it are recognised by their shape: a bearer
 * token, the password of a connection URI, a password=... keyword. This is a safety
 * net; code is still expected never to put a secret in a message.
 */
/* Whether @text holds one of the literals every alternative of the pattern below needs
 * ("bearer", "://", "pass", "secret", "token", in any case). Most values (a path, a
 * status, a duration, an id) hold none, and a scan is far cheaper than the regex. */
static gboolean
might_hold_secret (const char *text)
{
  static const char *const literals[] = { "bearer", "pass", "secret", "token" };

  if (strstr (text, "://") != NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p++)
    {
      char c = g_ascii_tolower (*p);

      if (c != 'b' && c != 'p' && c != 's' && c != 't')
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
        if (g_ascii_strncasecmp (p, literals[i], strlen (literals[i])) == 0)
          return TRUE;
    }
  return FALSE;
}

char *
crm_log_scrub_message (const char *message)
{
  static GRegex *pattern = NULL;

  if (!might_hold_secret (message))
    return g_strdup (message);

  if (g_once_init_enter (&pattern))
    {
      GRegex *regex = g_regex_new ("(?i)(bearer\\s+)[^\\s\"',;]+"
                                   "|(://[^:/@\\s]*:)[^@\\s]+(@)"
                                   "|((?:password|passwd|secret|token)\\s*[=:]\\s*)[^\\s&\"',;]+",
                                   G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&pattern, regex);
    }
  return g_regex_replace (pattern, message, -1, 0, "\\1\\2\\4" CRM_LOG_REDACTED "\\3", 0, NULL);
}

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "error";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "critical";
  if (level & G_LOG_LEVEL_WARNING)
    return "warning";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "message";
  if (level & G_LOG_LEVEL_INFO)
    return "info";
  return "debug";
}

/* A field as text; binary values are not written out, only their size. */
static char *
field_value (const GLogField *field)
{
  if (field->length < 0)
    return g_strdup (field->value);
  if (g_utf8_validate (field->value, field->length, NULL))
    return g_strndup (field->value, field->length);
  return g_strdup_printf ("<%" G_GSSIZE_FORMAT " octets>", field->length);
}

/**
 * crm_log_field_to_text:
 *
 * The value of @field as every format writes it: masked when its name says secret,
 * scrubbed of secret-looking text otherwise.
 */
char *
crm_log_field_to_text (const GLogField *field)
{
  g_autofree char *value = NULL;

  if (crm_log_field_is_secret (field->key))
    return g_strdup (CRM_LOG_REDACTED);
  value = field_value (field);
  return crm_log_scrub_message (value);
}

static const GLogField *
find_field (const GLogField *fields,
            gsize            n_fields,
            const char      *key)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, key))
      return &fields[i];
  return NULL;
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  const char *run = text;

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      /* Runs of plain characters in one append: a line is mostly nothing but. */
      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else
        g_string_append_printf (out, "\\u%04x", c);
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

static char *
now_iso8601 (void)
{
  gint64 usec = g_get_real_time ();
  time_t seconds = (time_t) (usec / G_USEC_PER_SEC);
  struct tm utc;

  /* gmtime_r and one printf: a GDateTime and its format parser cost more, per line. */
  if (gmtime_r (&seconds, &utc) == NULL)
    return g_strdup ("1970-01-01T00:00:00.000000Z");
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900,
                          utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                          (int) (usec % G_USEC_PER_SEC));
}

static void
append_extra_fields (GString         *out,
                     CrmLogFormat     format,
                     const GLogField *fields,
                     gsize            n_fields)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      g_autofree char *long_key = NULL;
      g_autofree char *value = NULL;
      char short_key[64];
      const char *key = short_key;
      gsize length;

      if (g_strv_contains (hidden_fields, fields[i].key))
        continue;
      /* Lowered on the stack: field names are short, and this runs for every field of
       * every request line. */
      length = strlen (fields[i].key);
      if (length < sizeof short_key)
        {
          for (gsize j = 0; j <= length; j++)
            short_key[j] = g_ascii_tolower (fields[i].key[j]);
        }
      else
        key = long_key = g_ascii_strdown (fields[i].key, -1);
      value = crm_log_field_to_text (&fields[i]);
      if (format == CRM_LOG_FORMAT_JSON)
        {
          g_string_append_c (out, ',');
          append_json_string (out, key);
          g_string_append_c (out, ':');
          append_json_string (out, value);
        }
      else if (strpbrk (value, " \"=") != NULL || *value == '\0')
        {
          g_autofree char *quoted = g_strescape (value, NULL);

          g_string_append_printf (out, " %s=\"%s\"", key, quoted);
        }
      else
        g_string_append_printf (out, " %s=%s", key, value);
    }
}

/**
 * crm_log_format_line:
 *
 * One log record as a line (ending in a newline) in the JSON or text format, with every
 * secret field redacted. The journal format has no line; it falls back to text.
 */
char *
crm_log_format_line (CrmLogFormat     format,
                     GLogLevelFlags   level,
                     const GLogField *fields,
                     gsize            n_fields)
{
  const GLogField *message_field = find_field (fields, n_fields, "MESSAGE");
  const GLogField *domain_field = find_field (fields, n_fields, "GLIB_DOMAIN");
  g_autofree char *message = message_field != NULL ? crm_log_field_to_text (message_field)
                                                   : g_strdup ("");
  g_autofree char *domain = domain_field != NULL ? field_value (domain_field)
                                                 : g_strdup ("alforis-crm-server");
  g_autofree char *time = now_iso8601 ();
  GString *out = g_string_new (NULL);

  if (format == CRM_LOG_FORMAT_JSON)
    {
      g_string_append_printf (out, "{\"time\":\"%s\",\"level\":\"%s\",\"domain\":", time,
                              level_name (level));
      append_json_string (out, domain);
      g_string_append (out, ",\"message\":");
      append_json_string (out, message);
      append_extra_fields (out, format, fields, n_fields);
      g_string_append (out, "}\n");
    }
  else
    {
      g_string_append_printf (out, "%s %-8s %s: %s", time, level_name (level), domain, message);
      append_extra_fields (out, CRM_LOG_FORMAT_TEXT, fields, n_fields);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static void
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return;
      data += written;
      length -= written;
    }
}

/* The journal gets the same fields, but with secrets replaced, like the other formats. */
static GLogWriterOutput
write_journal (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields)
{
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree GLogField *copy = g_new (GLogField, n_fields);

  for (gsize i = 0; i < n_fields; i++)
    {
      copy[i] = fields[i];
      if (crm_log_field_is_secret (fields[i].key) || g_str_equal (fields[i].key, "MESSAGE"))
        {
          char *value = crm_log_field_to_text (&fields[i]);

          g_ptr_array_add (values, value);
          copy[i].value = value;
          copy[i].length = -1;
        }
    }
  return g_log_writer_journald (level, copy, n_fields, NULL);
}

static GLogWriterOutput
crm_log_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_autofree char *line = NULL;
  GLogLevelFlags severity = level & G_LOG_LEVEL_MASK;

  /* Lower numbers are more severe: ERROR is 1 << 2, DEBUG 1 << 7. */
  if (severity > log_state.threshold && !(level & G_LOG_FLAG_FATAL))
    return G_LOG_WRITER_HANDLED;

  if (log_state.format != CRM_LOG_FORMAT_JOURNAL
      || write_journal (level, fields, n_fields) != G_LOG_WRITER_HANDLED)
    {
      line = crm_log_format_line (log_state.format, level, fields, n_fields);
      write_all (log_state.fd, line, strlen (line));
    }
  if (log_state.observer != NULL && severity <= log_state.observed)
    log_state.observer (level, fields, n_fields);
  return G_LOG_WRITER_HANDLED;
}

/**
 * crm_log_set_observer:
 * @level: the least severe level @observer hears about (%G_LOG_LEVEL_WARNING: warnings,
 *   criticals, errors)
 * @observer: (nullable): %NULL to stop
 *
 * Like crm_log_init, call it before threads start or after they stopped.
 */
void
crm_log_set_observer (GLogLevelFlags level,
                      CrmLogObserver observer)
{
  log_state.observed = level;
  log_state.observer = observer;
}

/**
 * crm_log_init:
 * @format: %CRM_LOG_FORMAT_AUTO picks the journal when @fd is stderr connected to it
 * @threshold: the least severe level written (%G_LOG_LEVEL_INFO writes all but debug)
 * @fd: where text and JSON lines go, usually %STDERR_FILENO
 *
 * Call once, early, before any thread starts: GLib accepts only one writer per process.
 */
void
crm_log_init (CrmLogFormat   format,
              GLogLevelFlags threshold,
              int            fd)
{
  static gsize installed = 0;

  if (format == CRM_LOG_FORMAT_AUTO)
    format = (fd == STDERR_FILENO && g_log_writer_is_journald (fd)) ? CRM_LOG_FORMAT_JOURNAL
                                                                    : CRM_LOG_FORMAT_TEXT;
  log_state.format = format;
  log_state.threshold = threshold;
  log_state.fd = fd;

  if (g_once_init_enter (&installed))
    {
      g_log_set_writer_func (crm_log_writer, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}
