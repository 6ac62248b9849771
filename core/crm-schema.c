/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-schema"

#include "config.h"

#include <string.h>

#include "crm-schema.h"

/*
 * Labels are French on purpose, not gettext msgids: the server answers French
 * problem+json whatever its process locale, and both programs must say the
 * same thing about the same field.
 */

const CrmEnumValue crm_organisation_types[] = {
  { "investor", "Investisseur" },
  { "fournisseur", "Fournisseur" },
  { "distributor", "Distributeur" },
  { "partner", "Partenaire" },
  { "other", "Autre" },
  { NULL, NULL }
};

const CrmEnumValue crm_organisation_categories[] = {
  { "institutional", "Institutionnel" },
  { "wholesale", "Wholesale" },
  { "cgpi", "CGPI" },
  { "family_office", "Family office" },
  { "corporate", "Entreprise" },
  { "other", "Autre" },
  { NULL, NULL }
};

const CrmEnumValue crm_pipeline_stages[] = {
  { "prospect", "Prospect" },
  { "qualified", "Qualifié" },
  { "proposal", "Proposition" },
  { "negotiation", "Négociation" },
  { "won", "Gagné" },
  { "lost", "Perdu" },
  { "dormant", "Dormant" },
  { NULL, NULL }
};

const CrmEnumValue crm_mandat_statuses[] = {
  { "draft", "Brouillon" },
  { "proposed", "Proposé" },
  { "signed", "Signé" },
  { "active", "Actif" },
  { "expired", "Expiré" },
  { "terminated", "Résilié" },
  { NULL, NULL }
};

const CrmEnumValue crm_interaction_types[] = {
  { "call", "Appel" },
  { "meeting", "Rendez-vous" },
  { "email", "E-mail" },
  { "note", "Note" },
  { "event", "Événement" },
  { NULL, NULL }
};

const CrmEnumValue crm_priorities[] = {
  { "low", "Basse" },
  { "normal", "Normale" },
  { "high", "Haute" },
  { "urgent", "Urgente" },
  { NULL, NULL }
};

const CrmEnumValue crm_task_statuses[] = {
  { "todo", "À faire" },
  { "in_progress", "En cours" },
  { "done", "Terminée" },
  { "cancelled", "Annulée" },
  { NULL, NULL }
};

const CrmEnumValue crm_notification_types[] = {
  { "task_assigned", "Tâche assignée" },
  { "task_due_soon", "Tâche bientôt due" },
  { "task_overdue", "Tâche en retard" },
  { "task_completed", "Tâche terminée" },
  { "mandat_signed", "Mandat signé" },
  { "mandat_expiring", "Mandat bientôt expiré" },
  { "mandat_expired", "Mandat expiré" },
  { "organisation_assigned", "Organisation attribuée" },
  { "pipeline_changed", "Étape du pipeline modifiée" },
  { "interaction_created", "Nouvelle interaction" },
  { "mention", "Mention" },
  { "import_finished", "Import terminé" },
  { "export_ready", "Export prêt" },
  { "webhook_failing", "Webhook en échec" },
  { "sync_conflict", "Conflit de synchronisation" },
  { NULL, NULL }
};

const CrmEnumValue crm_roles[] = {
  { "admin", "Administrateur" },
  { "manager", "Responsable" },
  { "user", "Conseiller" },
  { "viewer", "Lecteur" },
  { NULL, NULL }
};

const CrmEnumValue crm_link_entities[] = {
  { "organisation", "Organisation" },
  { "person", "Personne" },
  { "link", "Lien" },
  { "mandat", "Mandat" },
  { "interaction", "Interaction" },
  { "task", "Tâche" },
  { NULL, NULL }
};

