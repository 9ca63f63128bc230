/* probe.qformat.blocks: the block formats decoded from bytes built by hand
 * from the format description (shared/reference/gguf-format.md, ggml's
 * ggml-common.h layouts), with the expected floats derived independently of
 * the decoder; the 16-bit float conversions checked exhaustively. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "wir_gguf.h"
#include "wir_qformat.h"
#include "wir_qformat_blocks.h"

/* binary16 value from its fields, straight from IEEE 754 (a different
 * derivation from the bit-twiddling decoder). */
static double half_value(uint16_t h) {
    int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
    double v;
    if (e == 31)
        v = m ? NAN : INFINITY;
    else if (e == 0)
        v = ldexp(m, -24);
    else
        v = ldexp(1024 + m, e - 25);
    return s ? -v : v;
}

static void check_fp16(void) {
    int bad = 0;
    for (uint32_t h = 0; h < 65536; h++) {
        double want = half_value((uint16_t)h);
        float got = wir_fp16_to_fp32((uint16_t)h);
        if (isnan(want)) {
            bad += !isnan(got);
            bad += !isnan(wir_fp16_to_fp32(wir_fp32_to_fp16(got))) ? 1 : 0;
            continue;
        }
        bad += (double)got != want || !signbit(got) != !signbit(want);
        bad += wir_fp32_to_fp16(got) != h; /* every half survives a round trip */
    }
    CHECK(bad == 0);

    /* Rounding edges (round to nearest, ties to even). */
    CHECK(wir_fp32_to_fp16(65504.0f) == 0x7bff);
    CHECK(wir_fp32_to_fp16(65519.99f) == 0x7bff);
    CHECK(wir_fp32_to_fp16(65520.0f) == 0x7c00);
    CHECK(wir_fp32_to_fp16(1e10f) == 0x7c00);
    CHECK(wir_fp32_to_fp16(-INFINITY) == 0xfc00);
    CHECK(wir_fp32_to_fp16(-0.0f) == 0x8000);
    CHECK(wir_fp32_to_fp16(0x1p-24f) == 0x0001);
    CHECK(wir_fp32_to_fp16(0x1p-25f) == 0x0000);               /* tie -> even 0 */
    CHECK(wir_fp32_to_fp16(0x1.000002p-25f) == 0x0001);        /* just above the tie */
    CHECK(wir_fp32_to_fp16(0x1.8p-24f) == 0x0002);             /* 1.5 -> 2 */
    CHECK(wir_fp32_to_fp16(0x1.4p-23f) == 0x0002);             /* 2.5 -> 2 */
    CHECK(wir_fp32_to_fp16(1023.5f * 0x1p-24f) == 0x0400);     /* to the smallest normal */
    CHECK(wir_fp32_to_fp16(0x1p-14f) == 0x0400);
    CHECK(wir_fp32_to_fp16(1.0f + 0x1p-11f) == 0x3c00);        /* tie -> even */
    CHECK(wir_fp32_to_fp16(1.0f + 0x3p-11f) == 0x3c02);        /* tie -> even (up) */
    CHECK(wir_fp32_to_fp16(1.0f) == 0x3c00 && wir_fp32_to_fp16(-2.0f) == 0xc000);
    CHECK((wir_fp32_to_fp16(NAN) & 0x7c00) == 0x7c00 && (wir_fp32_to_fp16(NAN) & 0x3ff) != 0);

    /* Random floats: the result is a nearest half (ties to even). */
    uint32_t s = 12345;
    for (int i = 0; i < 200000; i++) {
        s = s * 1664525u + 1013904223u;
        float f;
        uint32_t bits = (s & 0x807fffff) | ((100u + (s >> 8) % 42u) << 23); /* 2^-27 .. 2^15 (no overflow) */
        memcpy(&f, &bits, 4);
        uint16_t h = wir_fp32_to_fp16(f);
        double err = fabs((double)f - half_value(h));
        uint16_t up = (uint16_t)(h + 1), down = (uint16_t)(h - 1);
        bool ok = true;
        if ((up & 0x7c00) != 0x7c00 && fabs((double)f - half_value(up)) < err)
            ok = false;
        if ((h & 0x7fff) != 0 && fabs((double)f - half_value(down)) < err)
            ok = false;
        if ((h & 0x7fff) != 0 && (up & 0x7c00) != 0x7c00 && fabs((double)f - half_value(up)) == err &&
            (h & 1))
            ok = false;
        if (!ok) {
            fprintf(stderr, "fp32_to_fp16(%a) = 0x%04x is not the nearest\n", f, h);
            wir_check_failures++;
            break;
        }
    }

    /* The vectorized decoder (F16 dot products) agrees with the scalar one
     * on every finite half: dot with a one-hot x returns the value itself. */
    uint16_t row[16];
    float x[16], got;
    bad = 0;
    for (uint32_t base = 0; base < 65536; base += 16) {
        for (int j = 0; j < 16; j++)
            row[j] = ((base + j) & 0x7c00) == 0x7c00 ? 0 : (uint16_t)(base + j);
        for (int j = 0; j < 16; j++) {
            memset(x, 0, sizeof x);
            x[j] = 1.0f;
            got = wir_qformat_dot_row(WIR_QTYPE_F16, row, x, 16);
            bad += got != wir_fp16_to_fp32(row[j]);
        }
    }
    CHECK(bad == 0);
}

