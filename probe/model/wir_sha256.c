/* SHA-256 as specified in FIPS 180-4 section 6.2; written from the standard. */
#include "wir_sha256.h"

#include <string.h>

static const uint32_t wir_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t wir_sha256_rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* One 64-byte block into the state (the compression function, 6.2.2). */
static void wir_sha256_block(uint32_t state[8], const uint8_t *p) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
               (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = wir_sha256_rotr(w[t - 15], 7) ^ wir_sha256_rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = wir_sha256_rotr(w[t - 2], 17) ^ wir_sha256_rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; t++) {
        uint32_t S1 = wir_sha256_rotr(e, 6) ^ wir_sha256_rotr(e, 11) ^ wir_sha256_rotr(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = h + S1 + ch + wir_sha256_k[t] + w[t];
        uint32_t S0 = wir_sha256_rotr(a, 2) ^ wir_sha256_rotr(a, 13) ^ wir_sha256_rotr(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        h = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

void wir_sha256_init(wir_sha256 *ctx) {
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(ctx->state, h0, sizeof h0);
    ctx->n_bytes = 0;
    ctx->n_block = 0;
}

void wir_sha256_update(wir_sha256 *ctx, const void *data, size_t n) {
    const uint8_t *p = data;
    ctx->n_bytes += n;
    if (ctx->n_block > 0) {
        size_t take = 64 - ctx->n_block < n ? 64 - ctx->n_block : n;
        memcpy(ctx->block + ctx->n_block, p, take);
        ctx->n_block += take;
        p += take;
        n -= take;
        if (ctx->n_block < 64)
            return;
        wir_sha256_block(ctx->state, ctx->block);
        ctx->n_block = 0;
    }
    for (; n >= 64; p += 64, n -= 64)
        wir_sha256_block(ctx->state, p);
    memcpy(ctx->block, p, n);
    ctx->n_block = n;
}

void wir_sha256_final(wir_sha256 *ctx, uint8_t out[32]) {
    /* Padding (5.1.1): 0x80, zeros, then the message length in bits as a
     * big-endian 64-bit integer, so the total is a multiple of 64 bytes. */
    uint64_t bits = ctx->n_bytes * 8;
    uint8_t pad[72] = {0x80};
    size_t n_pad = (ctx->n_block < 56 ? 56 : 120) - ctx->n_block;
    for (int i = 0; i < 8; i++)
        pad[n_pad + i] = (uint8_t)(bits >> (56 - 8 * i));
    uint64_t saved = ctx->n_bytes;
    wir_sha256_update(ctx, pad, n_pad + 8);
    ctx->n_bytes = saved;
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(ctx->state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
        out[4 * i + 3] = (uint8_t)ctx->state[i];
    }
}

void wir_sha256_buffer(const void *data, size_t n, uint8_t out[32]) {
    wir_sha256 ctx;
    wir_sha256_init(&ctx);
    wir_sha256_update(&ctx, data, n);
    wir_sha256_final(&ctx, out);
}

void wir_sha256_to_hex(const uint8_t digest[32], char hex[65]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
}
