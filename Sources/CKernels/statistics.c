#include "CKernels.h"
#include <math.h>

// The per-layer statistics of a training step (mean |·|, std, norm, histograms, dead units,
// distinct units), over hundreds of thousands of values per step that collects them. No FMA
// contraction and a fixed order of additions, so every instruction-set version gives the same bits.
#pragma clang fp contract(off)

#include "clones.h"

enum { LANES = 16 };

// The body of both moment kernels; `difference` is a constant at each call, so each gets its own
// vectorized loop. `careful` leaves out NaN and ±infinity; without it every value is taken.
static inline __attribute__((always_inline)) void moments(const float *restrict x, const float *restrict y, size_t n,
                                                          int difference, int careful, dlboard_moments *out) {
    double count[LANES] = {0}, sum[LANES] = {0}, sumAbs[LANES] = {0}, sumSquares[LANES] = {0};
    float maxAbs[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        for (int k = 0; k < LANES; k++) {
            float v = difference ? x[i + k] - y[i + k] : x[i + k];
            int finite = careful ? __builtin_isfinite(v) : 1;
            float f = finite ? v : 0.0f;
            double d = (double)f;
            if (careful) count[k] += finite ? 1.0 : 0.0;
            sum[k] += d;
            sumAbs[k] += __builtin_fabs(d);
            sumSquares[k] += d * d;
            float a = __builtin_fabsf(f);
            maxAbs[k] = a > maxAbs[k] ? a : maxAbs[k];
        }
    }
    double tailCount = 0;
    for (int k = 0; i < n; i++, k++) {
        float v = difference ? x[i] - y[i] : x[i];
        if (careful && !__builtin_isfinite(v)) continue;
        double d = (double)v;
        tailCount += 1.0;
        sum[k] += d;
        sumAbs[k] += __builtin_fabs(d);
        sumSquares[k] += d * d;
        float a = __builtin_fabsf(v);
        maxAbs[k] = a > maxAbs[k] ? a : maxAbs[k];
    }
    dlboard_moments m = {0, 0, 0, 0, 0};
    for (int k = 0; k < LANES; k++) {
        m.count += count[k];
        m.sum += sum[k];
        m.sumAbs += sumAbs[k];
        m.sumSquares += sumSquares[k];
        m.maxAbs = maxAbs[k] > m.maxAbs ? maxAbs[k] : m.maxAbs;
    }
    // Without the check every value counted (n − tail values in the lanes, exact in a double).
    m.count = careful ? m.count + tailCount : (double)n;
    *out = m;
}

// Almost always every value is finite: a first pass takes them all, with no masks. A square of a
// float cannot overflow a double, nor can the sum of fewer than 2^50 of them, so a sum of squares
// that is not finite means a NaN or an infinity was among them; only then the careful pass. Both
// passes add the finite values in the same order, so the result does not depend on which ran.
DLBOARD_CLONES
void dlboard_moments_of(const float *x, const float *y, size_t n, dlboard_moments *out) {
    if (y) moments(x, y, n, 1, 0, out);
    else moments(x, x, n, 0, 0, out);
    if (__builtin_isfinite(out->sumSquares)) return;
    if (y) moments(x, y, n, 1, 1, out);
    else moments(x, x, n, 0, 1, out);
}

// Binning is a scatter. The bin numbers are computed first, a block at a time, in a loop that
// vectorizes (a non-finite value gets the spare bin `bins`, not counted). Then the increments:
// with one array of counts, runs of values in the same bin (most of a bell-shaped weight matrix)
// wait on the previous increment's store; four arrays, one per value in turn, break that chain.
enum { SPLIT = 4, STACK_BINS = 256, BLOCK = 512 };

DLBOARD_CLONES
void dlboard_histogram_add(const float *restrict x, size_t n, float scale, size_t bins, long *restrict counts) {
    if (bins == 0) return;
    float last = (float)(bins - 1);
    // v·scale + bins/2 rather than (v + m)·scale: v + m overflows for m near FLT_MAX (a diverging
    // run), while |v·scale| ≤ bins/2 for every |v| ≤ m.
    float half = (float)bins * 0.5f;
    if (bins > STACK_BINS) {
        for (size_t i = 0; i < n; i++) {
            float v = x[i];
            if (!__builtin_isfinite(v)) continue;
            float t = v * scale + half;
            t = t < last ? t : last;
            t = t >= 0 ? t : 0;
            counts[(size_t)t] += 1;
        }
        return;
    }
    int spare = (int)bins;
    long split[SPLIT][STACK_BINS + 1];
    for (int s = 0; s < SPLIT; s++)
        for (size_t b = 0; b <= bins; b++) split[s][b] = 0;
    int index[BLOCK];
    for (size_t start = 0; start < n; start += BLOCK) {
        size_t len = n - start < BLOCK ? n - start : BLOCK;
        const float *block = x + start;
        for (size_t k = 0; k < len; k++) {
            float v = block[k];
            // NaN and ±infinity end up in 0…last here too (no undefined conversion), then spare.
            float t = v * scale + half;
            t = t < last ? t : last;
            t = t >= 0 ? t : 0;
            index[k] = __builtin_isfinite(v) ? (int)t : spare;
        }
        size_t k = 0;
        for (; k + SPLIT <= len; k += SPLIT) {
            split[0][index[k]] += 1;
            split[1][index[k + 1]] += 1;
            split[2][index[k + 2]] += 1;
            split[3][index[k + 3]] += 1;
        }
        for (; k < len; k++) split[0][index[k]] += 1;
    }
    for (size_t b = 0; b < bins; b++) counts[b] += split[0][b] + split[1][b] + split[2][b] + split[3][b];
}

DLBOARD_CLONES
void dlboard_column_sums(const float *restrict w, size_t rows, size_t cols, const float *restrict bias,
                         double *restrict sums, float *restrict maxAbs) {
    for (size_t j = 0; j < cols; j++) {
        sums[j] = (double)bias[j];
        float a = __builtin_fabsf(bias[j]);
        maxAbs[j] = a >= 0 ? a : 0;
    }
    for (size_t i = 0; i < rows; i++) {
        const float *row = w + i * cols;
        for (size_t j = 0; j < cols; j++) {
            float v = row[j];
            sums[j] += (double)v;
            float a = __builtin_fabsf(v);
            maxAbs[j] = a > maxAbs[j] ? a : maxAbs[j];
        }
    }
}

DLBOARD_CLONES
void dlboard_column_zero_counts(const float *restrict x, size_t rows, size_t cols, long *restrict zeros) {
    for (size_t j = 0; j < cols; j++) zeros[j] = 0;
    for (size_t i = 0; i < rows; i++) {
        const float *row = x + i * cols;
        for (size_t j = 0; j < cols; j++) zeros[j] += row[j] == 0.0f ? 1 : 0;
    }
}
