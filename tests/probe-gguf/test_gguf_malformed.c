/* probe.gguf.malformed: a corpus of broken files, each built byte by byte,
 * each expecting its exact message: the byte offset (recorded while building
 * the file, so the test states where the bad field is) and the field name. */
#include <stdlib.h>

#include "check.h"
#include "gguf_writer.h"
#include "wir_qformat.h"

static wir_gguf_bytes header(uint32_t version, uint64_t n_tensors, uint64_t n_kv) {
    wir_gguf_bytes b = {0};
    wir_gguf_bytes_raw(&b, "GGUF", 4);
    wir_gguf_bytes_u32(&b, version);
    wir_gguf_bytes_u64(&b, n_tensors);
    wir_gguf_bytes_u64(&b, n_kv);
    return b;
}

/* A tensor info; returns the offset of its "offset" field. */
static size_t tensor_info(wir_gguf_bytes *b, const char *name, uint32_t n_dims, const uint64_t *ne,
                          uint32_t type, uint64_t offset) {
    wir_gguf_bytes_str(b, name);
    wir_gguf_bytes_u32(b, n_dims);
    for (uint32_t d = 0; d < n_dims; d++)
        wir_gguf_bytes_u64(b, ne[d]);
    wir_gguf_bytes_u32(b, type);
    size_t at = b->len;
    wir_gguf_bytes_u64(b, offset);
    return at;
}

/* Expects the open to fail with exactly OFFSET, FIELD and MESSAGE; frees B. */
static void expect_at(int line, wir_gguf_bytes *b, long long offset, const char *field,
                      const char *message) {
    char want[1024];
    if (offset >= 0)
        snprintf(want, sizeof want, "bad.gguf: offset %lld: %s: %s", offset, field, message);
    else
        snprintf(want, sizeof want, "bad.gguf: %s", message);
    wir_gguf_error err;
    wir_gguf *g = wir_gguf_open_memory(b->data ? b->data : (const uint8_t *)"", b->len, "bad.gguf", &err);
    if (g) {
        fprintf(stderr, "line %d: opened a malformed file; wanted: %s\n", line, want);
        wir_check_failures++;
        wir_gguf_close(g);
    } else {
        if (strcmp(err.text, want) != 0) {
            fprintf(stderr, "line %d:\n  got  %s\n  want %s\n", line, err.text, want);
            wir_check_failures++;
        }
        CHECK(err.offset == offset);
        CHECK_STR(err.field, field);
    }
    wir_gguf_bytes_free(b);
}
#define EXPECT(b, off, field, msg) expect_at(__LINE__, b, (long long)(off), field, msg)

/* A valid file laid out byte by byte from the spec (not by the test writer),
 * so the reader is checked against the format rather than against a writer
 * sharing its author's reading of it. */
static void check_hand_built(void) {
    wir_gguf_bytes b = {0};
    wir_gguf_bytes_raw(&b, "GGUF", 4);
    wir_gguf_bytes_u32(&b, 3);
    wir_gguf_bytes_u64(&b, 2); /* tensors */
    wir_gguf_bytes_u64(&b, 2); /* metadata */
    wir_gguf_bytes_str(&b, "general.architecture");  /* 8 + 20 */
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_STRING);
    wir_gguf_bytes_str(&b, "llama");                 /* 8 + 5 */
    wir_gguf_bytes_str(&b, "general.alignment");     /* 8 + 17 */
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT32);
    wir_gguf_bytes_u32(&b, 16);
    CHECK(b.len == 24 + 45 + 33);
    wir_gguf_bytes_str(&b, "a");                     /* f32 [4, 2] at 0 */
    wir_gguf_bytes_u32(&b, 2);
    wir_gguf_bytes_u64(&b, 4);
    wir_gguf_bytes_u64(&b, 2);
    wir_gguf_bytes_u32(&b, 0);
    wir_gguf_bytes_u64(&b, 0);
    wir_gguf_bytes_str(&b, "b");                     /* q8_0 [32] at 32 */
    wir_gguf_bytes_u32(&b, 1);
    wir_gguf_bytes_u64(&b, 32);
    wir_gguf_bytes_u32(&b, 8);
    wir_gguf_bytes_u64(&b, 32);
    CHECK(b.len == 102 + 41 + 33);                   /* 176: already a multiple of 16 */
    for (int i = 0; i < 8; i++) {
        float f = (float)i;
        wir_gguf_bytes_raw(&b, &f, 4);
    }
    wir_gguf_bytes_raw(&b, "\0\x3c", 2);            /* q8_0: d = 1.0 */
    for (int i = 0; i < 32; i++)
        wir_gguf_bytes_u8(&b, (uint8_t)(i - 16));
    wir_gguf_error err;
    wir_gguf *g = wir_gguf_open_memory(b.data, b.len, "hand.gguf", &err);
    CHECK(g != NULL);
    if (g) {
        CHECK(wir_gguf_alignment(g) == 16 && wir_gguf_data_offset(g) == 176);
        const wir_gguf_tensor *a = wir_gguf_find_tensor(g, "a"), *t = wir_gguf_find_tensor(g, "b");
        CHECK(a && a->file_offset == 176 && a->size == 32 && ((const float *)a->data)[5] == 5.0f);
        CHECK(t && t->file_offset == 208 && t->size == 34 && t->ne[0] == 32 && t->n_dims == 1);
        float y[32];
        if (t) {
            wir_qformat_dequantize_row(t->type, t->data, y, 32);
            CHECK(y[0] == -16.0f && y[31] == 15.0f);
        }
    }
    wir_gguf_close(g);
    wir_gguf_bytes_free(&b);
}

