#include "CKernels.h"
#include <stdint.h>

// Dropout's masks as a counter-based stream: the bits of unit i are a hash of (key, i), so a whole
// mask is generated many units at a time, in the same pass that writes the output, instead of one
// sequential generator call per unit. Integer operations and one multiply per unit (no FMA to
// contract): every instruction-set version gives the same bits.
#pragma clang fp contract(off)

#include "clones.h"
#include "hash32.h"

// Two rounds, one per half of the 64-bit key: the first is augment.c's noise form (the counter
// spread by the golden ratio, xor the key), the second folds in the other half, so keys that
// differ in either half give unrelated masks.
static inline uint32_t unitBits(uint32_t lo, uint32_t hi, uint32_t i) {
    return dlboard_hash32(dlboard_hash32(lo ^ i * 0x9e3779b9U) ^ hi);
}

// u = (bits >> 8) · 2⁻²⁴ is exact, and so is ratio · 2²⁴, so u > ratio ⇔ bits >> 8 > ratio · 2²⁴
// ⇔ bits >> 8 > ⌊ratio · 2²⁴⌋ (an integer exceeds a real exactly when it exceeds its floor).
static inline uint32_t threshold(float ratio) { return (uint32_t)(ratio * 16777216.0f); }

uint32_t dlboard_dropout_unit_bits(uint64_t key, size_t i) {
    return unitBits((uint32_t)key, (uint32_t)(key >> 32), (uint32_t)i);
}

DLBOARD_CLONES
void dlboard_dropout_forward(const float *restrict x, float *restrict mask, float *restrict out, size_t n,
                             uint64_t key, float ratio, float kept) {
    const uint32_t lo = (uint32_t)key, hi = (uint32_t)(key >> 32), t = threshold(ratio);
    for (size_t i = 0; i < n; i++) {
        float k = (unitBits(lo, hi, (uint32_t)i) >> 8) > t ? kept : 0.0f;
        mask[i] = k;
        out[i] = x[i] * k;
    }
}

DLBOARD_CLONES
void dlboard_multiply(const float *restrict x, const float *restrict m, float *restrict out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = x[i] * m[i];
}

DLBOARD_CLONES
void dlboard_multiply_in_place(float *restrict g, const float *restrict m, size_t n) {
    for (size_t i = 0; i < n; i++) g[i] = g[i] * m[i];
}

DLBOARD_CLONES
void dlboard_scale_into(const float *restrict x, float *restrict out, size_t n, float scale) {
    for (size_t i = 0; i < n; i++) out[i] = x[i] * scale;
}
