#include "CKernels.h"

// Weight decay's two uses of W in one pass: dW += λW and ΣW² for the ½λΣW² loss term. The sum
// goes into 16 fixed interleaved double lanes (element i into lane i mod 16) added up in lane
// order at the end, so every instruction-set version gives the same bits; a single running double
// sum would be a chain of dependent 4-cycle additions, one per weight.
#pragma clang fp contract(off)

#include "clones.h"

// The fused form needs FMA instructions to vectorize: its clone list names that feature (AVX-512F
// implies it). Elsewhere `fmaf` is the correctly rounded library call, the same bits.
#ifdef DLBOARD_NO_CLONES
#define DLBOARD_FMA_CLONES
#else
#define DLBOARD_FMA_CLONES __attribute__((target_clones("avx512f", "fma", "default")))
#endif

enum { LANES = 16 };

static inline __attribute__((always_inline)) double decay(float *restrict g, const float *restrict w, size_t n,
                                                          float lambda, int update, int fused) {
    double acc[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        for (int k = 0; k < LANES; k++) {
            float v = w[i + k];
            double d = (double)v;
            // A float's square is exact in a double: the order of the additions is all that rounds.
            acc[k] += d * d;
            if (update) g[i + k] = fused ? __builtin_elementwise_fma(lambda, v, g[i + k]) : g[i + k] + lambda * v;
        }
    }
    for (int k = 0; i < n; i++, k++) {
        float v = w[i];
        double d = (double)v;
        acc[k] += d * d;
        if (update) g[i] = fused ? __builtin_elementwise_fma(lambda, v, g[i]) : g[i] + lambda * v;
    }
    double s = 0;
    for (int k = 0; k < LANES; k++) s += acc[k];
    return s;
}

DLBOARD_CLONES
double dlboard_sum_of_squares(const float *w, size_t n) { return decay(0, w, n, 0, 0, 0); }

DLBOARD_CLONES
double dlboard_decay_gradient(float *restrict g, const float *restrict w, size_t n, float lambda) {
    return decay(g, w, n, lambda, 1, 0);
}

DLBOARD_FMA_CLONES
double dlboard_decay_gradient_fused(float *restrict g, const float *restrict w, size_t n, float lambda) {
    return decay(g, w, n, lambda, 1, 1);
}
