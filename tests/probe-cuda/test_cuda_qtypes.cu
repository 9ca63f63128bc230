/* probe.cuda.qtypes: the CUDA format decoders (wir_cuda_qtypes.cuh, host and
 * device code) run on the CPU against wir_qformat_dequantize_row, the
 * reference layout. Needs no GPU, so the block layouts the kernels read are
 * checked on every build with nvcc. For every format and unit of random
 * rows (several blocks): every element decoded once (index() is a
 * permutation of the row), and equal to the reference within 2 float ulps
 * of its magnitude (d * scale * q may be rounded in another order). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <vector>

#include "wir_cuda_qtypes.cuh"

static int failures;

template <class F> static void check(int32_t type, int64_t k) {
    const size_t rb = wir_qformat_row_bytes(type, k);
    std::vector<float> src(k), ref(k), got(k, NAN);
    std::vector<int> seen(k, 0);
    uint32_t st = (uint32_t)(type * 7919 + k);
    for (int64_t i = 0; i < k; i++) {
        st ^= st << 13, st ^= st >> 17, st ^= st << 5;
        src[i] = (float)((double)st / 2147483648.0 - 1.0);
    }
    /* 16-byte aligned, as rows are in the arena */
    std::vector<uint4> buf((rb + 15) / 16);
    uint8_t *row = (uint8_t *)buf.data();
    wir_qformat_quantize_row(type, src.data(), row, k);
    wir_qformat_dequantize_row(type, row, ref.data(), k);
    for (int64_t u = 0; u < k / F::UNIT; u++) {
        float v[F::UNIT];
        F::load(row, u, v);
        for (int j = 0; j < F::UNIT; j++) {
            const int64_t i = F::index(u, j);
            if (i < 0 || i >= k) { failures++; continue; }
            seen[i]++;
            got[i] = v[j];
        }
    }
    int bad = 0;
    double worst = 0;
    for (int64_t i = 0; i < k; i++) {
        const double tol = 2 * ldexp(fmax(fabs(ref[i]), 1e-30), -23);
        const double e = fabs((double)got[i] - ref[i]);
        if (seen[i] != 1 || !(e <= tol)) bad++;
        if (e > worst || e != e) worst = e;
    }
    printf("%-5s k=%-5lld %s (largest difference %.3g)\n", wir_qformat_name(type), (long long)k,
           bad ? "FAIL" : "ok", worst);
    if (bad) failures++;
}

template <class F> static void check_all(int32_t type) {
    check<F>(type, 256);
    check<F>(type, 4096);
    if (F::BLOCK == WIR_QK) check<F>(type, 896); /* Qwen2.5-0.5B's rows */
}

int main(void) {
    check_all<wir_cuda_q<WIR_QTYPE_F32>>(WIR_QTYPE_F32);
    check_all<wir_cuda_q<WIR_QTYPE_F16>>(WIR_QTYPE_F16);
    check_all<wir_cuda_q<WIR_QTYPE_BF16>>(WIR_QTYPE_BF16);
    check_all<wir_cuda_q<WIR_QTYPE_Q8_0>>(WIR_QTYPE_Q8_0);
    check_all<wir_cuda_q<WIR_QTYPE_Q4_0>>(WIR_QTYPE_Q4_0);
    check_all<wir_cuda_q<WIR_QTYPE_Q4_1>>(WIR_QTYPE_Q4_1);
    check_all<wir_cuda_q<WIR_QTYPE_Q5_0>>(WIR_QTYPE_Q5_0);
    check_all<wir_cuda_q<WIR_QTYPE_Q5_1>>(WIR_QTYPE_Q5_1);
    check_all<wir_cuda_q<WIR_QTYPE_Q4_K>>(WIR_QTYPE_Q4_K);
    check_all<wir_cuda_q<WIR_QTYPE_Q5_K>>(WIR_QTYPE_Q5_K);
    check_all<wir_cuda_q<WIR_QTYPE_Q6_K>>(WIR_QTYPE_Q6_K);
    if (failures) {
        printf("probe.cuda.qtypes: %d failure(s)\n", failures);
        return 1;
    }
    printf("probe.cuda.qtypes: every decoder matches wir_qformat\n");
    return 0;
}