/* The columns every synced row carries (DESIGN.md §3). */
#define META_FIELDS \
  { "id", "Identifiant", CRM_FIELD_UUID, CRM_FIELD_META, 0, NULL, 0, 0, NULL }, \
  { "version", "Version", CRM_FIELD_INT, CRM_FIELD_META | CRM_FIELD_READONLY, 0, NULL, 0, 0, NULL }, \
  { "created_at", "Créé le", CRM_FIELD_DATETIME, CRM_FIELD_META | CRM_FIELD_READONLY, 0, NULL, 0, 0, NULL }, \
  { "updated_at", "Modifié le", CRM_FIELD_DATETIME, CRM_FIELD_META | CRM_FIELD_READONLY, 0, NULL, 0, 0, NULL }, \
  { "created_by", "Créé par", CRM_FIELD_UUID, CRM_FIELD_META | CRM_FIELD_READONLY, 0, NULL, 0, 0, NULL }, \
  { "updated_by", "Modifié par", CRM_FIELD_UUID, CRM_FIELD_META | CRM_FIELD_READONLY, 0, NULL, 0, 0, NULL }, \
  { "owner_id", "Propriétaire", CRM_FIELD_UUID, CRM_FIELD_META, 0, NULL, 0, 0, NULL }, \
  { "team_id", "Équipe", CRM_FIELD_UUID, CRM_FIELD_META, 0, NULL, 0, 0, NULL }, \
  { "deleted", "Supprimé", CRM_FIELD_BOOL, CRM_FIELD_META | CRM_FIELD_READONLY, 0, NULL, 0, 0, "false" }

static const CrmFieldInfo organisation_fields[] = {
  META_FIELDS,
  { "name", "Nom", CRM_FIELD_TEXT, CRM_FIELD_REQUIRED, 200, NULL, 0, 0, NULL },
  { "type", "Type", CRM_FIELD_ENUM, 0, 0, crm_organisation_types, 0, 0, "investor" },
  { "category", "Catégorie", CRM_FIELD_ENUM, 0, 0, crm_organisation_categories, 0, 0, NULL },
  { "pipeline_stage", "Étape du pipeline", CRM_FIELD_ENUM, 0, 0, crm_pipeline_stages, 0, 0, "prospect" },
  { "email", "E-mail", CRM_FIELD_EMAIL, 0, 254, NULL, 0, 0, NULL },
  { "phone", "Téléphone", CRM_FIELD_PHONE, 0, 40, NULL, 0, 0, NULL },
  { "website", "Site web", CRM_FIELD_URL, 0, 2048, NULL, 0, 0, NULL },
  { "address", "Adresse", CRM_FIELD_LONGTEXT, 0, 500, NULL, 0, 0, NULL },
  { "postal_code", "Code postal", CRM_FIELD_TEXT, 0, 20, NULL, 0, 0, NULL },
  { "city", "Ville", CRM_FIELD_TEXT, 0, 120, NULL, 0, 0, NULL },
  { "country", "Pays", CRM_FIELD_COUNTRY, 0, 2, NULL, 0, 0, NULL },
  { "language", "Langue", CRM_FIELD_LANGUAGE, 0, 2, NULL, 0, 0, NULL },
  { "aum_eur", "Encours (EUR)", CRM_FIELD_DECIMAL, 0, 0, NULL, 0, 1e15, NULL },
  { "notes", "Notes", CRM_FIELD_LONGTEXT, 0, 20000, NULL, 0, 0, NULL },
  { "is_active", "Active", CRM_FIELD_BOOL, 0, 0, NULL, 0, 0, "true" },
  { "tags", "Étiquettes", CRM_FIELD_TAGS, 0, 50, NULL, 0, 0, NULL },
};

static const CrmFieldInfo person_fields[] = {
  META_FIELDS,
  { "first_name", "Prénom", CRM_FIELD_TEXT, 0, 100, NULL, 0, 0, NULL },
  { "last_name", "Nom", CRM_FIELD_TEXT, 0, 100, NULL, 0, 0, NULL },
  { "personal_email", "E-mail personnel", CRM_FIELD_EMAIL, 0, 254, NULL, 0, 0, NULL },
  { "personal_phone", "Téléphone personnel", CRM_FIELD_PHONE, 0, 40, NULL, 0, 0, NULL },
  { "mobile", "Mobile", CRM_FIELD_PHONE, 0, 40, NULL, 0, 0, NULL },
  { "job_title", "Fonction", CRM_FIELD_TEXT, 0, 200, NULL, 0, 0, NULL },
  { "linkedin_url", "Profil LinkedIn", CRM_FIELD_URL, 0, 2048, NULL, 0, 0, NULL },
  { "language", "Langue", CRM_FIELD_LANGUAGE, 0, 2, NULL, 0, 0, NULL },
  { "notes", "Notes", CRM_FIELD_LONGTEXT, 0, 20000, NULL, 0, 0, NULL },
  { "is_active", "Active", CRM_FIELD_BOOL, 0, 0, NULL, 0, 0, "true" },
  { "tags", "Étiquettes", CRM_FIELD_TAGS, 0, 50, NULL, 0, 0, NULL },
};

