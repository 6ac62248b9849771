/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-validate"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "crm-record-private.h"
#include "crm-test-records.h"
#include "crm-validate.h"

#define VALID (-1)
#define ORG   CRM_ENTITY_ORGANISATION
#define PER   CRM_ENTITY_PERSON
#define LNK   CRM_ENTITY_LINK
#define MAN   CRM_ENTITY_MANDAT
#define INT   CRM_ENTITY_INTERACTION
#define TSK   CRM_ENTITY_TASK
#define NTF   CRM_ENTITY_NOTIFICATION
#define USR   CRM_ENTITY_USER
#define TEAM  CRM_ENTITY_TEAM

#define E_REQ    CRM_VALIDATION_ERROR_REQUIRED
#define E_LONG   CRM_VALIDATION_ERROR_TOO_LONG
#define E_FMT    CRM_VALIDATION_ERROR_INVALID_FORMAT
#define E_ENUM   CRM_VALIDATION_ERROR_INVALID_ENUM
#define E_RANGE  CRM_VALIDATION_ERROR_OUT_OF_RANGE
#define E_UTF8   CRM_VALIDATION_ERROR_INVALID_UTF8
#define E_TYPE   CRM_VALIDATION_ERROR_WRONG_TYPE

#define A10 "aaaaaaaaaa"
#define A50 A10 A10 A10 A10 A10
#define UUID_A "0190a5c4-7b1e-7c3d-9f00-1a2b3c4d5e6f"
#define UUID_B "f47ac10b-58cc-4372-a567-0e02b2c3d479"

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

#define OK(path, kind, field, text)        { path, kind, field, text, 0, VALID }
#define BAD(path, kind, field, text, code) { path, kind, field, text, 0, code }

