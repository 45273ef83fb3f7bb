#ifndef KUBE9_CZLIB_SHIM_H
#define KUBE9_CZLIB_SHIM_H
#include <zlib.h>

/* zlib's init functions are macros that pass the version and struct size; Swift cannot call macros. */
static inline int kube9_inflateInit(z_streamp strm) { return inflateInit(strm); }
static inline int kube9_deflateInit(z_streamp strm, int level) { return deflateInit(strm, level); }
#endif
