/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * crm-test-validate-cases.h — the table of single-field validation cases,
 * kept apart from test-validate.c so that each file stays readable.
 */
#pragma once

#include "crm-validate.h"

G_BEGIN_DECLS

#define VALID (-1)

/* One value of one field, in wire text form, and the expected verdict.
 * @repeat > 0 repeats @text that many times (for lengths). */
typedef struct
{
  const char    *path;
  CrmEntityKind  kind;
  const char    *field;
  const char    *text;
  guint          repeat;
  int            code;
} FieldCase;

extern const FieldCase crm_test_field_cases[];
extern const guint     crm_test_n_field_cases;

G_END_DECLS
