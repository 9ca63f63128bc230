/* probe.cuda.kernels: every CUDA kernel against the CPU's result on random
 * inputs of several shapes. Bounds, and why:
 *   - mmvq (decode product), every format: |gpu - cpu| <= 1e-5 * sum|w_i x_i|
 *     + 1e-6. Both sides decode the same quantized values
 *     (wir_qformat_dot_row on the CPU) and sum K float products, only in a
 *     different order; the bound is ~K * 2^-24 relative for K <= 4096 with
 *     room to spare;
 *   - gemm (prefill product on tensor cores): 4e-3 * sum|w_i x_i| + 1e-5.
 *     Weights and activations are rounded to F16 (2^-11 relative each),
 *     products summed in F32;
 *   - dequantize to F16: 2^-11 * |w| + 2^-24 (one F16 rounding); embedding
 *     (to F32): 1e-6 * |w| + 1e-7 (d * scale * q in another order);
 *   - RMSNorm: 1e-5 relative (float sum vs the CPU's double sum); SwiGLU and
 *     add: 1e-6 relative (expf on both sides);
 *   - RoPE + KV store: rotated values within 1e-5 (cos/sin both in double,
 *     then float), cache entries within one F16 step of the CPU's rounding;
 *   - attention, decode (split-K) and prefill (causal): 1e-4 absolute
 *     against a double-precision softmax over the same F16 cache (values
 *     are in [-1, 1]).
 */
#include <string.h>

#include "cuda_test.h"
#include "wir_cuda_attn_decode.cuh"
#include "wir_cuda_attn_prefill.cuh"
#include "wir_cuda_embed.cuh"
#include "wir_cuda_gemm.cuh"
#include "wir_cuda_mmvq.cuh"
#include "wir_cuda_rmsnorm.cuh"
#include "wir_cuda_rope.cuh"
#include "wir_cuda_swiglu.cuh"
#include "wir_qformat.h"
#include "wir_qformat_blocks.h"

static const int32_t formats[] = {WIR_QTYPE_F32,  WIR_QTYPE_F16,  WIR_QTYPE_BF16, WIR_QTYPE_Q8_0,
                                  WIR_QTYPE_Q4_0, WIR_QTYPE_Q4_1, WIR_QTYPE_Q5_0, WIR_QTYPE_Q5_1,
                                  WIR_QTYPE_Q4_K, WIR_QTYPE_Q5_K, WIR_QTYPE_Q6_K};
enum { N_FORMATS = sizeof formats / sizeof formats[0] };

static int failures;

static void report(const char *what, const char *fmt, int64_t a, int64_t b, double worst) {
    printf("%-10s %-5s %6lld x %-6lld worst error / bound %.3f%s\n", what, fmt, (long long)a,
           (long long)b, worst, worst <= 1 ? "" : "  FAIL");
    if (!(worst <= 1)) failures++;
}

/* ROWS x K random rows quantized to TYPE (host), and their decoded floats. */
static uint8_t *make_rows(int32_t type, int64_t rows, int64_t k, uint32_t seed, float **decoded) {
    const size_t rb = wir_qformat_row_bytes(type, k);
    float *src = cuda_test_floats((size_t)(rows * k), seed);
    uint8_t *q = malloc(rb * (size_t)rows);
    *decoded = malloc(sizeof(float) * (size_t)(rows * k));
    CHECK(q && *decoded);
    for (int64_t r = 0; r < rows; r++) {
        wir_qformat_quantize_row(type, src + r * k, q + (size_t)r * rb, k);
        wir_qformat_dequantize_row(type, q + (size_t)r * rb, *decoded + r * k, k);
    }
    free(src);
    return q;
}

static double abs_dot(const float *w, const float *x, int64_t k) {
    double s = 0;
    for (int64_t i = 0; i < k; i++) s += fabs((double)w[i] * x[i]);
    return s;
}

