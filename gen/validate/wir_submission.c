/* wir_submission: checks a "willitrun.run/1" document (see wir_submission.h
 * and docs/submissions.md) and turns it into the catalog's run form. */
#define _POSIX_C_SOURCE 200809L
#include "wir_submission.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wir_buf.h"
#include "wir_memory.h"
#include "wir_schema.h"
#include "wir_speed.h"

#define SUB_FILE "submission"

static const char *const sub_root_keys[] = {"schema", "key",     "submitter", "started_at",
                                            "model",  "quant",   "runtime",   "settings",
                                            "host",   "reproduce", "results", NULL};
static const char *const sub_runtime_keys[] = {"name", "build", "backend", NULL};
static const char *const sub_settings_keys[] = {"threads", "n_batch", "n_ubatch", "kv_type",
                                                "n_gpu_layers", "flash_attn", NULL};
static const char *const sub_host_keys[] = {"cpu_model", "cpu_cores", "cpu_threads",
                                            "ram_bytes", "cpu_features", "os", "kernel",
                                            "arch", "gpu_name", "gpu_memory_bytes",
                                            "gpu_driver", "cuda_version", NULL};
static const char *const sub_result_keys[] = {"test",  "n_prompt", "n_gen", "depth",
                                              "tokens_per_s", "stddev", "samples",
                                              "peak_memory_bytes", "peak_device_bytes", NULL};
static const char *const sub_backends[] = {"CPU", "CUDA", NULL};

void wir_submission_note(wir_submission *s, const char *fmt, ...) {
    wir_buf b = WIR_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    wir_buf_puts(&b, tmp);
    char **grown = realloc(s->findings, (s->n_findings + 1) * sizeof *grown);
    if (!grown) abort();
    s->findings = grown;
    s->findings[s->n_findings++] = wir_strdup(wir_buf_cstr(&b));
    wir_buf_free(&b);
}

void wir_submission_free(wir_submission *s) {
    wir_diag_list_free(&s->reasons);
    for (size_t i = 0; i < s->n_findings; i++) free(s->findings[i]);
    free(s->findings);
    json_decref(s->run);
    memset(s, 0, sizeof *s);
}

int wir_submission_depth(const char *text, size_t len) {
    int depth = 0, max = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (in_string) {
            if (ch == '\\') i++;
            else if (ch == '"') in_string = false;
        } else if (ch == '"') {
            in_string = true;
        } else if (ch == '{' || ch == '[') {
            if (++depth > max) max = depth;
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return max;
}

/* ---- step 1: shape ------------------------------------------------------- */

/* Every string is data that ends up in HTML, SQL and shells: printable ASCII
 * without markup, quotes, statement separators or escapes. The reproduce
 * command may quote arguments with ' (the probe quotes for a POSIX shell). */
static void sub_check_strings(wir_jfile *f, const json_t *v, const char *path) {
    char child[WIR_JPATH_MAX];
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) {
            wir_jpath_key(child, path, k);
            sub_check_strings(f, x, child);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            wir_jpath_index(child, path, i);
            sub_check_strings(f, x, child);
        }
    } else if (json_is_string(v)) {
        bool reproduce = !strcmp(path, "reproduce");
        const char *s = json_string_value(v);
        size_t n = json_string_length(v), max = reproduce ? 2000 : 200;
        if (n > max) {
            wir_jfile_problem(f, path, "longer than %zu characters", max);
            return;
        }
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)s[i];
            bool bad = ch < 0x20 || ch > 0x7e || strchr("<>\"`;$\\{}|&", ch) ||
                       (ch == '\'' && !reproduce);
            if (bad) {
                if (ch >= 0x20 && ch <= 0x7e)
                    wir_jfile_problem(f, path, "character '%c' is not allowed in a submitted "
                                               "string (printable ASCII without <>\"'`;$\\{}|&)",
                                      ch);
                else
                    wir_jfile_problem(f, path, "byte 0x%02x is not allowed in a submitted string "
                                               "(printable ASCII only)", ch);
                return;
            }
        }
    }
}

static void sub_known(wir_jfile *f, const char *path, const char *const *keys) {
    wir_jobj o = {f, wir_jfile_get(f, path), ""};
    snprintf(o.path, sizeof o.path, "%s", path);
    if (json_is_object(o.obj)) wir_jr_known(&o, keys);
}

