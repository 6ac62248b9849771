/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-replica"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-replica-private.h"
#include "crm-uuid.h"

/*
 * Deterministic demo data: the same seed gives the same CRM (ids aside, which
 * are UUIDv7 and so carry the time). A generator hands the rows out in batches,
 * so the benchmark can time the store apart from the making of the data; an
 * empty replica takes them through the initial load (crm-replica-load.c), the
 * path of a first sync. Rows are stored as pulled from a server (version 1,
 * nothing in the outbox).
 */

static const char *const company_heads[] = {
  "Société Générale", "Crédit", "Banque", "Caisse", "Mutuelle", "Groupe", "Financière",
  "Compagnie", "Gestion", "Patrimoine", "Assurances", "Fondation", "Holding", "Œuvre",
  "Cabinet", "Conseil", "Capital", "Investissements", "Épargne", "Famille",
};
static const char *const company_tails[] = {
  "du Rhône", "de Bretagne", "Lyonnaise", "Parisienne", "Méditerranée", "des Alpes",
  "Atlantique", "de l’Ouest", "Normande", "d’Aquitaine", "Provençale", "Alsacienne",
  "Dauphiné", "Bourgogne", "Lorraine", "Côte d’Azur", "Océane", "Pyrénées", "Auvergne",
  "Champagne", "Saint-Honoré", "Haussmann", "Vendôme", "Étoile", "Montaigne",
};
/* First names, each with whether it is a woman's, so titles agree with the person. */
typedef struct
{
  const char *name;
  gboolean    feminine;
} FirstName;

static const FirstName first_names[] = {
  { "Jean", FALSE }, { "Marie", TRUE }, { "Pierre", FALSE }, { "Sophie", TRUE },
  { "François", FALSE }, { "Hélène", TRUE }, { "Jérôme", FALSE }, { "Céline", TRUE },
  { "Loïc", FALSE }, { "Zoé", TRUE }, { "Benoît", FALSE }, { "Amélie", TRUE },
  { "Stéphane", FALSE }, { "Élodie", TRUE }, { "Gaëlle", TRUE }, { "Noël", FALSE },
  { "Anaïs", TRUE }, { "Théo", FALSE }, { "Léa", TRUE }, { "Mathéo", FALSE },
  { "Chloé", TRUE }, { "Raphaël", FALSE }, { "Inès", TRUE }, { "Clément", FALSE },
  { "Agnès", TRUE }, { "Joël", FALSE }, { "Maëlle", TRUE }, { "Frédéric", FALSE },
  { "Aurélie", TRUE }, { "Grégoire", FALSE }, { "Valérie", TRUE }, { "Cédric", FALSE },
  { "Lætitia", TRUE }, { "Hervé", FALSE }, { "Solène", TRUE },
};
static const char *const last_names[] = {
  "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
  "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
  "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèbvre",
  "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Légaré", "Château",
  "Bœuf", "Crépin", "Hébert", "Pâris", "Gauthier", "Perrin", "Clément", "Masson",
};
static const char *const cities[] = {
  "Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier",
  "Bordeaux", "Lille", "Rennes", "Reims", "Saint-Étienne", "Le Havre", "Toulon", "Grenoble",
  "Dijon", "Angers", "Nîmes", "Villeurbanne", "Clermont-Ferrand", "Aix-en-Provence",
  "Besançon", "Orléans", "Metz", "Rouen", "Mulhouse", "Caen", "Nancy", "Avignon",
};
/* Each title as a man's and as a woman's. */
static const char *const job_titles[][2] = {
  { "Directeur général", "Directrice générale" },
  { "Directeur financier", "Directrice financière" },
  { "Gérant de portefeuille", "Gérante de portefeuille" },
  { "Analyste", "Analyste" },
  { "Responsable des investissements", "Responsable des investissements" },
  { "Conseiller en gestion de patrimoine", "Conseillère en gestion de patrimoine" },
  { "Trésorier", "Trésorière" },
  { "Directeur commercial", "Directrice commerciale" },
  { "Chargé de relations investisseurs", "Chargée de relations investisseurs" },
  { "Associé", "Associée" },
  { "Secrétaire général", "Secrétaire générale" },
};
static const char *const products[] = {
  "Fonds actions Europe", "OPCVM obligataire", "SCPI de rendement", "Fonds euro",
  "FCPR innovation", "Multigestion flexible", "ETF marchés émergents", "Fonds ISR climat",
};
static const char *const subjects[] = {
  "Point trimestriel", "Présentation de la gamme", "Rendez-vous de suivi", "Appel découverte",
  "Relance proposition", "Comité d’investissement", "Déjeuner de travail", "Revue du mandat",
  "Réunion d’information", "Échange sur la performance",
};
static const char *const phrases[] = {
  "Le client souhaite diversifier son allocation vers des fonds à impact.",
  "Discussion sur la performance du fonds depuis le début de l’année.",
  "Intérêt marqué pour les produits obligataires à échéance.",
  "Prochaine étape : envoyer la documentation réglementaire et le DICI.",
  "Les frais de gestion ont été jugés élevés ; proposer une part institutionnelle.",
  "Le comité se réunira le mois prochain pour valider l’enveloppe.",
  "Besoin d’une analyse ESG détaillée avant toute décision.",
  "Très bonne relation, à recontacter après la clôture de l’exercice.",
};
static const char *const task_titles[] = {
  "Envoyer la plaquette", "Préparer la proposition", "Relancer par téléphone",
  "Organiser un rendez-vous", "Mettre à jour le KYC", "Signer l’avenant", "Préparer le reporting",
};
static const char *const tags[] = { "prioritaire", "ESG", "grand compte", "à relancer", "salon" };

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static char *
random_date (GRand *rand,
             int    from_year,
             int    years)
{
  return g_strdup_printf ("%04d-%02d-%02d", from_year + g_rand_int_range (rand, 0, years),
                          g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
}

static char *
random_datetime (GRand *rand,
                 int    from_year,
                 int    years)
{
  g_autofree char *date = random_date (rand, from_year, years);

  return g_strdup_printf ("%sT%02d:%02d:00Z", date, g_rand_int_range (rand, 7, 19),
                          g_rand_int_range (rand, 0, 4) * 15);
}

static char *
ascii_slug (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));

  return g_string_free (out, FALSE);
}

