/* probe inspect FILE.gguf [--json] [--sha256]: validates a GGUF file and
 * prints its metadata, tensor table and a summary (parameters, size, bits per
 * weight). Long arrays are abbreviated in the text form ("[151936 strings]");
 * --json writes everything, arrays in full. A malformed file prints the
 * reader's message (file, byte offset, field) and exits 1. */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_commands.h"
#include "wir_bench_report.h"
#include "wir_gguf.h"
#include "wir_qformat.h"

enum {
    INSPECT_INLINE_ARRAY = 8,  /* arrays up to this many elements print inline */
    INSPECT_STRING_MAX = 72,   /* longer strings are cut in the text form */
};

static void inspect_usage(FILE *out) {
    fprintf(out, "usage: probe inspect FILE.gguf [--json] [--sha256]\n\n"
                 "Validates a GGUF model file and prints its metadata, tensors and a summary.\n"
                 "  --json     machine-readable output with every value in full\n"
                 "  --sha256   also hash the file (reads every byte)\n"
                 "  --help     show this help\n");
}

/* A string value, quoted and escaped, cut at MAX bytes (0: never). */
static void inspect_print_string(FILE *out, const char *s, uint64_t len, uint64_t max) {
    uint64_t n = max && len > max ? max : len;
    fputc('"', out);
    for (uint64_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
    if (n < len)
        fprintf(out, "... (%" PRIu64 " bytes)", len);
}

static void inspect_print_scalar(FILE *out, const wir_gguf_value *v) {
    switch (v->type) {
    case WIR_GGUF_TYPE_UINT8: case WIR_GGUF_TYPE_UINT16: case WIR_GGUF_TYPE_UINT32:
    case WIR_GGUF_TYPE_UINT64:
        fprintf(out, "%" PRIu64, v->v.u64);
        break;
    case WIR_GGUF_TYPE_INT8: case WIR_GGUF_TYPE_INT16: case WIR_GGUF_TYPE_INT32:
    case WIR_GGUF_TYPE_INT64:
        fprintf(out, "%" PRId64, v->v.i64);
        break;
    case WIR_GGUF_TYPE_FLOAT32:
        fprintf(out, "%.9g", v->v.f64);
        break;
    case WIR_GGUF_TYPE_FLOAT64:
        fprintf(out, "%.17g", v->v.f64);
        break;
    case WIR_GGUF_TYPE_BOOL:
        fputs(v->v.b ? "true" : "false", out);
        break;
    case WIR_GGUF_TYPE_STRING:
        inspect_print_string(out, v->v.str.data, v->v.str.len, INSPECT_STRING_MAX);
        break;
    case WIR_GGUF_TYPE_ARRAY:
        fprintf(out, "[%" PRIu64 " arrays]", v->v.array.count);
        break;
    }
}

static void inspect_print_kv(FILE *out, const wir_gguf *g, int64_t i, int key_width) {
    wir_gguf_value v;
    wir_gguf_kv_value(g, i, &v);
    char type[32];
    if (v.type == WIR_GGUF_TYPE_ARRAY)
        snprintf(type, sizeof type, "[%s]", wir_gguf_type_name(v.v.array.type));
    else
        snprintf(type, sizeof type, "%s", wir_gguf_type_name(v.type));
    fprintf(out, "  %-*s  %-9s ", key_width, wir_gguf_kv_key(g, i), type);
    if (v.type != WIR_GGUF_TYPE_ARRAY) {
        inspect_print_scalar(out, &v);
    } else if (v.v.array.count > INSPECT_INLINE_ARRAY || v.v.array.type == WIR_GGUF_TYPE_ARRAY) {
        const char *what = v.v.array.type == WIR_GGUF_TYPE_STRING ? "strings"
                           : v.v.array.type == WIR_GGUF_TYPE_ARRAY ? "arrays"
                                                                   : "values";
        fprintf(out, "[%" PRIu64 " %s]", v.v.array.count, what);
    } else {
        fputc('[', out);
        for (uint64_t j = 0; j < v.v.array.count; j++) {
            wir_gguf_value e;
            wir_gguf_kv_element(g, i, j, &e);
            if (j)
                fputs(", ", out);
            inspect_print_scalar(out, &e);
        }
        fputc(']', out);
    }
    fputc('\n', out);
}

typedef struct inspect_summary {
    uint64_t parameters;
    uint64_t bytes;
    int64_t count_by_type[64];
    bool unsupported; /* a tensor type the probe cannot compute with */
} inspect_summary;

static void inspect_summarize(const wir_gguf *g, inspect_summary *s) {
    memset(s, 0, sizeof *s);
    for (int64_t i = 0; i < wir_gguf_tensor_count(g); i++) {
        const wir_gguf_tensor *t = wir_gguf_tensor_at(g, i);
        s->parameters += t->n_elements; /* each fits int64; a sum of them in a file does too */
        s->bytes += t->size;
        if (t->type >= 0 && t->type < 64)
            s->count_by_type[t->type]++;
        if (!wir_qformat_supported(t->type))
            s->unsupported = true;
    }
}

static void inspect_shape(const wir_gguf_tensor *t, char *buf, size_t size) {
    int n = snprintf(buf, size, "[");
    for (uint32_t d = 0; d < t->n_dims && n > 0 && (size_t)n < size; d++)
        n += snprintf(buf + n, size - (size_t)n, "%s%" PRId64, d ? ", " : "", t->ne[d]);
    if (n > 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, "]");
}

/* Spec requirements the reader does not enforce (a loader decides whether it
 * can live without them): fills up to 4 static messages, returns how many. */
static int inspect_warnings(const wir_gguf *g, const char *warnings[4]) {
    int n = 0;
    const char *arch;
    wir_gguf_status st = wir_gguf_get_cstr(g, "general.architecture", &arch);
    if (st == WIR_GGUF_NOT_FOUND)
        warnings[n++] = "general.architecture is missing (the GGUF spec requires it)";
    else if (st != WIR_GGUF_OK)
        warnings[n++] = "general.architecture is not a string";
    bool quantized = false;
    for (int64_t i = 0; i < wir_gguf_tensor_count(g); i++) {
        int32_t block = 0;
        wir_gguf_ggml_type_info(wir_gguf_tensor_at(g, i)->type, &block, NULL);
        quantized |= block > 1;
    }
    uint32_t qv;
    if (quantized && wir_gguf_get_u32(g, "general.quantization_version", &qv) != WIR_GGUF_OK)
        warnings[n++] = "general.quantization_version is missing or not an integer, but the file "
                        "has quantized tensors (the GGUF spec requires it)";
    return n;
}

static int inspect_text(wir_gguf *g, bool sha) {
    FILE *out = stdout;
    char size[32], tsize[32];
    wir_report_bytes((int64_t)wir_gguf_file_size(g), size, sizeof size);
    printf("%s: GGUF v%u, %s (%" PRIu64 " bytes), alignment %u, tensor data at offset %" PRIu64 "\n",
           wir_gguf_path(g), wir_gguf_version(g), size, wir_gguf_file_size(g), wir_gguf_alignment(g),
           wir_gguf_data_offset(g));
    if (sha) {
        char hex[65];
        wir_gguf_sha256_hex(g, hex);
        printf("sha256: %s\n", hex);
    }

    int64_t n_kv = wir_gguf_kv_count(g);
    int key_width = 0;
    for (int64_t i = 0; i < n_kv; i++) {
        int w = (int)strlen(wir_gguf_kv_key(g, i));
        key_width = w > key_width ? (w > 48 ? 48 : w) : key_width;
    }
    printf("\nmetadata: %" PRId64 " key%s\n", n_kv, n_kv == 1 ? "" : "s");
    for (int64_t i = 0; i < n_kv; i++)
        inspect_print_kv(out, g, i, key_width);

    int64_t n_t = wir_gguf_tensor_count(g);
    int name_width = 4;
    for (int64_t i = 0; i < n_t; i++) {
        int w = (int)strlen(wir_gguf_tensor_at(g, i)->name);
        name_width = w > name_width ? w : name_width;
    }
    printf("\ntensors: %" PRId64 "\n", n_t);
    if (n_t) {
        printf("  %5s  %-*s  %-7s  %-22s  %14s  %12s\n", "#", name_width, "name", "type", "shape",
               "bytes", "offset");
        for (int64_t i = 0; i < n_t; i++) {
            const wir_gguf_tensor *t = wir_gguf_tensor_at(g, i);
            char shape[96];
            inspect_shape(t, shape, sizeof shape);
            char type[16];
            snprintf(type, sizeof type, "%s%s", wir_gguf_ggml_type_name(t->type),
                     wir_qformat_supported(t->type) ? "" : "*");
            printf("  %5" PRId64 "  %-*s  %-7s  %-22s  %14" PRIu64 "  %12" PRIu64 "\n", i, name_width,
                   t->name, type, shape, t->size, t->offset);
        }
    }

    inspect_summary s;
    inspect_summarize(g, &s);
    wir_report_bytes((int64_t)s.bytes, tsize, sizeof tsize);
    double p = (double)s.parameters;
    printf("\nsummary: %" PRIu64 " parameters (%.2f %s), %s of tensor data", s.parameters,
           p >= 1e9 ? p / 1e9 : p >= 1e6 ? p / 1e6 : p / 1e3, p >= 1e9 ? "B" : p >= 1e6 ? "M" : "K",
           tsize);
    if (s.parameters)
        printf(", %.2f bits per weight", (double)s.bytes * 8 / (double)s.parameters);
    printf("\ntypes:");
    bool first = true;
    for (int t = 0; t < 64; t++)
        if (s.count_by_type[t]) {
            printf("%s %s x%" PRId64, first ? "" : ",", wir_gguf_ggml_type_name(t), s.count_by_type[t]);
            first = false;
        }
    printf("%s\n", first ? " none" : "");
    if (s.unsupported)
        printf("* the probe cannot compute with this tensor type\n");
    const char *warnings[4];
    int n_warn = inspect_warnings(g, warnings);
    for (int i = 0; i < n_warn; i++)
        fprintf(stderr, "%s: warning: %s\n", wir_gguf_path(g), warnings[i]);
    return 0;
}

/* ---- JSON --------------------------------------------------------------- */

/* A JSON string from bytes that may not be valid UTF-8: invalid sequences
 * become U+FFFD so the document stays valid. */
static json_t *inspect_json_string(const char *s, uint64_t len) {
    json_t *j = json_stringn(s, (size_t)len);
    if (j)
        return j;
    char *clean = malloc((size_t)len * 3 + 1);
    if (!clean)
        return json_null();
    size_t o = 0;
    for (uint64_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        json_t *probe = n && i + (uint64_t)n <= len ? json_stringn(s + i, (size_t)n) : NULL;
        if (probe && c != 0) {
            memcpy(clean + o, s + i, (size_t)n);
            o += (size_t)n;
            i += (uint64_t)n;
        } else {
            memcpy(clean + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
        json_decref(probe);
    }
    j = json_stringn(clean, o);
    free(clean);
    return j ? j : json_null();
}

static json_t *inspect_json_value(const wir_gguf_value *v) {
    switch (v->type) {
    case WIR_GGUF_TYPE_UINT8: case WIR_GGUF_TYPE_UINT16: case WIR_GGUF_TYPE_UINT32:
    case WIR_GGUF_TYPE_UINT64:
        /* JSON integers are int64 in Jansson: larger values go out as reals */
        return v->v.u64 <= INT64_MAX ? json_integer((json_int_t)v->v.u64) : json_real((double)v->v.u64);
    case WIR_GGUF_TYPE_INT8: case WIR_GGUF_TYPE_INT16: case WIR_GGUF_TYPE_INT32:
    case WIR_GGUF_TYPE_INT64:
        return json_integer((json_int_t)v->v.i64);
    case WIR_GGUF_TYPE_FLOAT32: case WIR_GGUF_TYPE_FLOAT64:
        /* NaN and infinities have no JSON form */
        return isfinite(v->v.f64) ? json_real(v->v.f64)
                                  : json_string(isnan(v->v.f64) ? "nan" : v->v.f64 > 0 ? "inf" : "-inf");
    case WIR_GGUF_TYPE_BOOL:
        return json_boolean(v->v.b);
    case WIR_GGUF_TYPE_STRING:
        return inspect_json_string(v->v.str.data, v->v.str.len);
    case WIR_GGUF_TYPE_ARRAY:
        return json_null(); /* nested arrays: count only, see caller */
    }
    return json_null();
}

static json_t *inspect_json_kv(const wir_gguf *g, int64_t i) {
    wir_gguf_value v;
    wir_gguf_kv_value(g, i, &v);
    json_t *o = json_object();
    json_object_set_new(o, "key", json_string(wir_gguf_kv_key(g, i)));
    json_object_set_new(o, "type", json_string(wir_gguf_type_name(v.type)));
    if (v.type != WIR_GGUF_TYPE_ARRAY) {
        json_object_set_new(o, "value", inspect_json_value(&v));
        return o;
    }
    json_object_set_new(o, "element_type", json_string(wir_gguf_type_name(v.v.array.type)));
    json_object_set_new(o, "count", json_integer((json_int_t)v.v.array.count));
    if (v.v.array.type == WIR_GGUF_TYPE_ARRAY)
        return o; /* nested arrays are validated but not exposed by the reader */
    json_t *a = json_array();
    for (uint64_t j = 0; j < v.v.array.count; j++) {
        wir_gguf_value e;
        wir_gguf_kv_element(g, i, j, &e);
        json_array_append_new(a, inspect_json_value(&e));
    }
    json_object_set_new(o, "value", a);
    return o;
}

static int inspect_json(wir_gguf *g, bool sha) {
    json_t *root = json_object();
    json_object_set_new(root, "file", json_string(wir_gguf_path(g)));
    json_object_set_new(root, "version", json_integer(wir_gguf_version(g)));
    json_object_set_new(root, "size", json_integer((json_int_t)wir_gguf_file_size(g)));
    json_object_set_new(root, "alignment", json_integer(wir_gguf_alignment(g)));
    json_object_set_new(root, "data_offset", json_integer((json_int_t)wir_gguf_data_offset(g)));
    if (sha) {
        char hex[65];
        wir_gguf_sha256_hex(g, hex);
        json_object_set_new(root, "sha256", json_string(hex));
    }
    json_t *meta = json_array();
    for (int64_t i = 0; i < wir_gguf_kv_count(g); i++)
        json_array_append_new(meta, inspect_json_kv(g, i));
    json_object_set_new(root, "metadata", meta);

    json_t *tensors = json_array();
    for (int64_t i = 0; i < wir_gguf_tensor_count(g); i++) {
        const wir_gguf_tensor *t = wir_gguf_tensor_at(g, i);
        json_t *o = json_object(), *shape = json_array();
        for (uint32_t d = 0; d < t->n_dims; d++)
            json_array_append_new(shape, json_integer(t->ne[d]));
        json_object_set_new(o, "name", json_string(t->name));
        json_object_set_new(o, "type", json_string(wir_gguf_ggml_type_name(t->type)));
        json_object_set_new(o, "type_id", json_integer(t->type));
        json_object_set_new(o, "shape", shape);
        json_object_set_new(o, "elements", json_integer((json_int_t)t->n_elements));
        json_object_set_new(o, "bytes", json_integer((json_int_t)t->size));
        json_object_set_new(o, "offset", json_integer((json_int_t)t->offset));
        json_object_set_new(o, "supported", json_boolean(wir_qformat_supported(t->type)));
        json_array_append_new(tensors, o);
    }
    json_object_set_new(root, "tensors", tensors);

    inspect_summary s;
    inspect_summarize(g, &s);
    json_t *sum = json_object(), *types = json_object();
    json_object_set_new(sum, "parameters", json_integer((json_int_t)s.parameters));
    json_object_set_new(sum, "tensor_bytes", json_integer((json_int_t)s.bytes));
    json_object_set_new(sum, "bits_per_weight",
                        s.parameters ? json_real((double)s.bytes * 8 / (double)s.parameters) : json_null());
    for (int t = 0; t < 64; t++)
        if (s.count_by_type[t])
            json_object_set_new(types, wir_gguf_ggml_type_name(t), json_integer(s.count_by_type[t]));
    json_object_set_new(sum, "tensor_types", types);
    json_object_set_new(root, "summary", sum);
    const char *warnings[4];
    int n_warn = inspect_warnings(g, warnings);
    json_t *warn = json_array();
    for (int i = 0; i < n_warn; i++)
        json_array_append_new(warn, json_string(warnings[i]));
    json_object_set_new(root, "warnings", warn);

    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : 1;
    fputc('\n', stdout);
    json_decref(root);
    return rc;
}

int probe_cmd_inspect(int argc, char **argv) {
    const char *path = NULL;
    bool json = false, sha = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--sha256"))
            sha = true;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            inspect_usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "probe inspect: unknown option '%s'\n", argv[i]);
            inspect_usage(stderr);
            return 2;
        } else if (path) {
            fprintf(stderr, "probe inspect: one file at a time ('%s' and '%s')\n", path, argv[i]);
            return 2;
        } else
            path = argv[i];
    }
    if (!path) {
        inspect_usage(stderr);
        return 2;
    }
    wir_gguf_error err;
    wir_gguf *g = wir_gguf_open(path, &err);
    if (!g) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    int rc = json ? inspect_json(g, sha) : inspect_text(g, sha);
    if (fflush(stdout) != 0)
        rc = 1;
    wir_gguf_close(g);
    return rc;
}
