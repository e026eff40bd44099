#ifndef ROSTER_CPROCESSOR_H
#define ROSTER_CPROCESSOR_H
/* Processor instructions Swift has no spelling for. */
#include <stdint.h>

/* A hint that memory will soon be read. Reads at rows that jump around a column (groups, gathers)
   use it to overlap their cache misses instead of waiting on each in turn. */
static inline void roster_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* One bit per byte of the 64 at p (bit i for p[i]): set where the byte is a, b, c or d. The CSV
   reader's structural index is built from these masks. Also sets *unusual to a mask of the bytes
   that are not ASCII or are NUL, which the reader's text checks look at. Swift's SIMD types have no
   way to gather a comparison into bits (the processor's "move mask"), and their comparisons are not
   lowered to vector compares, so this is the one piece of the reader written for the instruction set. */
static inline uint64_t roster_byte_mask64(const uint8_t *p, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint64_t *unusual) {
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
    const __m128i zero = _mm_setzero_si128();
    uint64_t m = 0, u = 0;
    for (int k = 0; k < 4; k++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                         _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(hit) << (16 * k);
        u |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero))) << (16 * k);
    }
    *unusual = u;
    return m;
#else
    uint64_t m = 0, u = 0;
    for (int i = 0; i < 64; i++) {
        const uint8_t x = p[i];
        m |= (uint64_t)(x == a || x == b || x == c || x == d) << i;
        u |= (uint64_t)(x >= 0x80 || x == 0) << i;
    }
    *unusual = u;
    return m;
#endif
}
#endif