/* Slugs of a static list, computed once: g_str_to_ascii is slow for a hot loop. */
static GHashTable *
slugs_new (void)
{
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
}

static const char *
slug_of (GHashTable *slugs,
         const char *text)
{
  char *slug = g_hash_table_lookup (slugs, text);

  if (slug == NULL)
    {
      slug = ascii_slug (text);
      g_hash_table_insert (slugs, (gpointer) text, slug);
    }
  return slug;
}

static void
stamp (CrmRecord  *row,
       const char *id,
       const char *at,
       const char *user)
{
  crm_record_set_string (row, "id", id);
  crm_record_set_int (row, "version", 1);
  crm_record_set_string (row, "created_at", at);
  crm_record_set_string (row, "updated_at", at);
  crm_record_set_string (row, "created_by", user);
  crm_record_set_string (row, "updated_by", user);
  crm_record_set_string (row, "owner_id", user);
  crm_record_set_bool (row, "deleted", FALSE);
}

struct _CrmReplicaDemo
{
  GRand      *rand;
  GHashTable *slugs;
  char       *user;
  GPtrArray  *org_ids;
  GPtrArray  *person_ids;
  GPtrArray  *mandat_ids;
  guint       n_orgs, n_people, n_mandats, n_interactions, n_tasks;
  guint       made_orgs, made_people, made_mandats, made_interactions, made_tasks;
  guint       mandat_serial[10];
};

