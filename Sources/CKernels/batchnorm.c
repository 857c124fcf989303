#include "CKernels.h"
#include <math.h>

// BatchNorm's train-mode forward and backward, and its eval mode. Every value is the same float
// (or double) operation in the same order as the book-form kernels these replaced (see the tests'
// reference), so the losses keep their bits; what changed is where the work runs:
//
// - Column strips. A feature's reductions (Σx, Σ(x−μ)², Σdout, …) run down its column, row by
//   row. Done a strip of STRIP columns at a time, the running sums stay in registers instead of
//   being loaded and stored for every row, and the strip's passes read rows its first pass has
//   just brought into L1 instead of the whole batch three times from L2. 16 columns (one AVX-512
//   register of floats) measured fastest at 100×100, against 32 and 64: the strip's rows then
//   stay in L1 between its passes.
//   When the width is not a multiple of the strip, the last strip overlaps the one before it: a
//   column's results depend on that column only, and every value a strip stores is computed from
//   the inputs (no read-modify-write across strips), so a column done twice is stored twice with
//   the same bits. The running statistics, the only read-modify-write, are updated once per
//   column after the strips.
// - x − μ is not stored: forward and backward recompute it from the layer's input and μ with the
//   same float subtraction, so the forward writes xn and out only.
// - The activation after the layer can run in the forward's last pass (out = activation(γ·xn + β),
//   into the activation layer's own output) and its backward rule wherever backward reads dout
//   (`fused_activation.h`): the activation layer's own pass over n×d each way is saved. Each body
//   takes the activation as a constant (`kind`) and is instantiated once per kind.
// - No FMA contraction (explicit or implied): every instruction-set version gives the same bits.
#pragma clang fp contract(off)

#include "clones.h"
#include "fused_activation.h"

enum { STRIP = 16 };

// One strip of STRIP columns starting at column s; `mu` is (float)mean and `sd` the std.
static inline __attribute__((always_inline)) void bn_forward_strip(
    const float *restrict x, size_t n, size_t d, size_t s, const float *restrict gamma,
    const float *restrict beta, float eps, float *restrict xn, float *restrict stdOut, float *restrict out,
    double *restrict mean, double *restrict variance, int kind, float slope) {
    double sum[STRIP] = {0};
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d + s;
        for (int k = 0; k < STRIP; k++) sum[k] += (double)row[k];
    }
    float mu[STRIP];
    for (int k = 0; k < STRIP; k++) {
        sum[k] /= (double)n;
        mean[s + k] = sum[k];
        mu[k] = (float)sum[k];
    }
    double sq[STRIP] = {0};
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d + s;
        for (int k = 0; k < STRIP; k++) {
            float v = row[k] - mu[k];
            sq[k] += (double)v * (double)v;
        }
    }
    float sd[STRIP], g[STRIP], b[STRIP];
    for (int k = 0; k < STRIP; k++) {
        sq[k] /= (double)n;
        variance[s + k] = sq[k];
        sd[k] = (float)__builtin_elementwise_sqrt(sq[k] + (double)eps);
        stdOut[s + k] = sd[k];
        g[k] = gamma[s + k];
        b[k] = beta[s + k];
    }
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d + s;
        float *zrow = xn + r * d + s, *orow = out + r * d + s;
        for (int k = 0; k < STRIP; k++) {
            float v = (row[k] - mu[k]) / sd[k];
            zrow[k] = v;
            orow[k] = dlboard_fused_activate(g[k] * v + b[k], kind, slope);
        }
    }
}

