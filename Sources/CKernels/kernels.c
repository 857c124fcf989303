#include "CKernels.h"
#include <math.h>

// Same operations in the same order as the Swift code, one rounding each: no FMA contraction, so
// every instruction-set version gives bit-identical results.
#pragma clang fp contract(off)

#include "clones.h"

DLBOARD_CLONES
void dlboard_adam_update(float *restrict w, const float *restrict g, float *restrict m, float *restrict v, size_t n,
                         float c1, float c2, float lrT, float eps) {
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float nm = m[i] + c1 * (gi - m[i]);
        float nv = v[i] + c2 * (gi * gi - v[i]);
        m[i] = nm;
        v[i] = nv;
        // The builtin is IEEE sqrt without errno, so the loop vectorizes.
        w[i] = w[i] - lrT * nm / (__builtin_elementwise_sqrt(nv) + eps);
    }
}

DLBOARD_CLONES
void dlboard_adagrad_update(float *restrict w, const float *restrict g, float *restrict h, size_t n, float lr, float eps) {
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float nh = h[i] + gi * gi;
        h[i] = nh;
        w[i] = w[i] - lr * gi / (__builtin_elementwise_sqrt(nh) + eps);
    }
}

DLBOARD_CLONES
void dlboard_rmsprop_update(float *restrict w, const float *restrict g, float *restrict h, size_t n,
                            float lr, float decay, float eps) {
    float oneMinusDecay = 1 - decay;
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float nh = decay * h[i] + oneMinusDecay * gi * gi;
        h[i] = nh;
        w[i] = w[i] - lr * gi / (__builtin_elementwise_sqrt(nh) + eps);
    }
}

DLBOARD_CLONES
void dlboard_bytes_to_unit(const unsigned char *restrict src, float *restrict dst, size_t n) {
    for (size_t i = 0; i < n; i++) dst[i] = (float)src[i] / 255.0f;
}

DLBOARD_CLONES
void dlboard_gather_unit(const unsigned char *restrict pixels, size_t features, const long *restrict rows, size_t count,
                         float *restrict out) {
    // Rows come from anywhere in tens of megabytes of pixels: fetch the next two rows' cache lines
    // while converting this one, so their memory latency overlaps the work.
    for (size_t r = 0; r < count; r++) {
        for (size_t ahead = 1; ahead <= 2 && r + ahead < count; ahead++) {
            const unsigned char *next = pixels + (size_t)rows[r + ahead] * features;
            for (size_t b = 0; b < features; b += 64) __builtin_prefetch(next + b, 0, 0);
        }
        const unsigned char *src = pixels + (size_t)rows[r] * features;
        float *dst = out + r * features;
        for (size_t j = 0; j < features; j++) dst[j] = (float)src[j] / 255.0f;
    }
}

DLBOARD_CLONES
void dlboard_relu_forward(const float *restrict x, float *restrict y, size_t n) {
    for (size_t i = 0; i < n; i++) { float v = x[i]; y[i] = v > 0 ? v : 0.0f; }
}

DLBOARD_CLONES
void dlboard_relu_backward(float *restrict g, const float *restrict y, size_t n) {
    for (size_t i = 0; i < n; i++) g[i] = y[i] > 0 ? g[i] : 0.0f;
}

// BatchNorm, train mode, over an n×d batch (row-major). Same operations and order as the Swift
// version it replaced: column sums in double, row by row; biased variance; std = √(var + eps).
// `mean` and `variance` are d doubles of scratch.
DLBOARD_CLONES
void dlboard_batchnorm_forward(const float *restrict x, size_t n, size_t d,
                               const float *restrict gamma, const float *restrict beta, float eps, float momentum,
                               float *restrict runningMean, float *restrict runningVariance,
                               float *restrict xc, float *restrict xn, float *restrict stdOut, float *restrict out,
                               double *restrict mean, double *restrict variance) {
    for (size_t j = 0; j < d; j++) { mean[j] = 0; variance[j] = 0; }
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d;
        for (size_t j = 0; j < d; j++) mean[j] += (double)row[j];
    }
    for (size_t j = 0; j < d; j++) mean[j] /= (double)n;
    for (size_t r = 0; r < n; r++) {
        const float *row = x + r * d;
        float *crow = xc + r * d;
        for (size_t j = 0; j < d; j++) {
            float v = row[j] - (float)mean[j];
            crow[j] = v;
            variance[j] += (double)v * (double)v;
        }
    }
    for (size_t j = 0; j < d; j++) {
        variance[j] /= (double)n;
        stdOut[j] = (float)__builtin_elementwise_sqrt(variance[j] + (double)eps);
        runningMean[j] = momentum * runningMean[j] + (1 - momentum) * (float)mean[j];
        runningVariance[j] = momentum * runningVariance[j] + (1 - momentum) * (float)variance[j];
    }
    for (size_t r = 0; r < n; r++) {
        const float *crow = xc + r * d;
        float *zrow = xn + r * d, *orow = out + r * d;
        for (size_t j = 0; j < d; j++) {
            float v = crow[j] / stdOut[j];
            zrow[j] = v;
            orow[j] = gamma[j] * v + beta[j];
        }
    }
}

// BatchNorm backward (the book's graph-derived formula), same order as the Swift version.
// `dstd`, `dvarTimes2OverN` and `dmu` are d floats of scratch.
DLBOARD_CLONES
void dlboard_batchnorm_backward(const float *restrict dout, size_t n, size_t d,
                                const float *restrict xc, const float *restrict xn, const float *restrict stdv,
                                const float *restrict gamma, float *restrict dgamma, float *restrict dbeta,
                                float *restrict dx, float *restrict dstd, float *restrict dvarTimes2OverN, float *restrict dmu) {
    for (size_t j = 0; j < d; j++) { dgamma[j] = 0; dbeta[j] = 0; dstd[j] = 0; dmu[j] = 0; }
    for (size_t r = 0; r < n; r++) {
        const float *grow = dout + r * d, *crow = xc + r * d, *zrow = xn + r * d;
        for (size_t j = 0; j < d; j++) {
            dbeta[j] += grow[j];
            dgamma[j] += zrow[j] * grow[j];
            dstd[j] -= gamma[j] * grow[j] * crow[j];
        }
    }
    for (size_t j = 0; j < d; j++) {
        dstd[j] /= stdv[j] * stdv[j];
        float dvar = 0.5f * dstd[j] / stdv[j];
        dvarTimes2OverN[j] = (2 / (float)n) * dvar;
    }
    for (size_t r = 0; r < n; r++) {
        const float *grow = dout + r * d, *crow = xc + r * d;
        float *orow = dx + r * d;
        for (size_t j = 0; j < d; j++) {
            float v = gamma[j] * grow[j] / stdv[j] + crow[j] * dvarTimes2OverN[j];
            orow[j] = v;
            dmu[j] += v;
        }
    }
    for (size_t j = 0; j < d; j++) dmu[j] /= (float)n;
    for (size_t r = 0; r < n; r++) {
        float *orow = dx + r * d;
        for (size_t j = 0; j < d; j++) orow[j] -= dmu[j];
    }
}
