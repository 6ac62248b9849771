/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-config"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <libpq-fe.h>
#include <string.h>
#include <sys/stat.h>

#include "crm-config-private.h"

G_DEFINE_QUARK (crm-config-error-quark, crm_config_error)

typedef struct _Setting Setting;

/* Parses one textual value (from the file or the environment) into the config. */
typedef gboolean (*SettingParse) (CrmConfig     *self,
                                  const Setting *setting,
                                  const char    *value,
                                  GError       **error);

struct _Setting
{
  const char  *group;
  const char  *key;
  const char  *env;
  SettingParse parse;
  gsize        offset;
  guint64      min;
  guint64      max;
  const char  *unit;  /* appended to range messages */
};

static gboolean parse_string (CrmConfig *, const Setting *, const char *, GError **);
static gboolean parse_listen (CrmConfig *, const Setting *, const char *, GError **);
static gboolean parse_uint (CrmConfig *, const Setting *, const char *, GError **);
static gboolean parse_bool (CrmConfig *, const Setting *, const char *, GError **);
static gboolean parse_size (CrmConfig *, const Setting *, const char *, GError **);
static gboolean parse_log_format (CrmConfig *, const Setting *, const char *, GError **);
static gboolean parse_log_level (CrmConfig *, const Setting *, const char *, GError **);

#define OFF(field) G_STRUCT_OFFSET (CrmConfig, field)

/*
 * Every key the server knows, with the environment variable that overrides it. The
 * documentation table (docs/) is written from this one; keep them in step.
 */
static const Setting settings[] = {
  { "server", "listen", "ALFORIS_LISTEN", parse_listen, OFF (listen), 0, 0 },
  { "server", "port", "ALFORIS_PORT", parse_uint, OFF (port), 1, 65535 },
  { "server", "tls-certificate", "ALFORIS_TLS_CERTIFICATE", parse_string, OFF (tls_certificate),
    0, 0 },
  { "server", "tls-key", "ALFORIS_TLS_KEY", parse_string, OFF (tls_key), 0, 0 },
  { "server", "development", "ALFORIS_DEVELOPMENT", parse_bool, OFF (development), 0, 0 },
  { "server", "body-limit", "ALFORIS_BODY_LIMIT", parse_size, OFF (body_limit), 1024,
    G_GUINT64_CONSTANT (1) << 30 },
  { "database", "url", "ALFORIS_DATABASE_URL", parse_string, OFF (database_url), 0, 0 },
  { "database", "pool-size", "ALFORIS_POOL_SIZE", parse_uint, OFF (pool_size), 1, 64 },
  { "auth", "jwt-secret-file", "ALFORIS_JWT_SECRET_FILE", parse_string, OFF (jwt_secret_file),
    0, 0 },
  { "auth", "jwt-secret", "ALFORIS_JWT_SECRET", parse_string, OFF (jwt_secret_inline), 0, 0 },
  { "auth", "access-token-ttl", "ALFORIS_ACCESS_TOKEN_TTL", parse_uint, OFF (access_token_ttl),
    CRM_CONFIG_MIN_ACCESS_TOKEN_TTL, CRM_CONFIG_MAX_ACCESS_TOKEN_TTL,
    " secondes (un jeton d'accès vit 15 minutes au plus)" },
  { "log", "format", "ALFORIS_LOG_FORMAT", parse_log_format, OFF (log_format), 0, 0 },
  { "log", "level", "ALFORIS_LOG_LEVEL", parse_log_level, OFF (log_level), 0, 0 },
  { "sentry", "dsn", "ALFORIS_SENTRY_DSN", parse_string, OFF (sentry_dsn), 0, 0 },
};

#undef OFF

static const struct
{
  const char  *name;
  CrmLogFormat format;
} log_formats[] = {
  { "auto", CRM_LOG_FORMAT_AUTO },
  { "journal", CRM_LOG_FORMAT_JOURNAL },
  { "json", CRM_LOG_FORMAT_JSON },
  { "text", CRM_LOG_FORMAT_TEXT },
};

static const struct
{
  const char    *name;
  GLogLevelFlags level;
} log_levels[] = {
  { "error", G_LOG_LEVEL_ERROR },
  { "critical", G_LOG_LEVEL_CRITICAL },
  { "warning", G_LOG_LEVEL_WARNING },
  { "message", G_LOG_LEVEL_MESSAGE },
  { "info", G_LOG_LEVEL_INFO },
  { "debug", G_LOG_LEVEL_DEBUG },
};

