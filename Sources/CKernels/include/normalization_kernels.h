#ifndef DLBOARD_NORMALIZATION_KERNELS_H
#define DLBOARD_NORMALIZATION_KERNELS_H
#include <stddef.h>

/// BatchNorm's train-mode forward over an n×d row-major batch (the book's formulas, see
/// BatchNorm.swift): mean[j] and variance[j] (d doubles, biased, ÷n) of each column, stdOut[j] =
/// (float)√(variance + eps), xn = (x − (float)mean)/std and out = γ·xn + β (n×d each), and the
/// running statistics moved by momentum. x − μ is not stored: backward recomputes it from x.
void dlboard_bn_forward(const float *x, size_t n, size_t d, const float *gamma, const float *beta, float eps,
                        float momentum, float *runningMean, float *runningVariance, float *xn, float *stdOut,
                        float *out, double *mean, double *variance);

/// BatchNorm's backward from the train-mode forward's input x (unchanged since), mean, xn and std:
/// writes dgamma, dbeta (d each) and dx (n×d). `scratch` is 4·d floats (used when d < 16).
void dlboard_bn_backward(const float *dout, const float *x, size_t n, size_t d, const double *mean, const float *xn,
                         const float *stdv, const float *gamma, float *dgamma, float *dbeta, float *dx, float *scratch);

/// BatchNorm's eval mode: out = γ·((x − runningMean)·scale) + β with scale[j] = 1/√(runningVariance[j] + eps)
/// written into the caller's d floats (no allocation).
void dlboard_bn_eval(const float *x, size_t n, size_t d, const float *gamma, const float *beta,
                     const float *runningMean, const float *runningVariance, float eps, float *scale, float *out);

#endif