CrmReplicaDemo *
crm_replica_demo_new (guint       n_rows,
                      guint32     seed,
                      const char *user_id)
{
  CrmReplicaDemo *demo = g_new0 (CrmReplicaDemo, 1);

  demo->rand = g_rand_new_with_seed (seed);
  demo->slugs = slugs_new ();
  demo->user = g_strdup (user_id != NULL ? user_id : "01900000-0000-7000-8000-000000000001");
  demo->org_ids = g_ptr_array_new_with_free_func (g_free);
  demo->person_ids = g_ptr_array_new_with_free_func (g_free);
  demo->mandat_ids = g_ptr_array_new_with_free_func (g_free);
  demo->n_orgs = MAX (n_rows / 10, 1);
  demo->n_people = MAX (n_rows * 4 / 10, 1);
  demo->n_mandats = MAX (n_rows / 20, 1);
  demo->n_interactions = n_rows * 3 / 10;
  demo->n_tasks = n_rows * 15 / 100;
  return demo;
}

void
crm_replica_demo_free (CrmReplicaDemo *demo)
{
  if (demo == NULL)
    return;
  g_rand_free (demo->rand);
  g_hash_table_unref (demo->slugs);
  g_free (demo->user);
  g_ptr_array_unref (demo->org_ids);
  g_ptr_array_unref (demo->person_ids);
  g_ptr_array_unref (demo->mandat_ids);
  g_free (demo);
}

guint
crm_replica_demo_get_n_rows (const CrmReplicaDemo *demo)
{
  /* Every person comes with a link to an organisation. */
  return demo->n_orgs + 2 * demo->n_people + demo->n_mandats + demo->n_interactions +
         demo->n_tasks;
}

static const char *
pick_id (CrmReplicaDemo *demo,
         GPtrArray      *ids)
{
  return g_ptr_array_index (ids, g_rand_int_range (demo->rand, 0, (gint32) ids->len));
}

static CrmRecord *
make_organisation (CrmReplicaDemo *demo)
{
  GRand *rand = demo->rand;
  CrmRecord *row = crm_record_new_for_kind (CRM_ENTITY_ORGANISATION);
  g_autofree char *id = crm_uuid7_new ();
  g_autofree char *at = random_datetime (rand, 2019, 6);
  const char *head = PICK (rand, company_heads);
  const char *tail = PICK (rand, company_tails);
  g_autofree char *name = g_strdup_printf ("%s %s", head, tail);
  g_autofree char *email = g_strdup_printf ("contact@%s%s.fr", slug_of (demo->slugs, head),
                                            slug_of (demo->slugs, tail));
  g_autofree char *phone = g_strdup_printf ("+33 %d %02d %02d %02d %02d",
                                            g_rand_int_range (rand, 1, 6),
                                            g_rand_int_range (rand, 0, 100),
                                            g_rand_int_range (rand, 0, 100),
                                            g_rand_int_range (rand, 0, 100),
                                            g_rand_int_range (rand, 0, 100));
  const char *tag_list[3] = { PICK (rand, tags), NULL, NULL };
  g_autofree char *notes = g_strdup_printf ("%s %s", PICK (rand, phrases), PICK (rand, phrases));

  stamp (row, id, at, demo->user);
  crm_record_set_string (row, "name", name);
  crm_record_set_string (row, "type", g_rand_int_range (rand, 0, 4) == 0 ? "fournisseur"
                                                                         : "investor");
  crm_record_set_string (row, "category",
                         crm_organisation_categories[g_rand_int_range (rand, 0, 6)].wire);
  crm_record_set_string (row, "pipeline_stage",
                         crm_pipeline_stages[g_rand_int_range (rand, 0, 7)].wire);
  crm_record_set_string (row, "email", email);
  crm_record_set_string (row, "phone", phone);
  crm_record_set_string (row, "city", PICK (rand, cities));
  crm_record_set_string (row, "country", "FR");
  crm_record_set_string (row, "language", "fr");
  crm_record_set_double (row, "aum_eur", (double) g_rand_int_range (rand, 1, 50000) * 100000.0);
  crm_record_set_string (row, "notes", notes);
  crm_record_set_bool (row, "is_active", g_rand_int_range (rand, 0, 10) != 0);
  if (g_rand_boolean (rand))
    crm_record_set_strv (row, "tags", tag_list);
  g_ptr_array_add (demo->org_ids, g_steal_pointer (&id));
  return row;
}