/* The checks the catalog reader cannot make: schema, key, handle, times,
 * the fields only a submission has. False when the schema is not one this
 * intake reads (nothing else is checked then). */
static bool sub_check_shape(wir_jfile *f, wir_submission *out) {
    wir_jobj root;
    if (!wir_jr_root(f, &root)) return false;
    char *schema = NULL;
    if (!wir_jr_string(&root, "schema", 0, &schema)) return false;
    if (strcmp(schema, WIR_SUBMISSION_SCHEMA) != 0) {
        if (!strncmp(schema, WIR_SUBMISSION_SCHEMA_PREFIX, strlen(WIR_SUBMISSION_SCHEMA_PREFIX)))
            wir_jfile_problem(f, "schema", "unsupported schema version \"%s\"; this intake "
                                           "reads \"%s\"", schema, WIR_SUBMISSION_SCHEMA);
        else
            wir_jfile_problem(f, "schema", "unknown schema \"%s\"; expected \"%s\"", schema,
                              WIR_SUBMISSION_SCHEMA);
        free(schema);
        return false;
    }
    free(schema);
    wir_jr_known(&root, sub_root_keys);
    sub_known(f, "runtime", sub_runtime_keys);
    sub_known(f, "settings", sub_settings_keys);
    sub_known(f, "host", sub_host_keys);
    sub_check_strings(f, root.obj, "");

    char *s = NULL;
    if (wir_jr_string(&root, "key", 0, &s)) {
        size_t n = strlen(s), ok = n == WIR_SUBMISSION_KEY_LEN;
        for (size_t i = 0; ok && i < n; i++) ok = isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f');
        if (!ok) wir_jfile_problem(f, "key", "expected %d lowercase hex digits", WIR_SUBMISSION_KEY_LEN);
        else snprintf(out->key, sizeof out->key, "%s", s);
    }
    free(s);
    s = NULL;
    if (wir_jr_string(&root, "submitter", 0, &s)) {
        size_t n = strlen(s), ok = n >= 1 && n < sizeof out->submitter;
        for (size_t i = 0; ok && i < n; i++)
            ok = isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.';
        if (!ok)
            wir_jfile_problem(f, "submitter", "a handle is 1-47 of [A-Za-z0-9._-] "
                                              "(never an e-mail address)");
        else snprintf(out->submitter, sizeof out->submitter, "%s", s);
    }
    free(s);
    s = NULL;
    if (wir_jr_string(&root, "started_at", 0, &s) && !wir_jv_is_timestamp(s))
        wir_jfile_problem(f, "started_at", "expected a UTC time YYYY-MM-DDTHH:MM:SSZ");
    free(s);
    s = NULL;
    if (wir_jr_string(&root, "reproduce", 0, &s) && strncmp(s, "probe run ", 10) != 0)
        wir_jfile_problem(f, "reproduce", "expected the probe command line (\"probe run …\")");
    free(s);
    s = NULL;
    wir_jobj rt;
    if (wir_jr_object(&root, "runtime", 0, &rt)) {
        if (wir_jr_string(&rt, "name", 0, &s) && strcmp(s, "probe") != 0)
            wir_jfile_problem(f, "runtime.name", "a submission is a probe run (\"probe\")");
        free(s);
        s = NULL;
        int k = -1;
        wir_jr_enum(&rt, "backend", 0, sub_backends, &s, &k);
        free(s);
        s = NULL;
    }
    wir_jobj host;
    if (!wir_jr_object(&root, "host", 0, &host)) return true;
    json_t *a = NULL;
    if (wir_jr_array(&root, "results", 0, &a)) {
        if (json_array_size(a) == 0)
            wir_jfile_problem(f, "results", "expected at least one result");
        if (json_array_size(a) > WIR_SUBMISSION_MAX_RESULTS)
            wir_jfile_problem(f, "results", "more than %d results", WIR_SUBMISSION_MAX_RESULTS);
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v) {
            char p[WIR_JPATH_MAX];
            wir_jpath_index(p, "results", i);
            sub_known(f, p, sub_result_keys);
            wir_jobj res = {f, json_is_object(v) ? v : NULL, ""};
            snprintf(res.path, sizeof res.path, "%s", p);
            int64_t bytes = 0;
            if (res.obj) {
                wir_jr_int(&res, "peak_memory_bytes", WIR_JR_OPTIONAL | WIR_JR_NULLABLE,
                           "an integer number of bytes", 0, INT64_MAX, &bytes);
                wir_jr_int(&res, "peak_device_bytes", WIR_JR_OPTIONAL | WIR_JR_NULLABLE,
                           "an integer number of bytes", 0, INT64_MAX, &bytes);
            }
        }
    }
    return true;
}

