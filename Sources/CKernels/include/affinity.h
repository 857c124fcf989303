#ifndef DLBOARD_AFFINITY_H
#define DLBOARD_AFFINITY_H
#include <stddef.h>

// (declarations added by issue 17's work)

#endif