// Columns [s, s + w) for a width below one strip: the sums in memory, row by row.
static inline __attribute__((always_inline)) void bn_forward_columns(
    const float *restrict x, size_t n, size_t d, size_t s, size_t w, const float *restrict gamma,
    const float *restrict beta, float eps, float *restrict xn, float *restrict stdOut, float *restrict out,
    double *restrict mean, double *restrict variance, int kind, float slope) {
    for (size_t j = s; j < s + w; j++) { mean[j] = 0; variance[j] = 0; }
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d;
        for (size_t j = s; j < s + w; j++) mean[j] += (double)row[j];
    }
    for (size_t j = s; j < s + w; j++) mean[j] /= (double)n;
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d;
        for (size_t j = s; j < s + w; j++) {
            float v = row[j] - (float)mean[j];
            variance[j] += (double)v * (double)v;
        }
    }
    for (size_t j = s; j < s + w; j++) {
        variance[j] /= (double)n;
        stdOut[j] = (float)__builtin_elementwise_sqrt(variance[j] + (double)eps);
    }
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d;
        float *zrow = xn + r * d, *orow = out + r * d;
        for (size_t j = s; j < s + w; j++) {
            float v = (row[j] - (float)mean[j]) / stdOut[j];
            zrow[j] = v;
            orow[j] = dlboard_fused_activate(gamma[j] * v + beta[j], kind, slope);
        }
    }
}

static inline __attribute__((always_inline)) void bn_forward(
    const float *restrict x, size_t n, size_t d, const float *restrict gamma, const float *restrict beta, float eps,
    float momentum, float *restrict runningMean, float *restrict runningVariance, float *restrict xn,
    float *restrict stdOut, float *restrict out, double *restrict mean, double *restrict variance, int kind,
    float slope) {
    if (d >= STRIP) {
        for (size_t j = 0; j < d; j += STRIP) {
            size_t s = j + STRIP <= d ? j : d - STRIP;
            bn_forward_strip(x, n, d, s, gamma, beta, eps, xn, stdOut, out, mean, variance, kind, slope);
        }
    } else {
        bn_forward_columns(x, n, d, 0, d, gamma, beta, eps, xn, stdOut, out, mean, variance, kind, slope);
    }
    for (size_t j = 0; j < d; j++) {
        runningMean[j] = momentum * runningMean[j] + (1 - momentum) * (float)mean[j];
        runningVariance[j] = momentum * runningVariance[j] + (1 - momentum) * (float)variance[j];
    }
}

#define BN_FORWARD(kind)                                                                                          \
    bn_forward(x, n, d, gamma, beta, eps, momentum, runningMean, runningVariance, xn, stdOut, out, mean, variance, \
               kind, slope)

DLBOARD_CLONES
void dlboard_bn_forward(const float *restrict x, size_t n, size_t d, const float *restrict gamma,
                              const float *restrict beta, float eps, float momentum, float *restrict runningMean,
                              float *restrict runningVariance, float *restrict xn, float *restrict stdOut,
                              float *restrict out, double *restrict mean, double *restrict variance, int activation,
                              float slope) {
    switch (activation) {
    case DLBOARD_FUSED_RELU: BN_FORWARD(DLBOARD_FUSED_RELU); break;
    case DLBOARD_FUSED_LEAKY_RELU: BN_FORWARD(DLBOARD_FUSED_LEAKY_RELU); break;
    default: BN_FORWARD(DLBOARD_FUSED_IDENTITY);
    }
}

