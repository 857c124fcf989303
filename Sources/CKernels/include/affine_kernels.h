#ifndef DLBOARD_AFFINE_KERNELS_H
#define DLBOARD_AFFINE_KERNELS_H
#include <stddef.h>

/// Σ w[i]² in double: element i into lane i mod 16, each lane summed in index order, the 16 lanes
/// then added in lane order (the same bits on every instruction set).
double dlboard_sum_of_squares(const float *w, size_t n);

/// Weight decay in one pass over W: g[i] = g[i] + λ·w[i] (the product rounded, then the sum) and
/// returns Σ w[i]² as `dlboard_sum_of_squares` does.
double dlboard_decay_gradient(float *g, const float *w, size_t n, float lambda);

/// The same with g[i] = fma(λ, w[i], g[i]), one rounding: what an FMA saxpy computes.
double dlboard_decay_gradient_fused(float *g, const float *w, size_t n, float lambda);

/// Affine's bias into every row of a rows×cols row-major `out` (the forward's product then
/// accumulates on top): one call for the batch instead of a copy call per row.
void dlboard_broadcast_rows(const float *bias, size_t cols, float *out, size_t rows);

/// Affine's bias gradient: sums[j] = Σ_r x[r][j] over a rows×cols row-major matrix, in float,
/// added row by row from 0.
void dlboard_column_sums_float(const float *x, size_t rows, size_t cols, float *sums);

/// Momentum: v = a·v − lr·g; w += v.
void dlboard_momentum_update(float *w, const float *g, float *v, size_t n, float a, float lr);

/// Nesterov (Bengio et al.): w += a²·v; w −= (1 + a)·lr·g; v = a·v − lr·g (a² and (1 + a)·lr
/// rounded once, as floats).
void dlboard_nesterov_update(float *w, const float *g, float *v, size_t n, float a, float lr);

/// dst (cols×rows, row-major) = srcᵀ for a rows×cols row-major src: Affine's Wᵀ, so that dout·Wᵀ
/// runs as a plain product (see Affine.backward).
void dlboard_transpose(const float *src, size_t rows, size_t cols, float *dst);

#endif
