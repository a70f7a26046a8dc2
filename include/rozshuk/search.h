/*
 * search.h: "who could this be?": one name, in any script and order, perhaps with a birth
 * date and sex, against every record in the database.
 *
 * The query name is prepared by the names engine, its surname keys (and those of its other
 * words, for names typed in the other order) are looked up in the indexed key table, at most
 * RZ_SEARCH_CANDIDATES records are fetched (ranked in the database by how many keys they share
 * and whether the birth date agrees), each is compared with the query in C, and the best are
 * returned with a score, a probability and a one-line reason. Every search writes one audit
 * row (action "search") with the query and the ids of the records returned.
 */
#ifndef ROZSHUK_SEARCH_H
#define ROZSHUK_SEARCH_H

#include "rozshuk/names.h"
#include "rozshuk/record.h"
#include "rozshuk/rozshuk.h"
#include "rozshuk/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RZ_SEARCH_LIMIT_DEFAULT 10
/* Records compared in C per query: the best by shared keys, given name and birth. On 1,000,000
 * generated records 150 find as many true persons in the top 10 as 300 did (960 against 957 of
 * 1,000; 100: 957) in half the time (docs/BENCHMARKS.md). */
#define RZ_SEARCH_CANDIDATES 150
/* Results per query: at most every record compared (more would be an export, not a search);
 * bench/search_misses asks for all of them to tell a record never read from one ranked low. */
#define RZ_SEARCH_LIMIT_MAX RZ_SEARCH_CANDIDATES
#define RZ_SEARCH_NAMES_MAX 8 /* names of one record listed in a hit */

typedef struct rz_search_query {
    const char *name;    /* as typed; required (RZ_NAME_TEXT_MAX bytes at most) */
    rz_date_range birth; /* precision RZ_PREC_NONE when not given */
    rz_sex sex;          /* RZ_SEX_UNKNOWN when not given */
    const char *kind;    /* only records of this kind ("missing", ...); NULL: all */
    const char *source;  /* only records of this source (its name); NULL: all */
    size_t limit;        /* results wanted, 1..RZ_SEARCH_LIMIT_MAX */
    const char *actor;   /* the person searching (--by), for the audit; may be NULL */
} rz_search_query;

/* No birth date, no sex, no filters, RZ_SEARCH_LIMIT_DEFAULT results. */
void rz_search_query_defaults(rz_search_query *q);

typedef struct rz_search_hit {
    int64_t person_id;
    const char *source;           /* source name */
    const char *source_record_id; /* the record's id in its source */
    const char *kind;             /* "missing", "remains", "living", "list" */
    char sex;                     /* 'm', 'f' or 0 */
    const char *names;            /* every name of the record as written, joined by " | " */
    const char *written[RZ_SEARCH_NAMES_MAX]; /* the same one by one */
    size_t nwritten;
    char birth[24];     /* "1985-03-12", "1985-03", "1985", "1980..1985" or "" */
    double score;       /* match weight in bits (log2 of the likelihood ratio) */
    double probability; /* of being the person, given the prior below */
    char reason[240];   /* one line: "surname same name in another ..., born ..." */
} rz_search_hit;

typedef struct rz_search_result {
    size_t count;        /* hits, best first */
    rz_search_hit *hits; /* strings point into the result */
    size_t candidates;   /* records compared */
    double prior;        /* prior log2-odds used for the probability */
    double lookup_ms;    /* time in the database (key lookup and fetch) */
    double score_ms;     /* time comparing in C */
    /* The oldest key version of the stored records when older than RZ_KEY_VERSION, else 0:
     * those records' keys come from an older names engine, and a search may miss them until
     * they are loaded again. */
    int stale_key_version;
} rz_search_result;

/*
 * Checks a query without touching the database: the name prepares (RZ_EEMPTY for an empty or
 * name-less text, RZ_EUTF8, RZ_ETOOLONG beyond RZ_NAME_TEXT_MAX bytes), the limit is in range
 * and the kind is one of the four (RZ_EINVAL). Messages never quote the name.
 */
rz_status rz_search_check(const rz_name_ctx *names, const rz_search_query *q, rz_error *err);

/*
 * Runs one search and writes its audit row (both in one transaction: a search whose audit
 * row cannot be written returns nothing). Errors as rz_search_check, RZ_EDB/RZ_EDBCONN.
 * Free the result with rz_search_result_free().
 */
rz_status rz_search_run(rz_db *db, const rz_name_ctx *names, const rz_search_query *q,
                        rz_search_result **out, rz_error *err);

/* Frees a result. Accepts NULL. */
void rz_search_result_free(rz_search_result *res);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_SEARCH_H */
