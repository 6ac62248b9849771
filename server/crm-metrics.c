/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-metrics"

#include "config.h"

#include <glib/gi18n.h>

#include "crm-api-private.h"

/*
 * Prometheus text exposition (version 0.0.4): requests per route template (never per
 * raw path, so ids cannot blow the series up), their latency as a histogram, and the
 * PostgreSQL pool. Observed on the main loop, rendered on the main loop; the mutex is
 * there for route files that observe from a worker.
 */

static const double buckets[] = {
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
};

typedef struct
{
  guint64 count[G_N_ELEMENTS (buckets)];  /* cumulative on output, per bucket here */
  guint64 total;
  double  sum;
} Histogram;

struct _CrmMetrics
{
  GMutex      lock;
  GHashTable *requests;    /* "method\troute\tstatus" → guint64* */
  GHashTable *latencies;   /* "method\troute" → Histogram* */
  gint64      started;     /* Unix seconds */
};

CrmMetrics *
crm_metrics_new (void)
{
  CrmMetrics *metrics = g_new0 (CrmMetrics, 1);

  g_mutex_init (&metrics->lock);
  metrics->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  metrics->latencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  metrics->started = g_get_real_time () / G_USEC_PER_SEC;
  return metrics;
}

void
crm_metrics_free (CrmMetrics *metrics)
{
  if (metrics == NULL)
    return;
  g_hash_table_unref (metrics->requests);
  g_hash_table_unref (metrics->latencies);
  g_mutex_clear (&metrics->lock);
  g_free (metrics);
}

void
crm_metrics_observe (CrmMetrics *metrics,
                     const char *method,
                     const char *route,
                     guint       status,
                     double      seconds)
{
  /* Keys on the stack: a copy only for a series seen the first time. Route templates
   * are short; a longer one is cut, which only merges its series. */
  char request_key[512];
  char latency_key[512];
  guint64 *count;
  Histogram *histogram;

  g_snprintf (latency_key, sizeof latency_key, "%s\t%s", method, route);
  g_snprintf (request_key, sizeof request_key, "%s\t%u", latency_key, status);

  g_mutex_lock (&metrics->lock);
  count = g_hash_table_lookup (metrics->requests, request_key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (metrics->requests, g_strdup (request_key), count);
    }
  (*count)++;

  histogram = g_hash_table_lookup (metrics->latencies, latency_key);
  if (histogram == NULL)
    {
      histogram = g_new0 (Histogram, 1);
      g_hash_table_insert (metrics->latencies, g_strdup (latency_key), histogram);
    }
  for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
    if (seconds <= buckets[i])
      {
        histogram->count[i]++;
        break;
      }
  histogram->total++;
  histogram->sum += seconds;
  g_mutex_unlock (&metrics->lock);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/* Keys sorted, so the output is stable and diffable. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static void
render_requests (CrmMetrics *metrics,
                 GString    *out)
{
  g_autoptr (GPtrArray) keys = sorted_keys (metrics->requests);

  g_string_append (out,
                   "# HELP alforis_http_requests_total HTTP requests answered, by route template "
                   "and status.\n"
                   "# TYPE alforis_http_requests_total counter\n");
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_auto (GStrv) parts = g_strsplit (key, "\t", 3);
      guint64 *count = g_hash_table_lookup (metrics->requests, key);

      g_string_append_printf (out,
                              "alforis_http_requests_total{method=\"%s\",route=\"%s\","
                              "status=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              parts[0], parts[1], parts[2], *count);
    }
}

static void
render_latencies (CrmMetrics *metrics,
                  GString    *out)
{
  g_autoptr (GPtrArray) keys = sorted_keys (metrics->latencies);

  g_string_append (out,
                   "# HELP alforis_http_request_duration_seconds Time from the first byte of a "
                   "request to its answer.\n"
                   "# TYPE alforis_http_request_duration_seconds histogram\n");
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_auto (GStrv) parts = g_strsplit (key, "\t", 2);
      Histogram *histogram = g_hash_table_lookup (metrics->latencies, key);
      g_autofree char *labels = g_strdup_printf ("method=\"%s\",route=\"%s\"", parts[0],
                                                 parts[1]);
      guint64 cumulative = 0;
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      for (guint b = 0; b < G_N_ELEMENTS (buckets); b++)
        {
          cumulative += histogram->count[b];
          g_string_append_printf (out,
                                  "alforis_http_request_duration_seconds_bucket{%s,le=\"%s\"} "
                                  "%" G_GUINT64_FORMAT "\n",
                                  labels, g_ascii_dtostr (number, sizeof number, buckets[b]),
                                  cumulative);
        }
      g_string_append_printf (out,
                              "alforis_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} "
                              "%" G_GUINT64_FORMAT "\n",
                              labels, histogram->total);
      g_string_append_printf (out, "alforis_http_request_duration_seconds_sum{%s} %s\n", labels,
                              g_ascii_dtostr (number, sizeof number, histogram->sum));
      g_string_append_printf (out,
                              "alforis_http_request_duration_seconds_count{%s} %" G_GUINT64_FORMAT
                              "\n",
                              labels, histogram->total);
    }
}

char *
crm_metrics_render (CrmMetrics *metrics,
                    CrmDbPool  *pool)
{
  GString *out = g_string_new (NULL);

  g_mutex_lock (&metrics->lock);
  render_requests (metrics, out);
  render_latencies (metrics, out);
  g_mutex_unlock (&metrics->lock);

  g_string_append_printf (out,
                          "# HELP alforis_db_pool_connections PostgreSQL connections of the "
                          "pool.\n"
                          "# TYPE alforis_db_pool_connections gauge\n"
                          "alforis_db_pool_connections{state=\"busy\"} %u\n"
                          "alforis_db_pool_connections{state=\"total\"} %u\n",
                          crm_db_pool_get_busy (pool), crm_db_pool_get_size (pool));
  g_string_append_printf (out,
                          "# HELP alforis_process_start_time_seconds When the server started.\n"
                          "# TYPE alforis_process_start_time_seconds gauge\n"
                          "alforis_process_start_time_seconds %" G_GINT64_FORMAT "\n"
                          "# HELP alforis_build_info The running version.\n"
                          "# TYPE alforis_build_info gauge\n"
                          "alforis_build_info{version=\"%s\"} 1\n",
                          metrics->started, PACKAGE_VERSION);
  return g_string_free (out, FALSE);
}