static void test_products(int32_t type, int64_t rows, int64_t k) {
    float *w;
    uint8_t *q = make_rows(type, rows, k, (uint32_t)(rows * 31 + k), &w);
    const size_t rb = wir_qformat_row_bytes(type, k);
    const int32_t nts[] = {1, 2, 17};
    float *x = cuda_test_floats((size_t)(17 * k), 7);
    void *dw = cuda_test_upload(q, rb * (size_t)rows);
    float *dx = cuda_test_upload(x, sizeof(float) * (size_t)(17 * k));
    float *dy = NULL;
    CUDA_OK(cudaMalloc((void **)&dy, sizeof(float) * (size_t)(17 * rows)));
    float *y = malloc(sizeof(float) * (size_t)(17 * rows));
    CHECK(y != NULL);

    /* decode product */
    CHECK(wir_cuda_mmvq_supported(type, k));
    CUDA_OK(wir_cuda_mmvq(type, dw, k, rows, dx, dy, 0));
    cuda_test_download(y, dy, sizeof(float) * (size_t)rows);
    double worst = 0;
    for (int64_t r = 0; r < rows; r++) {
        double ref = wir_qformat_dot_row(type, q + (size_t)r * rb, x, k);
        double e = fabs(y[r] - ref) / (1e-5 * abs_dot(w + r * k, x, k) + 1e-6);
        if (!(e <= worst)) worst = e;
    }
    report("mmvq", wir_qformat_name(type), rows, k, worst);

    /* prefill product */
    wir_cuda_gemm_scratch sc = {0};
    sc.tile_elems = k * (rows < 8 ? rows : 8); /* several tiles per product */
    CUDA_OK(cudaMalloc(&sc.x16, 2 * (size_t)(17 * k)));
    CUDA_OK(cudaMalloc(&sc.tile, 2 * (size_t)sc.tile_elems));
    cublasHandle_t blas;
    CHECK(cublasCreate(&blas) == CUBLAS_STATUS_SUCCESS);
    for (size_t i = 1; i < sizeof nts / sizeof nts[0]; i++) {
        wir_backend_error err;
        const int32_t nt = nts[i];
        if (wir_cuda_gemm(blas, type, dw, k, rows, dx, k, nt, dy, rows, &sc, 0, &err) != WIR_BACKEND_OK) {
            fprintf(stderr, "gemm: %s\n", err.text);
            exit(1);
        }
        cuda_test_download(y, dy, sizeof(float) * (size_t)(nt * rows));
        worst = 0;
        for (int32_t t = 0; t < nt; t++)
            for (int64_t r = 0; r < rows; r++) {
                double ref = wir_qformat_dot_row(type, q + (size_t)r * rb, x + t * k, k);
                double e = fabs(y[t * rows + r] - ref) / (4e-3 * abs_dot(w + r * k, x + t * k, k) + 1e-5);
                if (!(e <= worst)) worst = e;
            }
        char what[32];
        snprintf(what, sizeof what, "gemm nt%d", (int)nt);
        report(what, wir_qformat_name(type), rows, k, worst);
    }
    cublasDestroy(blas);

    /* dequantize to F16 (the gemm's tile) */
    void *dh = NULL;
    CUDA_OK(cudaMalloc(&dh, 2 * (size_t)(rows * k)));
    CUDA_OK(wir_cuda_dequant_f16(type, dw, k, rows, dh, 0));
    uint16_t *h = malloc(2 * (size_t)(rows * k));
    CHECK(h != NULL);
    cuda_test_download(h, dh, 2 * (size_t)(rows * k));
    worst = 0;
    for (int64_t i = 0; i < rows * k; i++) {
        double e = fabs(wir_fp16_to_fp32(h[i]) - w[i]) / (ldexp(fabs(w[i]), -11) + ldexp(1, -24));
        if (!(e <= worst)) worst = e;
    }
    report("dequant", wir_qformat_name(type), rows, k, worst);

    /* embedding lookup of three rows */
    const int32_t ids[3] = {(int32_t)(rows - 1), 0, (int32_t)(rows / 2)};
    int32_t *dids = cuda_test_upload(ids, sizeof ids);
    CUDA_OK(wir_cuda_embed(type, dw, k, dids, 3, dy, 0));
    cuda_test_download(y, dy, sizeof(float) * (size_t)(3 * k));
    worst = 0;
    for (int t = 0; t < 3; t++)
        for (int64_t i = 0; i < k; i++) {
            const float ref = w[ids[t] * k + i];
            double e = fabs(y[t * k + i] - ref) / (1e-6 * fabs(ref) + 1e-7);
            if (!(e <= worst)) worst = e;
        }
    report("embed", wir_qformat_name(type), 3, k, worst);

    cudaFree(dids);
    cudaFree(dh);
    cudaFree(sc.x16);
    cudaFree(sc.tile);
    cudaFree(dw);
    cudaFree(dx);
    cudaFree(dy);
    free(h);
    free(y);
    free(x);
    free(w);
    free(q);
}