/* ---- step 2: the catalog's run form -------------------------------------- */

static json_t *sub_copy(const json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return v ? json_deep_copy(v) : json_null();
}

/* "NVIDIA GeForce RTX 4090" → "rtx-4090": what catalog slugs look like. */
static void sub_slug_of_name(const char *name, char *out, size_t size) {
    static const char *const drop[] = {"nvidia ", "geforce ", "amd ", "radeon ", NULL};
    char low[160];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof low; p++) low[n++] = (char)tolower((unsigned char)*p);
    low[n] = '\0';
    const char *p = low;
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; drop[i]; i++)
            if (!strncmp(p, drop[i], strlen(drop[i]))) { p += strlen(drop[i]); again = true; }
    }
    size_t k = 0;
    bool dash = false;
    for (; *p && k + 1 < size; p++) {
        if (isalnum((unsigned char)*p)) {
            if (dash && k > 0) out[k++] = '-';
            if (k + 1 < size) out[k++] = *p;
            dash = false;
        } else {
            dash = true;
        }
    }
    out[k] = '\0';
}

const wir_gpu *wir_submission_match_gpu(const wir_catalog *c, const char *device_name) {
    if (!device_name) return NULL;
    char want[160], have[160];
    sub_slug_of_name(device_name, want, sizeof want);
    const wir_gpu *g = wir_catalog_find_gpu(c, want);
    if (g) return g;
    for (size_t i = 0; i < c->n_gpus; i++) {
        sub_slug_of_name(c->gpus[i].name, have, sizeof have);
        if (!strcmp(have, want)) return &c->gpus[i];
    }
    return NULL;
}

/* The data/runs document of an accepted-shape submission. */
static json_t *sub_run_document(const wir_catalog *c, const json_t *doc, const char *received_at,
                                wir_submission *out) {
    const json_t *host = json_object_get(doc, "host");
    const json_t *rt = json_object_get(doc, "runtime");
    const json_t *st = json_object_get(doc, "settings");
    bool gpu_run = !strcmp(json_string_value(json_object_get(rt, "backend")), "CUDA");
    const char *gpu_name = json_string_value(json_object_get(host, "gpu_name"));
    char gpu_slug[160] = "";
    if (gpu_run) {
        const wir_gpu *g = wir_submission_match_gpu(c, gpu_name);
        if (g) {
            snprintf(gpu_slug, sizeof gpu_slug, "%s", g->slug);
        } else if (gpu_name) {
            sub_slug_of_name(gpu_name, gpu_slug, sizeof gpu_slug);
            wir_submission_note(out, "UNKNOWN HARDWARE: GPU \"%s\" is not in the catalog (no "
                                     "data/gpus/%s.json); add it before accepting", gpu_name,
                                gpu_slug);
        } else {
            wir_diag_add(&out->reasons, SUB_FILE, 0, 0, "host.gpu_name",
                         "a CUDA run names its GPU");
        }
    }
    const char *model = json_string_value(json_object_get(doc, "model"));
    const char *quant = json_string_value(json_object_get(doc, "quant"));
    snprintf(out->id, sizeof out->id, "sub-%.10s-%s-%s-%s", out->key,
             gpu_run ? gpu_slug : "cpu", model ? model : "?", quant ? quant : "?");

    json_t *run = json_object();
    json_object_set_new(run, "id", json_string(out->id));
    json_object_set_new(run, "source",
                        json_pack("{s:s, s:s, s:s, s:O}", "kind", "probe", "submitter",
                                  out->submitter, "submitted_at", received_at, "measured_at",
                                  json_object_get(doc, "started_at")));
    json_t *hw = json_object();
    json_object_set_new(hw, "gpu", gpu_run && gpu_slug[0] ? json_string(gpu_slug) : json_null());
    if (gpu_run) json_object_set_new(hw, "gpu_count", json_integer(1));
    json_object_set_new(hw, "cpu", sub_copy(host, "cpu_model"));
    json_object_set_new(run, "hardware", hw);
    json_object_set_new(run, "model", sub_copy(doc, "model"));
    json_object_set_new(run, "quant", sub_copy(doc, "quant"));
    json_object_set_new(run, "runtime", json_deep_copy(rt));
    json_t *set = json_object();
    static const char *const skeys[] = {"n_gpu_layers", "flash_attn", "kv_type", "threads",
                                        "n_batch", "n_ubatch", NULL};
    for (size_t i = 0; skeys[i]; i++) {
        json_t *v = json_object_get(st, skeys[i]);
        if (!v && !strcmp(skeys[i], "kv_type")) v = json_string("f16");
        else if (v) json_incref(v);
        else v = json_null();
        json_object_set_new(set, skeys[i], v);
    }
    json_object_set_new(run, "settings", set);
    json_t *results = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        json_t *x = json_object();
        static const char *const rkeys[] = {"test", "n_prompt", "n_gen", "depth", "tokens_per_s",
                                            "stddev", "samples", NULL};
        for (size_t k = 0; rkeys[k]; k++) json_object_set_new(x, rkeys[k], sub_copy(r, rkeys[k]));
        json_array_append_new(results, x);
    }
    json_object_set_new(run, "results", results);
    json_object_set_new(run, "host", json_deep_copy(host));
    json_object_set_new(run, "reproduce", sub_copy(doc, "reproduce"));
    return run;
}

