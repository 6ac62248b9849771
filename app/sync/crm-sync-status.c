/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "crm-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "crm-sync-status.h"

struct _CrmSyncStatus
{
  GObject       parent_instance;
  CrmSyncState  state;
  double        progress;
  gint64        pending;
  gint64        conflicts;
  gint64        rejections;
  gint64        quarantined;
  char         *last_sync;
  char         *last_error;
  char         *user_id;
  char         *role;
  guint8        allowed[CRM_N_RESOURCES];
};

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_PENDING,
  PROP_CONFLICTS,
  PROP_REJECTIONS,
  PROP_QUARANTINED,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CrmSyncStatus, crm_sync_status, G_TYPE_OBJECT)

GType
crm_sync_state_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { CRM_SYNC_STATE_OFFLINE, "CRM_SYNC_STATE_OFFLINE", "offline" },
    { CRM_SYNC_STATE_SYNCING, "CRM_SYNC_STATE_SYNCING", "syncing" },
    { CRM_SYNC_STATE_UP_TO_DATE, "CRM_SYNC_STATE_UP_TO_DATE", "up-to-date" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("CrmSyncState", values));
  return type;
}

static void
crm_sync_status_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CrmSyncStatus *self = CRM_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;
    case PROP_CONFLICTS:
      g_value_set_int64 (value, self->conflicts);
      break;
    case PROP_REJECTIONS:
      g_value_set_int64 (value, self->rejections);
      break;
    case PROP_QUARANTINED:
      g_value_set_int64 (value, self->quarantined);
      break;
    case PROP_LAST_SYNC:
      g_value_set_string (value, self->last_sync);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
crm_sync_status_finalize (GObject *object)
{
  CrmSyncStatus *self = CRM_SYNC_STATUS (object);

  g_free (self->last_sync);
  g_free (self->last_error);
  g_free (self->user_id);
  g_free (self->role);
  G_OBJECT_CLASS (crm_sync_status_parent_class)->finalize (object);
}

static void
crm_sync_status_class_init (CrmSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = crm_sync_status_get_property;
  object_class->finalize = crm_sync_status_finalize;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, CRM_TYPE_SYNC_STATE,
                                              CRM_SYNC_STATE_OFFLINE, flags);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1, flags);
  properties[PROP_PENDING] = g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0,
                                                 flags);
  properties[PROP_CONFLICTS] = g_param_spec_int64 ("conflicts", NULL, NULL, 0, G_MAXINT64, 0,
                                                   flags);
  properties[PROP_REJECTIONS] = g_param_spec_int64 ("rejections", NULL, NULL, 0, G_MAXINT64, 0,
                                                    flags);
  properties[PROP_QUARANTINED] = g_param_spec_int64 ("quarantined", NULL, NULL, 0, G_MAXINT64,
                                                     0, flags);
  properties[PROP_LAST_SYNC] = g_param_spec_string ("last-sync", NULL, NULL, NULL, flags);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
crm_sync_status_init (CrmSyncStatus *self)
{
  self->state = CRM_SYNC_STATE_OFFLINE;
  self->progress = -1;
}

CrmSyncStatus *
crm_sync_status_new (void)
{
  return g_object_new (CRM_TYPE_SYNC_STATUS, NULL);
}

CrmSyncState
crm_sync_status_get_state (CrmSyncStatus *self)
{
  return self->state;
}

double
crm_sync_status_get_progress (CrmSyncStatus *self)
{
  return self->progress;
}

gint64
crm_sync_status_get_pending (CrmSyncStatus *self)
{
  return self->pending;
}

gint64
crm_sync_status_get_conflicts (CrmSyncStatus *self)
{
  return self->conflicts;
}

gint64
crm_sync_status_get_rejections (CrmSyncStatus *self)
{
  return self->rejections;
}

gint64
crm_sync_status_get_quarantined (CrmSyncStatus *self)
{
  return self->quarantined;
}

const char *
crm_sync_status_get_last_sync (CrmSyncStatus *self)
{
  return self->last_sync;
}

