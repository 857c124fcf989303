#include "CKernels.h"

// Every operation is one IEEE rounding in a fixed order (no FMA contraction, no libm call), so the
// loop vectorizes and every instruction-set version gives bit-identical results.
#pragma clang fp contract(off)

#include "clones.h"

// e^−a for a ≥ 0 (NaN passes through): Cephes' expf. t = −a·log2 e is rounded to an integer k with
// the 1.5·2^23 trick (SSE2 has no vector floor), r = −a − k·ln 2 in two parts so the reduction is
// exact, a degree-5 polynomial for e^r on |r| ≤ ½ ln 2, and 2^k put straight into the exponent bits.
// a is capped at 87 so 2^k stays a normal number; e^−87 ≈ 1.6e-38 is below what softplus can add
// to anything but 0.
static inline float exp_negative(float a) {
    a = a > 87.0f ? 87.0f : a;
    float x = -a;
    float k = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = x - k * 0.693359375f;
    r = r - k * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * (r * r) + r + 1.0f;
    // A NaN k would make the conversion undefined: scale by 1 instead; y is NaN already.
    float whole = k == k ? k : 0.0f;
    union { int i; float f; } scale = { .i = ((int)whole + 127) << 23 };
    return y * scale.f;
}

// ln(1 + e) for e in [0, 1]: Cephes' logf on u = 1 + e without forming u − 1, which would lose e's
// low bits when e is small. For u ≤ √2 the reduced argument is e itself; above, u/2 − 1 = (e − 1)/2.
static inline float log1p_unit(float e) {
    int high = e > 0.41421356237f;
    float x = high ? (e - 1.0f) * 0.5f : e;
    float k = high ? 1.0f : 0.0f;
    float z = x * x;
    float p = 7.0376836292e-2f;
    p = p * x + -1.1514610310e-1f;
    p = p * x + 1.1676998740e-1f;
    p = p * x + -1.2420140846e-1f;
    p = p * x + 1.4249322787e-1f;
    p = p * x + -1.6668057665e-1f;
    p = p * x + 2.0000714765e-1f;
    p = p * x + -2.4999993993e-1f;
    p = p * x + 3.3333331174e-1f;
    float y = x * z * p;
    y = y + k * -2.12194440e-4f;
    y = y - 0.5f * z;
    return x + y + k * 0.693359375f;
}

DLBOARD_CLONES
void dlboard_softplus_forward(const float *restrict x, float *restrict y, float *restrict slope, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float e = exp_negative(__builtin_fabsf(v));
        y[i] = (v > 0 ? v : 0.0f) + log1p_unit(e);
        float inverse = 1.0f / (1.0f + e);
        slope[i] = v >= 0 ? inverse : e * inverse;
    }
}
