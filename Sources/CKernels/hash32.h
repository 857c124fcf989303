#ifndef DLBOARD_CKERNELS_HASH32_H
#define DLBOARD_CKERNELS_HASH32_H
#include <stdint.h>

// Wellons' lowbias32: a 32-bit integer hash whose output bits are close to independent, and
// vectorizable on every instruction set (32-bit multiplies, shifts and xors only), so a stream of
// random bits is a hash of (key, counter) computed many lanes at a time. Dropout's masks and the
// augmentation's noise both draw from it.
static inline uint32_t dlboard_hash32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

#endif
