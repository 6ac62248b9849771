/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-server"

#include "config.h"

#include <string.h>

#include "bench-server.h"
#include "crm-time.h"
#include "crm-uuid.h"

/*
 * 100k organisations through crm_store_mutate() would take minutes (a transaction, a
 * change-log row, an event and an audit row each); COPY writes the same rows in a few
 * seconds. What the store reads back is all there: a version taken from the change
 * sequence (and the counter moved past it), created_seq, a stamp per written field as
 * crm_pg_stamps_json() makes them, and a change-log row so a sync pull sees the rows.
 * Events and audit rows are left out on purpose: a bulk load is not 100k notifications.
 */

#define COPY_CHUNK (1024 * 1024)

static const char *const columns =
  "id, version, created_at, updated_at, created_by, updated_by, owner_id, team_id, deleted, "
  "name, type, category, pipeline_stage, email, phone, website, address, postal_code, city, "
  "country, language, aum_eur, notes, is_active, tags, created_seq, stamps";

/* The fields a create through the store would stamp: every one written, plus owner and
 * team (crm-pg-mutate.c, writable_fields). */
static const char *const stamped[] = {
  "owner_id", "team_id", "name", "type", "category", "pipeline_stage", "email", "phone",
  "website", "address", "postal_code", "city", "country", "language", "aum_eur", "notes",
  "is_active", "tags",
};

static const char *const types[] = { "investor", "fournisseur", "distributor", "partner",
                                     "other" };
static const char *const categories[] = { "institutional", "wholesale", "cgpi", "family_office",
                                          "corporate", "other" };
static const char *const stages[] = { "prospect", "qualified", "proposal", "negotiation", "won",
                                      "lost", "dormant" };
static const struct
{
  const char *name;
  const char *postal_code;
} cities[] = {
  { "Paris", "75008" }, { "Lyon", "69002" }, { "Marseille", "13001" }, { "Besançon", "25000" },
  { "Orléans", "45000" }, { "Nîmes", "30000" }, { "Bordeaux", "33000" },
  { "Saint-Étienne", "42000" },
};
static const char *const words[] = { "Gestion", "Patrimoine", "Capital", "Finance", "Conseil",
                                     "Partenaires", "Investissements", "Privée" };

static gboolean
exec_ok (PGconn      *conn,
         const char  *sql,
         int          n_params,
         const char  *const *values,
         PGresult   **out,
         GError     **error)
{
  PGresult *result = PQexecParams (conn, sql, n_params, NULL, values, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s : %s", sql,
                   PQresultErrorMessage (result));
      PQclear (result);
      return FALSE;
    }
  if (out != NULL)
    *out = result;
  else
    PQclear (result);
  return TRUE;
}

static void
append_stamps (GString    *line,
               gint64      seq,
               const char *author_id)
{
  g_string_append_c (line, '{');
  for (guint i = 0; i < G_N_ELEMENTS (stamped); i++)
    g_string_append_printf (line, "%s\"%s\":{\"v\":%" G_GINT64_FORMAT ",\"c\":null,\"u\":\"%s\"}",
                            i > 0 ? "," : "", stamped[i], seq, author_id);
  g_string_append_c (line, '}');
}

/* One line of COPY text: tab-separated, \N for NULL; none of the values holds a tab, a
 * newline or a backslash. */
static void
append_row (GString         *out,
            const BenchLoad *load,
            guint            i,
            const char      *id,
            gint64           seq,
            const char      *stamp_time)
{
  const char *owner = load->owner_ids[i % g_strv_length (load->owner_ids)];
  guint city = (i * 7) % G_N_ELEMENTS (cities);

  g_string_append_printf (out, "%s\t%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\tf\t",
                          id, seq, stamp_time, stamp_time, load->author_id, load->author_id,
                          owner, load->team_id);
  g_string_append_printf (out, "%s %s %06u\t%s\t%s\t%s\t", words[i % G_N_ELEMENTS (words)],
                          words[(i / 8) % G_N_ELEMENTS (words)], i,
                          types[i % G_N_ELEMENTS (types)],
                          categories[(i / 5) % G_N_ELEMENTS (categories)],
                          stages[(i / 3) % G_N_ELEMENTS (stages)]);
  g_string_append_printf (out, "contact%u@societe-%u.fr\t+33 1 %02u %02u %02u %02u\t"
                          "https://www.societe-%u.fr\t%u rue de la République\t%s\t%s\tFR\tfr\t",
                          i, i, (i / 1000000) % 100, (i / 10000) % 100, (i / 100) % 100, i % 100,
                          i, 1 + i % 180, cities[city].postal_code, cities[city].name);
  g_string_append_printf (out, "%u.%02u\tClient suivi depuis %u ; rendez-vous trimestriel, "
                          "intérêt pour les fonds obligataires.\tt\t{%s,%s}\t%" G_GINT64_FORMAT
                          "\t",
                          (i * 7919u) % 900000000u + 100000u, i % 100, 2000 + i % 25,
                          i % 2 == 0 ? "premium" : "standard", i % 3 == 0 ? "esg" : "dette",
                          seq);
  append_stamps (out, seq, load->author_id);
  g_string_append_c (out, '\n');
}