static void check_bf16(void) {
    CHECK(wir_bf16_to_fp32(0x3f80) == 1.0f);
    CHECK(wir_bf16_to_fp32(0xc040) == -3.0f);
    CHECK(wir_bf16_to_fp32(0x0001) == 0x1p-133f);
    CHECK(wir_fp32_to_bf16(1.0f) == 0x3f80);
    CHECK(wir_fp32_to_bf16(1.0f + 0x1p-8f) == 0x3f80);     /* tie -> even */
    CHECK(wir_fp32_to_bf16(1.0f + 0x3p-8f) == 0x3f82);     /* tie -> even (up) */
    CHECK(wir_fp32_to_bf16(1.0f + 0x1.2p-8f) == 0x3f81);   /* above the tie */
    CHECK(wir_fp32_to_bf16(INFINITY) == 0x7f80);
    CHECK(isnan(wir_bf16_to_fp32(wir_fp32_to_bf16(NAN))));
    CHECK(wir_fp32_to_bf16(0x1.fffffep127f) == 0x7f80);    /* rounds up to inf */
    uint8_t row[4] = {0x80, 0x3f, 0x40, 0xc0};             /* 1.0, -3.0 little-endian */
    float y[2];
    wir_qformat_dequantize_row(WIR_QTYPE_BF16, row, y, 2);
    CHECK(y[0] == 1.0f && y[1] == -3.0f);
}

/* Checks dequantize against WANT and the dot product against a double dot
 * of WANT with a fixed x. */
static void check_decode(const char *what, int32_t type, const uint8_t *block, const float *want, int n) {
    float y[256], x[256];
    wir_qformat_dequantize_row(type, block, y, n);
    int bad = 0;
    double ref = 0, mag = 0;
    for (int i = 0; i < n; i++) {
        if (y[i] != want[i] && bad++ < 5)
            fprintf(stderr, "%s: element %d: got %g want %g\n", what, i, y[i], want[i]);
        x[i] = (float)((i % 7) - 3) * 0.25f + 0.1f;
        ref += (double)want[i] * x[i];
        mag += fabs((double)want[i] * x[i]);
    }
    CHECK(bad == 0);
    float dot = wir_qformat_dot_row(type, block, x, n);
    if (fabs(dot - ref) > 1e-6 * mag + 1e-6) {
        fprintf(stderr, "%s: dot %.9g, reference %.9g\n", what, dot, ref);
        wir_check_failures++;
    }
}

static void check_q8_0(void) {
    uint8_t b[34] = {0x00, 0x38}; /* d = 0x3800 = 0.5 */
    float want[32];
    for (int i = 0; i < 32; i++) {
        int8_t q = (int8_t)(i * 8 - 128);
        b[2 + i] = (uint8_t)q;
        want[i] = 0.5f * q;
    }
    CHECK(want[0] == -64.0f && want[31] == 60.0f);
    check_decode("q8_0", WIR_QTYPE_Q8_0, b, want, 32);
}