/* A person and their link to an organisation. */
static void
make_person (CrmReplicaDemo *demo,
             GPtrArray      *batch)
{
  GRand *rand = demo->rand;
  CrmRecord *row = crm_record_new_for_kind (CRM_ENTITY_PERSON);
  CrmRecord *link = crm_record_new_for_kind (CRM_ENTITY_LINK);
  g_autofree char *id = crm_uuid7_new ();
  g_autofree char *link_id = crm_uuid7_new ();
  g_autofree char *at = random_datetime (rand, 2019, 6);
  const FirstName *first_name = &PICK (rand, first_names);
  const char *first = first_name->name;
  const char *last = PICK (rand, last_names);
  g_autofree char *email = g_strdup_printf ("%s.%s%u@exemple.fr", slug_of (demo->slugs, first),
                                            slug_of (demo->slugs, last), demo->made_people);
  g_autofree char *mobile = g_strdup_printf ("+33 6 %02d %02d %02d %02d",
                                             g_rand_int_range (rand, 0, 100),
                                             g_rand_int_range (rand, 0, 100),
                                             g_rand_int_range (rand, 0, 100),
                                             g_rand_int_range (rand, 0, 100));
  const char *org = pick_id (demo, demo->org_ids);

  stamp (row, id, at, demo->user);
  crm_record_set_string (row, "first_name", first);
  crm_record_set_string (row, "last_name", last);
  crm_record_set_string (row, "personal_email", email);
  crm_record_set_string (row, "mobile", mobile);
  crm_record_set_string (row, "job_title", PICK (rand, job_titles)[first_name->feminine]);
  crm_record_set_string (row, "language", g_rand_int_range (rand, 0, 8) == 0 ? "en" : "fr");
  crm_record_set_bool (row, "is_active", TRUE);

  stamp (link, link_id, at, demo->user);
  crm_record_set_string (link, "person_id", id);
  crm_record_set_string (link, "organisation_id", org);
  crm_record_set_string (link, "role", PICK (rand, job_titles)[first_name->feminine]);
  crm_record_set_string (link, "work_email", email);
  crm_record_set_bool (link, "is_primary", g_rand_int_range (rand, 0, 4) == 0);

  g_ptr_array_add (batch, row);
  g_ptr_array_add (batch, link);
  g_ptr_array_add (demo->person_ids, g_steal_pointer (&id));
}

/* The demo's present: the statuses of mandats and tasks agree with their dates as of this
 * day (the dates are drawn from fixed years, so the data stays the same from one run to
 * the next). */
#define DEMO_TODAY "2026-11-01"
#define DEMO_MONTH_AGO "2026-10-01"

/* @signed_at and @end are YYYY-MM-DD; @dice is 0 to 5. */
static const char *
mandat_status (const char *signed_at,
               const char *end,
               int         dice)
{
  if (strcmp (end, DEMO_TODAY) < 0)
    return dice == 5 ? "terminated" : "expired";
  if (strcmp (signed_at, DEMO_TODAY) > 0)
    return dice < 2 ? "draft" : dice < 4 ? "proposed" : "signed";
  return dice == 5 ? "terminated" : "active";
}