#define FIELD(self, setting, type) ((type *) G_STRUCT_MEMBER_P ((self), (setting)->offset))

CrmConfig *
crm_config_new (void)
{
  CrmConfig *self = g_new0 (CrmConfig, 1);

  self->listen = g_strdup ("127.0.0.1");
  self->port = 8443;
  self->body_limit = CRM_CONFIG_DEFAULT_BODY_LIMIT;
  self->pool_size = 8;
  self->access_token_ttl = CRM_CONFIG_MAX_ACCESS_TOKEN_TTL;
  self->log_format = CRM_LOG_FORMAT_AUTO;
  self->log_level = G_LOG_LEVEL_INFO;
  self->problems = g_ptr_array_new_with_free_func (g_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->origins = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->parse_problems = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  return self;
}

static void
clear_secret_string (char **str)
{
  if (*str != NULL)
    explicit_bzero (*str, strlen (*str));
  g_clear_pointer (str, g_free);
}

void
crm_config_free (CrmConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->path);
  g_free (self->listen);
  g_free (self->tls_certificate);
  g_free (self->tls_key);
  g_free (self->database_url);
  g_free (self->jwt_secret_file);
  clear_secret_string (&self->jwt_secret_inline);
  g_clear_pointer (&self->jwt_secret, g_bytes_unref);
  g_free (self->sentry_dsn);
  g_ptr_array_unref (self->problems);
  g_ptr_array_unref (self->warnings);
  g_hash_table_unref (self->origins);
  g_hash_table_unref (self->parse_problems);
  g_free (self);
}

const char *
crm_config_log_format_to_string (CrmLogFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (log_formats); i++)
    if (log_formats[i].format == format)
      return log_formats[i].name;
  g_return_val_if_reached (NULL);
}

/* ---- parsing one value ------------------------------------------------------------ */

static gboolean
parse_string (CrmConfig     *self,
              const Setting *setting,
              const char    *value,
              GError       **error)
{
  char **field = FIELD (self, setting, char *);

  /* An empty value clears a setting, so the environment can switch off what the file set. */
  if (setting->offset == G_STRUCT_OFFSET (CrmConfig, jwt_secret_inline))
    clear_secret_string (field);
  else
    g_free (*field);
  *field = *value != '\0' ? g_strdup (value) : NULL;
  return TRUE;
}

static gboolean
parse_listen (CrmConfig     *self,
              const Setting *setting,
              const char    *value,
              GError       **error)
{
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (value);

  if (address == NULL)
    {
      g_set_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_INVALID,
                   _("« %s » n'est pas une adresse IP ; écrivez par exemple 127.0.0.1, "
                     "0.0.0.0 (toutes les interfaces IPv4) ou :: (toutes)."),
                   value);
      return FALSE;
    }

  g_free (self->listen);
  self->listen = g_strdup (value);
  return TRUE;
}

static gboolean
parse_uint (CrmConfig     *self,
            const Setting *setting,
            const char    *value,
            GError       **error)
{
  guint64 number = 0;
  g_autoptr (GError) local_error = NULL;

  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &number, &local_error))
    {
      g_set_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_INVALID,
                   _("« %s » n'est pas un nombre entier positif."), value);
      return FALSE;
    }
  if (number < setting->min || number > setting->max)
    {
      g_set_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_INVALID,
                   _("%s est hors limites : la valeur doit être comprise entre %u et %u%s."),
                   value, (guint) setting->min, (guint) setting->max,
                   setting->unit != NULL ? setting->unit : "");
      return FALSE;
    }

  *FIELD (self, setting, guint) = (guint) number;
  return TRUE;
}

static gboolean
parse_bool (CrmConfig     *self,
            const Setting *setting,
            const char    *value,
            GError       **error)
{
  static const char *const yes[] = { "true", "yes", "on", "1", NULL };
  static const char *const no[] = { "false", "no", "off", "0", NULL };
  g_autofree char *lower = g_ascii_strdown (value, -1);

  if (g_strv_contains (yes, lower))
    *FIELD (self, setting, gboolean) = TRUE;
  else if (g_strv_contains (no, lower))
    *FIELD (self, setting, gboolean) = FALSE;
  else
    {
      g_set_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_INVALID,
                   _("« %s » n'est pas un booléen ; écrivez true ou false."), value);
      return FALSE;
    }
  return TRUE;
}