static void check_q4_0(void) {
    uint8_t b[18] = {0x00, 0x40}; /* d = 2.0 */
    float want[32];
    for (int j = 0; j < 16; j++) {
        int lo = j, hi = 15 - j;
        b[2 + j] = (uint8_t)(lo | hi << 4);
        want[j] = 2.0f * (lo - 8);
        want[j + 16] = 2.0f * (hi - 8);
    }
    CHECK(want[0] == -16.0f && want[16] == 14.0f && want[15] == 14.0f);
    check_decode("q4_0", WIR_QTYPE_Q4_0, b, want, 32);
}

static void check_q4_1(void) {
    uint8_t b[20] = {0x00, 0x3c, 0x00, 0xc0}; /* d = 1.0, m = -2.0 */
    float want[32];
    for (int j = 0; j < 16; j++) {
        int lo = j, hi = (j * 7) % 16;
        b[4 + j] = (uint8_t)(lo | hi << 4);
        want[j] = 1.0f * lo - 2.0f;
        want[j + 16] = 1.0f * hi - 2.0f;
    }
    CHECK(want[0] == -2.0f && want[15] == 13.0f && want[17] == 5.0f);
    check_decode("q4_1", WIR_QTYPE_Q4_1, b, want, 32);
}

/* qh = 0x8001a005: bits 0, 2, 13, 15, 16 and 31 set, so elements 0, 2, 13
 * and 15 (low nibbles) and 16 and 31 (high nibbles) carry a fifth bit. */
static const uint8_t q5_qh[4] = {0x05, 0xa0, 0x01, 0x80};

static int q5_bit(int e) {
    uint32_t qh = (uint32_t)q5_qh[0] | (uint32_t)q5_qh[1] << 8 | (uint32_t)q5_qh[2] << 16 |
                  (uint32_t)q5_qh[3] << 24;
    return (int)((qh >> e) & 1);
}

static void check_q5_0(void) {
    uint8_t b[22] = {0x00, 0x38}; /* d = 0.5 */
    memcpy(b + 2, q5_qh, 4);
    float want[32];
    for (int j = 0; j < 16; j++) {
        int lo = (j * 3) % 16, hi = 15 - j;
        b[6 + j] = (uint8_t)(lo | hi << 4);
        want[j] = 0.5f * (float)((lo | q5_bit(j) << 4) - 16);
        want[j + 16] = 0.5f * (float)((hi | q5_bit(j + 16) << 4) - 16);
    }
    /* Element 0: nibble 0, fifth bit set: q = 16, 0.5 * 0 = 0; element 1:
     * nibble 3, no fifth bit: 0.5 * (3 - 16) = -6.5; element 16: nibble 15,
     * fifth bit: q = 31, 0.5 * 15 = 7.5. */
    CHECK(want[0] == 0.0f && want[1] == -6.5f && want[16] == 7.5f);
    check_decode("q5_0", WIR_QTYPE_Q5_0, b, want, 32);
}

static void check_q5_1(void) {
    uint8_t b[24] = {0x00, 0x40, 0x00, 0x3c}; /* d = 2.0, m = 1.0 */
    memcpy(b + 4, q5_qh, 4);
    float want[32];
    for (int j = 0; j < 16; j++) {
        int lo = j, hi = (j * 5) % 16;
        b[8 + j] = (uint8_t)(lo | hi << 4);
        want[j] = 2.0f * (float)(lo | q5_bit(j) << 4) + 1.0f;
        want[j + 16] = 2.0f * (float)(hi | q5_bit(j + 16) << 4) + 1.0f;
    }
    /* Element 2: nibble 2 + 16 = 18, 2 * 18 + 1 = 37; element 31: nibble
     * (15 * 5) % 16 = 11 + 16 = 27, 55. */
    CHECK(want[2] == 37.0f && want[31] == 55.0f && want[1] == 3.0f);
    check_decode("q5_1", WIR_QTYPE_Q5_1, b, want, 32);
}

/* K-quant scales chosen to use the high bits of sub-blocks 4-7, packed by
 * hand: bytes 0-3 = sc[s] | (sc[s+4] >> 4) << 6, bytes 4-7 = m[s] | (m[s+4] >> 4) << 6,
 * bytes 8-11 = (sc[s+4] & 15) | (m[s+4] & 15) << 4. */