static const FieldCase field_cases[] = {
  /* e-mail */
  OK ("email/accepts-simple", ORG, "email", "nom@exemple.fr"),
  OK ("email/accepts-plus-tag", ORG, "email", "jean+crm@exemple.fr"),
  OK ("email/accepts-subdomains", ORG, "email", "a.b@mail.exemple.co.uk"),
  OK ("email/accepts-hyphenated-domain", ORG, "email", "x@mon-domaine.fr"),
  OK ("email/accepts-digits", ORG, "email", "123@exemple.fr"),
  OK ("email/accepts-punycode-domain", ORG, "email", "x@xn--socit-esab.fr"),
  OK ("email/accepts-apostrophe", PER, "personal_email", "o'brien@exemple.ie"),
  OK ("email/accepts-upper-case", LNK, "work_email", "Jean.Dupont@Exemple.FR"),
  OK ("email/accepts-local-part-of-64", ORG, "email", A50 "aaaaaaaaaaaaaa@exemple.fr"),
  BAD ("email/rejects-missing-at", ORG, "email", "nom.exemple.fr", E_FMT),
  BAD ("email/rejects-two-at", ORG, "email", "a@b@exemple.fr", E_FMT),
  BAD ("email/rejects-empty-local-part", ORG, "email", "@exemple.fr", E_FMT),
  BAD ("email/rejects-missing-domain", ORG, "email", "nom@", E_FMT),
  BAD ("email/rejects-domain-without-dot", ORG, "email", "nom@localhost", E_FMT),
  BAD ("email/rejects-inner-space", ORG, "email", "jean dupont@exemple.fr", E_FMT),
  BAD ("email/rejects-leading-space", ORG, "email", " nom@exemple.fr", E_FMT),
  BAD ("email/rejects-trailing-dot-in-local", ORG, "email", "nom.@exemple.fr", E_FMT),
  BAD ("email/rejects-leading-dot-in-local", ORG, "email", ".nom@exemple.fr", E_FMT),
  BAD ("email/rejects-double-dot-in-local", ORG, "email", "a..b@exemple.fr", E_FMT),
  BAD ("email/rejects-double-dot-in-domain", ORG, "email", "a@exemple..fr", E_FMT),
  BAD ("email/rejects-label-starting-with-hyphen", ORG, "email", "a@-exemple.fr", E_FMT),
  BAD ("email/rejects-label-ending-with-hyphen", ORG, "email", "a@exemple-.fr", E_FMT),
  BAD ("email/rejects-local-part-of-65", ORG, "email", A50 "aaaaaaaaaaaaaaa@exemple.fr", E_FMT),
  BAD ("email/rejects-label-of-64", ORG, "email", "a@" A50 "aaaaaaaaaaaaaa.fr", E_FMT),
  BAD ("email/rejects-numeric-tld", ORG, "email", "a@1.2.3.4", E_FMT),
  BAD ("email/rejects-one-letter-tld", ORG, "email", "a@exemple.f", E_FMT),
  BAD ("email/rejects-accented-local-part", ORG, "email", "élodie@exemple.fr", E_FMT),
  BAD ("email/rejects-quoted-local-part", ORG, "email", "\"a b\"@exemple.fr", E_FMT),
  BAD ("email/rejects-comma", ORG, "email", "a,b@exemple.fr", E_FMT),
  BAD ("email/rejects-trailing-dot-domain", ORG, "email", "a@exemple.fr.", E_FMT),
  BAD ("email/rejects-empty-string", ORG, "email", "", E_FMT),
  BAD ("email/rejects-blank", ORG, "email", "   ", E_FMT),
  BAD ("email/rejects-missing-required", USR, "email", NULL, E_REQ),
  BAD ("email/rejects-blank-required", USR, "email", " ", E_REQ),
  /* URL */
  OK ("url/accepts-https", ORG, "website", "https://www.exemple.fr"),
  OK ("url/accepts-http-with-path-query-fragment", ORG, "website", "http://exemple.fr/a/b?c=d#e"),
  OK ("url/accepts-port", ORG, "website", "https://exemple.fr:8443/x"),
  OK ("url/accepts-ip-address", ORG, "website", "http://192.168.1.10/"),
  OK ("url/accepts-upper-case-scheme", ORG, "website", "HTTPS://EXEMPLE.FR"),
  OK ("url/accepts-international-domain", ORG, "website", "https://société.fr/"),
  OK ("url/accepts-localhost", ORG, "website", "http://localhost:8080"),
  OK ("url/accepts-linkedin-profile", PER, "linkedin_url", "https://www.linkedin.com/in/jeanne-durand"),
  BAD ("url/rejects-ftp", ORG, "website", "ftp://exemple.fr", E_FMT),
  BAD ("url/rejects-javascript", ORG, "website", "javascript:alert(1)", E_FMT),
  BAD ("url/rejects-mailto", ORG, "website", "mailto:a@exemple.fr", E_FMT),
  BAD ("url/rejects-file", ORG, "website", "file:///etc/passwd", E_FMT),
  BAD ("url/rejects-missing-scheme", ORG, "website", "www.exemple.fr", E_FMT),
  BAD ("url/rejects-missing-host", ORG, "website", "https://", E_FMT),
  BAD ("url/rejects-missing-slashes", ORG, "website", "https:exemple.fr", E_FMT),
  BAD ("url/rejects-space", ORG, "website", "https://exemple.fr/a b", E_FMT),
  BAD ("url/rejects-encoded-space-in-host", ORG, "website", "http://exa%20mple.fr", E_FMT),
  BAD ("url/rejects-bad-percent-encoding", ORG, "website", "https://exemple.fr/%zz", E_FMT),
  BAD ("url/rejects-port-out-of-range", ORG, "website", "https://exemple.fr:99999", E_FMT),
  BAD ("url/rejects-newline", ORG, "website", "https://exemple.fr/\n", E_FMT),
  BAD ("url/rejects-empty-string", ORG, "website", "", E_FMT),
  /* phone */
  OK ("phone/accepts-french-format", ORG, "phone", "01 23 45 67 89"),
  OK ("phone/accepts-international", ORG, "phone", "+33 1 23 45 67 89"),
  OK ("phone/accepts-trunk-prefix-in-parentheses", ORG, "phone", "+33 (0)1 23 45 67 89"),
  OK ("phone/accepts-dots", ORG, "phone", "01.23.45.67.89"),
  OK ("phone/accepts-dashes", LNK, "work_phone", "+1-212-555-0100"),
  OK ("phone/accepts-six-digits", ORG, "phone", "123456"),
  OK ("phone/accepts-twenty-digits", ORG, "phone", "12345678901234567890"),
  OK ("phone/accepts-compact", PER, "personal_phone", "+41791234567"),
  OK ("phone/accepts-mobile", PER, "mobile", "06 12 34 56 78"),
  BAD ("phone/rejects-five-digits", ORG, "phone", "12345", E_FMT),
  BAD ("phone/rejects-twenty-one-digits", ORG, "phone", "123456789012345678901", E_FMT),
  BAD ("phone/rejects-letters", ORG, "phone", "01 23 AB 67 89", E_FMT),
  BAD ("phone/rejects-plus-inside", ORG, "phone", "01+23456789", E_FMT),
  BAD ("phone/rejects-unclosed-parenthesis", ORG, "phone", "+33 (0 1 23 45 67 89", E_FMT),
  BAD ("phone/rejects-closing-parenthesis-first", ORG, "phone", "+33 )0( 1 23 45 67", E_FMT),
  BAD ("phone/rejects-nested-parentheses", ORG, "phone", "((01)) 23 45 67 89", E_FMT),
  BAD ("phone/rejects-slashes", ORG, "phone", "01/23/45/67/89", E_FMT),
  BAD ("phone/rejects-extension", ORG, "phone", "01 23 45 67 89 x12", E_FMT),
  BAD ("phone/rejects-empty-string", ORG, "phone", "", E_FMT),
  BAD ("phone/rejects-over-max-length", ORG, "phone", "1   2   3   4   5   6   7   8   9   0   1", E_LONG),
  /* country */
  OK ("country/accepts-fr", ORG, "country", "FR"),
  OK ("country/accepts-gb", ORG, "country", "GB"),
  OK ("country/accepts-de", ORG, "country", "DE"),
  OK ("country/accepts-ch", ORG, "country", "CH"),
  OK ("country/accepts-lu", ORG, "country", "LU"),
  OK ("country/accepts-us", ORG, "country", "US"),
  OK ("country/accepts-aland", ORG, "country", "AX"),
  OK ("country/accepts-south-sudan", ORG, "country", "SS"),
  OK ("country/accepts-zw-last", ORG, "country", "ZW"),
  OK ("country/accepts-ad-first", ORG, "country", "AD"),
  BAD ("country/rejects-lower-case", ORG, "country", "fr", E_FMT),
  BAD ("country/rejects-mixed-case", ORG, "country", "Fr", E_FMT),
  BAD ("country/rejects-uk", ORG, "country", "UK", E_FMT),
  BAD ("country/rejects-eu", ORG, "country", "EU", E_FMT),
  BAD ("country/rejects-unassigned-zz", ORG, "country", "ZZ", E_FMT),
  BAD ("country/rejects-alpha-3", ORG, "country", "FRA", E_FMT),
  BAD ("country/rejects-one-letter", ORG, "country", "F", E_FMT),
  BAD ("country/rejects-digits", ORG, "country", "12", E_FMT),
  BAD ("country/rejects-name", ORG, "country", "France", E_FMT),
  BAD ("country/rejects-empty-string", ORG, "country", "", E_FMT),
  /* language */
  OK ("language/accepts-fr", ORG, "language", "fr"),
  OK ("language/accepts-en", PER, "language", "en"),
  OK ("language/accepts-de", PER, "language", "de"),
  OK ("language/accepts-zh", PER, "language", "zh"),
  OK ("language/accepts-ar", PER, "language", "ar"),
  OK ("language/accepts-lb", PER, "language", "lb"),
  BAD ("language/rejects-upper-case", PER, "language", "FR", E_FMT),
  BAD ("language/rejects-alpha-3", PER, "language", "fra", E_FMT),
  BAD ("language/rejects-posix-locale", PER, "language", "fr_FR", E_FMT),
  BAD ("language/rejects-bcp47-tag", PER, "language", "fr-FR", E_FMT),
  BAD ("language/rejects-unassigned", PER, "language", "xx", E_FMT),
  BAD ("language/rejects-country-code", PER, "language", "gb", E_FMT),
  BAD ("language/rejects-empty-string", PER, "language", "", E_FMT),
  /* date */
  OK ("date/accepts-simple", LNK, "start_date", "2025-03-31"),
  OK ("date/accepts-leap-day", LNK, "start_date", "2024-02-29"),
  OK ("date/accepts-leap-day-2000", MAN, "signed_at", "2000-02-29"),
  OK ("date/accepts-last-day-of-year", MAN, "end_date", "9999-12-31"),
  BAD ("date/rejects-february-30", LNK, "start_date", "2025-02-30", E_FMT),
  BAD ("date/rejects-leap-day-of-common-year", LNK, "start_date", "2023-02-29", E_FMT),
  BAD ("date/rejects-leap-day-1900", LNK, "start_date", "1900-02-29", E_FMT),
  BAD ("date/rejects-april-31", LNK, "start_date", "2025-04-31", E_FMT),
  BAD ("date/rejects-month-13", LNK, "start_date", "2025-13-01", E_FMT),
  BAD ("date/rejects-month-0", LNK, "start_date", "2025-00-10", E_FMT),
  BAD ("date/rejects-day-0", LNK, "start_date", "2025-01-00", E_FMT),
  BAD ("date/rejects-year-0", LNK, "start_date", "0000-01-01", E_FMT),
  BAD ("date/rejects-french-order", LNK, "start_date", "31/03/2025", E_FMT),
  BAD ("date/rejects-slashes", LNK, "start_date", "2025/03/31", E_FMT),
  BAD ("date/rejects-missing-padding", LNK, "start_date", "2025-3-1", E_FMT),
  BAD ("date/rejects-time-part", LNK, "start_date", "2025-03-31T10:00:00Z", E_FMT),
  BAD ("date/rejects-trailing-space", LNK, "start_date", "2025-03-31 ", E_FMT),
  BAD ("date/rejects-empty-string", LNK, "start_date", "", E_FMT),
  /* datetime */
  OK ("datetime/accepts-utc", INT, "occurred_at", "2026-03-01T09:30:00Z"),
  OK ("datetime/accepts-microseconds", INT, "occurred_at", "2026-03-01T09:30:00.123456Z"),
  OK ("datetime/accepts-positive-offset", TSK, "due_at", "2026-03-01T10:30:00+01:00"),
  OK ("datetime/accepts-negative-offset", TSK, "due_at", "2026-03-01T04:30:00-05:00"),
  OK ("datetime/accepts-lower-case-separators", TSK, "due_at", "2026-03-01t09:30:00z"),
  BAD ("datetime/rejects-missing-offset", INT, "occurred_at", "2026-03-01T09:30:00", E_FMT),
  BAD ("datetime/rejects-space-separator", INT, "occurred_at", "2026-03-01 09:30:00Z", E_FMT),
  BAD ("datetime/rejects-hour-24", INT, "occurred_at", "2026-03-01T24:00:00Z", E_FMT),
  BAD ("datetime/rejects-leap-second", INT, "occurred_at", "2016-12-31T23:59:60Z", E_FMT),
  BAD ("datetime/rejects-date-only", INT, "occurred_at", "2026-03-01", E_FMT),
  BAD ("datetime/rejects-impossible-date", INT, "occurred_at", "2026-02-30T09:30:00Z", E_FMT),
  BAD ("datetime/rejects-offset-without-colon", INT, "occurred_at", "2026-03-01T09:30:00+0100", E_FMT),
  BAD ("datetime/rejects-seven-fraction-digits", INT, "occurred_at", "2026-03-01T09:30:00.1234567Z", E_FMT),
  BAD ("datetime/rejects-empty-fraction", INT, "occurred_at", "2026-03-01T09:30:00.Z", E_FMT),
  BAD ("datetime/rejects-words", NTF, "expires_at", "demain", E_FMT),
  BAD ("datetime/rejects-empty-required", INT, "occurred_at", "", E_REQ),
  /* UUID */
  OK ("uuid/accepts-v7", LNK, "person_id", UUID_A),
  OK ("uuid/accepts-v4", LNK, "organisation_id", UUID_B),
  OK ("uuid/accepts-nil", TSK, "assignee_id", "00000000-0000-0000-0000-000000000000"),
  BAD ("uuid/rejects-upper-case", LNK, "person_id", "F47AC10B-58CC-4372-A567-0E02B2C3D479", E_FMT),
  BAD ("uuid/rejects-missing-dashes", LNK, "person_id", "f47ac10b58cc4372a5670e02b2c3d479", E_FMT),
  BAD ("uuid/rejects-braces", LNK, "person_id", "{f47ac10b-58cc-4372-a567-0e02b2c3d479}", E_FMT),
  BAD ("uuid/rejects-short", LNK, "person_id", "f47ac10b-58cc-4372-a567-0e02b2c3d47", E_FMT),
  BAD ("uuid/rejects-non-hex", LNK, "person_id", "g47ac10b-58cc-4372-a567-0e02b2c3d479", E_FMT),
  BAD ("uuid/rejects-misplaced-dash", LNK, "person_id", "f47ac10b5-8cc-4372-a567-0e02b2c3d479", E_FMT),
  BAD ("uuid/rejects-integer-id", TSK, "assignee_id", "42", E_FMT),
  BAD ("uuid/rejects-empty-optional", TSK, "assignee_id", "", E_FMT),
  BAD ("uuid/rejects-blank-required", LNK, "person_id", "  ", E_REQ),
  BAD ("uuid/rejects-null-required", NTF, "user_id", NULL, E_REQ),
  /* enum */
  OK ("enum/accepts-prospect", ORG, "pipeline_stage", "prospect"),
  OK ("enum/accepts-won", ORG, "pipeline_stage", "won"),
  OK ("enum/accepts-family-office", ORG, "category", "family_office"),
  OK ("enum/accepts-in-progress", TSK, "status", "in_progress"),
  OK ("enum/accepts-sync-conflict", NTF, "type", "sync_conflict"),
  OK ("enum/accepts-viewer-role", USR, "role", "viewer"),
  BAD ("enum/rejects-french-label", ORG, "pipeline_stage", "Gagné", E_ENUM),
  BAD ("enum/rejects-upper-case", ORG, "pipeline_stage", "WON", E_ENUM),
  BAD ("enum/rejects-unknown", MAN, "status", "closed", E_ENUM),
  BAD ("enum/rejects-trailing-space", TSK, "priority", "high ", E_ENUM),
  BAD ("enum/rejects-empty-optional", ORG, "type", "", E_ENUM),
  BAD ("enum/rejects-empty-required", INT, "type", "", E_REQ),
  /* mandat number */
  OK ("mandat-number/accepts-three-digits", MAN, "number", "M-2025-001"),
  OK ("mandat-number/accepts-six-digits", MAN, "number", "M-2025-123456"),
  OK ("mandat-number/accepts-1990", MAN, "number", "M-1990-001"),
  OK ("mandat-number/accepts-2100", MAN, "number", "M-2100-999"),
  BAD ("mandat-number/rejects-lower-case-prefix", MAN, "number", "m-2025-001", E_FMT),
  BAD ("mandat-number/rejects-two-digits", MAN, "number", "M-2025-01", E_FMT),
  BAD ("mandat-number/rejects-seven-digits", MAN, "number", "M-2025-1234567", E_FMT),
  BAD ("mandat-number/rejects-year-1989", MAN, "number", "M-1989-001", E_FMT),
  BAD ("mandat-number/rejects-year-2101", MAN, "number", "M-2101-001", E_FMT),
  BAD ("mandat-number/rejects-two-digit-year", MAN, "number", "M-25-001", E_FMT),
  BAD ("mandat-number/rejects-missing-prefix", MAN, "number", "2025-001", E_FMT),
  BAD ("mandat-number/rejects-spaces", MAN, "number", "M 2025 001", E_FMT),
  BAD ("mandat-number/rejects-underscores", MAN, "number", "M_2025_001", E_FMT),
  BAD ("mandat-number/rejects-trailing-space", MAN, "number", "M-2025-001 ", E_FMT),
  BAD ("mandat-number/rejects-letter-in-sequence", MAN, "number", "M-2025-00A", E_FMT),
  BAD ("mandat-number/rejects-non-ascii-digits", MAN, "number", "M-٢٠٢٥-001", E_FMT),
  BAD ("mandat-number/rejects-empty-required", MAN, "number", "", E_REQ),
  /* text */
  OK ("text/accepts-accents", ORG, "name", "Société Générale « Gestion »"),
  OK ("text/accepts-emoji", ORG, "name", "Alforis 🚀"),
  OK ("text/accepts-leading-spaces", ORG, "city", "  Lyon"),
  BAD ("text/rejects-empty-required", ORG, "name", "", E_REQ),
  BAD ("text/rejects-spaces-only-required", ORG, "name", "    ", E_REQ),
  BAD ("text/rejects-no-break-space-only-required", ORG, "name", "\xc2\xa0", E_REQ),
  BAD ("text/rejects-tab-and-newline-only-required", TSK, "title", "\t\n", E_REQ),
  BAD ("text/rejects-null-required", TEAM, "name", NULL, E_REQ),
  BAD ("text/rejects-newline", ORG, "name", "Ligne 1\nLigne 2", E_FMT),
  BAD ("text/rejects-tab", ORG, "city", "Ly\ton", E_FMT),
  BAD ("text/rejects-bell", ORG, "city", "Lyon\a", E_FMT),
  BAD ("text/rejects-delete", ORG, "city", "Lyon\x7f", E_FMT),
  BAD ("text/rejects-c1-control", ORG, "city", "Lyon\xc2\x85", E_FMT),
  BAD ("text/rejects-invalid-utf8", ORG, "city", "Lyon\xff\xfe", E_UTF8),
  BAD ("text/rejects-overlong-utf8", ORG, "city", "\xc0\xaf", E_UTF8),
  BAD ("text/rejects-utf8-surrogate", ORG, "city", "\xed\xa0\x80", E_UTF8),
  BAD ("text/rejects-truncated-utf8", ORG, "city", "Lyo\xc3", E_UTF8),
  { "text/accepts-max-length-in-characters", ORG, "postal_code", "é", 20, VALID },
  { "text/rejects-over-max-length", ORG, "postal_code", "1", 21, E_LONG },
  { "text/accepts-200-character-name", ORG, "name", "é", 200, VALID },
  { "text/rejects-201-character-name", ORG, "name", "a", 201, E_LONG },
  /* long text */
  OK ("longtext/accepts-newlines-and-tabs", ORG, "notes", "Ligne 1\n\tLigne 2\n"),
  OK ("longtext/accepts-empty", ORG, "notes", ""),
  BAD ("longtext/rejects-carriage-return", ORG, "notes", "Ligne 1\r\nLigne 2", E_FMT),
  BAD ("longtext/rejects-escape-sequence", INT, "body", "\x1b[31mrouge", E_FMT),
  BAD ("longtext/rejects-form-feed", TSK, "description", "a\fb", E_FMT),
  BAD ("longtext/rejects-invalid-utf8", ORG, "address", "rue \xe9", E_UTF8),
  { "longtext/accepts-max-length", ORG, "notes", "œ", 20000, VALID },
  { "longtext/rejects-over-max-length", ORG, "notes", "œ", 20001, E_LONG },
  { "longtext/accepts-100000-character-body", INT, "body", "x", 100000, VALID },
  { "longtext/rejects-100001-character-body", INT, "body", "x", 100001, E_LONG },
  /* integer */
  OK ("int/accepts-zero", ORG, "version", "0"),
  OK ("int/accepts-max", ORG, "version", "9223372036854775807"),
  OK ("int/accepts-negative-without-range", ORG, "version", "-5"),
  BAD ("int/rejects-fraction", ORG, "version", "4.2", E_FMT),
  BAD ("int/rejects-words", ORG, "version", "douze", E_FMT),
  BAD ("int/rejects-overflow", ORG, "version", "9223372036854775808", E_FMT),
  BAD ("int/rejects-empty-string", ORG, "version", "", E_FMT),
  /* decimal */
  OK ("decimal/accepts-zero", ORG, "aum_eur", "0"),
  OK ("decimal/accepts-cents", ORG, "aum_eur", "1250000.50"),
  OK ("decimal/accepts-max-in-exponent-form", ORG, "aum_eur", "1e15"),
  OK ("decimal/accepts-max", ORG, "aum_eur", "1000000000000000"),
  BAD ("decimal/rejects-below-min", ORG, "aum_eur", "-0.01", E_RANGE),
  BAD ("decimal/rejects-above-max", ORG, "aum_eur", "1000000000000001", E_RANGE),
  BAD ("decimal/rejects-comma-separator", ORG, "aum_eur", "1,5", E_FMT),
  BAD ("decimal/rejects-nan", ORG, "aum_eur", "nan", E_FMT),
  BAD ("decimal/rejects-infinity", ORG, "aum_eur", "inf", E_FMT),
  BAD ("decimal/rejects-overflow-to-infinity", ORG, "aum_eur", "1e400", E_FMT),
  BAD ("decimal/rejects-currency-sign", ORG, "aum_eur", "1000 €", E_FMT),
  /* boolean */
  OK ("bool/accepts-true", ORG, "is_active", "true"),
  OK ("bool/accepts-false", NTF, "is_read", "false"),
  BAD ("bool/rejects-yes", ORG, "is_active", "yes", E_FMT),
  BAD ("bool/rejects-upper-case", ORG, "is_active", "TRUE", E_FMT),
  BAD ("bool/rejects-french", ORG, "is_active", "vrai", E_FMT),
  /* tags */
  OK ("tags/accepts-empty-list", ORG, "tags", "[]"),
  OK ("tags/accepts-two", ORG, "tags", "[\"vip\", \"Île-de-France\"]"),
  OK ("tags/accepts-50-characters", PER, "tags", "[\"" A50 "\"]"),
  BAD ("tags/rejects-51-characters", PER, "tags", "[\"" A50 "b\"]", E_LONG),
  BAD ("tags/rejects-plain-text", ORG, "tags", "vip", E_TYPE),
  BAD ("tags/rejects-numbers", ORG, "tags", "[1, 2]", E_TYPE),
  BAD ("tags/rejects-object", ORG, "tags", "{\"vip\": true}", E_TYPE),
  BAD ("tags/rejects-empty-tag", ORG, "tags", "[\"\"]", E_FMT),
  BAD ("tags/rejects-blank-tag", ORG, "tags", "[\"  \"]", E_FMT),
  BAD ("tags/rejects-duplicate", ORG, "tags", "[\"vip\", \"a\", \"vip\"]", E_FMT),
  BAD ("tags/rejects-case-duplicate", ORG, "tags", "[\"VIP\", \"vip\"]", E_FMT),
  BAD ("tags/rejects-control-character", ORG, "tags", "[\"a\\nb\"]", E_FMT),
  /* UUID lists */
  OK ("uuid-list/accepts-empty-list", INT, "participant_ids", "[]"),
  OK ("uuid-list/accepts-two", INT, "participant_ids", "[\"" UUID_A "\", \"" UUID_B "\"]"),
  BAD ("uuid-list/rejects-non-uuid", INT, "participant_ids", "[\"" UUID_A "\", \"jean\"]", E_FMT),
  BAD ("uuid-list/rejects-duplicate", INT, "participant_ids", "[\"" UUID_A "\", \"" UUID_A "\"]", E_FMT),
  BAD ("uuid-list/rejects-upper-case", INT, "participant_ids", "[\"F47AC10B-58CC-4372-A567-0E02B2C3D479\"]", E_FMT),
  BAD ("uuid-list/rejects-null-item", INT, "participant_ids", "[null]", E_TYPE),
  BAD ("uuid-list/rejects-single-string", INT, "participant_ids", "\"" UUID_A "\"", E_TYPE),
};

