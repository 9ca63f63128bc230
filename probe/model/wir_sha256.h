/* wir_sha256: SHA-256 (FIPS 180-4), used to identify the model file a run
 * measured. Streaming: init, update any number of times, final. */
#ifndef WIR_SHA256_H
#define WIR_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct wir_sha256 {
    uint32_t state[8];
    uint64_t n_bytes;     /* total bytes hashed so far */
    uint8_t block[64];    /* pending partial block */
    size_t n_block;       /* bytes used in block */
} wir_sha256;

/* Starts a new hash. The struct holds no resources: nothing to free. */
void wir_sha256_init(wir_sha256 *ctx);
/* Hashes N more bytes. */
void wir_sha256_update(wir_sha256 *ctx, const void *data, size_t n);
/* Writes the 32-byte digest; CTX must be re-initialized before reuse. */
void wir_sha256_final(wir_sha256 *ctx, uint8_t out[32]);
/* One-shot helpers. HEX receives 64 lowercase hex digits + NUL. */
void wir_sha256_buffer(const void *data, size_t n, uint8_t out[32]);
void wir_sha256_to_hex(const uint8_t digest[32], char hex[65]);

#endif
