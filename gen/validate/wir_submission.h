/* wir_submission: the run submission document "willitrun.run/1"
 * (docs/submissions.md), defined once for both sides: `probe submit`
 * serializes it (probe/store/wir_store_doc.c) with the names below, the
 * intake (`gen intake`) checks it here.
 *
 * Checking a body goes in three steps, every problem of a step reported:
 *   1. shape: size, nesting depth, JSON syntax, the schema name and version,
 *      known fields, types, and every string against a plain character set
 *      (no markup, quotes or statement separators: a submitted string is
 *      data, and the site escapes it again wherever it shows it);
 *   2. the catalog: the document becomes a data/runs/<id>.json run and is
 *      read by the catalog's own reader (wir_schema_run), so model, file
 *      type, units and ranges are checked by the same code as `gen check`;
 *      a GPU the catalog lacks is a finding for the editor, not a refusal;
 *   3. physics: decode tokens/s may exceed the will-it-run engine's
 *      bandwidth limit for that model, file type and card
 *      (wir_speed_ideal_decode) by at most WIR_SUBMISSION_DECODE_MARGIN, and
 *      no memory figure may exceed the card's or the host's.
 */
#ifndef WIR_SUBMISSION_H
#define WIR_SUBMISSION_H

#include <jansson.h>
#include <stddef.h>

#include "wir_catalog.h"
#include "wir_diag.h"

#define WIR_SUBMISSION_SCHEMA "willitrun.run/1"
#define WIR_SUBMISSION_SCHEMA_PREFIX "willitrun.run/"
/* A probe run of 64 tests with 100 samples each is under 100 KiB. */
#define WIR_SUBMISSION_MAX_BYTES (256 * 1024)
/* The document nests four levels (root, results, a result, its samples). */
#define WIR_SUBMISSION_MAX_DEPTH 6
#define WIR_SUBMISSION_MAX_RESULTS 64
/* The idempotency key: 32 lowercase hex digits (128 random bits). */
#define WIR_SUBMISSION_KEY_LEN 32
/* Decode may beat the engine's bandwidth limit by this fraction (caches and
 * rounding of the card's published bandwidth), never more. */
#define WIR_SUBMISSION_DECODE_MARGIN 0.25
/* The host-memory bandwidth a CPU-only run is checked against: the catalog
 * has no CPU figures, so a ceiling above any CPU socket's memory system
 * (12 channels of DDR5-6400 are 614 GB/s). */
#define WIR_SUBMISSION_CPU_CEILING_GB_S 1000.0

typedef struct wir_submission {
    wir_diag_list reasons;  /* every problem; file "submission", field the path */
    char **findings;        /* notes for the editor on an acceptable run */
    size_t n_findings;
    char key[WIR_SUBMISSION_KEY_LEN + 1];
    char id[192];           /* the catalog's id for the run */
    char submitter[48];
    json_t *run;            /* data/runs/<id>.json; NULL when refused */
} wir_submission;

/* Checks len bytes of body against catalog c; received_at ("YYYY-MM-DDTHH:
 * MM:SSZ") becomes source.submitted_at. Returns 0 when the run may be stored
 * (out->run set), -1 when refused (out->reasons says why). Always pair with
 * wir_submission_free(). */
int wir_submission_check(const wir_catalog *c, const char *body, size_t len,
                         const char *received_at, wir_submission *out);
void wir_submission_free(wir_submission *s);

/* Checks a data/runs document (from the intake's database) against the
 * catalog as it is now, as `gen accept` does before writing it: catalog
 * references and physics. Problems go to reasons, notes to findings (either
 * may be NULL-safe empty). Returns 0 when acceptable. */
int wir_submission_recheck(const wir_catalog *c, const json_t *run, wir_submission *out);

/* The catalog GPU whose slug or name matches a driver's device name
 * ("NVIDIA GeForce RTX 4090" → rtx-4090), or NULL. */
const wir_gpu *wir_submission_match_gpu(const wir_catalog *c, const char *device_name);

/* The deepest nesting of arrays and objects in text (strings skipped). */
int wir_submission_depth(const char *text, size_t len);

/* Appends a finding (printf-style). */
void wir_submission_note(wir_submission *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
