/* probe.qformat.roundtrip: quantize -> dequantize error bounds per format on
 * Gaussian-like rows, edge rows (zeros, constants, one sign), and the dot
 * product against dequantize + a double-precision dot.
 *
 * Error bounds, from the step size s of each format (round to nearest gives
 * |error| <= s/2 and an RMS near s/sqrt(12) for smooth data):
 *   q8_0: s = amax/127 per 32          -> max <= 0.51 s, RMS/rms(x) < 0.01
 *   q4_0: s = amax/8 per 32 (the far end of the range clamps at 7/8 amax,
 *         costing up to one step)      -> max <= 1.01 s, RMS/rms < 0.12
 *   q4_1: s = range/15 per 32, m = min  -> max <= 0.51 s (+ fp16 rounding of
 *         d and m), RMS/rms < 0.12
 *   q5_0: s = amax/16 per 32 (clamps as q4_0) -> max <= 1.01 s, RMS/rms < 0.06
 *   q5_1: s = range/31 per 32          -> as q4_1, RMS/rms < 0.06
 *   q4_K: s = range/15 per 32, 6-bit scales -> RMS/rms < 0.12
 *   q5_K: s = range/31                 -> RMS/rms < 0.06
 *   q6_K: s = amax/31 per 16, 8-bit scales -> RMS/rms < 0.03
 *   f16 / bf16: relative 2^-11 / 2^-8 per element.
 * The K-quant bounds leave room for the 6-bit scale rounding (a scale may be
 * off by half a step of d, i.e. up to ~1/126 of the largest range).
 */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "wir_qformat.h"

#define N 4096

static uint64_t rng_state = 88172645463325252ull;
static double uniform(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) * 0x1p-53;
}
static float gauss(void) { /* Box-Muller */
    double u = uniform(), v = uniform();
    return (float)(sqrt(-2.0 * log(u + 1e-300)) * cos(6.283185307179586 * v));
}

typedef struct case_t {
    int32_t type;
    double rms_bound;
} case_t;

static const case_t cases[] = {
    {WIR_QTYPE_F32, 0}, {WIR_QTYPE_F16, 0.0005}, {WIR_QTYPE_BF16, 0.004},
    {WIR_QTYPE_Q8_0, 0.01}, {WIR_QTYPE_Q4_0, 0.12}, {WIR_QTYPE_Q4_1, 0.12},
    {WIR_QTYPE_Q5_0, 0.06}, {WIR_QTYPE_Q5_1, 0.06}, {WIR_QTYPE_Q4_K, 0.12},
    {WIR_QTYPE_Q5_K, 0.06}, {WIR_QTYPE_Q6_K, 0.03},
};

static float x_in[N + 64], y_out[N + 64], v[N + 64];
static uint8_t q[N * 4 + 256];

static void check_dot(int32_t type, const uint8_t *row, int64_t n) {
    wir_qformat_dequantize_row(type, row, y_out, n);
    double ref = 0, mag = 0;
    for (int64_t i = 0; i < n; i++) {
        ref += (double)y_out[i] * v[i];
        mag += fabs((double)y_out[i] * v[i]);
    }
    float dot = wir_qformat_dot_row(type, row, v, n);
    /* float accumulation over n terms: a few ulps of the magnitude sum */
    if (fabs(dot - ref) > 2e-6 * mag + 1e-30) {
        fprintf(stderr, "%s n=%lld: dot %.9g, reference %.9g (|w*x| sum %.3g)\n",
                wir_qformat_name(type), (long long)n, dot, ref, mag);
        wir_check_failures++;
    }
}