static char *
case_text (const FieldCase *c)
{
  GString *text;

  if (c->repeat == 0)
    return g_strdup (c->text);

  text = g_string_new (NULL);
  for (guint i = 0; i < c->repeat; i++)
    g_string_append (text, c->text);
  return g_string_free (text, FALSE);
}

static void
assert_actionable_message (const char *message,
                           const char *label)
{
  g_autofree char *named = g_strdup_printf ("« %s »", label);

  /* A French sentence that names the field by its label. */
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_nonnull (strstr (message, named));
  g_assert_true (g_str_has_suffix (message, "."));
}

/* The record path must reach the same verdict as the text path. */
static void
assert_same_verdict_on_record (const FieldCase    *c,
                               const CrmFieldInfo *info,
                               const char         *text)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (c->kind);
  g_autoptr(GPtrArray) errors = NULL;
  int code = VALID;

  if (text == NULL)
    crm_record_set_null (record, c->field);
  else if (crm_field_type_value_kind (info->type) == CRM_VALUE_STRING)
    crm_record_set_string (record, c->field, text);
  else if (!crm_record_set_from_text (record, c->field, text, NULL))
    return; /* unparsable: only the text path can judge it */

  errors = crm_record_validate_all (record, CRM_VALIDATE_ROW);
  for (guint i = 0; i < errors->len; i++)
    {
      CrmFieldError *e = g_ptr_array_index (errors, i);

      if (g_strcmp0 (e->field, c->field) == 0)
        code = e->code;
    }
  g_assert_cmpint (code, ==, c->code);
}

