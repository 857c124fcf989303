#ifndef DLBOARD_NORMALIZATION_KERNELS_H
#define DLBOARD_NORMALIZATION_KERNELS_H
#include <stddef.h>

// (declarations added by issue 17's work)

#endif
