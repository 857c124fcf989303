#include "CKernels.h"

// The FMA peak of one core, measured like the GEMM bound: a loop that does nothing but independent
// vector FMAs, in registers. Written in inline assembly so that it measures the same loop in every
// build: a debug build compiles C at -O0, which would spill each accumulator to the stack, and an
// optimizing compiler may not fuse or may reorder intrinsics as it likes. Not DLBOARD_CLONES: the
// versions differ in their instructions, not just in flags, so the CPU is asked with
// __builtin_cpu_supports, which also works in the TSan build (no ifunc).

#define ACC DLBOARD_FMA_ACCUMULATORS
#define REPEAT11(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define REPEAT12(X) X(0) REPEAT11(X)
_Static_assert(ACC == 12, "REPEAT12 spells out the accumulators");

// acc = acc · a + b with a = 0.999 and b = 0.001 converges to 1: no denormals, no infinities, so no
// slow paths, however long the loop runs. Register 12 holds a, 13 holds b, 0–11 the accumulators.
static const float multiplier = 0.999f, addend = 0.001f, start = 1.0f;

#define COPY512(i) "vmovaps %%zmm0, %%zmm" #i "\n\t"
#define FMA512(i) "vfmadd132ps %%zmm12, %%zmm13, %%zmm" #i "\n\t"
__attribute__((target("avx512f"))) static double fma_loop_512(size_t iterations) {
    if (iterations == 0) return 0;
    size_t n = iterations;
    __asm__ volatile("vbroadcastss %[a], %%zmm12\n\t"
                     "vbroadcastss %[b], %%zmm13\n\t"
                     "vbroadcastss %[s], %%zmm0\n\t" REPEAT11(COPY512) ".p2align 4\n"
                     "1:\n\t" REPEAT12(FMA512) "dec %[n]\n\t"
                     "jnz 1b\n\t"
                     : [n] "+r"(n)
                     : [a] "m"(multiplier), [b] "m"(addend), [s] "m"(start)
                     : "zmm0", "zmm1", "zmm2", "zmm3", "zmm4", "zmm5", "zmm6", "zmm7", "zmm8", "zmm9", "zmm10",
                       "zmm11", "zmm12", "zmm13", "cc");
    return (double)iterations * ACC * 16 * 2;
}

#define COPY256(i) "vmovaps %%ymm0, %%ymm" #i "\n\t"
#define FMA256(i) "vfmadd132ps %%ymm12, %%ymm13, %%ymm" #i "\n\t"
__attribute__((target("avx2,fma"))) static double fma_loop_256(size_t iterations) {
    if (iterations == 0) return 0;
    size_t n = iterations;
    __asm__ volatile("vbroadcastss %[a], %%ymm12\n\t"
                     "vbroadcastss %[b], %%ymm13\n\t"
                     "vbroadcastss %[s], %%ymm0\n\t" REPEAT11(COPY256) ".p2align 4\n"
                     "1:\n\t" REPEAT12(FMA256) "dec %[n]\n\t"
                     "jnz 1b\n\t"
                     "vzeroupper\n\t"
                     : [n] "+r"(n)
                     : [a] "m"(multiplier), [b] "m"(addend), [s] "m"(start)
                     : "ymm0", "ymm1", "ymm2", "ymm3", "ymm4", "ymm5", "ymm6", "ymm7", "ymm8", "ymm9", "ymm10",
                       "ymm11", "ymm12", "ymm13", "cc");
    return (double)iterations * ACC * 8 * 2;
}

// Baseline x86-64 has no fused instruction: a multiply and a dependent add, 2 flops per lane.
#define COPY128(i) "movaps %%xmm0, %%xmm" #i "\n\t"
#define MULADD128(i) "mulps %%xmm12, %%xmm" #i "\n\t" "addps %%xmm13, %%xmm" #i "\n\t"
static double fma_loop_128(size_t iterations) {
    if (iterations == 0) return 0;
    size_t n = iterations;
    __asm__ volatile("movss %[a], %%xmm12\n\t"
                     "shufps $0, %%xmm12, %%xmm12\n\t"
                     "movss %[b], %%xmm13\n\t"
                     "shufps $0, %%xmm13, %%xmm13\n\t"
                     "movss %[s], %%xmm0\n\t"
                     "shufps $0, %%xmm0, %%xmm0\n\t" REPEAT11(COPY128) ".p2align 4\n"
                     "1:\n\t" REPEAT12(MULADD128) "dec %[n]\n\t"
                     "jnz 1b\n\t"
                     : [n] "+r"(n)
                     : [a] "m"(multiplier), [b] "m"(addend), [s] "m"(start)
                     : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
                       "xmm11", "xmm12", "xmm13", "cc");
    return (double)iterations * ACC * 4 * 2;
}

int dlboard_fma_width(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 256;
    return 128;
}

double dlboard_fma_loop(size_t iterations) {
    switch (dlboard_fma_width()) {
    case 512: return fma_loop_512(iterations);
    case 256: return fma_loop_256(iterations);
    default: return fma_loop_128(iterations);
    }
}