/* Sizes take a plain byte count or a binary suffix: 2MiB, 512KiB, 2M, 512K. */
static gboolean
parse_size (CrmConfig     *self,
            const Setting *setting,
            const char    *value,
            GError       **error)
{
  static const struct { const char *suffix; guint64 factor; } units[] = {
    { "KiB", 1024 }, { "K", 1024 }, { "MiB", 1024 * 1024 }, { "M", 1024 * 1024 },
    { "GiB", 1024 * 1024 * 1024 }, { "G", 1024 * 1024 * 1024 }, { "", 1 },
  };
  g_autofree char *digits = NULL;
  guint64 factor = 1;
  guint64 number = 0;

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_has_suffix (value, units[i].suffix))
      {
        digits = g_strndup (value, strlen (value) - strlen (units[i].suffix));
        factor = units[i].factor;
        break;
      }

  if (!g_ascii_string_to_unsigned (g_strstrip (digits), 10, 0, G_MAXUINT32, &number, NULL))
    {
      g_set_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_INVALID,
                   _("« %s » n'est pas une taille ; écrivez un nombre d'octets ou par exemple "
                     "512KiB, 2MiB."),
                   value);
      return FALSE;
    }
  number *= factor;
  if (number < setting->min || number > setting->max)
    {
      g_autofree char *min = g_format_size_full (setting->min, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *max = g_format_size_full (setting->max, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_INVALID,
                   _("%s est hors limites : la taille doit être comprise entre %s et %s."),
                   value, min, max);
      return FALSE;
    }

  *FIELD (self, setting, guint64) = number;
  return TRUE;
}

static gboolean
parse_log_format (CrmConfig     *self,
                  const Setting *setting,
                  const char    *value,
                  GError       **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (log_formats); i++)
    if (g_ascii_strcasecmp (value, log_formats[i].name) == 0)
      {
        self->log_format = log_formats[i].format;
        return TRUE;
      }

  g_set_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_INVALID,
               _("format de journal inconnu « %s » ; valeurs possibles : auto, journal, json, "
                 "text."),
               value);
  return FALSE;
}

static gboolean
parse_log_level (CrmConfig     *self,
                 const Setting *setting,
                 const char    *value,
                 GError       **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (log_levels); i++)
    if (g_ascii_strcasecmp (value, log_levels[i].name) == 0)
      {
        self->log_level = log_levels[i].level;
        return TRUE;
      }

  g_set_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_INVALID,
               _("niveau de journal inconnu « %s » ; valeurs possibles : error, critical, "
                 "warning, message, info, debug."),
               value);
  return FALSE;
}

/* ---- sources ------------------------------------------------------------------------ */

void
crm_config_add_problem (CrmConfig  *self,
                        const char *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

void
crm_config_add_warning (CrmConfig  *self,
                        const char *format,
                        ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

static const Setting *
find_setting (const char *group,
              const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_str_equal (settings[i].group, group) && g_str_equal (settings[i].key, key))
      return &settings[i];
  return NULL;
}

/* The name a person looks for: the file's group and key, or the variable that overrode it. */
static const char *
origin (CrmConfig     *self,
        const Setting *setting)
{
  return g_hash_table_lookup (self->origins, setting);
}

static char *
default_origin (const Setting *setting)
{
  return g_strdup_printf ("[%s] %s", setting->group, setting->key);
}

static const char *
origin_or_key (CrmConfig     *self,
               const Setting *setting)
{
  const char *where = origin (self, setting);

  if (where == NULL)
    {
      g_hash_table_insert (self->origins, (gpointer) setting, default_origin (setting));
      where = origin (self, setting);
    }
  return where;
}

static void
apply_value (CrmConfig     *self,
             const Setting *setting,
             const char    *value,
             char          *where)
{
  g_autoptr (GError) error = NULL;

  char *earlier_problem = NULL;

  if (!setting->parse (self, setting, value, &error))
    {
      g_hash_table_insert (self->parse_problems, (gpointer) setting,
                           g_strdup_printf ("%s : %s", where, error->message));
      g_free (where);
      return;
    }

  /* A bad value in the file that the environment replaces no longer stops the server. */
  if (g_hash_table_steal_extended (self->parse_problems, setting, NULL,
                                   (gpointer *) &earlier_problem))
    {
      crm_config_add_warning (self, _("%s (valeur ignorée : %s la remplace)"), earlier_problem,
                              where);
      g_free (earlier_problem);
    }
  g_hash_table_insert (self->origins, (gpointer) setting, where);
}

/* In the order of the settings table, so the report reads the same every time. */
static void
report_parse_problems (CrmConfig *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const char *message = g_hash_table_lookup (self->parse_problems, &settings[i]);

      if (message != NULL)
        crm_config_add_problem (self, "%s", message);
    }
  g_hash_table_remove_all (self->parse_problems);
}

