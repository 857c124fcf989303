#ifndef DLBOARD_CBLAS_SHIM_H
#define DLBOARD_CBLAS_SHIM_H
#include <cblas.h>
#endif
