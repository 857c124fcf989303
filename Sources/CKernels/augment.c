#include "CKernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

// The augmentation's per-pixel work and the input statistics. No FMA contraction, so every
// instruction-set version gives the same bits (the augmented batch must be the same on every
// machine for lock-step runs and records to agree).
#pragma clang fp contract(off)

#include "clones.h"

void dlboard_pixel_sums(const unsigned char *restrict pixels, size_t count, size_t features,
                        unsigned long long *restrict sums, unsigned long long *restrict squares) {
    for (size_t j = 0; j < features; j++) { sums[j] = 0; squares[j] = 0; }
    for (size_t r = 0; r < count; r++) {
        const unsigned char *row = pixels + r * features;
        for (size_t j = 0; j < features; j++) {
            unsigned long long v = row[j];
            sums[j] += v;
            squares[j] += v * v;
        }
    }
}

DLBOARD_CLONES
void dlboard_scale_columns(float *restrict x, size_t rows, size_t cols, const float *restrict scale,
                           const float *restrict offset) {
    for (size_t r = 0; r < rows; r++) {
        float *row = x + r * cols;
        for (size_t j = 0; j < cols; j++) row[j] = row[j] * scale[j] + offset[j];
    }
}

DLBOARD_CLONES
void dlboard_scale_all(float *restrict x, size_t n, float scale) {
    for (size_t i = 0; i < n; i++) x[i] = x[i] * scale;
}

void dlboard_shift_image(const float *restrict src, float *restrict dst, size_t width, size_t height, long dx,
                         long dy) {
    long w = (long)width, h = (long)height;
    memset(dst, 0, width * height * sizeof(float));
    // The source columns that land inside the image: x − dx in 0..<w for x in 0..<w.
    long x0 = dx > 0 ? dx : 0, x1 = dx < 0 ? w + dx : w;
    if (x0 >= x1) return;
    for (long y = 0; y < h; y++) {
        long sy = y - dy;
        if (sy < 0 || sy >= h) continue;
        memcpy(dst + y * w + x0, src + sy * w + (x0 - dx), (size_t)(x1 - x0) * sizeof(float));
    }
}

void dlboard_warp_image(const float *restrict src, float *restrict dst, size_t width, size_t height, float dx,
                        float dy, float cosA, float sinA) {
    long w = (long)width, h = (long)height;
    float cx = (float)(w - 1) * 0.5f, cy = (float)(h - 1) * 0.5f;
    for (long y = 0; y < h; y++) {
        float py = (float)y - dy - cy;
        for (long x = 0; x < w; x++) {
            float px = (float)x - dx - cx;
            // The inverse map: rotate the output position back by the angle about the centre.
            float sx = cosA * px + sinA * py + cx;
            float sy = cosA * py - sinA * px + cy;
            float fx0 = floorf(sx), fy0 = floorf(sy);
            float fx = sx - fx0, fy = sy - fy0;
            long ix = (long)fx0, iy = (long)fy0;
            float a = 0, b = 0, c = 0, d = 0;
            // Taps outside the image read as 0 (the background).
            if (iy >= 0 && iy < h) {
                if (ix >= 0 && ix < w) a = src[iy * w + ix];
                if (ix + 1 >= 0 && ix + 1 < w) b = src[iy * w + ix + 1];
            }
            if (iy + 1 >= 0 && iy + 1 < h) {
                if (ix >= 0 && ix < w) c = src[(iy + 1) * w + ix];
                if (ix + 1 >= 0 && ix + 1 < w) d = src[(iy + 1) * w + ix + 1];
            }
            float top = a + fx * (b - a);
            float bottom = c + fx * (d - c);
            dst[y * w + x] = top + fy * (bottom - top);
        }
    }
}

// Wellons' lowbias32: a 32-bit integer hash whose bits are close to independent, vectorizable
// (32-bit multiplies only).
static inline uint32_t hash32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

DLBOARD_CLONES
void dlboard_add_noise(float *restrict x, size_t n, unsigned int key, float std, float lo, float hi) {
    // √3 / 65536: four 16-bit uniforms summed have mean 2·65535/65536 ≈ 2 and variance 4/12.
    const float scale = std * 1.7320508f / 65536.0f;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = hash32(key ^ (uint32_t)(2 * i) * 0x9e3779b9U);
        uint32_t b = hash32(key ^ (uint32_t)(2 * i + 1) * 0x9e3779b9U);
        int32_t s = (int32_t)(a & 0xffff) + (int32_t)(a >> 16) + (int32_t)(b & 0xffff) + (int32_t)(b >> 16) - 131070;
        float v = x[i] + (float)s * scale;
        x[i] = v < lo ? lo : (v > hi ? hi : v);
    }
}