const char *
crm_sync_status_get_last_error (CrmSyncStatus *self)
{
  return self->last_error;
}

char *
crm_sync_status_describe (CrmSyncStatus *self)
{
  switch (self->state)
    {
    case CRM_SYNC_STATE_OFFLINE:
      if (self->pending > 0)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Hors ligne — %" G_GINT64_FORMAT
                                             " modification en attente",
                                             "Hors ligne — %" G_GINT64_FORMAT
                                             " modifications en attente",
                                             (gulong) self->pending),
                                self->pending);
      return g_strdup (_("Hors ligne"));
    case CRM_SYNC_STATE_SYNCING:
      if (self->progress >= 0)
        return g_strdup_printf (_("Synchronisation… %d %%"), (int) (self->progress * 100));
      return g_strdup (_("Synchronisation…"));
    case CRM_SYNC_STATE_UP_TO_DATE:
    default:
      return g_strdup (_("À jour"));
    }
}

void
crm_sync_status_set_state (CrmSyncStatus *self,
                           CrmSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
crm_sync_status_set_progress (CrmSyncStatus *self,
                              double         progress)
{
  progress = CLAMP (progress, -1, 1);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_count (CrmSyncStatus *self,
           gint64        *field,
           gint64         value,
           guint          prop)
{
  if (value < 0 || *field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
crm_sync_status_set_counts (CrmSyncStatus *self,
                            gint64         pending,
                            gint64         conflicts,
                            gint64         rejections,
                            gint64         quarantined)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_count (self, &self->pending, pending, PROP_PENDING);
  set_count (self, &self->conflicts, conflicts, PROP_CONFLICTS);
  set_count (self, &self->rejections, rejections, PROP_REJECTIONS);
  set_count (self, &self->quarantined, quarantined, PROP_QUARANTINED);
  g_object_thaw_notify (G_OBJECT (self));
}

void
crm_sync_status_set_last_sync (CrmSyncStatus *self,
                               const char    *when)
{
  if (g_strcmp0 (self->last_sync, when) == 0)
    return;
  g_free (self->last_sync);
  self->last_sync = g_strdup (when);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
}

void
crm_sync_status_set_last_error (CrmSyncStatus *self,
                                const char    *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

const char *
crm_sync_status_get_role (CrmSyncStatus *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_STATUS (self), NULL);
  return self->role;
}

const char *
crm_sync_status_get_user_id (CrmSyncStatus *self)
{
  g_return_val_if_fail (CRM_IS_SYNC_STATUS (self), NULL);
  return self->user_id;
}

gboolean
crm_sync_status_allows (CrmSyncStatus *self,
                        CrmResource    resource,
                        CrmAction      action)
{
  g_return_val_if_fail (CRM_IS_SYNC_STATUS (self), FALSE);
  g_return_val_if_fail (resource < CRM_N_RESOURCES && action < CRM_N_ACTIONS, FALSE);

  if (self->role == NULL)
    return TRUE;
  return (self->allowed[resource] & (1u << action)) != 0;
}

void
crm_sync_status_set_access (CrmSyncStatus *self,
                            const char    *user_id,
                            const char    *role,
                            const guint8   allowed[CRM_N_RESOURCES])
{
  guint8 bits[CRM_N_RESOURCES] = { 0 };
  gboolean changed;

  g_return_if_fail (CRM_IS_SYNC_STATUS (self));

  if (role != NULL && allowed != NULL)
    memcpy (bits, allowed, sizeof bits);
  if (role == NULL)
    user_id = NULL;

  changed = g_strcmp0 (self->role, role) != 0
            || memcmp (self->allowed, bits, sizeof bits) != 0;
  if (g_strcmp0 (self->user_id, user_id) != 0)
    {
      g_free (self->user_id);
      self->user_id = g_strdup (user_id);
    }
  if (!changed)
    return;
  g_free (self->role);
  self->role = g_strdup (role);
  memcpy (self->allowed, bits, sizeof bits);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}