/* ---- step 3: physics ----------------------------------------------------- */

static void sub_reason(wir_submission *out, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void sub_reason(wir_submission *out, const char *field, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wir_diag_add(&out->reasons, SUB_FILE, 0, 0, field, "%s", msg);
}

static void sub_check_physics(const wir_catalog *c, const wir_run *r, const json_t *doc,
                              wir_submission *out) {
    if (!r->model || !r->ftype) return;
    wir_fit_request rq;
    wir_fit_request_init(&rq);
    rq.model = r->model;
    rq.ftype = r->ftype;
    rq.runtime = wir_catalog_find_runtime(c, "probe");
    if (!rq.runtime) rq.runtime = wir_catalog_find_runtime(c, "llama-cpp");
    rq.gpu = r->gpu;
    rq.gpu_count = r->gpu ? 1 : 0;
    rq.kv_type = r->kv_type;
    if (!rq.runtime) return;
    wir_weights w;
    if (wir_weights_of(c, r->model, r->ftype, &w) != 0) return;
    const json_t *host = json_object_get(doc, "host");
    const json_t *results = json_object_get(doc, "results");
    double host_bw = WIR_SUBMISSION_CPU_CEILING_GB_S;
    const char *where = r->gpu ? r->gpu->slug : "CPU";
    for (size_t i = 0; i < r->n_results; i++) {
        const wir_run_result *x = &r->results[i];
        char field[64];
        if (x->test != WIR_RUN_TG) continue;
        rq.ctx = (int64_t)x->depth + x->n_prompt + x->n_gen;
        wir_memory mem;
        if (wir_memory_of(c, &rq, &w, &mem) != 0) continue;
        double limit = wir_speed_ideal_decode(&rq, &w, &mem, x->depth, host_bw);
        if (!isfinite(limit)) continue;
        snprintf(field, sizeof field, "results[%zu].tokens_per_s", i);
        if (x->tokens_per_s > limit * (1.0 + WIR_SUBMISSION_DECODE_MARGIN)) {
            sub_reason(out, field, "implausible: decode %.2f tok/s is above the bandwidth limit "
                                   "%.2f tok/s for %s %s on %s by more than %.0f%%",
                       x->tokens_per_s, limit, r->model->slug, r->ftype->slug, where,
                       WIR_SUBMISSION_DECODE_MARGIN * 100);
        } else if (r->gpu) {
            wir_submission_note(out, "%s: decode %.2f tok/s is %.0f%% of the bandwidth limit "
                                     "%.2f tok/s (%s, %.0f GB/s)", field, x->tokens_per_s,
                                100.0 * x->tokens_per_s / limit, limit, where,
                                r->gpu->memory_bandwidth_gb_s);
        } else {
            wir_submission_note(out, "%s: CPU run, checked only against a %.0f GB/s ceiling "
                                     "(%.2f tok/s); the catalog has no CPU bandwidth",
                                field, host_bw, limit);
        }
    }
    json_int_t ram = json_integer_value(json_object_get(host, "ram_bytes"));
    json_int_t dev = json_integer_value(json_object_get(host, "gpu_memory_bytes"));
    if (r->gpu && dev > r->gpu->memory_bytes)
        sub_reason(out, "host.gpu_memory_bytes", "implausible: %lld bytes is more than the "
                   "%s's %lld", (long long)dev, r->gpu->slug, (long long)r->gpu->memory_bytes);
    size_t i;
    json_t *x;
    json_array_foreach(results, i, x) {
        char field[64];
        json_int_t peak = json_integer_value(json_object_get(x, "peak_device_bytes"));
        if (r->gpu && peak > r->gpu->memory_bytes) {
            snprintf(field, sizeof field, "results[%zu].peak_device_bytes", i);
            sub_reason(out, field, "implausible: %lld bytes is more than the %s's memory (%lld)",
                       (long long)peak, r->gpu->slug, (long long)r->gpu->memory_bytes);
        }
        peak = json_integer_value(json_object_get(x, "peak_memory_bytes"));
        if (ram > 0 && peak > ram) {
            snprintf(field, sizeof field, "results[%zu].peak_memory_bytes", i);
            sub_reason(out, field, "implausible: %lld bytes is more than the host's RAM (%lld)",
                       (long long)peak, (long long)ram);
        }
    }
}

/* Reads run with the catalog's reader; reasons for its problems, except an
 * unknown GPU (a finding made when the document was built). */
static int sub_check_run(const wir_catalog *c, const json_t *run, const json_t *doc,
                         bool unknown_gpu_ok, wir_submission *out) {
    char *text = json_dumps(run, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    const char *id = json_string_value(json_object_get(run, "id"));
    wir_diag_list diags;
    wir_diag_list_init(&diags);
    wir_jfile f;
    wir_jfile_parse(&f, SUB_FILE, text, strlen(text), &diags);
    free(text);
    wir_run r;
    wir_schema_run(&f, id ? id : "", c, &r);
    bool gpu_unknown = false;
    for (size_t i = 0; i < diags.count; i++) {
        const wir_diag *d = &diags.items[i];
        if (d->field && !strcmp(d->field, "hardware.gpu") && strstr(d->message, "unknown GPU")) {
            gpu_unknown = true;
            if (unknown_gpu_ok) continue;
        }
        wir_diag_add(&out->reasons, SUB_FILE, 0, 0, d->field, "%s", d->message);
    }
    if (diags.count == 0)
        sub_check_physics(c, &r, doc ? doc : run, out);
    else if (gpu_unknown && out->reasons.count == 0)
        wir_submission_note(out, "plausibility not checked: the GPU is not in the catalog");
    wir_diag_list_free(&diags);
    wir_run_free(&r);
    wir_jfile_close(&f);
    return out->reasons.count ? -1 : 0;
}

int wir_submission_check(const wir_catalog *c, const char *body, size_t len,
                         const char *received_at, wir_submission *out) {
    memset(out, 0, sizeof *out);
    wir_diag_list_init(&out->reasons);
    if (len > WIR_SUBMISSION_MAX_BYTES) {
        sub_reason(out, NULL, "body of %zu bytes is over the %d-byte limit", len,
                   WIR_SUBMISSION_MAX_BYTES);
        return -1;
    }
    int depth = wir_submission_depth(body, len);
    if (depth > WIR_SUBMISSION_MAX_DEPTH) {
        sub_reason(out, NULL, "JSON nests %d levels deep; the limit is %d", depth,
                   WIR_SUBMISSION_MAX_DEPTH);
        return -1;
    }
    wir_jfile f;
    if (wir_jfile_parse(&f, SUB_FILE, body, len, &out->reasons) != 0) {
        wir_jfile_close(&f);
        return -1;
    }
    bool readable = sub_check_shape(&f, out);
    if (readable && out->reasons.count == 0) {
        out->run = sub_run_document(c, f.root, received_at, out);
        if (out->reasons.count == 0) sub_check_run(c, out->run, f.root, true, out);
    }
    wir_jfile_close(&f);
    if (out->reasons.count) {
        json_decref(out->run);
        out->run = NULL;
        return -1;
    }
    return 0;
}

int wir_submission_recheck(const wir_catalog *c, const json_t *run, wir_submission *out) {
    memset(out, 0, sizeof *out);
    wir_diag_list_init(&out->reasons);
    return sub_check_run(c, run, NULL, false, out);
}
