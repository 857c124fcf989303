#ifndef DLBOARD_CKERNELS_FUSED_ACTIVATION_H
#define DLBOARD_CKERNELS_FUSED_ACTIVATION_H
#include "include/normalization_kernels.h"
#include <stddef.h>

// The activation a normalization kernel applies in its last pass, and the gradient rule of its
// backward, written as the activation layers write them (ReLU.swift / kernels.c, LeakyReLU.swift),
// so a fused pass gives the bits of the two layers run one after the other. `kind` is a constant
// wherever these are inlined (each kernel is instantiated per kind), so the switch folds away.
//
// Leaky ReLU spells Swift's generic `max(v, 0)` and `min(v, 0)` out as the standard library does
// (`y >= x ? y : x` and `y < x ? y : x`): the same result for −0 and NaN, not fmaxf/fminf's.
static inline __attribute__((always_inline)) float dlboard_fused_activate(float v, int kind, float slope) {
    switch (kind) {
    case DLBOARD_FUSED_RELU: return v > 0 ? v : 0.0f;
    case DLBOARD_FUSED_LEAKY_RELU: return (0.0f >= v ? 0.0f : v) + slope * (0.0f < v ? 0.0f : v);
    default: return v;
    }
}

// The gradient arriving at the activation's output, g, made the one at its input from the output y[i]
// the forward wrote: ReLU passes it where y > 0 (0 at exactly 0 and for NaN), Leaky ReLU scales it by
// 1 or the slope on the same rule, the identity passes it as it is and reads no y (which may be NULL).
static inline __attribute__((always_inline)) float dlboard_fused_gradient(
    float g, const float *restrict y, size_t i, int kind, float slope) {
    switch (kind) {
    case DLBOARD_FUSED_RELU: return y[i] > 0 ? g : 0.0f;
    case DLBOARD_FUSED_LEAKY_RELU: return g * (y[i] > 0 ? 1.0f : slope);
    default: return g;
    }
}

#endif