static void
test_field_case (gconstpointer data)
{
  const FieldCase *c = data;
  const CrmFieldInfo *info = crm_entity_field (crm_entity_get (c->kind), c->field);
  g_autofree char *text = case_text (c);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_assert_nonnull (info);
  ok = crm_validate_field_text (info, text, &error);
  if (c->code == VALID)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, CRM_VALIDATION_ERROR, c->code);
      g_test_message ("%s", error->message);
      assert_actionable_message (error->message, info->label);
    }

  assert_same_verdict_on_record (c, info, text);
}

static void
test_syntax_null_is_invalid (void)
{
  g_assert_false (crm_is_valid_email (NULL));
  g_assert_false (crm_is_valid_url (NULL));
  g_assert_false (crm_is_valid_phone (NULL));
  g_assert_false (crm_is_valid_country (NULL));
  g_assert_false (crm_is_valid_language (NULL));
  g_assert_false (crm_is_valid_date (NULL));
  g_assert_false (crm_is_valid_datetime (NULL));
  g_assert_false (crm_is_valid_mandat_number (NULL));
}

static void
test_country_table_complete (void)
{
  /* ISO 3166-1 assigns 249 alpha-2 codes: count them by brute force. */
  guint n = 0;

  for (char a = 'A'; a <= 'Z'; a++)
    for (char b = 'A'; b <= 'Z'; b++)
      {
        char code[3] = { a, b, '\0' };

        n += crm_is_valid_country (code) ? 1 : 0;
      }
  g_assert_cmpuint (n, ==, 249);
}