static const uint8_t k_sc[8] = {1, 2, 3, 63, 17, 33, 48, 63};
static const uint8_t k_m[8] = {0, 5, 10, 62, 16, 31, 47, 60};
static const uint8_t k_packed[12] = {0x41, 0x82, 0xc3, 0xff, 0x40, 0x45, 0x8a, 0xfe,
                                     0x01, 0xf1, 0xf0, 0xcf};

static void check_k_scales(void) {
    uint8_t packed[12];
    wir_qformat_k_pack(packed, k_sc, k_m);
    CHECK(memcmp(packed, k_packed, 12) == 0);
    for (int s = 0; s < 8; s++) {
        uint8_t sc, m;
        wir_qformat_k_scale(k_packed, s, &sc, &m);
        CHECK(sc == k_sc[s] && m == k_m[s]);
    }
}

static void check_q4_K(void) {
    uint8_t b[144] = {0x00, 0x3c, 0x00, 0x38}; /* d = 1.0, dmin = 0.5 */
    memcpy(b + 4, k_packed, 12);
    float want[256];
    for (int c = 0; c < 4; c++)
        for (int l = 0; l < 32; l++) {
            int lo = (l + c) % 16, hi = 15 - l % 16;
            b[16 + 32 * c + l] = (uint8_t)(lo | hi << 4);
            want[64 * c + l] = 1.0f * k_sc[2 * c] * lo - 0.5f * k_m[2 * c];
            want[64 * c + 32 + l] = 1.0f * k_sc[2 * c + 1] * hi - 0.5f * k_m[2 * c + 1];
        }
    /* A few by hand: element 1 = 1*1*1 - 0.5*0; element 32 = 2*15 - 0.5*5;
     * element 192 (sub-block 6: sc 48, m 47, nibble (0+3)%16 = 3) = 144 - 23.5. */
    CHECK(want[1] == 1.0f && want[32] == 27.5f && want[192] == 120.5f);
    check_decode("q4_K", WIR_QTYPE_Q4_K, b, want, 256);
}

static void check_q5_K(void) {
    uint8_t b[176] = {0x00, 0x40, 0x00, 0x3c}; /* d = 2.0, dmin = 1.0 */
    memcpy(b + 4, k_packed, 12);
    for (int l = 0; l < 32; l++)
        b[16 + l] = (uint8_t)(l * 37 + 11);
    float want[256];
    for (int c = 0; c < 4; c++)
        for (int l = 0; l < 32; l++) {
            int lo = l % 16, hi = (l * 5) % 16;
            b[48 + 32 * c + l] = (uint8_t)(lo | hi << 4);
            uint8_t qh = (uint8_t)(l * 37 + 11);
            int q_lo = lo + ((qh >> (2 * c)) & 1) * 16, q_hi = hi + ((qh >> (2 * c + 1)) & 1) * 16;
            want[64 * c + l] = 2.0f * k_sc[2 * c] * q_lo - 1.0f * k_m[2 * c];
            want[64 * c + 32 + l] = 2.0f * k_sc[2 * c + 1] * q_hi - 1.0f * k_m[2 * c + 1];
        }
    /* Element 0: qh[0] = 11 = 0b1011: bit 0 set -> q = 0 + 16; 2*1*16 - 0 = 32.
     * Element 32: bit 1 set -> q = 0 + 16; 2*2*16 - 5 = 59.
     * Element 64: bit 2 clear -> q = 0; 2*3*0 - 10 = -10. */
    CHECK(want[0] == 32.0f && want[32] == 59.0f && want[64] == -10.0f);
    check_decode("q5_K", WIR_QTYPE_Q5_K, b, want, 256);
}