// Backward, one strip: dβ = Σ dout, dγ = Σ xn·dout, dstd = −Σ (γ·dout)·xc down the columns; then
// per column dstd /= std², dvar = 0.5·dstd/std, k = (2/N)·dvar; then dx = (γ·dout)/std + xc·k with
// dμ = Σ dx; then dx −= dμ/N. xc = x − (float)μ, recomputed. dout goes through the fused
// activation's rule each time it is read (the second time the strip's rows of y are in L1), rather
// than being stored back masked: no write, and a column of an overlapping strip is not masked twice.
static inline __attribute__((always_inline)) void bn_backward_strip(
    const float *restrict dout, const float *restrict y, const float *restrict x, size_t n, size_t d, size_t s,
    const double *restrict mean, const float *restrict xn, const float *restrict stdv,
    const float *restrict gamma, float *restrict dgamma, float *restrict dbeta, float *restrict dx, int kind,
    float slope) {
    float mu[STRIP], g[STRIP], sd[STRIP];
    for (int k = 0; k < STRIP; k++) {
        mu[k] = (float)mean[s + k];
        g[k] = gamma[s + k];
        sd[k] = stdv[s + k];
    }
    float db[STRIP] = {0}, dg[STRIP] = {0}, ds[STRIP] = {0};
    for (size_t r = 0; r < n; r++) {
        const float *grow = dout + r * d + s, *row = x + r * d + s, *zrow = xn + r * d + s;
        for (int k = 0; k < STRIP; k++) {
            float o = dlboard_fused_gradient(grow[k], y, r * d + s + k, kind, slope);
            db[k] += o;
            dg[k] += zrow[k] * o;
            ds[k] -= g[k] * o * (row[k] - mu[k]);
        }
    }
    float c[STRIP];
    for (int k = 0; k < STRIP; k++) {
        dbeta[s + k] = db[k];
        dgamma[s + k] = dg[k];
        float dstd = ds[k] / (sd[k] * sd[k]);
        float dvar = 0.5f * dstd / sd[k];
        c[k] = (2 / (float)n) * dvar;
    }
    float dm[STRIP] = {0};
    for (size_t r = 0; r < n; r++) {
        const float *grow = dout + r * d + s, *row = x + r * d + s;
        float *orow = dx + r * d + s;
        for (int k = 0; k < STRIP; k++) {
            float o = dlboard_fused_gradient(grow[k], y, r * d + s + k, kind, slope);
            float v = g[k] * o / sd[k] + (row[k] - mu[k]) * c[k];
            orow[k] = v;
            dm[k] += v;
        }
    }
    for (int k = 0; k < STRIP; k++) dm[k] /= (float)n;
    for (size_t r = 0; r < n; r++) {
        float *orow = dx + r * d + s;
        for (int k = 0; k < STRIP; k++) orow[k] -= dm[k];
    }
}

// The same for a width below one strip, the sums in the caller's scratch (4·d floats).
static inline __attribute__((always_inline)) void bn_backward_columns(
    const float *restrict dout, const float *restrict y, const float *restrict x, size_t n, size_t d,
    const double *restrict mean, const float *restrict xn, const float *restrict stdv, const float *restrict gamma,
    float *restrict dgamma, float *restrict dbeta, float *restrict dx, float *restrict scratch, int kind,
    float slope) {
    float *mu = scratch, *ds = scratch + d, *c = scratch + 2 * d, *dm = scratch + 3 * d;
    for (size_t j = 0; j < d; j++) {
        mu[j] = (float)mean[j];
        dgamma[j] = 0;
        dbeta[j] = 0;
        ds[j] = 0;
        dm[j] = 0;
    }
    for (size_t r = 0; r < n; r++) {
        const float *grow = dout + r * d, *row = x + r * d, *zrow = xn + r * d;
        for (size_t j = 0; j < d; j++) {
            float o = dlboard_fused_gradient(grow[j], y, r * d + j, kind, slope);
            dbeta[j] += o;
            dgamma[j] += zrow[j] * o;
            ds[j] -= gamma[j] * o * (row[j] - mu[j]);
        }
    }
    for (size_t j = 0; j < d; j++) {
        float dstd = ds[j] / (stdv[j] * stdv[j]);
        float dvar = 0.5f * dstd / stdv[j];
        c[j] = (2 / (float)n) * dvar;
    }
    for (size_t r = 0; r < n; r++) {
        const float *grow = dout + r * d, *row = x + r * d;
        float *orow = dx + r * d;
        for (size_t j = 0; j < d; j++) {
            float o = dlboard_fused_gradient(grow[j], y, r * d + j, kind, slope);
            float v = gamma[j] * o / stdv[j] + (row[j] - mu[j]) * c[j];
            orow[j] = v;
            dm[j] += v;
        }
    }
    for (size_t j = 0; j < d; j++) dm[j] /= (float)n;
    for (size_t r = 0; r < n; r++) {
        float *orow = dx + r * d;
        for (size_t j = 0; j < d; j++) orow[j] -= dm[j];
    }
}

