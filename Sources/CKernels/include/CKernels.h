#ifndef DLBOARD_CKERNELS_H
#define DLBOARD_CKERNELS_H
#include <stddef.h>

/// Adam's element-wise update in the book's form (see Adam.swift), over n parameters:
/// m += c1 (g − m); v += c2 (g² − v); w −= lrT · m / (√v + eps).
/// Compiled for several instruction sets (AVX-512, AVX2, baseline) and chosen at load time.
void dlboard_adam_update(float *w, const float *g, float *m, float *v, size_t n,
                         float c1, float c2, float lrT, float eps);

/// AdaGrad: h += g²; w −= lr · g / (√h + eps).
void dlboard_adagrad_update(float *w, const float *g, float *h, size_t n, float lr, float eps);

/// RMSprop: h = decay·h + (1 − decay)·g²; w −= lr · g / (√h + eps).
void dlboard_rmsprop_update(float *w, const float *g, float *h, size_t n, float lr, float decay, float eps);

/// Pixels to network input: dst[i] = src[i] / 255 (IEEE division, as `Float(byte) / 255`).
void dlboard_bytes_to_unit(const unsigned char *src, float *dst, size_t n);

/// The rows `rows[0..<count]` of a row-major byte matrix with `features` columns, converted to
/// byte / 255 into `out` (count × features), prefetching rows ahead.
void dlboard_gather_unit(const unsigned char *pixels, size_t features, const long *rows, size_t count, float *out);

/// ReLU: y = x where x > 0, else 0 (NaN gives 0, as `x > 0 ? x : 0`).
void dlboard_relu_forward(const float *x, float *y, size_t n);

/// ReLU backward in place: g = 0 where the output y is not > 0.
void dlboard_relu_backward(float *g, const float *y, size_t n);

/// SoftPlus: y = ln(1 + e^x) as max(x, 0) + ln(1 + e^−|x|), and slope = sigmoid(x), the derivative
/// backward multiplies by, from the same e^−|x|. Polynomial exp and log (Cephes): y within 2 ulp and
/// slope within 3 ulp of the correctly rounded values over every float (below 1e-37 the result is
/// e^−87 rather than the true tiny value); NaN gives NaN.
void dlboard_softplus_forward(const float *x, float *y, float *slope, size_t n);

/// Moments of the finite values of x (when y is NULL) or of x[i] − y[i] (the float difference):
/// how many are finite, their sum, sum of |·| and sum of squares in double, and the largest finite
/// |·| (0 when none is). NaN and ±infinity are left out (a second pass, run only when the first,
/// unmasked one meets one). Summed in 16 fixed interleaved lanes added up in a fixed order, so
/// every instruction-set version gives the same bits.
typedef struct {
    double count;
    double sum;
    double sumAbs;
    double sumSquares;
    float maxAbs;
} dlboard_moments;
void dlboard_moments_of(const float *x, const float *y, size_t n, dlboard_moments *out);

/// Adds to counts[0..<bins] the equal-width histogram of the finite values of x over −m…m, with
/// scale = bins / 2m (finite: the caller handles an m so small that it is not):
/// bin = (size_t)max(0, min(bins − 1, v · scale + bins/2)), the float operations in that order.
void dlboard_histogram_add(const float *x, size_t n, float scale, size_t bins, long *counts);

/// For a rows×cols row-major matrix w and a bias of cols: sums[j] = bias[j] + Σ_i w[i][j] in
/// double, added row by row; maxAbs[j] = the largest |·| of column j and its bias (NaN ignored).
void dlboard_column_sums(const float *w, size_t rows, size_t cols, const float *bias, double *sums, float *maxAbs);

/// For a rows×cols row-major matrix x: zeros[j] = how many rows have x[i][j] == 0.
void dlboard_column_zero_counts(const float *x, size_t rows, size_t cols, long *zeros);

/// Per feature j over `count` rows of `features` bytes: sums[j] = Σ byte, squares[j] = Σ byte²
/// (exact in 64-bit integers for any image count a machine can hold).
void dlboard_pixel_sums(const unsigned char *pixels, size_t count, size_t features,
                        unsigned long long *sums, unsigned long long *squares);

/// x[r][j] = x[r][j] · scale[j] + offset[j] over a rows×cols row-major matrix.
void dlboard_scale_columns(float *x, size_t rows, size_t cols, const float *scale, const float *offset);

/// x[i] = x[i] · scale.
void dlboard_scale_all(float *x, size_t n, float scale);

/// dst = src (width×height, row-major) moved dx pixels right and dy down; what comes in is 0.
void dlboard_shift_image(const float *src, float *dst, size_t width, size_t height, long dx, long dy);

/// dst = src rotated by the angle (cos, sin) about the image centre, then moved (dx, dy); bilinear,
/// with 0 outside the image.
void dlboard_warp_image(const float *src, float *dst, size_t width, size_t height, float dx, float dy,
                        float cosA, float sinA);

/// x[i] += std · z_i, clipped to [lo, hi]: z_i an approximately standard normal deviate (the sum of four
/// 16-bit uniforms, centred and scaled to variance 1) from a counter-based hash of (key, i), so the
/// same key gives the same noise on every machine and every instruction set.
void dlboard_add_noise(float *x, size_t n, unsigned int key, float std, float lo, float hi);

// Kernels grouped by the layer or tool that calls them, each in its own header.
#include "dropout_kernels.h"
#include "affine_kernels.h"
#include "normalization_kernels.h"
#include "peak_kernels.h"
#include "affinity.h"

#endif