static CrmRecord *
make_mandat (CrmReplicaDemo *demo)
{
  GRand *rand = demo->rand;
  CrmRecord *row = crm_record_new_for_kind (CRM_ENTITY_MANDAT);
  g_autofree char *id = crm_uuid7_new ();
  int year = 2019 + g_rand_int_range (rand, 0, 8);
  g_autofree char *number = NULL;
  g_autofree char *signed_at = g_strdup_printf ("%04d-%02d-%02d", year,
                                                g_rand_int_range (rand, 1, 13),
                                                g_rand_int_range (rand, 1, 29));
  g_autofree char *end = g_strdup_printf ("%04d-%02d-%02d", year + g_rand_int_range (rand, 1, 4),
                                          g_rand_int_range (rand, 1, 13),
                                          g_rand_int_range (rand, 1, 29));
  g_autofree char *at = g_strconcat (signed_at, "T09:00:00Z", NULL);
  const char *org = pick_id (demo, demo->org_ids);
  const char *status;

  /* M-YYYY-NNN, NNN growing past 999 when a year needs more. */
  number = g_strdup_printf ("M-%04d-%03u", year, ++demo->mandat_serial[year - 2019]);
  stamp (row, id, at, demo->user);
  crm_record_set_string (row, "organisation_id", org);
  crm_record_set_string (row, "number", number);
  crm_record_set_string (row, "type", "distribution");
  status = mandat_status (signed_at, end, g_rand_int_range (rand, 0, 6));
  crm_record_set_string (row, "status", status);
  /* A draft or a proposal is not signed yet; its start date is the one planned. */
  if (!g_str_equal (status, "draft") && !g_str_equal (status, "proposed"))
    crm_record_set_string (row, "signed_at", signed_at);
  crm_record_set_string (row, "start_date", signed_at);
  crm_record_set_string (row, "end_date", end);
  crm_record_set_string (row, "products", PICK (rand, products));
  crm_record_set_string (row, "notes", PICK (rand, phrases));
  g_ptr_array_add (demo->mandat_ids, g_steal_pointer (&id));
  return row;
}

static CrmRecord *
make_interaction (CrmReplicaDemo *demo)
{
  GRand *rand = demo->rand;
  CrmRecord *row = crm_record_new_for_kind (CRM_ENTITY_INTERACTION);
  g_autofree char *id = crm_uuid7_new ();
  g_autofree char *at = random_datetime (rand, 2022, 5);
  g_autofree char *body = g_strdup_printf ("%s %s %s", PICK (rand, phrases),
                                           PICK (rand, phrases), PICK (rand, phrases));
  const char *participants[2] = { pick_id (demo, demo->person_ids), NULL };

  stamp (row, id, at, demo->user);
  crm_record_set_string (row, "type", crm_interaction_types[g_rand_int_range (rand, 0, 5)].wire);
  crm_record_set_string (row, "occurred_at", at);
  crm_record_set_string (row, "organisation_id", pick_id (demo, demo->org_ids));
  crm_record_set_strv (row, "participant_ids", participants);
  crm_record_set_string (row, "subject", PICK (rand, subjects));
  crm_record_set_string (row, "body", body);
  return row;
}

/* Tasks long past due are done (or cancelled); the last month's are a mix, as in a real
 * team's list; the ones to come are mostly still to do. @due is RFC 3339, @dice 0 to 3. */
static const char *
task_status (const char *due,
             int         dice)
{
  static const char *const past[] = { "done", "done", "done", "cancelled" };
  static const char *const recent[] = { "todo", "in_progress", "done", "done" };
  static const char *const coming[] = { "todo", "todo", "in_progress", "done" };

  if (strcmp (due, DEMO_MONTH_AGO) < 0)
    return past[dice];
  if (strcmp (due, DEMO_TODAY) < 0)
    return recent[dice];
  return coming[dice];
}

static CrmRecord *
make_task (CrmReplicaDemo *demo)
{
  GRand *rand = demo->rand;
  CrmRecord *row = crm_record_new_for_kind (CRM_ENTITY_TASK);
  g_autofree char *id = crm_uuid7_new ();
  g_autofree char *at = random_datetime (rand, 2023, 2);
  g_autofree char *due = random_datetime (rand, 2025, 3);

  stamp (row, id, at, demo->user);
  crm_record_set_string (row, "title", PICK (rand, task_titles));
  crm_record_set_string (row, "description", PICK (rand, phrases));
  crm_record_set_string (row, "due_at", due);
  crm_record_set_string (row, "priority", crm_priorities[g_rand_int_range (rand, 0, 4)].wire);
  crm_record_set_string (row, "status", task_status (due, g_rand_int_range (rand, 0, 4)));
  crm_record_set_string (row, "assignee_id", demo->user);
  crm_record_set_string (row, "organisation_id", pick_id (demo, demo->org_ids));
  if (g_rand_boolean (rand))
    crm_record_set_string (row, "person_id", pick_id (demo, demo->person_ids));
  if (g_rand_int_range (rand, 0, 4) == 0)
    crm_record_set_string (row, "mandat_id", pick_id (demo, demo->mandat_ids));
  return row;
}

