/* probe.gguf.roundtrip: files made by the test writer read back identically,
 * for GGUF v2 and v3, default and custom alignment, from memory and from a
 * file (mmap); typed getters convert what fits and refuse what does not. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "gguf_writer.h"
#include "wir_qformat.h"
#include "wir_sha256.h"

static const char *const tokens[] = {"<s>", "</s>", "hello", "", "wörld"};

static wir_gguf_writer *make_writer(uint32_t version, uint32_t alignment) {
    wir_gguf_writer *w = wir_gguf_writer_new(version);
    wir_gguf_writer_add_string(w, "general.architecture", "llama");
    wir_gguf_writer_add_string(w, "general.name", "Tiny Test");
    if (alignment)
        wir_gguf_writer_add_u32(w, "general.alignment", alignment);
    wir_gguf_writer_add_u32(w, "llama.block_count", 2);
    wir_gguf_writer_add_u64(w, "llama.context_length", 4096);
    wir_gguf_writer_add_i32(w, "test.negative", -5);
    wir_gguf_writer_add_u8(w, "test.u8", 200);
    wir_gguf_writer_add_i8(w, "test.i8", -100);
    wir_gguf_writer_add_u16(w, "test.u16", 65000);
    wir_gguf_writer_add_i16(w, "test.i16", -32000);
    wir_gguf_writer_add_i64(w, "test.i64", -(INT64_C(1) << 40));
    wir_gguf_writer_add_u64(w, "test.big", UINT64_C(1) << 40);
    wir_gguf_writer_add_f32(w, "llama.rope.freq_base", 500000.0f);
    wir_gguf_writer_add_f64(w, "test.f64", 0.125);
    wir_gguf_writer_add_bool(w, "test.flag", true);
    wir_gguf_writer_add_strings(w, "tokenizer.ggml.tokens", tokens, 5);
    float scores[3] = {0.5f, -1.25f, 3.0f};
    wir_gguf_writer_add_array(w, "tokenizer.ggml.scores", WIR_GGUF_TYPE_FLOAT32, scores, 3);
    int32_t types[3] = {1, -2, 3};
    wir_gguf_writer_add_array(w, "tokenizer.ggml.token_type", WIR_GGUF_TYPE_INT32, types, 3);
    uint64_t huge[1] = {UINT64_MAX};
    wir_gguf_writer_add_array(w, "test.huge", WIR_GGUF_TYPE_UINT64, huge, 1);

    int64_t ne_emb[2] = {256, 10}, ne_norm[1] = {256}, ne_q[2] = {512, 3}, ne_q8[2] = {64, 4};
    wir_gguf_writer_add_tensor(w, "token_embd.weight", 2, ne_emb, WIR_QTYPE_Q4_K, NULL);
    wir_gguf_writer_add_tensor(w, "blk.0.attn_norm.weight", 1, ne_norm, WIR_QTYPE_F32, NULL);
    wir_gguf_writer_add_tensor(w, "blk.0.attn_q.weight", 2, ne_q, WIR_QTYPE_Q6_K, NULL);
    wir_gguf_writer_add_tensor(w, "blk.0.ffn_up.weight", 2, ne_q8, WIR_QTYPE_Q8_0, NULL);
    return w;
}

static void check_file(wir_gguf *g, uint32_t version, uint32_t alignment, const wir_gguf_bytes *b) {
    CHECK(wir_gguf_version(g) == version);
    CHECK(wir_gguf_alignment(g) == alignment);
    CHECK(wir_gguf_file_size(g) == b->len);
    CHECK(wir_gguf_data_offset(g) % alignment == 0);

    const char *s = NULL;
    CHECK(wir_gguf_get_cstr(g, "general.name", &s) == WIR_GGUF_OK);
    CHECK_STR(s, "Tiny Test");
    uint32_t u32 = 0;
    CHECK(wir_gguf_get_u32(g, "llama.block_count", &u32) == WIR_GGUF_OK && u32 == 2);
    CHECK(wir_gguf_get_u32(g, "llama.context_length", &u32) == WIR_GGUF_OK && u32 == 4096);
    CHECK(wir_gguf_get_u32(g, "test.big", &u32) == WIR_GGUF_WRONG_TYPE && u32 == 4096);
    CHECK(wir_gguf_get_u32(g, "test.negative", &u32) == WIR_GGUF_WRONG_TYPE);
    CHECK(wir_gguf_get_u32(g, "test.u8", &u32) == WIR_GGUF_OK && u32 == 200);
    CHECK(wir_gguf_get_u32(g, "test.u16", &u32) == WIR_GGUF_OK && u32 == 65000);
    CHECK(wir_gguf_get_u32(g, "general.name", &u32) == WIR_GGUF_WRONG_TYPE);
    CHECK(wir_gguf_get_u32(g, "no.such.key", &u32) == WIR_GGUF_NOT_FOUND);
    int32_t i32 = 0;
    CHECK(wir_gguf_get_i32(g, "test.negative", &i32) == WIR_GGUF_OK && i32 == -5);
    CHECK(wir_gguf_get_i32(g, "test.i8", &i32) == WIR_GGUF_OK && i32 == -100);
    CHECK(wir_gguf_get_i32(g, "test.i16", &i32) == WIR_GGUF_OK && i32 == -32000);
    CHECK(wir_gguf_get_i32(g, "test.i64", &i32) == WIR_GGUF_WRONG_TYPE);
    uint64_t u64 = 0;
    CHECK(wir_gguf_get_u64(g, "test.big", &u64) == WIR_GGUF_OK && u64 == UINT64_C(1) << 40);
    CHECK(wir_gguf_get_u64(g, "test.i64", &u64) == WIR_GGUF_WRONG_TYPE);
    float f = 0;
    CHECK(wir_gguf_get_f32(g, "llama.rope.freq_base", &f) == WIR_GGUF_OK && f == 500000.0f);
    CHECK(wir_gguf_get_f32(g, "test.f64", &f) == WIR_GGUF_OK && f == 0.125f);
    CHECK(wir_gguf_get_f32(g, "llama.block_count", &f) == WIR_GGUF_WRONG_TYPE);
    bool flag = false;
    CHECK(wir_gguf_get_bool(g, "test.flag", &flag) == WIR_GGUF_OK && flag);
    CHECK(wir_gguf_get_bool(g, "test.u8", &flag) == WIR_GGUF_WRONG_TYPE);
    wir_gguf_string str;
    CHECK(wir_gguf_get_string(g, "general.architecture", &str) == WIR_GGUF_OK && str.len == 5 &&
          !memcmp(str.data, "llama", 5));

    wir_gguf_type et;
    uint64_t count = 0;
    CHECK(wir_gguf_get_array(g, "tokenizer.ggml.tokens", &et, &count) == WIR_GGUF_OK &&
          et == WIR_GGUF_TYPE_STRING && count == 5);
    CHECK(wir_gguf_get_array(g, "general.name", &et, &count) == WIR_GGUF_WRONG_TYPE);
    for (uint64_t i = 0; i < 5; i++) {
        CHECK(wir_gguf_get_array_string(g, "tokenizer.ggml.tokens", i, &str) == WIR_GGUF_OK);
        CHECK(str.len == strlen(tokens[i]) && !memcmp(str.data, tokens[i], str.len));
    }
    CHECK(wir_gguf_get_array_string(g, "tokenizer.ggml.tokens", 5, &str) == WIR_GGUF_NOT_FOUND);
    CHECK(wir_gguf_get_array_string(g, "tokenizer.ggml.scores", 0, &str) == WIR_GGUF_WRONG_TYPE);
    CHECK(wir_gguf_get_array_float(g, "tokenizer.ggml.scores", 1, &f) == WIR_GGUF_OK && f == -1.25f);
    int64_t i64 = 0;
    CHECK(wir_gguf_get_array_int(g, "tokenizer.ggml.token_type", 1, &i64) == WIR_GGUF_OK && i64 == -2);
    CHECK(wir_gguf_get_array_int(g, "tokenizer.ggml.scores", 1, &i64) == WIR_GGUF_WRONG_TYPE);
    CHECK(wir_gguf_get_array_int(g, "test.huge", 0, &i64) == WIR_GGUF_WRONG_TYPE);

    /* Iteration in file order, and the generic value access. */
    CHECK(wir_gguf_kv_count(g) == (alignment != 32 ? 19 : 18));
    CHECK_STR(wir_gguf_kv_key(g, 0), "general.architecture");
    wir_gguf_value v;
    int64_t k = wir_gguf_find_key(g, "test.i8");
    CHECK(k >= 0 && wir_gguf_kv_type(g, k) == WIR_GGUF_TYPE_INT8);
    CHECK(wir_gguf_kv_value(g, k, &v) == WIR_GGUF_OK && v.v.i64 == -100);
    CHECK(wir_gguf_kv_value(g, -1, &v) == WIR_GGUF_NOT_FOUND);

    CHECK(wir_gguf_tensor_count(g) == 4);
    const wir_gguf_tensor *t = wir_gguf_find_tensor(g, "blk.0.attn_q.weight");
    CHECK(t && t == wir_gguf_tensor_at(g, 2));
    if (t) {
        CHECK(t->n_dims == 2 && t->ne[0] == 512 && t->ne[1] == 3 && t->ne[2] == 1 && t->ne[3] == 1);
        CHECK(t->type == WIR_QTYPE_Q6_K);
        CHECK(t->n_elements == 1536 && t->size == 6 * 210);
        CHECK(t->offset % alignment == 0 && t->file_offset == wir_gguf_data_offset(g) + t->offset);
        CHECK(t->data == (const void *)NULL || 1);
        /* The writer's byte pattern: byte i of tensor k (1-based) is i*31+k. */
        const uint8_t *p = t->data;
        bool same = true;
        for (uint64_t i = 0; i < t->size; i++)
            same &= p[i] == (uint8_t)(i * 31 + 3);
        CHECK(same);
        CHECK(memcmp(t->data, b->data + t->file_offset, t->size) == 0);
    }
    CHECK(wir_gguf_find_tensor(g, "nope") == NULL);
    CHECK(wir_gguf_tensor_at(g, 4) == NULL);

    uint8_t want[32], got[32];
    wir_sha256_buffer(b->data, b->len, want);
    wir_gguf_sha256(g, got);
    CHECK(memcmp(want, got, 32) == 0);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    uint32_t versions[2] = {2, 3}, alignments[2] = {0, 64};
    for (int vi = 0; vi < 2; vi++)
        for (int ai = 0; ai < 2; ai++) {
            uint32_t alignment = alignments[ai] ? alignments[ai] : 32;
            wir_gguf_writer *w = make_writer(versions[vi], alignments[ai]);
            wir_gguf_bytes b;
            wir_gguf_writer_to_bytes(w, &b);
            wir_gguf_error err;
            wir_gguf *g = wir_gguf_open_memory(b.data, b.len, "mem.gguf", &err);
            if (!g)
                fprintf(stderr, "%s\n", err.text);
            CHECK(g != NULL);
            if (g)
                check_file(g, versions[vi], alignment, &b);
            wir_gguf_close(g);

            char path[4096];
            snprintf(path, sizeof path, "%s/roundtrip-v%u-a%u.gguf", dir, versions[vi], alignment);
            CHECK(wir_gguf_writer_write(w, path));
            g = wir_gguf_open(path, &err);
            if (!g)
                fprintf(stderr, "%s\n", err.text);
            CHECK(g != NULL);
            if (g) {
                CHECK_STR(wir_gguf_path(g), path);
                check_file(g, versions[vi], alignment, &b);
                char hex[65];
                wir_gguf_sha256_hex(g, hex);
                CHECK(strlen(hex) == 64);
            }
            wir_gguf_close(g);
            remove(path);
            wir_gguf_bytes_free(&b);
            wir_gguf_writer_free(w);
        }

    /* A file with no tensors and no metadata is valid. */
    wir_gguf_writer *w = wir_gguf_writer_new(3);
    wir_gguf_bytes b;
    wir_gguf_writer_to_bytes(w, &b);
    wir_gguf *g = wir_gguf_open_memory(b.data, b.len, "empty.gguf", NULL);
    CHECK(g && wir_gguf_tensor_count(g) == 0 && wir_gguf_kv_count(g) == 0);
    CHECK(g && wir_gguf_find_key(g, "x") == -1 && wir_gguf_find_tensor(g, "x") == NULL);
    wir_gguf_close(g);
    wir_gguf_bytes_free(&b);
    wir_gguf_writer_free(w);

    /* Nested arrays are validated and counted, their elements not exposed;
     * a string with a NUL byte is readable raw but not as a C string. */
    w = wir_gguf_writer_new(3);
    wir_gguf_bytes v = {0};
    wir_gguf_bytes_u32(&v, WIR_GGUF_TYPE_ARRAY);
    wir_gguf_bytes_u64(&v, 2);
    for (int i = 0; i < 2; i++) {
        wir_gguf_bytes_u32(&v, WIR_GGUF_TYPE_STRING);
        wir_gguf_bytes_u64(&v, 1);
        wir_gguf_bytes_str(&v, i ? "y" : "x");
    }
    wir_gguf_writer_add_raw(w, "x.nested", WIR_GGUF_TYPE_ARRAY, v.data, v.len);
    wir_gguf_bytes_free(&v);
    wir_gguf_bytes_u64(&v, 3);
    wir_gguf_bytes_raw(&v, "a\0b", 3);
    wir_gguf_writer_add_raw(w, "x.nul", WIR_GGUF_TYPE_STRING, v.data, v.len);
    wir_gguf_bytes_free(&v);
    wir_gguf_writer_to_bytes(w, &b);
    g = wir_gguf_open_memory(b.data, b.len, "nested.gguf", NULL);
    CHECK(g != NULL);
    if (g) {
        wir_gguf_type et;
        uint64_t count;
        wir_gguf_value val;
        CHECK(wir_gguf_get_array(g, "x.nested", &et, &count) == WIR_GGUF_OK &&
              et == WIR_GGUF_TYPE_ARRAY && count == 2);
        CHECK(wir_gguf_kv_element(g, 0, 0, &val) == WIR_GGUF_WRONG_TYPE);
        const char *cs;
        wir_gguf_string raw;
        CHECK(wir_gguf_get_cstr(g, "x.nul", &cs) == WIR_GGUF_WRONG_TYPE);
        CHECK(wir_gguf_get_string(g, "x.nul", &raw) == WIR_GGUF_OK && raw.len == 3 && raw.data[1] == 0);
    }
    wir_gguf_close(g);
    wir_gguf_bytes_free(&b);
    wir_gguf_writer_free(w);

    /* Opening a missing file says so, with no offset. */
    wir_gguf_error err;
    CHECK(wir_gguf_open("/nonexistent/x.gguf", &err) == NULL);
    CHECK(err.offset == -1);
    CHECK_STR(err.text, "/nonexistent/x.gguf: cannot open: No such file or directory");
    CHECK_DONE();
}
