#ifndef DLBOARD_CZLIB_SHIM_H
#define DLBOARD_CZLIB_SHIM_H
#include <zlib.h>
#endif