static inline __attribute__((always_inline)) void bn_backward(
    const float *restrict dout, const float *restrict y, const float *restrict x, size_t n, size_t d,
    const double *restrict mean, const float *restrict xn, const float *restrict stdv, const float *restrict gamma,
    float *restrict dgamma, float *restrict dbeta, float *restrict dx, float *restrict scratch, int kind,
    float slope) {
    if (d >= STRIP) {
        for (size_t j = 0; j < d; j += STRIP) {
            size_t s = j + STRIP <= d ? j : d - STRIP;
            bn_backward_strip(dout, y, x, n, d, s, mean, xn, stdv, gamma, dgamma, dbeta, dx, kind, slope);
        }
    } else {
        bn_backward_columns(dout, y, x, n, d, mean, xn, stdv, gamma, dgamma, dbeta, dx, scratch, kind, slope);
    }
}

#define BN_BACKWARD(kind) bn_backward(dout, y, x, n, d, mean, xn, stdv, gamma, dgamma, dbeta, dx, scratch, kind, slope)

DLBOARD_CLONES
void dlboard_bn_backward(const float *restrict dout, const float *restrict y, const float *restrict x, size_t n,
                               size_t d, const double *restrict mean, const float *restrict xn,
                               const float *restrict stdv, const float *restrict gamma, float *restrict dgamma,
                               float *restrict dbeta, float *restrict dx, float *restrict scratch, int activation,
                               float slope) {
    switch (activation) {
    case DLBOARD_FUSED_RELU: BN_BACKWARD(DLBOARD_FUSED_RELU); break;
    case DLBOARD_FUSED_LEAKY_RELU: BN_BACKWARD(DLBOARD_FUSED_LEAKY_RELU); break;
    default: BN_BACKWARD(DLBOARD_FUSED_IDENTITY);
    }
}

// Eval mode: scale = 1/√(running variance + ε) in float, out = γ·((x − running mean)·scale) + β —
// the Swift loop's operations, with the scale in the caller's d floats instead of a fresh array.
static inline __attribute__((always_inline)) void bn_eval(
    const float *restrict x, size_t n, size_t d, const float *restrict gamma, const float *restrict beta,
    const float *restrict runningMean, const float *restrict runningVariance, float eps, float *restrict scale,
    float *restrict out, int kind, float slope) {
    for (size_t j = 0; j < d; j++) scale[j] = 1 / __builtin_elementwise_sqrt(runningVariance[j] + eps);
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d;
        float *orow = out + r * d;
        for (size_t j = 0; j < d; j++)
            orow[j] =
                dlboard_fused_activate(gamma[j] * ((row[j] - runningMean[j]) * scale[j]) + beta[j], kind, slope);
    }
}

#define BN_EVAL(kind) bn_eval(x, n, d, gamma, beta, runningMean, runningVariance, eps, scale, out, kind, slope)

DLBOARD_CLONES
void dlboard_bn_eval(const float *restrict x, size_t n, size_t d, const float *restrict gamma,
                           const float *restrict beta, const float *restrict runningMean,
                           const float *restrict runningVariance, float eps, float *restrict scale,
                           float *restrict out, int activation, float slope) {
    switch (activation) {
    case DLBOARD_FUSED_RELU: BN_EVAL(DLBOARD_FUSED_RELU); break;
    case DLBOARD_FUSED_LEAKY_RELU: BN_EVAL(DLBOARD_FUSED_LEAKY_RELU); break;
    default: BN_EVAL(DLBOARD_FUSED_IDENTITY);
    }
}