static void check_q6_K(void) {
    uint8_t b[210] = {0};
    for (int i = 0; i < 128; i++)
        b[i] = (uint8_t)(i * 29 + 3);
    for (int i = 0; i < 64; i++)
        b[128 + i] = (uint8_t)(i * 53 + 7);
    static const int8_t scales[16] = {1, -2, 3, -4, 5, 127, -128, 8, 9, 10, -11, 12, 13, 14, 15, -16};
    memcpy(b + 192, scales, 16);
    b[208] = 0x00;
    b[209] = 0x34; /* d = 0x3400 = 0.25 */
    float want[256];
    /* Element i: half h = i / 128, r = i % 128, quarter = r / 32, column l = r % 32;
     * the 4 low bits are the low (quarters 0, 1) or high (2, 3) nibble of
     * ql[64h + 32 * (quarter & 1) + l]; the 2 high bits are bits 2*quarter of
     * qh[32h + l]; the scale is scales[8h + r / 16]. */
    for (int i = 0; i < 256; i++) {
        int h = i / 128, r = i % 128, quarter = r / 32, l = r % 32;
        uint8_t qlb = b[64 * h + 32 * (quarter & 1) + l];
        int low = quarter < 2 ? (qlb & 15) : (qlb >> 4);
        int high = (b[128 + 32 * h + l] >> (2 * quarter)) & 3;
        want[i] = 0.25f * scales[8 * h + r / 16] * (float)((low | high << 4) - 32);
    }
    /* Element 0: ql[0] = 3 -> 3, qh[0] = 7 -> bits 0-1 = 3: q = 3 | 48 = 51;
     * 0.25 * 1 * (51 - 32) = 4.75. */
    CHECK(want[0] == 4.75f);
    check_decode("q6_K", WIR_QTYPE_Q6_K, b, want, 256);
}

static void check_table(void) {
    CHECK(wir_qformat_type_size(WIR_QTYPE_Q8_0) == 34 && wir_qformat_block_size(WIR_QTYPE_Q8_0) == 32);
    CHECK(wir_qformat_type_size(WIR_QTYPE_Q4_0) == 18 && wir_qformat_block_size(WIR_QTYPE_Q4_0) == 32);
    CHECK(wir_qformat_type_size(WIR_QTYPE_Q4_K) == 144 && wir_qformat_block_size(WIR_QTYPE_Q4_K) == 256);
    CHECK(wir_qformat_type_size(WIR_QTYPE_Q5_K) == 176 && wir_qformat_block_size(WIR_QTYPE_Q5_K) == 256);
    CHECK(wir_qformat_type_size(WIR_QTYPE_Q6_K) == 210 && wir_qformat_block_size(WIR_QTYPE_Q6_K) == 256);
    CHECK(wir_qformat_row_bytes(WIR_QTYPE_Q4_K, 4096) == 16 * 144);
    CHECK(wir_qformat_row_bytes(WIR_QTYPE_F16, 10) == 20);
    CHECK(wir_qformat_type_size(WIR_QTYPE_Q4_1) == 20 && wir_qformat_block_size(WIR_QTYPE_Q4_1) == 32);
    CHECK(wir_qformat_type_size(WIR_QTYPE_Q5_0) == 22 && wir_qformat_block_size(WIR_QTYPE_Q5_0) == 32);
    CHECK(wir_qformat_type_size(WIR_QTYPE_Q5_1) == 24 && wir_qformat_block_size(WIR_QTYPE_Q5_1) == 32);
    CHECK(wir_qformat_row_bytes(WIR_QTYPE_Q5_0, 896) == 28 * 22);
    CHECK(!wir_qformat_supported(4) && !wir_qformat_supported(9) && wir_qformat_block_size(11) == 0);
    CHECK_STR(wir_qformat_name(WIR_QTYPE_Q6_K), "q6_K");
    CHECK_STR(wir_qformat_name(99), "unknown");
    /* The GGUF reader's full table agrees on the types computed here. */
    int32_t types[] = {0, 1, 2, 3, 6, 7, 8, 12, 13, 14, 30};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        int32_t bs, ts;
        CHECK(wir_qformat_supported(types[i]));
        CHECK(wir_gguf_ggml_type_info(types[i], &bs, &ts));
        CHECK(bs == wir_qformat_block_size(types[i]) && (size_t)ts == wir_qformat_type_size(types[i]));
    }
}

int main(void) {
    check_fp16();
    check_bf16();
    check_q8_0();
    check_q4_0();
    check_q4_1();
    check_q5_0();
    check_q5_1();
    check_k_scales();
    check_q4_K();
    check_q5_K();
    check_q6_K();
    check_table();
    CHECK_DONE();
}
