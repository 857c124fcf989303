#include "CKernels.h"

// A transpose only moves values, so every path gives the same bits; the AVX2 one is chosen at run
// time (not through DLBOARD_CLONES' ifunc, which a TSan build cannot use) because the compiler's
// own vectorization of the tiled loop was 2.5× slower than the unpack/shuffle network below.
#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2"))) static void transpose_8x8(const float *s, size_t ss, float *d, size_t ds) {
    __m256 r0 = _mm256_loadu_ps(s + 0 * ss), r1 = _mm256_loadu_ps(s + 1 * ss);
    __m256 r2 = _mm256_loadu_ps(s + 2 * ss), r3 = _mm256_loadu_ps(s + 3 * ss);
    __m256 r4 = _mm256_loadu_ps(s + 4 * ss), r5 = _mm256_loadu_ps(s + 5 * ss);
    __m256 r6 = _mm256_loadu_ps(s + 6 * ss), r7 = _mm256_loadu_ps(s + 7 * ss);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
    __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(d + 0 * ds, _mm256_permute2f128_ps(u0, u4, 0x20));
    _mm256_storeu_ps(d + 1 * ds, _mm256_permute2f128_ps(u1, u5, 0x20));
    _mm256_storeu_ps(d + 2 * ds, _mm256_permute2f128_ps(u2, u6, 0x20));
    _mm256_storeu_ps(d + 3 * ds, _mm256_permute2f128_ps(u3, u7, 0x20));
    _mm256_storeu_ps(d + 4 * ds, _mm256_permute2f128_ps(u0, u4, 0x31));
    _mm256_storeu_ps(d + 5 * ds, _mm256_permute2f128_ps(u1, u5, 0x31));
    _mm256_storeu_ps(d + 6 * ds, _mm256_permute2f128_ps(u2, u6, 0x31));
    _mm256_storeu_ps(d + 7 * ds, _mm256_permute2f128_ps(u3, u7, 0x31));
}

__attribute__((target("avx2"))) static void transpose_avx2(const float *restrict src, size_t rows, size_t cols,
                                                            float *restrict dst) {
    size_t whole_rows = rows & ~(size_t)7, whole_cols = cols & ~(size_t)7;
    for (size_t r = 0; r < whole_rows; r += 8)
        for (size_t c = 0; c < whole_cols; c += 8) transpose_8x8(src + r * cols + c, cols, dst + c * rows + r, rows);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = r < whole_rows ? whole_cols : 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
}
#endif

static void transpose_scalar(const float *restrict src, size_t rows, size_t cols, float *restrict dst) {
    // Tiles of 16 keep both sides' cache lines in use.
    for (size_t r0 = 0; r0 < rows; r0 += 16) {
        size_t r1 = r0 + 16 < rows ? r0 + 16 : rows;
        for (size_t c0 = 0; c0 < cols; c0 += 16) {
            size_t c1 = c0 + 16 < cols ? c0 + 16 : cols;
            for (size_t c = c0; c < c1; c++)
                for (size_t r = r0; r < r1; r++) dst[c * rows + r] = src[r * cols + c];
        }
    }
}

void dlboard_transpose(const float *restrict src, size_t rows, size_t cols, float *restrict dst) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) {
        transpose_avx2(src, rows, cols, dst);
        return;
    }
#endif
    transpose_scalar(src, rows, cols, dst);
}
