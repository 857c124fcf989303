#ifndef DLBOARD_AFFINE_KERNELS_H
#define DLBOARD_AFFINE_KERNELS_H
#include <stddef.h>

/// Affine's bias gradient: sums[j] = Σ_r x[r][j] over a rows×cols row-major matrix, in float,
/// added row by row from 0.
void dlboard_column_sums_float(const float *x, size_t rows, size_t cols, float *sums);

/// Momentum: v = a·v − lr·g; w += v.
void dlboard_momentum_update(float *w, const float *g, float *v, size_t n, float a, float lr);

/// Nesterov (Bengio et al.): w += a²·v; w −= (1 + a)·lr·g; v = a·v − lr·g (a² and (1 + a)·lr
/// rounded once, as floats).
void dlboard_nesterov_update(float *w, const float *g, float *v, size_t n, float a, float lr);

#endif
