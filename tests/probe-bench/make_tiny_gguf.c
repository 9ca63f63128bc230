/* Writes a tiny llama-architecture GGUF model (the engine tests' tiny model,
 * Q4_K_M, generated weights) for probe.cli.gguf: make_tiny_gguf DATA OUT.gguf */
#include <stdio.h>

#include "engine_gguf.h"
#include "engine_ref.h"
#include "wir_weights.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: make_tiny_gguf DATA OUT.gguf\n");
        return 2;
    }
    wir_catalog *cat = engine_load_catalog(argv[1]);
    if (!cat)
        return 1;
    engine_tiny spec = {.arch = "llama", .n_kv_heads = 2};
    wir_model m;
    engine_tiny_model(&spec, &m);
    wir_weights_error err = {0};
    wir_weights *w = wir_weights_generate_model(cat, &m, wir_catalog_find_ftype(cat, "q4-k-m"), 3,
                                                1, true, &err);
    if (!w) {
        fprintf(stderr, "make_tiny_gguf: %s\n", err.text);
        return 1;
    }
    wir_gguf_writer *g = engine_gguf_from_desc(wir_weights_desc(w), true, NULL, NULL, 0);
    int ok = wir_gguf_writer_write(g, argv[2]);
    wir_gguf_writer_free(g);
    wir_weights_free(w);
    wir_catalog_free(cat);
    return ok ? 0 : 1;
}
