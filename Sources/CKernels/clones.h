#ifndef DLBOARD_CKERNELS_CLONES_H
#define DLBOARD_CKERNELS_CLONES_H

// One version per instruction set, chosen by an ifunc resolver at load time. Not under
// ThreadSanitizer: the resolver runs before the TSan runtime is initialised and crashes in its
// instrumentation (seen here), so a TSan build gets the baseline version only.
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DLBOARD_NO_CLONES 1
#endif
#endif
#ifdef DLBOARD_NO_CLONES
#define DLBOARD_CLONES
#else
#define DLBOARD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

#endif
