/* grow.h: the one way the engine grows an array: doubling, with the size checked. */
#ifndef RZ_CORE_GROW_H
#define RZ_CORE_GROW_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Reallocates `items` (of *cap elements of `elem` bytes; NULL when *cap is 0) to twice *cap, or
 * to `first` elements when empty, and sets *cap. Returns the new array, or NULL when out of
 * memory or the size would overflow; then `items` and *cap are unchanged.
 */
static inline void *rz__grow(void *items, size_t *cap, size_t elem, size_t first)
{
    size_t n = *cap ? *cap : first / 2;
    if (n > SIZE_MAX / 2 / elem)
        return NULL;
    n *= 2;
    void *p = realloc(items, n * elem);
    if (p != NULL)
        *cap = n;
    return p;
}

#endif