static const CrmFieldInfo link_fields[] = {
  META_FIELDS,
  { "person_id", "Personne", CRM_FIELD_UUID, CRM_FIELD_REQUIRED, 0, NULL, 0, 0, NULL },
  { "organisation_id", "Organisation", CRM_FIELD_UUID, CRM_FIELD_REQUIRED, 0, NULL, 0, 0, NULL },
  { "role", "Rôle", CRM_FIELD_TEXT, 0, 120, NULL, 0, 0, NULL },
  { "work_email", "E-mail professionnel", CRM_FIELD_EMAIL, 0, 254, NULL, 0, 0, NULL },
  { "work_phone", "Téléphone professionnel", CRM_FIELD_PHONE, 0, 40, NULL, 0, 0, NULL },
  { "is_primary", "Contact principal", CRM_FIELD_BOOL, 0, 0, NULL, 0, 0, "false" },
  { "start_date", "Date de début", CRM_FIELD_DATE, 0, 0, NULL, 0, 0, NULL },
  { "end_date", "Date de fin", CRM_FIELD_DATE, 0, 0, NULL, 0, 0, NULL },
};

static const CrmFieldInfo mandat_fields[] = {
  META_FIELDS,
  { "organisation_id", "Fournisseur", CRM_FIELD_UUID, CRM_FIELD_REQUIRED, 0, NULL, 0, 0, NULL },
  { "number", "Numéro de mandat", CRM_FIELD_MANDAT_NUMBER, CRM_FIELD_REQUIRED, 20, NULL, 0, 0, NULL },
  { "type", "Type de mandat", CRM_FIELD_TEXT, 0, 60, NULL, 0, 0, NULL },
  { "status", "Statut", CRM_FIELD_ENUM, 0, 0, crm_mandat_statuses, 0, 0, "draft" },
  { "signed_at", "Date de signature", CRM_FIELD_DATE, 0, 0, NULL, 0, 0, NULL },
  { "start_date", "Date de début", CRM_FIELD_DATE, 0, 0, NULL, 0, 0, NULL },
  { "end_date", "Date de fin", CRM_FIELD_DATE, 0, 0, NULL, 0, 0, NULL },
  { "products", "Produits", CRM_FIELD_LONGTEXT, 0, 2000, NULL, 0, 0, NULL },
  { "fee_terms", "Conditions de rémunération", CRM_FIELD_LONGTEXT, 0, 2000, NULL, 0, 0, NULL },
  { "notes", "Notes", CRM_FIELD_LONGTEXT, 0, 20000, NULL, 0, 0, NULL },
};

static const CrmFieldInfo interaction_fields[] = {
  META_FIELDS,
  { "type", "Type d’interaction", CRM_FIELD_ENUM, CRM_FIELD_REQUIRED, 0, crm_interaction_types, 0, 0, NULL },
  { "occurred_at", "Date", CRM_FIELD_DATETIME, CRM_FIELD_REQUIRED, 0, NULL, 0, 0, NULL },
  { "organisation_id", "Organisation", CRM_FIELD_UUID, 0, 0, NULL, 0, 0, NULL },
  { "participant_ids", "Participants", CRM_FIELD_UUID_LIST, 0, 100, NULL, 0, 0, NULL },
  { "subject", "Objet", CRM_FIELD_TEXT, CRM_FIELD_REQUIRED, 300, NULL, 0, 0, NULL },
  { "body", "Compte rendu", CRM_FIELD_LONGTEXT, 0, 100000, NULL, 0, 0, NULL },
  { "outcome", "Résultat", CRM_FIELD_TEXT, 0, 1000, NULL, 0, 0, NULL },
};