/* Edit distance, to suggest the key someone meant when they misspelled it. */
static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

static const char *
suggest_key (const char *group,
             const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_str_equal (settings[i].group, group) && edit_distance (settings[i].key, key) <= 2)
      return settings[i].key;
  return NULL;
}

static gboolean
group_is_known (const char *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_str_equal (settings[i].group, group))
      return TRUE;
  return FALSE;
}

static void
apply_key (CrmConfig  *self,
           GKeyFile   *key_file,
           const char *group,
           const char *key)
{
  const Setting *setting = find_setting (group, key);
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;
  const char *suggestion;

  if (setting == NULL)
    {
      suggestion = suggest_key (group, key);
      if (suggestion != NULL)
        crm_config_add_warning (self, _("[%s] %s : clé inconnue, ignorée ; "
                                        "vouliez-vous dire « %s » ?"),
                                group, key, suggestion);
      else
        crm_config_add_warning (self, _("[%s] %s : clé inconnue, ignorée."), group, key);
      return;
    }

  value = g_key_file_get_string (key_file, group, key, &error);
  if (value == NULL)
    {
      crm_config_add_problem (self, "[%s] %s : %s", group, key, error->message);
      return;
    }
  apply_value (self, setting, g_strstrip (value), default_origin (setting));
}

static void
apply_key_file (CrmConfig *self,
                GKeyFile  *key_file)
{
  g_auto (GStrv) groups = g_key_file_get_groups (key_file, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto (GStrv) keys = NULL;

      /* A group written twice is listed twice, but its keys are already merged. */
      if (!g_hash_table_add (seen, groups[i]))
        continue;
      if (!group_is_known (groups[i]))
        {
          crm_config_add_warning (self, _("[%s] : groupe inconnu, ignoré ; les groupes sont "
                                          "server, database, auth, log et sentry."),
                                  groups[i]);
          continue;
        }
      keys = g_key_file_get_keys (key_file, groups[i], NULL, NULL);
      for (guint j = 0; keys[j] != NULL; j++)
        apply_key (self, key_file, groups[i], keys[j]);
    }
}

static const Setting *
find_setting_by_env (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_str_equal (settings[i].env, name))
      return &settings[i];
  return NULL;
}

