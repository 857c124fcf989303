#include "CKernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

// The augmentation's per-pixel work and the input statistics. No FMA contraction, so every
// instruction-set version gives the same bits (the augmented batch must be the same on every
// machine for lock-step runs and records to agree).
#pragma clang fp contract(off)

#include "clones.h"
#include "hash32.h"

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

DLBOARD_CLONES
void dlboard_warp_image(const float *restrict src, float *restrict dst, size_t width, size_t height, float dx,
                        float dy, float cosA, float sinA) {
    long w = (long)width, h = (long)height;
    // The source with a border of one zero pixel all round, so that the four taps of any position
    // in −1…w−1 × −1…h−1 are loads without a test. Images are small (MNIST's padded is 30×30);
    // larger ones take the tested path below.
    enum { maxPadded = 64 * 64 };
    long pw = w + 2;
    float padded[maxPadded];
    int fits = (size_t)(pw * (h + 2)) <= maxPadded && w <= 64;
    if (fits) {
        memset(padded, 0, (size_t)(pw * (h + 2)) * sizeof(float));
        for (long y = 0; y < h; y++) memcpy(padded + (y + 1) * pw + 1, src + y * w, (size_t)w * sizeof(float));
    }
    float cx = (float)(w - 1) * 0.5f, cy = (float)(h - 1) * 0.5f;
    if (fits) {
        // Three passes a row: the positions and weights (vectorized), the four taps (plain loads:
        // vectorized they would be gathers, slower than they save), the interpolation (vectorized).
        int index[64];
        int iw = (int)w, ih = (int)h, ipw = (int)pw;
        float fxs[64], fys[64], inside[64], ta[64], tb[64], tc[64], td[64];
        for (long y = 0; y < h; y++) {
            float py = (float)y - dy - cy;
            for (long x = 0; x < w; x++) {
                float px = (float)x - dx - cx;
                float sx = cosA * px + sinA * py + cx;
                float sy = cosA * py - sinA * px + cy;
                // Outside −1 < s < size every tap is background: weight 0, taps read at the corner.
                int in = sx > -1.0f && sx < (float)w && sy > -1.0f && sy < (float)h;
                sx = in ? sx : -1.0f;
                sy = in ? sy : -1.0f;
                // s + 1 > 0 here, so truncation is the floor.
                // 32-bit: converts as a vector on every instruction set (images are at most 64 wide).
                int ix = (int)(sx + 1.0f) - 1, iy = (int)(sy + 1.0f) - 1;
                // s + 1 may round up to size + 1 just below the edge: keep the taps in the border.
                ix = ix > iw - 1 ? iw - 1 : ix;
                iy = iy > ih - 1 ? ih - 1 : iy;
                fxs[x] = sx - (float)ix;
                fys[x] = sy - (float)iy;
                inside[x] = in ? 1.0f : 0.0f;
                index[x] = (iy + 1) * ipw + (ix + 1);
            }
#pragma clang loop vectorize(disable)
            for (long x = 0; x < w; x++) {
                const float *p = padded + index[x];
                ta[x] = p[0];
                tb[x] = p[1];
                tc[x] = p[pw];
                td[x] = p[pw + 1];
            }
            for (long x = 0; x < w; x++) {
                float top = ta[x] + fxs[x] * (tb[x] - ta[x]);
                float bottom = tc[x] + fxs[x] * (td[x] - tc[x]);
                dst[y * w + x] = inside[x] * (top + fys[x] * (bottom - top));
            }
        }
        return;
    }
    for (long y = 0; y < h; y++) {
        float py = (float)y - dy - cy;
        // Scalar on purpose: vectorized, the four taps become gathers, which cost more than they save.
#pragma clang loop vectorize(disable)
        for (long x = 0; x < w; x++) {
            float px = (float)x - dx - cx;
            // The inverse map: rotate the output position back by the angle about the centre.
            float sx = cosA * px + sinA * py + cx;
            float sy = cosA * py - sinA * px + cy;
            // Outside −1 < s < size every tap is background (also for NaN, which fails each test).
            if (!(sx > -1.0f && sx < (float)w && sy > -1.0f && sy < (float)h)) {
                dst[y * w + x] = 0;
                continue;
            }
            // floor by truncation and a correction: exact, and no libm call in the inner loop.
            long ix = (long)sx, iy = (long)sy;
            if ((float)ix > sx) ix--;
            if ((float)iy > sy) iy--;
            float fx = sx - (float)ix, fy = sy - (float)iy;
            float a = 0, b = 0, c = 0, d = 0;
            {
                if (iy >= 0) {
                    if (ix >= 0) a = src[iy * w + ix];
                    if (ix + 1 < w) b = src[iy * w + ix + 1];
                }
                if (iy + 1 < h) {
                    if (ix >= 0) c = src[(iy + 1) * w + ix];
                    if (ix + 1 < w) d = src[(iy + 1) * w + ix + 1];
                }
            }
            float top = a + fx * (b - a);
            float bottom = c + fx * (d - c);
            dst[y * w + x] = top + fy * (bottom - top);
        }
    }
}

DLBOARD_CLONES
void dlboard_add_noise(float *restrict x, size_t n, unsigned int key, float std, float lo, float hi) {
    // √3 / 65536: four 16-bit uniforms summed have mean 2·65535/65536 ≈ 2 and variance 4/12.
    const float scale = std * 1.7320508f / 65536.0f;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = dlboard_hash32(key ^ (uint32_t)(2 * i) * 0x9e3779b9U);
        uint32_t b = dlboard_hash32(key ^ (uint32_t)(2 * i + 1) * 0x9e3779b9U);
        int32_t s = (int32_t)(a & 0xffff) + (int32_t)(a >> 16) + (int32_t)(b & 0xffff) + (int32_t)(b >> 16) - 131070;
        float v = x[i] + (float)s * scale;
        x[i] = v < lo ? lo : (v > hi ? hi : v);
    }
}