static void test_elementwise(int64_t n, int32_t nt) {
    float *x = cuda_test_floats((size_t)(n * nt), 3), *w = cuda_test_floats((size_t)n, 4);
    float *u = cuda_test_floats((size_t)(n * nt), 5), *out = malloc(sizeof(float) * (size_t)(n * nt));
    CHECK(out != NULL);
    float *dx = cuda_test_upload(x, sizeof(float) * (size_t)(n * nt));
    float *dw = cuda_test_upload(w, sizeof(float) * (size_t)n);
    float *du = cuda_test_upload(u, sizeof(float) * (size_t)(n * nt));
    float *dout = cuda_test_upload(out, sizeof(float) * (size_t)(n * nt));
    const float eps = 1e-5f;
    CUDA_OK(wir_cuda_rmsnorm(dx, dw, eps, n, nt, dout, 0));
    cuda_test_download(out, dout, sizeof(float) * (size_t)(n * nt));
    double worst = 0;
    for (int32_t t = 0; t < nt; t++) {
        double ss = 0;
        for (int64_t i = 0; i < n; i++) ss += (double)x[t * n + i] * x[t * n + i];
        const double scale = 1.0 / sqrt(ss / (double)n + eps);
        for (int64_t i = 0; i < n; i++) {
            const double ref = x[t * n + i] * scale * w[i];
            double e = fabs(out[t * n + i] - ref) / (1e-5 * fabs(ref) + 1e-7);
            if (!(e <= worst)) worst = e;
        }
    }
    report("rmsnorm", "f32", nt, n, worst);

    CUDA_OK(wir_cuda_swiglu(dx, du, n * nt, 0));
    cuda_test_download(out, dx, sizeof(float) * (size_t)(n * nt));
    worst = 0;
    for (int64_t i = 0; i < n * nt; i++) {
        const float g = x[i], ref = g / (1.0f + expf(-g)) * u[i];
        double e = fabs(out[i] - ref) / (1e-6 * fabs(ref) + 1e-7);
        if (!(e <= worst)) worst = e;
    }
    report("swiglu", "f32", nt, n, worst);

    CUDA_OK(wir_cuda_add(dx, du, n * nt, 0));
    float *sum = malloc(sizeof(float) * (size_t)(n * nt));
    CHECK(sum != NULL);
    cuda_test_download(sum, dx, sizeof(float) * (size_t)(n * nt));
    worst = 0;
    for (int64_t i = 0; i < n * nt; i++) {
        const float ref = out[i] + u[i];
        double e = fabs(sum[i] - ref) / (1e-6 * fabs(ref) + 1e-7);
        if (!(e <= worst)) worst = e;
    }
    report("add", "f32", nt, n, worst);
    cudaFree(dx), cudaFree(dw), cudaFree(du), cudaFree(dout);
    free(x), free(w), free(u), free(out), free(sum);
}

/* The CPU backend's rotation of one head (wir_backend_cpu.c). */
static void host_rope(float *h, const float *cs, const float *sn, int32_t d, int32_t type) {
    for (int32_t i = 0; i < d / 2; i++) {
        int32_t a = type == WIR_ROPE_NEOX ? i : 2 * i, b = type == WIR_ROPE_NEOX ? i + d / 2 : 2 * i + 1;
        float x0 = h[a], x1 = h[b];
        h[a] = x0 * cs[i] - x1 * sn[i];
        h[b] = x0 * sn[i] + x1 * cs[i];
    }
}

