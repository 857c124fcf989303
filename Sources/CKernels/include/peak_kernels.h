#ifndef DLBOARD_PEAK_KERNELS_H
#define DLBOARD_PEAK_KERNELS_H
#include <stddef.h>

/// Independent accumulators of the FMA peak loop: more than latency × FMA units (4 × 2 on the
/// Intel cores with two 512-bit FMA units, 4–5 × 2 on Zen and Haswell), so the loop is bound by
/// the FMA units' throughput, not by one chain's latency.
#define DLBOARD_FMA_ACCUMULATORS 12

/// The vector width, in bits, of the version `dlboard_fma_loop` runs on this CPU: 512 (AVX-512F
/// FMA), 256 (AVX2 + FMA) or 128 (SSE2: a multiply and an add, no fused instruction).
int dlboard_fma_width(void);

/// `iterations` rounds of DLBOARD_FMA_ACCUMULATORS independent vector FMAs (acc = acc · a + b, which
/// stays near 1: no denormals, no infinities), in the widest version the CPU offers, in inline
/// assembly (the same loop in a debug build). Returns the
/// floating-point operations done (2 per lane per FMA), for the caller to divide by its time.
double dlboard_fma_loop(size_t iterations);

#endif
