/* halves.h: the one way the engine splits CPU work over the machine's two cores. */
#ifndef RZ_CORE_HALVES_H
#define RZ_CORE_HALVES_H

#include <pthread.h>
#include <stddef.h>

/*
 * Runs fn(first) on this thread and fn(second) on a helper thread at the same time, then waits
 * for both; when no thread can be made, runs fn(second) here after fn(first). `second` may be
 * NULL (nothing to share). fn must only read what the two halves share.
 */
static inline void rz__run_halves(void *(*fn)(void *), void *first, void *second)
{
    pthread_t helper;
    int helped = second != NULL && pthread_create(&helper, NULL, fn, second) == 0;
    fn(first);
    if (helped)
        pthread_join(helper, NULL);
    else if (second != NULL)
        fn(second);
}

#endif
