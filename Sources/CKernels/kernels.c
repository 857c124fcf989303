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