static void test_rope(int32_t rope_type, bool bias) {
    enum { H = 4, HK = 2, D = 64, NT = 3, POS = 5, NCTX = 16 };
    const int32_t half = D / 2;
    float *q = cuda_test_floats(NT * H * D, 11), *k = cuda_test_floats(NT * HK * D, 12);
    float *v = cuda_test_floats(NT * HK * D, 13), *b = cuda_test_floats(H * D + 2 * HK * D, 14);
    float inv[D / 2];
    for (int32_t i = 0; i < half; i++) inv[i] = (float)pow(10000.0, -2.0 * i / D);
    const int32_t pos = POS;
    float *dq = cuda_test_upload(q, sizeof(float) * NT * H * D);
    float *dk = cuda_test_upload(k, sizeof(float) * NT * HK * D);
    float *dv = cuda_test_upload(v, sizeof(float) * NT * HK * D);
    float *db = cuda_test_upload(b, sizeof(float) * (H * D + 2 * HK * D));
    float *dinv = cuda_test_upload(inv, sizeof inv);
    int32_t *dpos = cuda_test_upload(&pos, sizeof pos);
    float *dcs, *dsn;
    void *kc, *vc;
    CUDA_OK(cudaMalloc((void **)&dcs, sizeof(float) * NT * half));
    CUDA_OK(cudaMalloc((void **)&dsn, sizeof(float) * NT * half));
    CUDA_OK(cudaMalloc(&kc, 2 * NCTX * HK * D));
    CUDA_OK(cudaMalloc(&vc, 2 * NCTX * HK * D));
    CUDA_OK(wir_cuda_rope_table(dinv, half, dpos, NT, dcs, dsn, 0));
    wir_cuda_rope_args a = {dq, dk, dv, bias ? db : NULL, bias ? db + H * D : NULL,
                            bias ? db + H * D + HK * D : NULL, dcs, dsn, H, HK, D, rope_type, NT,
                            dpos, kc, vc};
    CUDA_OK(wir_cuda_rope_store(&a, 0));
    float gq[NT * H * D];
    uint16_t gk[NT * HK * D], gv[NT * HK * D];
    cuda_test_download(gq, dq, sizeof gq);
    cuda_test_download(gk, (uint16_t *)kc + POS * HK * D, sizeof gk);
    cuda_test_download(gv, (uint16_t *)vc + POS * HK * D, sizeof gv);
    double worst = 0;
    for (int32_t t = 0; t < NT; t++) {
        float cs[D / 2], sn[D / 2];
        for (int32_t i = 0; i < half; i++) {
            double ang = (double)(POS + t) * (double)inv[i];
            cs[i] = (float)cos(ang), sn[i] = (float)sin(ang);
        }
        float *qt = q + t * H * D, *kt = k + t * HK * D, *vt = v + t * HK * D;
        if (bias) {
            for (int i = 0; i < H * D; i++) qt[i] += b[i];
            for (int i = 0; i < HK * D; i++) kt[i] += b[H * D + i], vt[i] += b[H * D + HK * D + i];
        }
        for (int h = 0; h < H; h++) host_rope(qt + h * D, cs, sn, D, rope_type);
        for (int h = 0; h < HK; h++) host_rope(kt + h * D, cs, sn, D, rope_type);
        for (int i = 0; i < H * D; i++) {
            double e = fabs(gq[t * H * D + i] - qt[i]) / 1e-5;
            if (!(e <= worst)) worst = e;
        }
        for (int i = 0; i < HK * D; i++) {
            const float kr = wir_fp16_to_fp32(wir_fp32_to_fp16(kt[i]));
            const float vr = wir_fp16_to_fp32(wir_fp32_to_fp16(vt[i]));
            /* one F16 step at the value's magnitude */
            const double step = ldexp(fmax(1, fmax(fabs(kr), fabs(vr))), -9);
            double e = fmax(fabs(wir_fp16_to_fp32(gk[t * HK * D + i]) - kr),
                            fabs(wir_fp16_to_fp32(gv[t * HK * D + i]) - vr)) / step;
            if (!(e <= worst)) worst = e;
        }
    }
    report(rope_type == WIR_ROPE_NEOX ? "rope neox" : "rope norm", bias ? "bias" : "-", NT, D, worst);
    cudaFree(dq), cudaFree(dk), cudaFree(dv), cudaFree(db), cudaFree(dinv), cudaFree(dpos);
    cudaFree(dcs), cudaFree(dsn), cudaFree(kc), cudaFree(vc);
    free(q), free(k), free(v), free(b);
}

/* softmax(q K^T / sqrt(d)) V over positions 0..n-1 of head kvh, in double. */
static void host_attend(const float *q, const uint16_t *kc, const uint16_t *vc, int64_t stride,
                        int32_t kvh, int32_t d, int64_t n, double *out) {
    double *s = malloc(sizeof(double) * (size_t)n), mx = -INFINITY, sum = 0;
    CHECK(s != NULL);
    for (int64_t p = 0; p < n; p++) {
        double a = 0;
        for (int32_t j = 0; j < d; j++) a += (double)q[j] * wir_fp16_to_fp32(kc[p * stride + kvh * d + j]);
        s[p] = a / sqrt((double)d);
        if (s[p] > mx) mx = s[p];
    }
    for (int64_t p = 0; p < n; p++) sum += (s[p] = exp(s[p] - mx));
    for (int32_t j = 0; j < d; j++) out[j] = 0;
    for (int64_t p = 0; p < n; p++)
        for (int32_t j = 0; j < d; j++) out[j] += s[p] / sum * wir_fp16_to_fp32(vc[p * stride + kvh * d + j]);
    free(s);
}