static void
test_language_table_complete (void)
{
  guint n = 0;

  for (char a = 'a'; a <= 'z'; a++)
    for (char b = 'a'; b <= 'z'; b++)
      {
        char code[3] = { a, b, '\0' };

        n += crm_is_valid_language (code) ? 1 : 0;
      }
  /* The 183 current ISO 639-1 codes, plus "bh" still listed by iso-codes. */
  g_assert_cmpuint (n, ==, 184);
}

/* Fields with max_length 0 and ranges, to test the defaults the schema does not use. */
static const CrmFieldInfo bare_text = { "t", "Libellé", CRM_FIELD_TEXT, 0, 0, NULL, 0, 0, NULL };
static const CrmFieldInfo bare_longtext = { "l", "Commentaire", CRM_FIELD_LONGTEXT, 0, 0, NULL, 0, 0, NULL };
static const CrmFieldInfo ranged_int = { "n", "Quantité", CRM_FIELD_INT, 0, 0, NULL, 1, 10, NULL };
static const CrmFieldInfo bare_tags = { "g", "Mots-clés", CRM_FIELD_TAGS, 0, 0, NULL, 0, 0, NULL };
static const CrmFieldInfo required_tags = { "g", "Mots-clés", CRM_FIELD_TAGS, CRM_FIELD_REQUIRED, 0, NULL, 0, 0, NULL };

