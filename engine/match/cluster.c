/*
 * cluster.c: connected components of candidate pairs (union-find with path halving and union
 * by smaller root id, so that a cluster's id is its smallest record id). O(n log n) for the
 * sort of the record ids, nearly linear after.
 */
#include "rozshuk/match.h"

#include <stdlib.h>
#include <string.h>

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static size_t index_of(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

rz_status rz_cluster_pairs(const int64_t *a, const int64_t *b, size_t n, int64_t **ids_out,
                           int64_t **clusters_out, size_t *count, rz_error *err)
{
    *ids_out = *clusters_out = NULL;
    *count = 0;
    int64_t *ids = malloc((2 * n + 1) * sizeof *ids);
    size_t *parent = malloc((2 * n + 1) * sizeof *parent);
    int64_t *clusters = malloc((2 * n + 1) * sizeof *clusters);
    if (!ids || !parent || !clusters) {
        free(ids);
        free(parent);
        free(clusters);
        return rz_error_set(err, RZ_ENOMEM, "out of memory clustering %zu pairs", n);
    }
    if (n > 0) { /* memcpy from NULL is undefined even for 0 bytes */
        memcpy(ids, a, n * sizeof *ids);
        memcpy(ids + n, b, n * sizeof *ids);
    }
    qsort(ids, 2 * n, sizeof *ids, cmp_i64);
    size_t k = 0;
    for (size_t i = 0; i < 2 * n; i++)
        if (k == 0 || ids[k - 1] != ids[i])
            ids[k++] = ids[i];
    for (size_t i = 0; i < k; i++)
        parent[i] = i;
    for (size_t i = 0; i < n; i++) {
        size_t x = find(parent, index_of(ids, k, a[i])), y = find(parent, index_of(ids, k, b[i]));
        if (x < y)
            parent[y] = x;
        else if (y < x)
            parent[x] = y;
    }
    for (size_t i = 0; i < k; i++)
        clusters[i] = ids[find(parent, i)];
    free(parent);
    *ids_out = ids;
    *clusters_out = clusters;
    *count = k;
    return RZ_OK;
}