static void test_attention(int32_t d, int32_t n_ctx, int32_t pos, int32_t nt) {
    const int32_t H = 8, HK = 2, KV = HK * d;
    float *kf = cuda_test_floats((size_t)n_ctx * KV, 21), *vf = cuda_test_floats((size_t)n_ctx * KV, 22);
    uint16_t *kc = malloc(2 * (size_t)n_ctx * KV), *vc = malloc(2 * (size_t)n_ctx * KV);
    CHECK(kc && vc);
    for (size_t i = 0; i < (size_t)n_ctx * KV; i++) kc[i] = wir_fp32_to_fp16(kf[i]), vc[i] = wir_fp32_to_fp16(vf[i]);
    float *q = cuda_test_floats((size_t)nt * H * d, 23), *out = malloc(sizeof(float) * (size_t)nt * H * d);
    CHECK(out != NULL);
    void *dk = cuda_test_upload(kc, 2 * (size_t)n_ctx * KV), *dv = cuda_test_upload(vc, 2 * (size_t)n_ctx * KV);
    float *dq = cuda_test_upload(q, sizeof(float) * (size_t)nt * H * d);
    float *dout = cuda_test_upload(out, sizeof(float) * (size_t)nt * H * d);
    int32_t *dpos = cuda_test_upload(&pos, sizeof pos);
    wir_cuda_attn_args a = {dq, dk, dv, dout, H, HK, d, nt, dpos};
    CHECK(wir_cuda_attn_supported(d));
    if (nt == 1) {
        const int32_t splits = wir_cuda_attn_decode_splits(n_ctx);
        float *part;
        CUDA_OK(cudaMalloc((void **)&part, sizeof(float) * (size_t)wir_cuda_attn_decode_scratch(H, d, splits)));
        CUDA_OK(wir_cuda_attn_decode(&a, splits, part, 0));
        cuda_test_download(out, dout, sizeof(float) * (size_t)H * d);
        cudaFree(part);
    } else {
        CUDA_OK(wir_cuda_attn_prefill(&a, 0));
        cuda_test_download(out, dout, sizeof(float) * (size_t)nt * H * d);
    }
    double worst = 0, ref[256];
    for (int32_t t = 0; t < nt; t++)
        for (int32_t h = 0; h < H; h++) {
            host_attend(q + ((size_t)t * H + h) * d, kc, vc, KV, h / (H / HK), d, pos + t + 1, ref);
            for (int32_t j = 0; j < d; j++) {
                double e = fabs(out[((size_t)t * H + h) * d + j] - ref[j]) / 1e-4;
                if (!(e <= worst)) worst = e;
            }
        }
    report(nt == 1 ? "attn dec" : "attn pre", "f16", pos + nt, d, worst);
    cudaFree(dk), cudaFree(dv), cudaFree(dq), cudaFree(dout), cudaFree(dpos);
    free(kf), free(vf), free(kc), free(vc), free(q), free(out);
}

int main(void) {
    cuda_test_need_device("probe.cuda.kernels");
    const int64_t shapes[][2] = {{1, 256}, {37, 1024}, {300, 4096}, {64, 14336}};
    for (int f = 0; f < N_FORMATS; f++)
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
            test_products(formats[f], shapes[s][0], shapes[s][1]);
    test_elementwise(256, 1);
    test_elementwise(4096, 7);
    test_rope(WIR_ROPE_NORM, false);
    test_rope(WIR_ROPE_NEOX, true);
    const int32_t dims[] = {64, 128, 256};
    for (int i = 0; i < 3; i++) {
        test_attention(dims[i], 4096, 0, 1);      /* one position */
        test_attention(dims[i], 4096, 99, 1);     /* most splits empty */
        test_attention(dims[i], 4096, 4095, 1);   /* every split full */
        test_attention(dims[i], 512, 37, 5);      /* prefill after a prefix */
        test_attention(dims[i], 512, 0, 64);      /* prefill from empty */
    }
    if (failures) {
        printf("probe.cuda.kernels: %d comparison(s) out of bounds\n", failures);
        return 1;
    }
    printf("probe.cuda.kernels: all kernels within bounds\n");
    return 0;
}
