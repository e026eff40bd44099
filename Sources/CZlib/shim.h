#ifndef ROSTER_CZLIB_SHIM_H
#define ROSTER_CZLIB_SHIM_H
/* zlib for the zip container of workbooks and OneRoster packages. inflateInit2 and deflateInit2 are
   macros, which Swift cannot call: these wrappers fix their arguments (raw deflate, no header). */
#include <zlib.h>

static inline int roster_inflate_init(z_stream *s) { return inflateInit2(s, -MAX_WBITS); }
static inline int roster_deflate_init(z_stream *s, int level) { return deflateInit2(s, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY); }
#endif
