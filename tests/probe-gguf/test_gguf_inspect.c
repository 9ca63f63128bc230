/* probe.gguf.inspect: `probe inspect` on a file made by the test writer: the
 * exact text output, the --json document (parsed back with Jansson), and the
 * exit statuses for a malformed file (1, with the reader's message) and for
 * bad usage (2). argv[1] is the probe binary, argv[2] a scratch folder. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "check.h"
#include "gguf_writer.h"
#include "wir_sha256.h"

/* Runs CMD, returns its exit status and its stdout (malloc'd) in *out. */
static int run(const char *cmd, char **out) {
    FILE *p = popen(cmd, "r");
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (p && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 1024)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    int status = p ? pclose(p) : -1;
    *out = buf;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: test_probe_gguf_inspect PROBE DIR\n");
        return 2;
    }
    const char *probe = argv[1];
    char path[4096], bad[4096], cmd[9000];
    snprintf(path, sizeof path, "%s/inspect.gguf", argv[2]);
    snprintf(bad, sizeof bad, "%s/inspect-bad.gguf", argv[2]);

    wir_gguf_writer *w = wir_gguf_writer_new(3);
    wir_gguf_writer_add_string(w, "general.architecture", "llama");
    wir_gguf_writer_add_string(w, "general.name", "Tiny \"Test\"\n");
    wir_gguf_writer_add_u32(w, "llama.block_count", 2);
    wir_gguf_writer_add_f32(w, "llama.rope.freq_base", 500000.0f);
    wir_gguf_writer_add_bool(w, "test.flag", false);
    wir_gguf_writer_add_i64(w, "test.i64", -7);
    const char *tokens[10] = {"<s>", "</s>", "c", "d", "e", "f", "g", "h", "i", "\xff"};
    wir_gguf_writer_add_strings(w, "tokenizer.ggml.tokens", tokens, 10);
    int32_t types[3] = {1, 2, 3};
    wir_gguf_writer_add_array(w, "tokenizer.ggml.token_type", WIR_GGUF_TYPE_INT32, types, 3);
    int64_t ne[2] = {256, 4}, ne1[1] = {256};
    wir_gguf_writer_add_tensor(w, "token_embd.weight", 2, ne, 12, NULL);
    wir_gguf_writer_add_tensor(w, "output_norm.weight", 1, ne1, 0, NULL);
    wir_gguf_writer_add_tensor(w, "blk.0.ffn_down.weight", 2, ne, 11, NULL);
    wir_gguf_bytes b;
    wir_gguf_writer_to_bytes(w, &b);
    CHECK(wir_gguf_writer_write(w, path));
    wir_gguf_writer_free(w);

    char *out;
    snprintf(cmd, sizeof cmd, "'%s' inspect '%s'", probe, path);
    CHECK(run(cmd, &out) == 0);
    char want[8192];
    snprintf(want, sizeof want,
             "%s: GGUF v3, 2.59 KiB (2656 bytes), alignment 32, tensor data at offset 608\n"
             "\n"
             "metadata: 8 keys\n"
             "  general.architecture       string    \"llama\"\n"
             "  general.name               string    \"Tiny \\\"Test\\\"\\n\"\n"
             "  llama.block_count          uint32    2\n"
             "  llama.rope.freq_base       float32   500000\n"
             "  test.flag                  bool      false\n"
             "  test.i64                   int64     -7\n"
             "  tokenizer.ggml.tokens      [string]  [10 strings]\n"
             "  tokenizer.ggml.token_type  [int32]   [1, 2, 3]\n"
             "\n"
             "tensors: 3\n"
             "      #  name                   type     shape                            bytes        offset\n"
             "      0  token_embd.weight      q4_K     [256, 4]                           576             0\n"
             "      1  output_norm.weight     f32      [256]                             1024           576\n"
             "      2  blk.0.ffn_down.weight  q3_K*    [256, 4]                           440          1600\n"
             "\n"
             "summary: 2304 parameters (2.30 K), 1.99 KiB of tensor data, 7.08 bits per weight\n"
             "types: f32 x1, q3_K x1, q4_K x1\n"
             "* the probe cannot compute with this tensor type\n",
             path);
    CHECK_STR(out, want);
    free(out);

    /* --json --sha256: parse it back. */
    snprintf(cmd, sizeof cmd, "'%s' inspect --json --sha256 '%s'", probe, path);
    CHECK(run(cmd, &out) == 0);
    json_error_t jerr;
    json_t *root = json_loads(out, 0, &jerr);
    CHECK(root != NULL);
    if (root) {
        uint8_t digest[32];
        char hex[65];
        wir_sha256_buffer(b.data, b.len, digest);
        wir_sha256_to_hex(digest, hex);
        CHECK_STR(json_string_value(json_object_get(root, "sha256")), hex);
        CHECK(json_integer_value(json_object_get(root, "version")) == 3);
        CHECK(json_integer_value(json_object_get(root, "size")) == (json_int_t)b.len);
        json_t *meta = json_object_get(root, "metadata");
        CHECK(json_array_size(meta) == 8);
        json_t *tok = json_array_get(meta, 6);
        CHECK_STR(json_string_value(json_object_get(tok, "key")), "tokenizer.ggml.tokens");
        CHECK(json_integer_value(json_object_get(tok, "count")) == 10);
        json_t *vals = json_object_get(tok, "value");
        CHECK(json_array_size(vals) == 10);
        CHECK_STR(json_string_value(json_array_get(vals, 1)), "</s>");
        CHECK_STR(json_string_value(json_array_get(vals, 9)), "\xef\xbf\xbd"); /* invalid UTF-8 */
        CHECK(json_real_value(json_object_get(json_array_get(meta, 3), "value")) == 500000.0);
        CHECK(json_is_false(json_object_get(json_array_get(meta, 4), "value")));
        json_t *tensors = json_object_get(root, "tensors");
        CHECK(json_array_size(tensors) == 3);
        json_t *t0 = json_array_get(tensors, 0);
        CHECK_STR(json_string_value(json_object_get(t0, "type")), "q4_K");
        CHECK(json_integer_value(json_array_get(json_object_get(t0, "shape"), 1)) == 4);
        CHECK(json_integer_value(json_object_get(t0, "bytes")) == 576);
        CHECK(json_is_false(json_object_get(json_array_get(tensors, 2), "supported")));
        json_t *sum = json_object_get(root, "summary");
        CHECK(json_integer_value(json_object_get(sum, "parameters")) == 2304);
        CHECK(json_integer_value(json_object_get(json_object_get(sum, "tensor_types"), "q4_K")) == 1);
        /* no general.quantization_version although q4_K tensors are present */
        json_t *warn = json_object_get(root, "warnings");
        CHECK(json_array_size(warn) == 1);
        CHECK(strstr(json_string_value(json_array_get(warn, 0)), "general.quantization_version") != NULL);
        json_decref(root);
    }
    free(out);

    /* A truncated file: exit 1, the reader's message on stderr. The data
     * starts at 608 (header 24 + metadata 409 + infos 168, aligned up), so
     * 700 bytes leave 92 for the first, 576-byte tensor. */
    FILE *f = fopen(bad, "wb");
    fwrite(b.data, 1, 700, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' inspect '%s' 2>&1", probe, bad);
    CHECK(run(cmd, &out) == 1);
    snprintf(want, sizeof want, "%s: offset ", bad);
    CHECK(strncmp(out, want, strlen(want)) == 0);
    CHECK(strstr(out, ": tensor_infos[0].offset: tensor 'token_embd.weight' data [0, +576) runs past "
                      "the end of the file (92 bytes of tensor data)\n") != NULL);
    free(out);

    snprintf(cmd, sizeof cmd, "'%s' inspect 2>/dev/null", probe);
    CHECK(run(cmd, &out) == 2);
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' inspect --frobnicate '%s' 2>/dev/null", probe, path);
    CHECK(run(cmd, &out) == 2);
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' inspect '%s/missing.gguf' 2>&1", probe, argv[2]);
    CHECK(run(cmd, &out) == 1);
    snprintf(want, sizeof want, "%s/missing.gguf: cannot open: No such file or directory\n", argv[2]);
    CHECK_STR(out, want);
    free(out);

    wir_gguf_bytes_free(&b);
    remove(path);
    remove(bad);
    CHECK_DONE();
}
