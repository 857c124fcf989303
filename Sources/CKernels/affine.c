#include "CKernels.h"

// Affine's bias broadcast and gradient, and the momentum optimizers' updates: the operations of the Swift loops
// they replaced in the same order, no FMA contraction, so the bits are those loops' on every
// instruction set (Swift is built for baseline x86-64 and did them 4 lanes at a time at best).
#pragma clang fp contract(off)

#include "clones.h"

DLBOARD_CLONES
void dlboard_broadcast_rows(const float *restrict bias, size_t cols, float *restrict out, size_t rows) {
    for (size_t r = 0; r < rows; r++) {
        float *row = out + r * cols;
        for (size_t j = 0; j < cols; j++) row[j] = bias[j];
    }
}

DLBOARD_CLONES
void dlboard_column_sums_float(const float *restrict x, size_t rows, size_t cols, float *restrict sums) {
    for (size_t j = 0; j < cols; j++) sums[j] = 0;
    // Row by row: each column's additions in row order (the loop over j vectorizes across columns).
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        for (size_t j = 0; j < cols; j++) sums[j] += row[j];
    }
}

DLBOARD_CLONES
void dlboard_momentum_update(float *restrict w, const float *restrict g, float *restrict v, size_t n, float a,
                             float lr) {
    for (size_t i = 0; i < n; i++) {
        float nv = a * v[i] - lr * g[i];
        v[i] = nv;
        w[i] = w[i] + nv;
    }
}

DLBOARD_CLONES
void dlboard_nesterov_update(float *restrict w, const float *restrict g, float *restrict v, size_t n, float a,
                             float lr) {
    float aa = a * a;
    float step = (1 + a) * lr;
    for (size_t i = 0; i < n; i++) {
        float old = v[i], gi = g[i];
        float wi = w[i] + aa * old;
        w[i] = wi - step * gi;
        v[i] = a * old - lr * gi;
    }
}