int main(void) {
    check_hand_built();
    wir_gguf_bytes b = {0};
    char msg[512];
    static const uint8_t zeros[1024];

    /* --- header --- */
    EXPECT(&b, 0, "header.magic", "file ends after 0 bytes: 4 more needed");
    wir_gguf_bytes_raw(&b, "GGML\3\0\0\0", 8);
    EXPECT(&b, 0, "header.magic", "not a GGUF file (magic bytes 47474d4c, expected 47475546 \"GGUF\")");
    b = header(1, 0, 0);
    EXPECT(&b, 4, "header.version", "GGUF version 1 is not supported (it used 32-bit counts); "
                                    "re-convert the model with a current llama.cpp");
    b = header(4, 0, 0);
    EXPECT(&b, 4, "header.version", "unsupported GGUF version 4 (this reader knows 2 and 3)");
    b = header(0x03000000, 0, 0);
    EXPECT(&b, 4, "header.version", "big-endian GGUF files are not supported");
    b = header(3, 0, 0);
    b.len = 12;
    EXPECT(&b, 8, "header.tensor_count", "file ends after 12 bytes: 4 more needed");
    b = header(3, 0, 1000000000000ull);
    EXPECT(&b, 16, "header.metadata_kv_count", "1000000000000 metadata entries cannot fit in the 0 bytes left");
    b = header(3, 5, 0);
    wir_gguf_bytes_raw(&b, "0123456789", 10);
    EXPECT(&b, 8, "header.tensor_count", "5 tensor infos cannot fit in the 10 bytes left");

    /* --- metadata --- */
    b = header(3, 0, 1);
    wir_gguf_bytes_u64(&b, 1ull << 63);
    wir_gguf_bytes_raw(&b, "abcdefghijklmnop", 16);
    EXPECT(&b, 24, "metadata_kv[0].key", "string length 9223372036854775808 exceeds the limit of 65535 bytes");
    b = header(3, 0, 1);
    wir_gguf_bytes_u64(&b, 100);
    wir_gguf_bytes_raw(&b, "abcdefghijklmnop", 16);
    EXPECT(&b, 24, "metadata_kv[0].key", "string of 100 bytes runs past the end of the file (16 bytes left)");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT8);
    wir_gguf_bytes_u8(&b, 1);
    wir_gguf_bytes_u8(&b, 1);
    EXPECT(&b, 24, "metadata_kv[0].key", "empty key");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "a\nb");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT8);
    wir_gguf_bytes_u8(&b, 1);
    EXPECT(&b, 33, "metadata_kv[0].key", "key contains control byte 0x0a");
    b = header(3, 0, 2);
    wir_gguf_bytes_str(&b, "general.architecture");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_STRING);
    wir_gguf_bytes_str(&b, "llama");
    size_t at = b.len;
    wir_gguf_bytes_str(&b, "a.b");
    wir_gguf_bytes_u32(&b, 13);
    wir_gguf_bytes_u32(&b, 0);
    EXPECT(&b, at + 11, "metadata_kv[1].value_type", "unknown value type 13 for key 'a.b'");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "a.flag");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_BOOL);
    wir_gguf_bytes_u8(&b, 2);
    EXPECT(&b, 24 + 14 + 4, "metadata_kv[0].value", "bool value is 2, must be 0 or 1");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "a.b");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT32);
    wir_gguf_bytes_u8(&b, 7);
    EXPECT(&b, 39, "metadata_kv[0].value", "file ends inside a uint32 value");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "a.s");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_STRING);
    wir_gguf_bytes_u64(&b, UINT64_MAX);
    EXPECT(&b, 39, "metadata_kv[0].value",
           "string of 18446744073709551615 bytes runs past the end of the file (0 bytes left)");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "a.arr");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_ARRAY);
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT64);
    wir_gguf_bytes_u64(&b, 1ull << 61);
    wir_gguf_bytes_u64(&b, 1);
    EXPECT(&b, 45, "metadata_kv[0].value",
           "array of 2305843009213693952 uint64 elements cannot fit in the 8 bytes left in the file");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "a.arr");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_ARRAY);
    wir_gguf_bytes_u32(&b, 14);
    wir_gguf_bytes_u64(&b, 0);
    EXPECT(&b, 41, "metadata_kv[0].value", "unknown array element type 14");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "a.arr");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_ARRAY);
    for (int i = 0; i < 9; i++) {
        wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_ARRAY);
        wir_gguf_bytes_u64(&b, 1);
    }
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT8);
    wir_gguf_bytes_u64(&b, 0);
    /* The 9th nested array head starts after 8 array heads of 12 bytes. */
    EXPECT(&b, 41 + 8 * 12, "metadata_kv[0].value", "arrays nested deeper than 8 levels");
    b = header(3, 0, 3);
    wir_gguf_bytes_str(&b, "a.x");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT8);
    wir_gguf_bytes_u8(&b, 1);
    wir_gguf_bytes_str(&b, "a.y");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT8);
    wir_gguf_bytes_u8(&b, 1);
    at = b.len;
    wir_gguf_bytes_str(&b, "a.x");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT8);
    wir_gguf_bytes_u8(&b, 1);
    EXPECT(&b, at, "metadata_kv[2].key", "duplicate key 'a.x' (also metadata_kv[0])");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "general.alignment");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT32);
    wir_gguf_bytes_u32(&b, 12);
    EXPECT(&b, 24 + 8 + 17 + 4, "general.alignment", "12 is not a power of two >= 8");
    b = header(3, 0, 1);
    wir_gguf_bytes_str(&b, "general.alignment");
    wir_gguf_bytes_u32(&b, WIR_GGUF_TYPE_UINT64);
    wir_gguf_bytes_u64(&b, 32);
    EXPECT(&b, 24 + 8 + 17 + 4, "general.alignment", "must be a uint32, not uint64");

    /* --- tensor infos --- */
    uint64_t ne[4] = {32, 2, 1, 1};
    b = header(3, 1, 0);
    wir_gguf_bytes_str(&b, "");
    wir_gguf_bytes_raw(&b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 26);
    EXPECT(&b, 24, "tensor_infos[0].name", "empty tensor name");
    b = header(3, 1, 0);
    const char *long_name = "blk.0.a_very_long_tensor_name_that_goes_on_and_on_past_64_bytes.w";
    tensor_info(&b, long_name, 1, ne, 0, 0);
    snprintf(msg, sizeof msg, "string length %zu exceeds the limit of 64 bytes", strlen(long_name));
    EXPECT(&b, 24, "tensor_infos[0].name", msg);
    b = header(3, 1, 0);
    tensor_info(&b, "w", 5, (uint64_t[5]){1, 1, 1, 1, 1}, 0, 0);
    EXPECT(&b, 33, "tensor_infos[0].n_dimensions", "5 dimensions, must be 1 to 4 (tensor 'w')");
    b = header(3, 1, 0);
    wir_gguf_bytes_str(&b, "w");
    wir_gguf_bytes_u32(&b, 0);
    wir_gguf_bytes_raw(&b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
    EXPECT(&b, 33, "tensor_infos[0].n_dimensions", "0 dimensions, must be 1 to 4 (tensor 'w')");
    b = header(3, 1, 0);
    tensor_info(&b, "w", 2, (uint64_t[2]){32, 0}, 0, 0);
    EXPECT(&b, 45, "tensor_infos[0].dimensions[1]", "dimension 0 is out of range 1..2^63-1 (tensor 'w')");
    b = header(3, 1, 0);
    tensor_info(&b, "w", 3, (uint64_t[3]){1ull << 32, 1ull << 30, 4}, 0, 0);
    EXPECT(&b, 53, "tensor_infos[0].dimensions[2]", "element count overflows 64 bits (tensor 'w')");
    b = header(3, 1, 0);
    tensor_info(&b, "w", 2, ne, 4, 0);
    EXPECT(&b, 53, "tensor_infos[0].type", "unknown ggml type 4 (tensor 'w')");
    b = header(3, 1, 0);
    tensor_info(&b, "w", 2, ne, 0xffffffffu, 0);
    EXPECT(&b, 53, "tensor_infos[0].type", "unknown ggml type 4294967295 (tensor 'w')");
    b = header(3, 1, 0);
    tensor_info(&b, "w", 2, (uint64_t[2]){100, 2}, WIR_QTYPE_Q4_K, 0);
    EXPECT(&b, 37, "tensor_infos[0].dimensions[0]",
           "100 is not a multiple of the q4_K block size 256 (tensor 'w')");
    b = header(3, 1, 0);
    tensor_info(&b, "w", 3, (uint64_t[3]){1ull << 61, 2, 1}, WIR_QTYPE_F32, 0);
    EXPECT(&b, 61, "tensor_infos[0].type", "byte size overflows 64 bits (tensor 'w')");

    /* Several tensors: the bad one is the fourth, so the field says [3]. */
    b = header(3, 4, 0);
    tensor_info(&b, "a", 2, ne, 0, 0);
    tensor_info(&b, "b", 2, ne, 0, 256);
    tensor_info(&b, "c", 2, ne, 0, 512);
    at = tensor_info(&b, "d", 2, ne, 0, 784);
    EXPECT(&b, at, "tensor_infos[3].offset", "not a multiple of the alignment 32 (tensor 'd')");
    b = header(3, 2, 0);
    tensor_info(&b, "a", 2, ne, 0, 0);
    at = b.len;
    tensor_info(&b, "a", 2, ne, 0, 256);
    wir_gguf_bytes_pad(&b, 32);
    wir_gguf_bytes_raw(&b, zeros, 512);
    EXPECT(&b, at, "tensor_infos[1].name", "duplicate tensor name 'a' (also tensor_infos[0])");

    /* Data placement. */
    b = header(3, 1, 0);
    tensor_info(&b, "w", 2, ne, 0, 0);
    size_t end_infos = b.len;
    snprintf(msg, sizeof msg, "file ends before the tensor data (aligned start %zu, file size %zu)",
             (end_infos + 31) / 32 * 32, end_infos);
    EXPECT(&b, end_infos, "tensor_data", msg);
    b = header(3, 2, 0);
    tensor_info(&b, "a", 2, ne, 0, 0);
    at = tensor_info(&b, "b", 2, ne, 0, 256);
    wir_gguf_bytes_pad(&b, 32);
    wir_gguf_bytes_raw(&b, zeros, 300);
    EXPECT(&b, at, "tensor_infos[1].offset",
           "tensor 'b' data [256, +256) runs past the end of the file (300 bytes of tensor data)");
    b = header(3, 2, 0);
    tensor_info(&b, "a", 2, ne, 0, 0);
    at = tensor_info(&b, "b", 2, ne, 0, 128);
    wir_gguf_bytes_pad(&b, 32);
    wir_gguf_bytes_raw(&b, zeros, 512);
    EXPECT(&b, at, "tensor_infos[1].offset", "tensor 'b' data overlaps tensor 'a'");
    b = header(3, 1, 0);
    at = tensor_info(&b, "w", 1, ne, 0, UINT64_MAX - 31);
    wir_gguf_bytes_pad(&b, 32);
    wir_gguf_bytes_raw(&b, zeros, 128);
    EXPECT(&b, at, "tensor_infos[0].offset",
           "tensor 'w' data [18446744073709551584, +128) runs past the end of the file (128 bytes of tensor data)");

    /* v2 files go through the same checks. */
    b = header(2, 1, 0);
    at = tensor_info(&b, "w", 2, ne, 0, 8);
    EXPECT(&b, at, "tensor_infos[0].offset", "not a multiple of the alignment 32 (tensor 'w')");
    CHECK_DONE();
}
