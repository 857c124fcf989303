#include "CKernels.h"
#include <math.h>

// LayerNorm: the reductions run along a row (one sample's features), so each is split over a
// fixed number of interleaved double lanes, added up in a fixed order: the loops vectorize without
// reassociation, and every instruction-set version gives the same bits. No FMA contraction.
// The activation after the layer can run in the forward's store and its backward rule wherever
// backward reads dout (`fused_activation.h`, as in batchnorm.c), each body instantiated per kind.
#pragma clang fp contract(off)

#include "clones.h"
#include "fused_activation.h"

enum { LN_LANES = 8 };

static inline __attribute__((always_inline)) double lanes_total(const double *lanes) {
    double total = 0;
    for (int k = 0; k < LN_LANES; k++) total += lanes[k];
    return total;
}

// One pass for the row's sum and sum of squares, in double: a float's square is exact in a double
// and d of them lose nothing that matters against ε, so σ² = Σx²/d − μ² needs no second pass.
static inline __attribute__((always_inline)) void layernorm_forward(
    const float *restrict x, size_t n, size_t d, const float *restrict gamma, const float *restrict beta, float eps,
    float *restrict xn, float *restrict inverseStd, float *restrict out, int kind, float slope) {
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d;
        double sums[LN_LANES] = {0}, squares[LN_LANES] = {0};
        size_t j = 0;
        for (; j + LN_LANES <= d; j += LN_LANES)
            for (int k = 0; k < LN_LANES; k++) {
                double v = (double)row[j + k];
                sums[k] += v;
                squares[k] += v * v;
            }
        for (int k = 0; j < d; j++, k++) {
            double v = (double)row[j];
            sums[k] += v;
            squares[k] += v * v;
        }
        double mean = lanes_total(sums) / (double)d;
        double variance = lanes_total(squares) / (double)d - mean * mean;
        if (variance < 0) variance = 0;
        float inv = (float)(1.0 / __builtin_elementwise_sqrt(variance + (double)eps));
        float mu = (float)mean;
        float *orow = out + r * d;
        if (xn) {
            inverseStd[r] = inv;
            float *zrow = xn + r * d;
            for (j = 0; j < d; j++) {
                float z = (row[j] - mu) * inv;
                zrow[j] = z;
                orow[j] = dlboard_fused_activate(gamma[j] * z + beta[j], kind, slope);
            }
        } else {
            for (j = 0; j < d; j++) {
                float z = (row[j] - mu) * inv;
                orow[j] = dlboard_fused_activate(gamma[j] * z + beta[j], kind, slope);
            }
        }
    }
}

// Backward runs a block of rows at a time: first each row's two means, whose reductions end in a
// chain of scalar adds and divisions, then the block's dx. The rows of a block are independent, so
// the processor overlaps one row's scalar tail with the next row's vector work instead of waiting
// on it before the dx pass (measured 0.92× the per-row loop's time at 100×100; the same blocking
// made the forward slower, so it stays row by row).
enum { LN_BLOCK = 8 };

// dγ, dβ (down the columns) and the row's two means (across it, in lanes) in one pass over each
// row of a block, then the block's dx. dout goes through the fused activation's rule each time it
// is read (the block's rows of y are still in L1 the second time), rather than stored back.
static inline __attribute__((always_inline)) void layernorm_backward(
    const float *restrict dout, const float *restrict y, size_t n, size_t d, const float *restrict xn,
    const float *restrict inverseStd, const float *restrict gamma, float *restrict dgamma, float *restrict dbeta,
    float *restrict dx, int kind, float slope) {
    for (size_t j = 0; j < d; j++) { dgamma[j] = 0; dbeta[j] = 0; }
    for (size_t r0 = 0; r0 < n; r0 += LN_BLOCK) {
        size_t rows = n - r0 < LN_BLOCK ? n - r0 : LN_BLOCK;
        float meanG[LN_BLOCK], meanGZ[LN_BLOCK];
        for (size_t i = 0; i < rows; i++) {
            size_t r = r0 + i;
            const float *grow = dout + r * d, *zrow = xn + r * d;
            // mean(dxn) and mean(dxn·xn) over the row, dxn = γ·dout.
            double a[LN_LANES] = {0}, b[LN_LANES] = {0};
            size_t j = 0;
            for (; j + LN_LANES <= d; j += LN_LANES)
                for (int k = 0; k < LN_LANES; k++) {
                    float o = dlboard_fused_gradient(grow[j + k], y, r * d + j + k, kind, slope), z = zrow[j + k];
                    dbeta[j + k] += o;
                    dgamma[j + k] += z * o;
                    float g = gamma[j + k] * o;
                    a[k] += (double)g;
                    b[k] += (double)(g * z);
                }
            for (int k = 0; j < d; j++, k++) {
                float o = dlboard_fused_gradient(grow[j], y, r * d + j, kind, slope), z = zrow[j];
                dbeta[j] += o;
                dgamma[j] += z * o;
                float g = gamma[j] * o;
                a[k] += (double)g;
                b[k] += (double)(g * z);
            }
            meanG[i] = (float)(lanes_total(a) / (double)d);
            meanGZ[i] = (float)(lanes_total(b) / (double)d);
        }
        for (size_t i = 0; i < rows; i++) {
            size_t r = r0 + i;
            const float *grow = dout + r * d, *zrow = xn + r * d;
            float *orow = dx + r * d;
            float s = inverseStd[r], mg = meanG[i], mgz = meanGZ[i];
            for (size_t j = 0; j < d; j++) {
                float o = dlboard_fused_gradient(grow[j], y, r * d + j, kind, slope);
                orow[j] = (gamma[j] * o - mg - zrow[j] * mgz) * s;
            }
        }
    }
}

#define LN_FORWARD(kind) layernorm_forward(x, n, d, gamma, beta, eps, xn, inverseStd, out, kind, slope)

DLBOARD_CLONES
void dlboard_layernorm_forward(const float *restrict x, size_t n, size_t d, const float *restrict gamma,
                                     const float *restrict beta, float eps, float *restrict xn,
                                     float *restrict inverseStd, float *restrict out, int activation, float slope) {
    switch (activation) {
    case DLBOARD_FUSED_RELU: LN_FORWARD(DLBOARD_FUSED_RELU); break;
    case DLBOARD_FUSED_LEAKY_RELU: LN_FORWARD(DLBOARD_FUSED_LEAKY_RELU); break;
    default: LN_FORWARD(DLBOARD_FUSED_IDENTITY);
    }
}

#define LN_BACKWARD(kind) layernorm_backward(dout, y, n, d, xn, inverseStd, gamma, dgamma, dbeta, dx, kind, slope)

DLBOARD_CLONES
void dlboard_layernorm_backward(const float *restrict dout, const float *restrict y, size_t n, size_t d,
                                      const float *restrict xn, const float *restrict inverseStd,
                                      const float *restrict gamma, float *restrict dgamma, float *restrict dbeta,
                                      float *restrict dx, int activation, float slope) {
    switch (activation) {
    case DLBOARD_FUSED_RELU: LN_BACKWARD(DLBOARD_FUSED_RELU); break;
    case DLBOARD_FUSED_LEAKY_RELU: LN_BACKWARD(DLBOARD_FUSED_LEAKY_RELU); break;
    default: LN_BACKWARD(DLBOARD_FUSED_IDENTITY);
    }
}
