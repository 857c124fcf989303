#ifndef DLBOARD_NORMALIZATION_KERNELS_H
#define DLBOARD_NORMALIZATION_KERNELS_H
#include <stddef.h>

/// The activation a normalization kernel applies to its result v = γ·xn + β before storing it, so
/// the activation layer after it needs no pass of its own (`activation` below; `slope` is Leaky
/// ReLU's and ignored otherwise). Backward reads the gradient at the activation's output and the
/// output y the forward stored, and applies the activation's rule to it wherever it reads it.
enum {
    /// y = v; backward passes dout as it is and reads no y (NULL is fine): the layer alone.
    DLBOARD_FUSED_IDENTITY = 0,
    /// y = v where v > 0, else 0 (as `dlboard_relu_forward`); backward dout where y > 0, else 0.
    DLBOARD_FUSED_RELU = 1,
    /// y = max(v, 0) + slope·min(v, 0) (Swift's max and min); backward dout·(y > 0 ? 1 : slope).
    DLBOARD_FUSED_LEAKY_RELU = 2,
};

/// BatchNorm's train-mode forward over an n×d row-major batch (the book's formulas, see
/// BatchNorm.swift): mean[j] and variance[j] (d doubles, biased, ÷n) of each column, stdOut[j] =
/// (float)√(variance + eps), xn = (x − (float)mean)/std and out = activation(γ·xn + β) (n×d each),
/// and the running statistics moved by momentum. x − μ is not stored: backward recomputes it from x.
void dlboard_bn_forward(const float *x, size_t n, size_t d, const float *gamma, const float *beta, float eps,
                        float momentum, float *runningMean, float *runningVariance, float *xn, float *stdOut,
                        float *out, double *mean, double *variance, int activation, float slope);

/// BatchNorm's backward from the train-mode forward's input x (unchanged since), mean, xn and std,
/// and its output y (NULL for the identity): writes dgamma, dbeta (d each) and dx (n×d); `dout` (the
/// gradient at y) is left as it is. `scratch` is 4·d floats (used when d < 16).
void dlboard_bn_backward(const float *dout, const float *y, const float *x, size_t n, size_t d, const double *mean,
                         const float *xn, const float *stdv, const float *gamma, float *dgamma, float *dbeta,
                         float *dx, float *scratch, int activation, float slope);

/// BatchNorm's eval mode: out = activation(γ·((x − runningMean)·scale) + β) with scale[j] =
/// 1/√(runningVariance[j] + eps) written into the caller's d floats (no allocation).
void dlboard_bn_eval(const float *x, size_t n, size_t d, const float *gamma, const float *beta,
                     const float *runningMean, const float *runningVariance, float eps, float *scale, float *out,
                     int activation, float slope);

/// LayerNorm over each row of an n×d batch: out = activation(γ·(x − μ_row)/√(σ²_row + eps) + β), the
/// biased variance in double. `xn` (n×d) and `inverseStd` (n) receive what backward needs; both NULL
/// in eval mode, which computes the same `out`.
void dlboard_layernorm_forward(const float *x, size_t n, size_t d, const float *gamma, const float *beta, float eps,
                               float *xn, float *inverseStd, float *out, int activation, float slope);

/// LayerNorm backward; writes dgamma, dbeta (d each) and dx (n×d) from the train-mode forward's
/// xn, inverseStd and output y (NULL for the identity), `dout` left as it is.
void dlboard_layernorm_backward(const float *dout, const float *y, size_t n, size_t d, const float *xn,
                                const float *inverseStd, const float *gamma, float *dgamma, float *dbeta, float *dx,
                                int activation, float slope);

#endif