GPtrArray *
crm_replica_demo_next (CrmReplicaDemo *demo,
                       guint           max_rows)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func ((GDestroyNotify) crm_record_unref);

  /* Organisations first, then what points at them, as a server would page them. */
  while (batch->len < MAX (max_rows, 2))
    {
      if (demo->made_orgs < demo->n_orgs)
        {
          g_ptr_array_add (batch, make_organisation (demo));
          demo->made_orgs++;
        }
      else if (demo->made_people < demo->n_people)
        {
          make_person (demo, batch);
          demo->made_people++;
        }
      else if (demo->made_mandats < demo->n_mandats)
        {
          g_ptr_array_add (batch, make_mandat (demo));
          demo->made_mandats++;
        }
      else if (demo->made_interactions < demo->n_interactions)
        {
          g_ptr_array_add (batch, make_interaction (demo));
          demo->made_interactions++;
        }
      else if (demo->made_tasks < demo->n_tasks)
        {
          g_ptr_array_add (batch, make_task (demo));
          demo->made_tasks++;
        }
      else
        break;
    }
  return batch;
}

/* Rows per batch: large enough that the per-call work vanishes, small enough
 * that a batch of records stays a few megabytes. */
#define DEMO_BATCH 4096

/* Into a replica that already holds rows: the per-page bulk path of a pull. */
static gboolean
fill_non_empty (CrmReplica     *self,
                CrmReplicaDemo *demo,
                GError        **error)
{
  if (!crm_replica_begin (self, error))
    return FALSE;
  if (!crm_replica_bulk_begin (self, error))
    goto failed;
  for (;;)
    {
      g_autoptr(GPtrArray) batch = crm_replica_demo_next (demo, DEMO_BATCH);

      if (batch->len == 0)
        break;
      for (guint i = 0; i < batch->len; i++)
        if (!crm_replica_row_insert (self, g_ptr_array_index (batch, i), error))
          goto failed;
    }
  if (!crm_replica_bulk_end (self, error) || !crm_replica_commit (self, error))
    goto failed;
  /* Fresh statistics so the planner picks the right index at any size. */
  return crm_replica_exec (self, "ANALYZE", error);

failed:
  crm_replica_rollback (self);
  self->bulk = FALSE;
  return FALSE;
}

gboolean
crm_replica_fill_demo (CrmReplica *self,
                       guint       n_rows,
                       guint32     seed,
                       GError    **error)
{
  CRM_REPLICA_LOCKED (self);
  g_autoptr(CrmReplicaDemo) demo = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CRM_IS_REPLICA (self), FALSE);
  if (!crm_replica_check_open (self, error))
    return FALSE;

  demo = crm_replica_demo_new (n_rows, seed, self->user_id);
  if (!crm_replica_initial_load_begin (self, &local_error))
    {
      if (!g_error_matches (local_error, CRM_REPLICA_ERROR, CRM_REPLICA_ERROR_INVALID))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return fill_non_empty (self, demo, error);
    }

  for (;;)
    {
      g_autoptr(GPtrArray) batch = crm_replica_demo_next (demo, DEMO_BATCH);

      if (batch->len == 0)
        break;
      if (!crm_replica_initial_load_rows (self, (CrmRecord *const *) batch->pdata, batch->len,
                                          error))
        return FALSE;
    }
  return crm_replica_initial_load_commit (self, -1, 0, error);
}