static void check_gauss(const case_t *c) {
    int32_t bs = wir_qformat_block_size(c->type);
    for (int rep = 0; rep < 4; rep++) {
        float scale = rep == 0 ? 1.0f : rep == 1 ? 0.02f : rep == 2 ? 300.0f : 1e-3f;
        for (int i = 0; i < N; i++)
            x_in[i] = gauss() * scale + (rep == 3 ? 5e-3f : 0);
        wir_qformat_quantize_row(c->type, x_in, q, N);
        wir_qformat_dequantize_row(c->type, q, y_out, N);
        double se = 0, sx = 0, worst = 0;
        for (int b = 0; b < N / bs; b++) {
            double amax = 0, lo = INFINITY, hi = -INFINITY;
            for (int i = b * bs; i < (b + 1) * bs; i++) {
                amax = fmax(amax, fabs(x_in[i]));
                lo = fmin(lo, x_in[i]);
                hi = fmax(hi, x_in[i]);
            }
            /* The affine formats' step, with room for d's and m's fp16 rounding. */
            double nmax = c->type == WIR_QTYPE_Q4_1 ? 15 : 31;
            double affine = (hi - lo) / nmax * 0.51 + (hi - lo + fabs(lo)) * 0x1p-10;
            for (int i = b * bs; i < (b + 1) * bs; i++) {
                double e = fabs((double)y_out[i] - x_in[i]);
                se += e * e;
                sx += (double)x_in[i] * x_in[i];
                if (c->type == WIR_QTYPE_Q8_0)
                    worst = fmax(worst, e / (amax / 127 * 0.51 + 1e-30));
                else if (c->type == WIR_QTYPE_Q4_0)
                    worst = fmax(worst, e / (amax / 8 * 1.01 + 1e-30));
                else if (c->type == WIR_QTYPE_Q5_0)
                    worst = fmax(worst, e / (amax / 16 * 1.01 + 1e-30));
                else if (c->type == WIR_QTYPE_Q4_1 || c->type == WIR_QTYPE_Q5_1)
                    worst = fmax(worst, e / (affine + 1e-30));
                else if (c->type == WIR_QTYPE_F16)
                    worst = fmax(worst, e / (fabs(x_in[i]) * 0x1p-11 + 0x1p-25));
                else if (c->type == WIR_QTYPE_BF16)
                    worst = fmax(worst, e / (fabs(x_in[i]) * 0x1p-8 + 1e-38));
                else if (c->type == WIR_QTYPE_F32)
                    worst = fmax(worst, e > 0 ? 2 : 0);
            }
        }
        double rel = sqrt(se / sx);
        printf("%-5s scale %-6g rms error / rms %.5f (bound %.3f)\n", wir_qformat_name(c->type),
               scale, rel, c->rms_bound);
        CHECK(rel <= c->rms_bound);
        if (worst > 1.0) {
            fprintf(stderr, "%s: an element exceeds the per-element bound by %.3fx\n",
                    wir_qformat_name(c->type), worst);
            wir_check_failures++;
        }
        for (int i = 0; i < N; i++)
            v[i] = gauss();
        check_dot(c->type, q, N);
        check_dot(c->type, q, bs);
    }
}

static void check_edges(const case_t *c) {
    int32_t bs = wir_qformat_block_size(c->type);
    int n = bs < 256 ? 256 : bs;
    /* zeros decode to exactly zero (no NaN from 0/0) */
    memset(x_in, 0, sizeof x_in);
    wir_qformat_quantize_row(c->type, x_in, q, n);
    wir_qformat_dequantize_row(c->type, q, y_out, n);
    bool ok = true;
    for (int i = 0; i < n; i++)
        ok &= y_out[i] == 0.0f;
    CHECK(ok);
    /* constant, all-positive and all-negative rows stay close */
    for (int kind = 0; kind < 3; kind++) {
        double amax = 0;
        for (int i = 0; i < n; i++) {
            x_in[i] = kind == 0 ? 0.75f : kind == 1 ? 1.0f + (float)(i % 17) : -1.0f - (float)(i % 13);
            amax = fmax(amax, fabs(x_in[i]));
        }
        wir_qformat_quantize_row(c->type, x_in, q, n);
        wir_qformat_dequantize_row(c->type, q, y_out, n);
        double worst = 0;
        for (int i = 0; i < n; i++)
            worst = fmax(worst, fabs((double)y_out[i] - x_in[i]) / amax);
        /* 4-bit formats: half a step of amax/8 (q4_0 clamps one end) or of a
         * 6-bit-scaled range/15; everything else is finer. */
        double bound = c->type == WIR_QTYPE_Q4_0                                   ? 0.126
                       : c->type == WIR_QTYPE_Q4_K || c->type == WIR_QTYPE_Q4_1 ? 0.07
                                                                                : 0.04;
        if (worst > bound) {
            fprintf(stderr, "%s edge row %d: max error %.4f of amax (bound %.3f)\n",
                    wir_qformat_name(c->type), kind, worst, bound);
            wir_check_failures++;
        }
    }
    /* odd lengths for the 1-element-block types exercise the vector tails */
    if (bs == 1)
        for (int n_odd = 1; n_odd < 40; n_odd += 3) {
            for (int i = 0; i < n_odd; i++) {
                x_in[i] = gauss();
                v[i] = gauss();
            }
            wir_qformat_quantize_row(c->type, x_in, q, n_odd);
            check_dot(c->type, q, n_odd);
        }
}

int main(void) {
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_gauss(&cases[i]);
        check_edges(&cases[i]);
    }
    /* quantize -> dequantize -> quantize is stable for the symmetric formats:
     * a decoded row re-encodes to the same bytes. */
    int32_t stable[] = {WIR_QTYPE_Q8_0, WIR_QTYPE_F16, WIR_QTYPE_BF16};
    for (size_t k = 0; k < 3; k++) {
        static uint8_t q2[N * 4];
        for (int i = 0; i < N; i++)
            x_in[i] = gauss();
        wir_qformat_quantize_row(stable[k], x_in, q, N);
        wir_qformat_dequantize_row(stable[k], q, y_out, N);
        wir_qformat_quantize_row(stable[k], y_out, q2, N);
        CHECK(memcmp(q, q2, wir_qformat_row_bytes(stable[k], N)) == 0);
    }
    CHECK_DONE();
}