static gboolean
validate_repeated (const CrmFieldInfo *info,
                   const char         *unit,
                   guint               count,
                   int                *code)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  for (guint i = 0; i < count; i++)
    g_string_append (text, unit);
  ok = crm_validate_field_text (info, text->str, &error);
  *code = error != NULL ? error->code : VALID;
  return ok;
}

static void
test_text_default_max (void)
{
  int code;

  g_assert_true (validate_repeated (&bare_text, "é", 500, &code));
  g_assert_false (validate_repeated (&bare_text, "é", 501, &code));
  g_assert_cmpint (code, ==, E_LONG);
}

static void
test_longtext_default_max (void)
{
  int code;

  g_assert_true (validate_repeated (&bare_longtext, "a", 100000, &code));
  g_assert_false (validate_repeated (&bare_longtext, "a", 100001, &code));
  g_assert_cmpint (code, ==, E_LONG);
}

static void
test_int_range (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_validate_field_text (&ranged_int, "1", NULL));
  g_assert_true (crm_validate_field_text (&ranged_int, "10", NULL));
  g_assert_false (crm_validate_field_text (&ranged_int, "0", NULL));
  g_assert_false (crm_validate_field_text (&ranged_int, "11", &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_RANGE);
  g_assert_cmpstr (error->message, ==, "Le champ « Quantité » doit être compris entre 1 et 10.");
}

static char *
tag_list_json (guint n)
{
  g_autoptr(GString) json = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s\"tag%u\"", i > 0 ? "," : "", i);
  g_string_append (json, "]");
  return g_strdup (json->str);
}

static void
test_tags_item_count (void)
{
  const CrmFieldInfo *org_tags = crm_entity_field (crm_entity_get (ORG), "tags");
  g_autofree char *fifty = tag_list_json (50);
  g_autofree char *fifty_one = tag_list_json (51);
  g_autofree char *hundred_one = tag_list_json (101);
  g_autoptr(GError) error = NULL;

  g_assert_true (crm_validate_field_text (org_tags, fifty, NULL));
  g_assert_false (crm_validate_field_text (org_tags, fifty_one, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_LONG);
  /* max_length 0: the default of 100 items. */
  g_assert_true (crm_validate_field_text (&bare_tags, fifty_one, NULL));
  g_assert_false (crm_validate_field_text (&bare_tags, hundred_one, NULL));
}

static void
test_tags_required_empty (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (crm_validate_field_text (&required_tags, "[]", &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_REQ);
  g_assert_true (crm_validate_field_text (&required_tags, "[\"a\"]", NULL));
}

static void
test_uuid_list_item_count (void)
{
  const CrmFieldInfo *ids = crm_entity_field (crm_entity_get (INT), "participant_ids");
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 101; i++)
    g_string_append_printf (json, "%s\"0190a5c4-7b1e-7c3d-9f00-%012u\"", i > 0 ? "," : "", i);
  g_string_append (json, "]");
  g_assert_false (crm_validate_field_text (ids, json->str, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_LONG);
}

static void
test_decimal_non_finite_in_record (void)
{
  const double bad[] = { NAN, INFINITY, -INFINITY };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
      g_autoptr(GError) error = NULL;

      crm_record_set_double (record, "aum_eur", bad[i]);
      g_assert_false (crm_record_validate (record, CRM_VALIDATE_UPDATE, &error));
      g_assert_error (error, CRM_VALIDATION_ERROR, E_FMT);
    }
}

static void
test_messages_exact (void)
{
  const CrmEntityInfo *org = crm_entity_get (ORG);
  const CrmEntityInfo *man = crm_entity_get (MAN);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GError) e4 = NULL;
  g_autoptr(GError) e5 = NULL;

  crm_validate_field_text (crm_entity_field (org, "email"), "nom.exemple.fr", &e1);
  g_assert_cmpstr (e1->message, ==, "Le champ « E-mail » doit être une adresse e-mail valide, "
                                    "par exemple nom@exemple.fr.");
  crm_validate_field_text (crm_entity_field (org, "name"), " ", &e2);
  g_assert_cmpstr (e2->message, ==, "Le champ « Nom » est obligatoire.");
  crm_validate_field_text (crm_entity_field (man, "number"), "M2025-1", &e3);
  g_assert_cmpstr (e3->message, ==, "Le champ « Numéro de mandat » doit suivre le format "
                                    "M-AAAA-NNN, par exemple M-2025-001.");
  /* The message says what is wrong when only the year is. */
  crm_validate_field_text (crm_entity_field (man, "number"), "M-1850-001", &e4);
  g_assert_nonnull (strstr (e4->message, "entre 1990 et 2100"));
  /* A lower-case country gets its fix spelled out. */
  crm_validate_field_text (crm_entity_field (org, "country"), "fr", &e5);
  g_assert_cmpstr (e5->message, ==, "Le champ « Pays » doit être écrit en majuscules : FR.");
}