static const CrmFieldInfo task_fields[] = {
  META_FIELDS,
  { "title", "Titre", CRM_FIELD_TEXT, CRM_FIELD_REQUIRED, 300, NULL, 0, 0, NULL },
  { "description", "Description", CRM_FIELD_LONGTEXT, 0, 20000, NULL, 0, 0, NULL },
  { "due_at", "Échéance", CRM_FIELD_DATETIME, 0, 0, NULL, 0, 0, NULL },
  { "priority", "Priorité", CRM_FIELD_ENUM, 0, 0, crm_priorities, 0, 0, "normal" },
  { "status", "Statut", CRM_FIELD_ENUM, 0, 0, crm_task_statuses, 0, 0, "todo" },
  { "assignee_id", "Assignée à", CRM_FIELD_UUID, 0, 0, NULL, 0, 0, NULL },
  { "organisation_id", "Organisation", CRM_FIELD_UUID, 0, 0, NULL, 0, 0, NULL },
  { "person_id", "Personne", CRM_FIELD_UUID, 0, 0, NULL, 0, 0, NULL },
  { "mandat_id", "Mandat", CRM_FIELD_UUID, 0, 0, NULL, 0, 0, NULL },
};

static const CrmFieldInfo notification_fields[] = {
  META_FIELDS,
  { "user_id", "Destinataire", CRM_FIELD_UUID, CRM_FIELD_REQUIRED, 0, NULL, 0, 0, NULL },
  { "type", "Type de notification", CRM_FIELD_ENUM, CRM_FIELD_REQUIRED, 0, crm_notification_types, 0, 0, NULL },
  { "priority", "Priorité", CRM_FIELD_ENUM, 0, 0, crm_priorities, 0, 0, "normal" },
  { "title", "Titre", CRM_FIELD_TEXT, CRM_FIELD_REQUIRED, 300, NULL, 0, 0, NULL },
  { "message", "Message", CRM_FIELD_LONGTEXT, 0, 2000, NULL, 0, 0, NULL },
  { "link_entity", "Élément lié", CRM_FIELD_ENUM, 0, 0, crm_link_entities, 0, 0, NULL },
  { "link_id", "Identifiant lié", CRM_FIELD_UUID, 0, 0, NULL, 0, 0, NULL },
  { "is_read", "Lue", CRM_FIELD_BOOL, 0, 0, NULL, 0, 0, "false" },
  { "is_archived", "Archivée", CRM_FIELD_BOOL, 0, 0, NULL, 0, 0, "false" },
  { "expires_at", "Expire le", CRM_FIELD_DATETIME, 0, 0, NULL, 0, 0, NULL },
};

static const CrmFieldInfo user_fields[] = {
  { "id", "Identifiant", CRM_FIELD_UUID, 0, 0, NULL, 0, 0, NULL },
  { "email", "E-mail", CRM_FIELD_EMAIL, CRM_FIELD_REQUIRED, 254, NULL, 0, 0, NULL },
  { "display_name", "Nom affiché", CRM_FIELD_TEXT, CRM_FIELD_REQUIRED, 200, NULL, 0, 0, NULL },
  { "role", "Rôle", CRM_FIELD_ENUM, CRM_FIELD_REQUIRED, 0, crm_roles, 0, 0, "user" },
  { "team_id", "Équipe", CRM_FIELD_UUID, 0, 0, NULL, 0, 0, NULL },
  { "locale", "Langue de l’interface", CRM_FIELD_TEXT, 0, 20, NULL, 0, 0, "fr_FR" },
  { "is_active", "Actif", CRM_FIELD_BOOL, 0, 0, NULL, 0, 0, "true" },
  { "created_at", "Créé le", CRM_FIELD_DATETIME, CRM_FIELD_READONLY, 0, NULL, 0, 0, NULL },
  { "updated_at", "Modifié le", CRM_FIELD_DATETIME, CRM_FIELD_READONLY, 0, NULL, 0, 0, NULL },
};

static const CrmFieldInfo team_fields[] = {
  { "id", "Identifiant", CRM_FIELD_UUID, 0, 0, NULL, 0, 0, NULL },
  { "name", "Nom de l’équipe", CRM_FIELD_TEXT, CRM_FIELD_REQUIRED, 120, NULL, 0, 0, NULL },
  { "created_at", "Créée le", CRM_FIELD_DATETIME, CRM_FIELD_READONLY, 0, NULL, 0, 0, NULL },
};