static gboolean
put (PGconn   *conn,
     GString  *buffer,
     GError  **error)
{
  if (buffer->len > 0 && PQputCopyData (conn, buffer->str, (int) buffer->len) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "COPY : %s", PQerrorMessage (conn));
      return FALSE;
    }
  g_string_truncate (buffer, 0);
  return TRUE;
}

static gboolean
copy_rows (PGconn          *conn,
           const BenchLoad *load,
           gint64           first_seq,
           char           **middle_id,
           GError         **error)
{
  g_autofree char *sql = g_strdup_printf ("COPY organisations (%s) FROM STDIN", columns);
  g_autoptr (GString) buffer = g_string_sized_new (COPY_CHUNK + 4096);
  g_autoptr (PGresult) started = PQexec (conn, sql);
  gint64 now = g_get_real_time ();
  PGresult *result;
  gboolean ok = TRUE;

  if (PQresultStatus (started) != PGRES_COPY_IN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", PQresultErrorMessage (started));
      return FALSE;
    }
  for (guint i = 0; i < load->count && ok; i++)
    {
      g_autofree char *id = crm_uuid7_new ();
      /* A second apart, oldest first, all in the past. */
      g_autofree char *when = crm_time_format ((now / G_USEC_PER_SEC - (gint64) (load->count - i))
                                               * G_USEC_PER_SEC);

      append_row (buffer, load, i, id, first_seq + i, when);
      if (i == load->count / 2)
        *middle_id = g_strdup (id);
      if (buffer->len >= COPY_CHUNK)
        ok = put (conn, buffer, error);
    }
  if (ok)
    ok = put (conn, buffer, error);
  if (PQputCopyEnd (conn, ok ? NULL : "abandon") != 1)
    ok = FALSE;
  while ((result = PQgetResult (conn)) != NULL)
    {
      if (PQresultStatus (result) != PGRES_COMMAND_OK && ok)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "COPY : %s",
                       PQresultErrorMessage (result));
          ok = FALSE;
        }
      PQclear (result);
    }
  return ok;
}

char *
bench_load_organisations (PGconn          *conn,
                          const BenchLoad *load,
                          GError         **error)
{
  g_autofree char *middle = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *last_text = NULL;
  PGresult *counter = NULL;
  gint64 first_seq;
  const char *range[2];

  g_return_val_if_fail (load->count > 0 && load->owner_ids[0] != NULL, NULL);

  /* The counter row stays locked until COMMIT, as for any writer (crm_pg_next_seq). */
  if (!exec_ok (conn, "BEGIN", 0, NULL, NULL, error)
      || !exec_ok (conn, "SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE", 0, NULL,
                   &counter, error))
    goto fail;
  first_seq = g_ascii_strtoll (PQgetvalue (counter, 0, 0), NULL, 10) + 1;
  PQclear (counter);

  first_text = g_strdup_printf ("%" G_GINT64_FORMAT, first_seq);
  last_text = g_strdup_printf ("%" G_GINT64_FORMAT, first_seq + load->count - 1);
  range[0] = first_text;
  range[1] = last_text;
  if (!copy_rows (conn, load, first_seq, &middle, error)
      || !exec_ok (conn,
                   "INSERT INTO change_log (seq, entity, entity_id, kind, version, deleted,"
                   " owner_after, team_after, user_id)"
                   " SELECT created_seq, 'organisation', id, 'create', version, deleted,"
                   " owner_id, team_id, created_by FROM organisations"
                   " WHERE created_seq BETWEEN $1::bigint AND $2::bigint",
                   2, range, NULL, error)
      || !exec_ok (conn, "UPDATE sync_counter SET seq = $1::bigint WHERE id = 1", 1, &range[1],
                   NULL, error)
      || !exec_ok (conn, "COMMIT", 0, NULL, NULL, error))
    goto fail;

  /* Fresh statistics, as autovacuum would have them after a while in production. */
  if (!exec_ok (conn, "VACUUM (ANALYZE) organisations", 0, NULL, NULL, error)
      || !exec_ok (conn, "ANALYZE change_log", 0, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&middle);

fail:
  PQclear (PQexec (conn, "ROLLBACK"));
  return NULL;
}