static void
test_enum_message_lists_choices (void)
{
  g_autoptr(GError) error = NULL;

  crm_validate_field_text (crm_entity_field (crm_entity_get (TSK), "priority"), "asap", &error);
  g_assert_cmpstr (error->message, ==, "Le champ « Priorité » doit valoir l’une des valeurs "
                                       "suivantes : low (Basse), normal (Normale), high (Haute), "
                                       "urgent (Urgente).");
}

static void
test_full_records_valid (void)
{
  for (guint k = 0; k < CRM_N_ENTITIES; k++)
    {
      g_autoptr(CrmRecord) record = crm_test_full_record (k);
      g_autoptr(GPtrArray) errors = crm_record_validate_all (record, CRM_VALIDATE_ROW);

      for (guint i = 0; i < errors->len; i++)
        g_test_message ("%s: %s", crm_entity_get (k)->name,
                        ((CrmFieldError *) g_ptr_array_index (errors, i))->message);
      g_assert_cmpuint (errors->len, ==, 0);
    }
}

static CrmRecord *
new_valid_org (void)
{
  CrmRecord *record = crm_record_new_for_kind (ORG);

  crm_record_set_string (record, "name", "Alforis Gestion");
  return record;
}

static CrmFieldError *
find_error (GPtrArray  *errors,
            const char *field)
{
  for (guint i = 0; i < errors->len; i++)
    {
      CrmFieldError *e = g_ptr_array_index (errors, i);

      if (g_strcmp0 (e->field, field) == 0)
        return e;
    }
  return NULL;
}

static void
test_create_requires_required (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GPtrArray) errors = crm_record_validate_all (record, CRM_VALIDATE_CREATE);

  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[0])->field, ==, "name");
  g_assert_cmpint (((CrmFieldError *) errors->pdata[0])->code, ==, E_REQ);
}

static void
test_create_minimal_valid (void)
{
  g_autoptr(CrmRecord) record = new_valid_org ();
  g_autoptr(GError) error = NULL;

  crm_record_apply_defaults (record);
  g_assert_true (crm_record_validate (record, CRM_VALIDATE_CREATE, &error));
  g_assert_no_error (error);
}

static void
test_optional_null_valid (void)
{
  g_autoptr(CrmRecord) record = new_valid_org ();

  crm_record_set_null (record, "email");
  crm_record_set_null (record, "aum_eur");
  crm_record_set_null (record, "tags");
  g_assert_true (crm_record_validate (record, CRM_VALIDATE_CREATE, NULL));
}

static void
test_update_absent_required_ok (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);

  crm_record_set_string (record, "city", "Lyon");
  g_assert_true (crm_record_validate (record, CRM_VALIDATE_UPDATE, NULL));
}

static void
test_update_null_required_rejected (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GError) error = NULL;

  crm_record_set_null (record, "name");
  g_assert_false (crm_record_validate (record, CRM_VALIDATE_UPDATE, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_REQ);
}

static void
test_update_blank_required_rejected (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GError) error = NULL;

  crm_record_set_string (record, "name", " \t ");
  g_assert_false (crm_record_validate (record, CRM_VALIDATE_UPDATE, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, E_REQ);
}

static void
test_readonly_by_mode (void)
{
  const CrmValidateMode modes[] = { CRM_VALIDATE_CREATE, CRM_VALIDATE_UPDATE, CRM_VALIDATE_ROW };
  const gboolean accepted[] = { FALSE, FALSE, TRUE };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(CrmRecord) record = new_valid_org ();
      g_autoptr(GPtrArray) errors = NULL;
      CrmFieldError *e;

      crm_record_set_int (record, "version", 41);
      crm_record_set_string (record, "updated_at", "2026-03-01T09:30:00Z");
      errors = crm_record_validate_all (record, modes[m]);
      g_assert_cmpuint (errors->len, ==, accepted[m] ? 0 : 2);
      if (accepted[m])
        continue;
      e = find_error (errors, "version");
      g_assert_cmpint (e->code, ==, CRM_VALIDATION_ERROR_READONLY);
      g_assert_nonnull (strstr (e->message, "« Version »"));
      g_assert_nonnull (find_error (errors, "updated_at"));
    }
}

static void
test_readonly_null_rejected (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GError) error = NULL;

  /* Even null: a client may not clear what the store manages. */
  crm_record_set_null (record, "deleted");
  g_assert_false (crm_record_validate (record, CRM_VALIDATE_UPDATE, &error));
  g_assert_error (error, CRM_VALIDATION_ERROR, CRM_VALIDATION_ERROR_READONLY);
}

static void
test_errors_in_field_order (void)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (ORG);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  crm_record_set_string (record, "country", "France");
  crm_record_set_string (record, "email", "pas-un-email");
  errors = crm_record_validate_all (record, CRM_VALIDATE_CREATE);
  g_assert_cmpuint (errors->len, ==, 3);
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[0])->field, ==, "name");
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[1])->field, ==, "email");
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[2])->field, ==, "country");

  /* crm_record_validate reports the first. */
  g_assert_false (crm_record_validate (record, CRM_VALIDATE_CREATE, &error));
  g_assert_cmpstr (error->message, ==, "Le champ « Nom » est obligatoire.");
}

static void
person_case (const char *first,
             const char *last,
             gboolean    set_first,
             gboolean    set_last,
             CrmValidateMode mode,
             gboolean    expect_valid)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (PER);
  g_autoptr(GPtrArray) errors = NULL;

  if (set_first)
    crm_record_set_string (record, "first_name", first);
  if (set_last)
    crm_record_set_string (record, "last_name", last);
  errors = crm_record_validate_all (record, mode);
  if (expect_valid)
    {
      g_assert_cmpuint (errors->len, ==, 0);
      return;
    }
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_null (((CrmFieldError *) errors->pdata[0])->field);
  g_assert_cmpint (((CrmFieldError *) errors->pdata[0])->code, ==, E_REQ);
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[0])->message, ==,
                   "Indiquez au moins le prénom ou le nom de la personne.");
}

static void
test_person_needs_a_name (void)
{
  person_case (NULL, NULL, FALSE, FALSE, CRM_VALIDATE_CREATE, FALSE);
}

static void
test_person_blank_names_rejected (void)
{
  person_case ("  ", NULL, TRUE, TRUE, CRM_VALIDATE_CREATE, FALSE);
}

