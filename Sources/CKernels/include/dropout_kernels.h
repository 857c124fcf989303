#ifndef DLBOARD_DROPOUT_KERNELS_H
#define DLBOARD_DROPOUT_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// The 32 random bits of unit i under `key`: lowbias32(lowbias32(lo ^ i·0x9e3779b9) ^ hi), lo and hi
/// the key's halves, i taken mod 2³² (a mask is far smaller). What `dlboard_dropout_forward` draws;
/// tests compare against it.
uint32_t dlboard_dropout_unit_bits(uint64_t key, size_t i);

/// Train-mode Dropout over n units: u_i = (bits(key, i) >> 8) · 2⁻²⁴, uniform in [0, 1) with 24
/// bits; mask[i] = u_i > ratio ? kept : 0 and out[i] = x[i] · mask[i], in one pass. ratio in [0, 1).
/// The same key gives the same mask on every machine and instruction set.
void dlboard_dropout_forward(const float *x, float *mask, float *out, size_t n, uint64_t key, float ratio,
                             float kept);

/// out[i] = x[i] · m[i].
void dlboard_multiply(const float *x, const float *m, float *out, size_t n);

/// g[i] = g[i] · m[i].
void dlboard_multiply_in_place(float *g, const float *m, size_t n);

/// out[i] = x[i] · scale.
void dlboard_scale_into(const float *x, float *out, size_t n, float scale);

#endif
