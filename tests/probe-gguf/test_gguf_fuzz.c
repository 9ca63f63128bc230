/* probe.gguf.fuzz: a valid file truncated at every length and mutated at
 * every header byte (plus seeded random multi-byte mutations) must open or be
 * rejected, never crash or read outside the buffer. Each candidate is copied
 * into an exactly-sized heap block so AddressSanitizer (debug preset) flags
 * any read past the end. Files that open are walked completely: every key,
 * element, tensor and a dot product over each tensor's first row. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "gguf_writer.h"
#include "wir_qformat.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static long n_opened, n_rejected;

static void walk(wir_gguf *g, size_t size) {
    volatile double sink = 0;
    for (int64_t i = 0; i < wir_gguf_kv_count(g); i++) {
        const char *key = wir_gguf_kv_key(g, i);
        CHECK(key && wir_gguf_find_key(g, key) == i);
        wir_gguf_value v;
        CHECK(wir_gguf_kv_value(g, i, &v) == WIR_GGUF_OK);
        if (v.type == WIR_GGUF_TYPE_STRING && v.v.str.len)
            sink += (unsigned char)v.v.str.data[v.v.str.len - 1];
        if (v.type == WIR_GGUF_TYPE_ARRAY)
            for (uint64_t j = 0; j < v.v.array.count; j++) {
                wir_gguf_value e;
                if (wir_gguf_kv_element(g, i, j, &e) == WIR_GGUF_OK && e.type == WIR_GGUF_TYPE_STRING &&
                    e.v.str.len)
                    sink += (unsigned char)e.v.str.data[e.v.str.len - 1];
            }
        uint32_t u32;
        int32_t i32;
        uint64_t u64;
        float f;
        bool b;
        const char *s;
        (void)wir_gguf_get_u32(g, key, &u32);
        (void)wir_gguf_get_i32(g, key, &i32);
        (void)wir_gguf_get_u64(g, key, &u64);
        (void)wir_gguf_get_f32(g, key, &f);
        (void)wir_gguf_get_bool(g, key, &b);
        (void)wir_gguf_get_cstr(g, key, &s);
    }
    float x[4096];
    for (int i = 0; i < 4096; i++)
        x[i] = 1.0f;
    for (int64_t i = 0; i < wir_gguf_tensor_count(g); i++) {
        const wir_gguf_tensor *t = wir_gguf_tensor_at(g, i);
        CHECK(wir_gguf_find_tensor(g, t->name) == t);
        CHECK(t->file_offset + t->size <= size);
        if (t->size)
            sink += ((const uint8_t *)t->data)[t->size - 1];
        if (wir_qformat_supported(t->type) && t->ne[0] <= 4096)
            sink += wir_qformat_dot_row(t->type, t->data, x, t->ne[0]);
    }
    (void)sink;
}

static void try_open(const uint8_t *data, size_t len) {
    uint8_t *copy = malloc(len ? len : 1);
    memcpy(copy, data, len);
    wir_gguf_error err;
    wir_gguf *g = wir_gguf_open_memory(copy, len, "fuzz.gguf", &err);
    if (g) {
        n_opened++;
        walk(g, len);
        wir_gguf_close(g);
    } else {
        n_rejected++;
        CHECK(strncmp(err.text, "fuzz.gguf: ", 11) == 0 && err.message[0]);
    }
    free(copy);
}

/* An array of 2 arrays of uint16: [[1, 2], [3]]. */
static void add_nested(wir_gguf_writer *w) {
    wir_gguf_bytes v = {0};
    wir_gguf_bytes_u32(&v, WIR_GGUF_TYPE_ARRAY);
    wir_gguf_bytes_u64(&v, 2);
    wir_gguf_bytes_u32(&v, WIR_GGUF_TYPE_UINT16);
    wir_gguf_bytes_u64(&v, 2);
    wir_gguf_bytes_raw(&v, "\1\0\2\0", 4);
    wir_gguf_bytes_u32(&v, WIR_GGUF_TYPE_UINT16);
    wir_gguf_bytes_u64(&v, 1);
    wir_gguf_bytes_raw(&v, "\3\0", 2);
    wir_gguf_writer_add_raw(w, "x.nested", WIR_GGUF_TYPE_ARRAY, v.data, v.len);
    wir_gguf_bytes_free(&v);
}