static void
test_person_first_name_only (void)
{
  person_case ("Jeanne", NULL, TRUE, FALSE, CRM_VALIDATE_CREATE, TRUE);
}

static void
test_person_last_name_only (void)
{
  person_case (NULL, "Durand", FALSE, TRUE, CRM_VALIDATE_ROW, TRUE);
}

static void
test_person_update_clearing_both (void)
{
  person_case (NULL, "", TRUE, TRUE, CRM_VALIDATE_UPDATE, FALSE);
}

static void
test_person_update_one_side (void)
{
  /* Clearing one name cannot be judged without the stored row. */
  person_case (NULL, NULL, TRUE, FALSE, CRM_VALIDATE_UPDATE, TRUE);
}

static GPtrArray *
validate_period (CrmEntityKind kind,
                 const char   *start,
                 const char   *end)
{
  g_autoptr(CrmRecord) record = crm_record_new_for_kind (kind);

  crm_record_set_string (record, "start_date", start);
  crm_record_set_string (record, "end_date", end);
  return crm_record_validate_all (record, CRM_VALIDATE_UPDATE);
}

static void
test_link_end_before_start (void)
{
  g_autoptr(GPtrArray) errors = validate_period (LNK, "2025-01-01", "2024-12-31");
  CrmFieldError *e;

  g_assert_cmpuint (errors->len, ==, 1);
  e = g_ptr_array_index (errors, 0);
  g_assert_null (e->field);
  g_assert_cmpint (e->code, ==, CRM_VALIDATION_ERROR_INCONSISTENT);
  g_assert_cmpstr (e->message, ==, "La date de fin (2024-12-31) ne peut pas précéder la date de "
                                   "début (2025-01-01) ; corrigez l’une des deux.");
}

static void
test_mandat_end_before_start (void)
{
  g_autoptr(GPtrArray) errors = validate_period (MAN, "2025-06-01", "2025-05-31");

  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpint (((CrmFieldError *) errors->pdata[0])->code, ==,
                   CRM_VALIDATION_ERROR_INCONSISTENT);
}

static void
test_period_same_day_ok (void)
{
  g_autoptr(GPtrArray) errors = validate_period (MAN, "2025-06-01", "2025-06-01");

  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_period_open_ended_ok (void)
{
  g_autoptr(GPtrArray) errors = validate_period (LNK, "2025-06-01", NULL);

  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_period_invalid_date_reported_once (void)
{
  /* The bad date has its own message; no second one about the order. */
  g_autoptr(GPtrArray) errors = validate_period (LNK, "2025-06-01", "2025-02-30");

  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpstr (((CrmFieldError *) errors->pdata[0])->field, ==, "end_date");
}

static void
test_field_error_free_null (void)
{
  crm_field_error_free (NULL);
  g_assert_true (CRM_VALIDATION_ERROR == g_quark_from_static_string ("crm-validation-error-quark"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/core/validate/", field_cases[i].path, NULL);

      g_test_add_data_func (path, &field_cases[i], test_field_case);
    }

  g_test_add_func ("/core/validate/syntax/null-is-invalid", test_syntax_null_is_invalid);
  g_test_add_func ("/core/validate/country/table-has-249-codes", test_country_table_complete);
  g_test_add_func ("/core/validate/language/table-has-184-codes", test_language_table_complete);
  g_test_add_func ("/core/validate/text/default-max-500", test_text_default_max);
  g_test_add_func ("/core/validate/longtext/default-max-100000", test_longtext_default_max);
  g_test_add_func ("/core/validate/int/range-inclusive", test_int_range);
  g_test_add_func ("/core/validate/tags/item-count", test_tags_item_count);
  g_test_add_func ("/core/validate/tags/required-empty-list", test_tags_required_empty);
  g_test_add_func ("/core/validate/uuid-list/item-count", test_uuid_list_item_count);
  g_test_add_func ("/core/validate/decimal/rejects-non-finite", test_decimal_non_finite_in_record);
  g_test_add_func ("/core/validate/messages/exact-sentences", test_messages_exact);
  g_test_add_func ("/core/validate/messages/enum-lists-choices", test_enum_message_lists_choices);
  g_test_add_func ("/core/validate/record/full-records-valid", test_full_records_valid);
  g_test_add_func ("/core/validate/record/create-requires-name", test_create_requires_required);
  g_test_add_func ("/core/validate/record/create-minimal-valid", test_create_minimal_valid);
  g_test_add_func ("/core/validate/record/optional-null-valid", test_optional_null_valid);
  g_test_add_func ("/core/validate/record/update-absent-required-ok", test_update_absent_required_ok);
  g_test_add_func ("/core/validate/record/update-null-required-rejected",
                   test_update_null_required_rejected);
  g_test_add_func ("/core/validate/record/update-blank-required-rejected",
                   test_update_blank_required_rejected);
  g_test_add_func ("/core/validate/readonly/rejected-unless-row", test_readonly_by_mode);
  g_test_add_func ("/core/validate/readonly/null-rejected", test_readonly_null_rejected);
  g_test_add_func ("/core/validate/record/errors-in-field-order", test_errors_in_field_order);
  g_test_add_func ("/core/validate/person/needs-a-name", test_person_needs_a_name);
  g_test_add_func ("/core/validate/person/blank-names-rejected", test_person_blank_names_rejected);
  g_test_add_func ("/core/validate/person/first-name-only-ok", test_person_first_name_only);
  g_test_add_func ("/core/validate/person/last-name-only-ok", test_person_last_name_only);
  g_test_add_func ("/core/validate/person/update-clearing-both-rejected",
                   test_person_update_clearing_both);
  g_test_add_func ("/core/validate/person/update-one-side-not-judged",
                   test_person_update_one_side);
  g_test_add_func ("/core/validate/period/link-end-before-start", test_link_end_before_start);
  g_test_add_func ("/core/validate/period/mandat-end-before-start", test_mandat_end_before_start);
  g_test_add_func ("/core/validate/period/same-day-ok", test_period_same_day_ok);
  g_test_add_func ("/core/validate/period/open-ended-ok", test_period_open_ended_ok);
  g_test_add_func ("/core/validate/period/invalid-date-reported-once",
                   test_period_invalid_date_reported_once);
  g_test_add_func ("/core/validate/error/quark-and-free", test_field_error_free_null);

  return g_test_run ();
}