#define ENTITY(kind, name, coll, label, plural, synced, resource, fields) \
  { kind, name, coll, label, plural, synced, resource, fields, G_N_ELEMENTS (fields) }

static const CrmEntityInfo entities[CRM_N_ENTITIES] = {
  ENTITY (CRM_ENTITY_ORGANISATION, "organisation", "organisations", "Organisation", "Organisations",
          TRUE, "organisations", organisation_fields),
  ENTITY (CRM_ENTITY_PERSON, "person", "people", "Personne", "Personnes",
          TRUE, "people", person_fields),
  ENTITY (CRM_ENTITY_LINK, "link", "links", "Lien personne–organisation", "Liens personne–organisation",
          TRUE, "people", link_fields),
  ENTITY (CRM_ENTITY_MANDAT, "mandat", "mandats", "Mandat", "Mandats",
          TRUE, "mandats", mandat_fields),
  ENTITY (CRM_ENTITY_INTERACTION, "interaction", "interactions", "Interaction", "Interactions",
          TRUE, "interactions", interaction_fields),
  ENTITY (CRM_ENTITY_TASK, "task", "tasks", "Tâche", "Tâches",
          TRUE, "tasks", task_fields),
  ENTITY (CRM_ENTITY_NOTIFICATION, "notification", "notifications", "Notification", "Notifications",
          TRUE, NULL, notification_fields),
  ENTITY (CRM_ENTITY_USER, "user", "users", "Utilisateur", "Utilisateurs",
          FALSE, "users", user_fields),
  ENTITY (CRM_ENTITY_TEAM, "team", "teams", "Équipe", "Équipes",
          FALSE, "teams", team_fields),
};

const CrmEntityInfo *
crm_entity_get (CrmEntityKind kind)
{
  g_return_val_if_fail (kind < CRM_N_ENTITIES, NULL);
  return &entities[kind];
}

const CrmEntityInfo *
crm_entity_lookup (const char *name)
{
  if (name == NULL)
    return NULL;

  for (guint i = 0; i < CRM_N_ENTITIES; i++)
    if (strcmp (entities[i].name, name) == 0)
      return &entities[i];

  /* "person_organisation_link" is the name DESIGN.md §3 uses; "link" the wire one. */
  if (strcmp (name, "person_organisation_link") == 0)
    return &entities[CRM_ENTITY_LINK];

  return NULL;
}

const CrmEntityInfo *
crm_entity_lookup_collection (const char *collection)
{
  if (collection == NULL)
    return NULL;

  for (guint i = 0; i < CRM_N_ENTITIES; i++)
    if (strcmp (entities[i].collection, collection) == 0)
      return &entities[i];

  return NULL;
}

int
crm_entity_field_index (const CrmEntityInfo *entity,
                        const char          *field)
{
  g_return_val_if_fail (entity != NULL, -1);

  if (field == NULL)
    return -1;

  /* Callers walking the schema pass its own static names: found without a strcmp. */
  for (guint i = 0; i < entity->n_fields; i++)
    if (entity->fields[i].name == field)
      return (int) i;
  for (guint i = 0; i < entity->n_fields; i++)
    if (strcmp (entity->fields[i].name, field) == 0)
      return (int) i;

  return -1;
}

const CrmFieldInfo *
crm_entity_field (const CrmEntityInfo *entity,
                  const char          *field)
{
  int idx = crm_entity_field_index (entity, field);

  return idx < 0 ? NULL : &entity->fields[idx];
}

const char *
crm_enum_label (const CrmEnumValue *values,
                const char         *wire)
{
  if (values == NULL || wire == NULL)
    return NULL;

  for (guint i = 0; values[i].wire != NULL; i++)
    if (strcmp (values[i].wire, wire) == 0)
      return values[i].label;

  return NULL;
}

gboolean
crm_enum_contains (const CrmEnumValue *values,
                   const char         *wire)
{
  return crm_enum_label (values, wire) != NULL;
}
