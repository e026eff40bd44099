#ifndef ROSTER_CPREFETCH_H
#define ROSTER_CPREFETCH_H
/* A hint that memory will soon be read. Swift has no spelling for the processor's prefetch
   instruction; reads at rows that jump around a column (groups, gathers) use it to overlap their
   cache misses instead of waiting on each in turn. */
static inline void roster_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }
#endif
