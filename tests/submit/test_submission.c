/* The shared submission checks without HTTP: nesting depth, GPU names,
 * the fixture accepted with its findings, and the run document it becomes
 * (what gen accept writes) passing the catalog's reader again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "wir_fs.h"
#include "wir_submission.h"


int main(int argc, char **argv) {
    if (argc != 3) return fprintf(stderr, "usage: test_submission DATA FIXTURE\n"), 2;
    CHECK(wir_submission_depth("{\"a\": [1, {\"b\": \"[[[[\"}]}", 22) == 3);
    CHECK(wir_submission_depth("\"\\\"[\"", 5) == 0);

    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_catalog *c = wir_catalog_load(argv[1], &diags);
    CHECK(c != NULL);
    if (!c) return 1;
    const wir_gpu *g = wir_submission_match_gpu(c, "NVIDIA GeForce RTX 4090");
    CHECK(g && !strcmp(g->slug, "rtx-4090"));
    CHECK(wir_submission_match_gpu(c, "NVIDIA Imaginary 9999") == NULL);
    CHECK(wir_submission_match_gpu(c, NULL) == NULL);

    size_t len = 0;
    char *text = wir_fs_read_file(argv[2], &len);
    CHECK(text != NULL);
    char *doc = malloc(len + 1);
    /* The fixture's key placeholder becomes a real key. */
    const char *at = text ? strstr(text, "\"KEY\"") : NULL;
    CHECK(at != NULL);
    if (at) {
        size_t head = (size_t)(at - text);
        doc = realloc(doc, len + 40);
        memcpy(doc, text, head);
        size_t n = head + (size_t)sprintf(doc + head, "\"%s\"", "0123456789abcdef0123456789abcdef");
        memcpy(doc + n, at + 5, len - head - 5);
        n += len - head - 5;
        wir_submission s;
        int rc = wir_submission_check(c, doc, n, "2026-12-01T00:00:00Z", &s);
        for (size_t i = 0; i < s.reasons.count; i++) wir_diag_print(stderr, &s.reasons.items[i]);
        CHECK(rc == 0 && s.run != NULL);
        CHECK(!strcmp(s.id, "sub-0123456789-rtx-4090-qwen2-5-0-5b-q4-0"));
        CHECK(s.n_findings == 1 && strstr(s.findings[0], "% of the bandwidth limit"));
        wir_submission again;
        CHECK(s.run && wir_submission_recheck(c, s.run, &again) == 0);
        if (s.run) wir_submission_free(&again);
        wir_submission_free(&s);

        /* Over the limit by a byte: refused before parsing. */
        char *big = calloc(WIR_SUBMISSION_MAX_BYTES + 2, 1);
        memset(big, ' ', WIR_SUBMISSION_MAX_BYTES + 1);
        CHECK(wir_submission_check(c, big, WIR_SUBMISSION_MAX_BYTES + 1, "2026-12-01T00:00:00Z", &s) == -1);
        CHECK(s.reasons.count == 1 && strstr(s.reasons.items[0].message, "limit"));
        wir_submission_free(&s);
        free(big);
    }
    free(doc);
    free(text);
    wir_catalog_free(c);
    wir_diag_list_free(&diags);
    CHECK_DONE();
}