static void
apply_environment (CrmConfig          *self,
                   const char * const *envp)
{
  for (guint i = 0; envp[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      const char *equals = strchr (envp[i], '=');
      const Setting *setting;

      if (!g_str_has_prefix (envp[i], "ALFORIS_") || equals == NULL)
        continue;
      name = g_strndup (envp[i], equals - envp[i]);
      setting = find_setting_by_env (name);
      if (setting == NULL)
        {
          crm_config_add_warning (self, _("%s : variable d'environnement inconnue, ignorée."),
                                  name);
          continue;
        }
      apply_value (self, setting, equals + 1, g_steal_pointer (&name));
    }
}

static gboolean
came_from_environment (CrmConfig  *self,
                       const char *key)
{
  const char *where = origin (self, find_setting ("auth", key));

  return where != NULL && g_str_has_prefix (where, "ALFORIS_");
}

/*
 * Two ways to give the signing secret. A variable overrides whatever the file said,
 * whichever of the two forms each uses; two forms at the same level are a mistake.
 */
static void
choose_secret_source (CrmConfig *self)
{
  gboolean inline_env = came_from_environment (self, "jwt-secret");
  gboolean file_env = came_from_environment (self, "jwt-secret-file");

  if (inline_env && !file_env)
    g_clear_pointer (&self->jwt_secret_file, g_free);
  else if (file_env && !inline_env)
    clear_secret_string (&self->jwt_secret_inline);

  if (self->jwt_secret_inline != NULL && self->jwt_secret_file != NULL)
    crm_config_add_problem (self, _("%s et %s : deux secrets de signature sont donnés ; "
                                    "gardez-en un seul (de préférence le fichier)."),
                            origin_or_key (self, find_setting ("auth", "jwt-secret-file")),
                            origin_or_key (self, find_setting ("auth", "jwt-secret")));
}

static void
read_secret_file (CrmConfig *self)
{
  const char *where = origin_or_key (self, find_setting ("auth", "jwt-secret-file"));
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  struct stat st;

  if (!g_file_get_contents (self->jwt_secret_file, &contents, &length, &error))
    {
      crm_config_add_problem (self, _("%s : impossible de lire le secret : %s"), where,
                              error->message);
      return;
    }
  if (stat (self->jwt_secret_file, &st) == 0 && (st.st_mode & 0077) != 0)
    crm_config_add_warning (self, _("%s : %s est lisible par d'autres utilisateurs ; "
                                    "faites chmod 600 sur ce fichier."),
                            where, self->jwt_secret_file);

  /* A file written by `echo` or an editor ends with a newline that is not part of the key. */
  while (length > 0 && (contents[length - 1] == '\n' || contents[length - 1] == '\r'))
    length--;
  self->jwt_secret = g_bytes_new (contents, length);
  explicit_bzero (contents, length);
}

static void
resolve_secret (CrmConfig *self)
{
  choose_secret_source (self);
  if (self->jwt_secret_file != NULL && self->jwt_secret_inline == NULL)
    read_secret_file (self);
  else if (self->jwt_secret_inline != NULL && self->jwt_secret_file == NULL)
    self->jwt_secret = g_bytes_new (self->jwt_secret_inline, strlen (self->jwt_secret_inline));
}

static gboolean
load_key_file (CrmConfig  *self,
               const char *path,
               gboolean    path_is_explicit,
               GError    **error)
{
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      /* Without --config a missing file is fine: the environment may say everything. */
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) && !path_is_explicit)
        return TRUE;
      if (local_error->domain == G_FILE_ERROR)
        g_set_error (error, CRM_CONFIG_ERROR,
                     local_error->code == G_FILE_ERROR_NOENT ? CRM_CONFIG_ERROR_NOT_FOUND
                                                             : CRM_CONFIG_ERROR_UNREADABLE,
                     _("Impossible de lire le fichier de configuration %s : %s"),
                     path, local_error->message);
      else
        g_set_error (error, CRM_CONFIG_ERROR, CRM_CONFIG_ERROR_SYNTAX,
                     _("Le fichier de configuration %s est mal formé : %s"),
                     path, local_error->message);
      return FALSE;
    }

  self->path = g_strdup (path);
  apply_key_file (self, key_file);
  return TRUE;
}

/**
 * crm_config_load:
 * @path: (nullable): the file to read, or %NULL for none
 * @path_is_explicit: whether the user named @path; a missing default file is not an error
 * @envp: (nullable): the environment to read overrides from, %NULL for the process's own
 *
 * Reads the file, then the environment over it. Values that are wrong land in
 * `problems` rather than in @error: @error is only for a file that cannot be read at all.
 */
CrmConfig *
crm_config_load (const char         *path,
                 gboolean            path_is_explicit,
                 const char * const *envp,
                 GError            **error)
{
  g_autoptr (CrmConfig) self = crm_config_new ();
  g_auto (GStrv) own_environment = NULL;

  if (path != NULL && !load_key_file (self, path, path_is_explicit, error))
    return NULL;

  if (envp == NULL)
    {
      own_environment = g_get_environ ();
      envp = (const char * const *) own_environment;
    }
  apply_environment (self, envp);
  report_parse_problems (self);
  resolve_secret (self);

  return g_steal_pointer (&self);
}


/* The name to print for a setting: where its value came from, else its group and key. */
const char *
crm_config_where (CrmConfig  *self,
                  const char *group,
                  const char *key)
{
  const Setting *setting = find_setting (group, key);

  g_return_val_if_fail (setting != NULL, key);
  return origin_or_key (self, setting);
}