static void fuzz_file(uint32_t version);

int main(void) {
    fuzz_file(3);
    fuzz_file(2);
    printf("opened %ld, rejected %ld\n", n_opened, n_rejected);
    CHECK(n_rejected > 1000);
    CHECK_DONE();
}

static void fuzz_file(uint32_t version) {
    wir_gguf_writer *w = wir_gguf_writer_new(version);
    add_nested(w);
    wir_gguf_writer_add_string(w, "general.architecture", "llama");
    wir_gguf_writer_add_u32(w, "general.alignment", 32);
    wir_gguf_writer_add_bool(w, "x.flag", true);
    const char *toks[] = {"a", "bc", "def", ""};
    wir_gguf_writer_add_strings(w, "tokenizer.ggml.tokens", toks, 4);
    float sc[4] = {1, 2, 3, 4};
    wir_gguf_writer_add_array(w, "tokenizer.ggml.scores", WIR_GGUF_TYPE_FLOAT32, sc, 4);
    wir_gguf_writer_add_f64(w, "x.f64", 1.5);
    int64_t ne_k[2] = {256, 2}, ne_s[2] = {64, 2}, ne_h[1] = {32};
    wir_gguf_writer_add_tensor(w, "t.q4k", 2, ne_k, WIR_QTYPE_Q4_K, NULL);
    wir_gguf_writer_add_tensor(w, "t.q5k", 2, ne_k, WIR_QTYPE_Q5_K, NULL);
    wir_gguf_writer_add_tensor(w, "t.q6k", 1, ne_k, WIR_QTYPE_Q6_K, NULL);
    wir_gguf_writer_add_tensor(w, "t.q8", 2, ne_s, WIR_QTYPE_Q8_0, NULL);
    wir_gguf_writer_add_tensor(w, "t.q4", 2, ne_s, WIR_QTYPE_Q4_0, NULL);
    wir_gguf_writer_add_tensor(w, "t.f16", 1, ne_h, WIR_QTYPE_F16, NULL);
    wir_gguf_writer_add_tensor(w, "t.bf16", 1, ne_h, WIR_QTYPE_BF16, NULL);
    wir_gguf_bytes b;
    wir_gguf_writer_to_bytes(w, &b);
    wir_gguf_writer_free(w);

    wir_gguf *g = wir_gguf_open_memory(b.data, b.len, "fuzz.gguf", NULL);
    CHECK(g != NULL);
    size_t header_end = g ? (size_t)wir_gguf_data_offset(g) : b.len;
    wir_gguf_close(g);

    /* Every truncation: only the full file (and nothing shorter than the
     * last tensor's end) may open. */
    for (size_t len = 0; len <= b.len; len++)
        try_open(b.data, len);
    CHECK(n_opened >= 1);

    /* Every header byte set to a handful of interesting values. */
    static const uint8_t values[] = {0x00, 0x01, 0x07, 0x08, 0x0d, 0x20, 0x7f, 0x80, 0xfe, 0xff};
    uint8_t *m = malloc(b.len);
    for (size_t at = 0; at < header_end; at++)
        for (size_t k = 0; k < sizeof values; k++) {
            memcpy(m, b.data, b.len);
            m[at] = values[k];
            try_open(m, b.len);
            memcpy(m, b.data, b.len);
            m[at] ^= (uint8_t)(1u << (k % 8));
            try_open(m, b.len);
        }

    /* Seeded random mutations: 1-8 bytes each, anywhere in the header, with
     * a random length cut now and then. */
    for (int iter = 0; iter < 20000; iter++) {
        memcpy(m, b.data, b.len);
        int n = 1 + (int)(rng() % 8);
        for (int k = 0; k < n; k++)
            m[rng() % header_end] = (uint8_t)rng();
        size_t len = rng() % 4 == 0 ? (size_t)(rng() % (b.len + 1)) : b.len;
        try_open(m, len);
    }
    free(m);
    wir_gguf_bytes_free(&b);
}
