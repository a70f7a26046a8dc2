/*
 * match.h: blocking, pair generation, scoring and clustering (in memory), and match jobs
 * over the records stored in PostgreSQL.
 *
 * Blocking rules name the stored keys two records must share to be compared:
 * "sur_fold+birth_year" (same gender-folded surname skeleton and a common possible birth
 * year), "given_canon+sur_dm", "sur_dm+birth_day", "id" (a shared identifier). Components are
 * person_key kinds of the names engine (sur_skel, sur_fold, sur_dm, given_canon, given_skel,
 * given_dm, patr_canon, word_skel), "id", "birth_year" and "birth_day"; the first component
 * must be a key kind or "id": the job's partitions split its key space.
 *
 * A pair is generated once however many rules and keys catch it: by the first rule (in
 * order) under which the two records share a key, and there under the smallest shared key.
 * So each pair belongs to exactly one block of one partition, and partitions are independent.
 */
#ifndef ROZSHUK_MATCH_H
#define ROZSHUK_MATCH_H

#include "rozshuk/compare.h"
#include "rozshuk/model.h"
#include "rozshuk/rozshuk.h"
#include "rozshuk/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RZ_RULES_MAX         8
#define RZ_RULE_PARTS_MAX    3
#define RZ_RULE_TEXT_MAX     100  /* bytes of one rule as written */
#define RZ_BIRTH_YEARS_MAX   5    /* a birth range over more years gets no birth_year key */
#define RZ_BLOCK_DEFAULT_MAX 2000 /* records in one block; larger blocks are skipped, counted */
/* Records in one block of a rule with a split key ("rule/kind"): a larger block compares only
 * the records that also share a key of that kind (counted: blocks split, pairs left out). */
#define RZ_BLOCK_DEFAULT_SPLIT 200

/* The default rules, chosen by pairs completeness and reduction ratio (docs/BENCHMARKS.md). */
#define RZ_RULES_DEFAULT                                                                           \
    "sur_fold+birth_year;given_canon+sur_dm/sur_fold;sur_dm+birth_day;id;given_skel+birth_day;"    \
    "word_skel+birth_day;given_canon+birth_day"

typedef struct rz_block_rule {
    char text[RZ_RULE_TEXT_MAX + 1];
    int nparts;
    char part[RZ_RULE_PARTS_MAX][33]; /* key kinds, "id", "birth_year", "birth_day" */
    char split[33];                   /* key kind splitting the rule's oversized blocks, or "" */
} rz_block_rule;

/*
 * Parses rules separated by ';' ("sur_fold+birth_year;id"). A rule may end with "/KIND"
 * ("given_canon+sur_dm/sur_fold"): its blocks of more than the split size compare only the
 * records that share a key of that kind too. RZ_EPARSE naming the bad rule: unknown component,
 * more than RZ_RULE_PARTS_MAX parts, more than RZ_RULES_MAX rules, a first part that is not a
 * key kind, a split that is not a key kind.
 */
rz_status rz_block_rules_parse(const char *text, rz_block_rule *rules, size_t *nrules,
                               rz_error *err);

/* Which side of a job a record is on: bit RZ_SIDE_A, bit RZ_SIDE_B. */
enum { RZ_SIDE_A = 1, RZ_SIDE_B = 2 };

typedef enum rz_match_mode {
    RZ_MODE_DEDUPE, /* pairs inside side A */
    RZ_MODE_LINK,   /* pairs with one record on side A and the other on side B */
    RZ_MODE_NEW     /* pairs with at least one record on side A (the new batch); B is all */
} rz_match_mode;

const char *rz_match_mode_name(rz_match_mode mode);

/* Whether a pair of records on these sides is compared in this mode. */
bool rz_match_mode_pairs(rz_match_mode mode, unsigned side_a, unsigned side_b);

/*
 * The blocker of one partition: the records' keys go in, each pair to compare comes out once.
 * Free with rz_blocker_free().
 */
typedef struct rz_blocker rz_blocker;

rz_status rz_blocker_new(const rz_block_rule *rules, size_t nrules, rz_blocker **out,
                         rz_error *err);
void rz_blocker_free(rz_blocker *b);

/* Maximum records in one block (default RZ_BLOCK_DEFAULT_MAX). */
void rz_blocker_set_max_block(rz_blocker *b, size_t max_records);

/* Blocks of rules with a split key larger than this are split (default RZ_BLOCK_DEFAULT_SPLIT;
 * 0: never). A split block is not skipped for its size. */
void rz_blocker_set_split_block(rz_blocker *b, size_t max_records);

/*
 * Adds a stored key of record `record` (an index into the records later passed to
 * rz_blocker_pairs). `in_partition`: the key falls in this task's partition (blocks are made
 * only of such keys as first component; the others only decide which rule owns a pair).
 * Keys of kinds no rule uses are ignored; a key added twice for a record counts once. The
 * strings are copied (hashed).
 */
rz_status rz_blocker_add_key(rz_blocker *b, size_t record, const char *kind, const char *key,
                             bool in_partition, rz_error *err);

typedef struct rz_block_stats {
    size_t blocks;          /* blocks with two or more records */
    size_t pairs;           /* pairs generated (each once) */
    size_t pairs_duplicate; /* pairs a block held that an earlier rule or key owns */
    size_t blocks_skipped;  /* blocks over the size cap */
    size_t pairs_skipped;   /* the pairs those blocks held (not compared) */
    size_t blocks_split;    /* blocks over the split size, compared by their split key */
    size_t pairs_split;     /* pairs of those blocks sharing no split key: not compared there
                               (another rule or key may still compare them) */
    size_t pairs_by_rule[RZ_RULES_MAX];
} rz_block_stats;

/* Called once per pair, a < b as indices; a non-zero return stops the generation. */
typedef int (*rz_pair_fn)(size_t a, size_t b, int rule, void *user);

/*
 * Generates the pairs of the partition over `n` records (`records` for birth keys, `sides`
 * for the mode; sides may be NULL for "all on side A"). Returns RZ_ECANCELLED when `fn` stopped.
 * The keys added so far are consumed (freed): a second call without new keys generates nothing.
 */
rz_status rz_blocker_pairs(rz_blocker *b, const rz_match_record *records, const uint8_t *sides,
                           size_t n, rz_match_mode mode, rz_pair_fn fn, void *user,
                           rz_block_stats *stats, rz_error *err);

/* ---- clustering -------------------------------------------------------------------------- */

/*
 * Connected components of the pairs (a[i], b[i]) (record ids): writes for each distinct record
 * its cluster id (the smallest record id in its component) into `ids`/`clusters`, sorted by
 * record id; `*count` records. Free both arrays with free(). O(n log n).
 */
rz_status rz_cluster_pairs(const int64_t *a, const int64_t *b, size_t n, int64_t **ids,
                           int64_t **clusters, size_t *count, rz_error *err);

/* ---- jobs over the database ---------------------------------------------------------------- */

#define RZ_SELECTION_TEXT_MAX 1000

/*
 * A selection of records: comma-separated terms "source=npu", "kind=missing", "batch=12",
 * or "all". Terms on the same field are alternatives; different fields must all hold
 * ("source=npu,source=icrc,kind=missing"). RZ_EPARSE naming the bad term.
 */
typedef struct rz_selection {
    char text[RZ_SELECTION_TEXT_MAX + 1];
    char sources[RZ_SELECTION_TEXT_MAX + 1]; /* PostgreSQL array literals, "" when no term */
    char kinds[RZ_SELECTION_TEXT_MAX + 1];
    char batches[RZ_SELECTION_TEXT_MAX + 1];
} rz_selection;

rz_status rz_selection_parse(const char *text, rz_selection *out, rz_error *err);

typedef struct rz_match_options {
    rz_match_mode mode;
    rz_selection a, b;                                 /* b used by RZ_MODE_LINK */
    int64_t new_batch;                                 /* RZ_MODE_NEW */
    char rules[RZ_RULES_MAX * (RZ_RULE_TEXT_MAX + 1)]; /* default RZ_RULES_DEFAULT */
    double min_probability;                            /* stored candidates; default 0.01 */
    double cluster_probability; /* pairs joined into clusters; default 0.99 */
    int partitions;             /* 0: chosen from the record count */
    size_t max_block;           /* default RZ_BLOCK_DEFAULT_MAX */
    size_t split_block;         /* default RZ_BLOCK_DEFAULT_SPLIT; 0: never split */
    const char *actor;          /* who runs it, for the job row; NULL: the database user */
    /* For tests: stop (as if killed) after this many tasks have committed; 0 never. */
    int stop_after_tasks;
    /* For tests: task number + 1 that fails after writing its candidates and before its commit
     * (as if the process died there); 0 never. */
    int fail_task;
} rz_match_options;

void rz_match_options_defaults(rz_match_options *opts);

typedef struct rz_job_summary {
    int64_t job_id;
    int64_t model_id;
    char state[16];
    size_t records_a, records_b;
    size_t tasks, tasks_done;
    size_t pairs_compared;
    size_t candidates;
    size_t above_cluster_threshold;
    size_t clusters;          /* clusters of two or more records */
    size_t cluster_conflicts; /* clusters holding conflicting valid identifiers of one source */
    size_t blocks_skipped, pairs_skipped;
    size_t blocks_split, pairs_split;
    double seconds;
} rz_job_summary;

/*
 * Creates a job (a row with what to compare, the model, the thresholds, who and when, and one
 * task row per partition), runs every pending task in this process, then clusters. Each task
 * commits its candidates and its completion in one transaction. The latest stored model is
 * used, or the built-in one (stored first, so that the job records it).
 */
rz_status rz_match_run(rz_db *db, const rz_name_ctx *names, const rz_match_options *opts,
                       rz_job_summary *out, rz_error *err);

/*
 * Clusters a finished job again (its candidates above its threshold, less pairs excluded
 * since, plus pairs reviewers confirmed between its records: sql/0007) and updates its
 * cluster counts, in the caller's transaction or its own. A job not done is left alone (its
 * finishing step clusters it).
 */
rz_status rz_match_job_recluster(rz_db *db, int64_t job_id, rz_error *err);

/* Runs the pending tasks of an existing job and clusters it (a job stopped half-way). */
rz_status rz_match_resume(rz_db *db, const rz_name_ctx *names, int64_t job_id, rz_job_summary *out,
                          rz_error *err);

/* The job's plan step alone: the job row and its task rows; returns the job id. */
rz_status rz_match_job_create(rz_db *db, const rz_match_options *opts, int64_t *job_id,
                              rz_error *err);

/*
 * Runs one task of a job (reads its partition, blocks, scores, writes candidates) and marks
 * it done, in one transaction. A task already done is left alone (RZ_OK, *pairs = 0).
 */
rz_status rz_match_task_run(rz_db *db, const rz_name_ctx *names, int64_t job_id, int task_no,
                            size_t *pairs, rz_error *err);

/* Clusters a job's candidates above its cluster threshold and marks the job done. */
rz_status rz_match_job_finish(rz_db *db, int64_t job_id, rz_job_summary *out, rz_error *err);

/* ---- models in the database --------------------------------------------------------------- */

/* The latest stored model, or the built-in defaults (id 0) when none is stored. */
rz_status rz_model_load_latest(rz_db *db, rz_model *model, rz_error *err);
/* The same in two steps, for a caller that sends RZ_MODEL_LATEST_SQL with other statements
 * (rz_db_batch): the model from that statement's result. */
extern const char RZ_MODEL_LATEST_SQL[];
rz_status rz_model_from_latest(rz_result *res, rz_model *model, rz_error *err);
rz_status rz_model_load(rz_db *db, int64_t id, rz_model *model, rz_error *err);

/* Stores a model as a new version; sets model->id. */
rz_status rz_model_store(rz_db *db, rz_model *model, const char *trained_on, rz_error *err);

typedef struct rz_train_report {
    size_t records;
    size_t random_pairs;
    size_t blocked_pairs[2];
    rz_em_result em[2];
} rz_train_report;

/*
 * Trains a model on the records of a selection (at most `max_records`, a random sample when
 * more): u from random pairs, m by EM on pairs blocked by birth date (estimating the names,
 * places and identifiers) and by name (estimating birth date, sex, places), then stores it as
 * the new version. `model` holds the result.
 */
rz_status rz_model_train(rz_db *db, const rz_name_ctx *names, const rz_selection *on,
                         size_t max_records, rz_model *model, rz_train_report *report,
                         rz_error *err);

/* Reviewed pairs of a field needed before labels replace EM's estimate of its m. */
#define RZ_LABELS_MIN_DEFAULT 30

typedef struct rz_label_report {
    size_t confirmed, excluded;              /* labelled pairs read (latest decisions in force) */
    size_t confirmed_by_field[RZ__MF_COUNT]; /* confirmed pairs with the field present */
    unsigned m_from_labels;                  /* bit f: m of field f is the labels' estimate */
    bool em;                                 /* the base is EM on the records (else: the
                                                latest model, too few records for EM) */
} rz_label_report;

/*
 * Trains a model from reviewers' decisions: confirmed pairs are matches, excluded pairs
 * non-matches. Starts from rz_model_train's estimate on the selection (or, with too few
 * records for it, the latest model); then m of each field whose value is present in at least
 * `min_labels` confirmed pairs becomes its level shares among them (0.5 pseudo-count per
 * level, as for u), and u adds the excluded pairs' levels to the random pairs'. Other fields
 * keep the base m. Stores the result as a new version. RZ_EINVAL when there are no labelled
 * pairs at all.
 */
rz_status rz_model_train_labels(rz_db *db, const rz_name_ctx *names, const rz_selection *on,
                                size_t max_records, size_t min_labels, rz_model *model,
                                rz_train_report *report, rz_label_report *labels, rz_error *err);

/* ---- reading records, for explain ------------------------------------------------------------ */

/* The records of a matching session in memory, with their prepared names. */
typedef struct rz_record_set rz_record_set;

/*
 * Reads the records named "source:source_record_id" (the loader's ids). RZ_ENOTFOUND names
 * the first one not stored. Free with rz_record_set_free().
 */
rz_status rz_record_set_read(rz_db *db, const rz_name_ctx *names, const char *const *refs,
                             size_t nrefs, rz_record_set **out, rz_error *err);
void rz_record_set_free(rz_record_set *set);
size_t rz_record_set_count(const rz_record_set *set);
const rz_match_record *rz_record_set_get(const rz_record_set *set, size_t i);

/* The as-written full name (first name of the record), the source name and source record id;
 * pointers into the set. */
const char *rz_record_set_written(const rz_record_set *set, size_t i);
const char *rz_record_set_source(const rz_record_set *set, size_t i);
const char *rz_record_set_source_id(const rz_record_set *set, size_t i);

/* ---- explaining a pair ------------------------------------------------------------------------
 */

/* Why two records scored what they scored. Free with rz_explanation_free(). */
typedef struct rz_explanation {
    rz_record_set *records;          /* the two records (0: a, 1: b) with their labels */
    rz_model model;                  /* the model used: the job's, or the latest */
    int64_t job_id;                  /* 0 when no job was named */
    double surname_freq, given_freq; /* frequencies of the shared terms (0: none) */
    rz_comparison cmp;
    rz_score score;
} rz_explanation;

/*
 * Compares and scores two records named "source:source_record_id", with the model and prior
 * of job `job_id`, or (0) the latest model and the prior of a dedupe of the whole database.
 * RZ_ENOTFOUND names a record that is not stored; RZ_EINVAL a malformed reference.
 */
rz_status rz_match_explain(rz_db *db, const rz_name_ctx *names, const char *ref_a,
                           const char *ref_b, int64_t job_id, rz_explanation *out, rz_error *err);
void rz_explanation_free(rz_explanation *ex);

/* ---- reading candidates
 * -------------------------------------------------------------------------- */

/*
 * One page of a job's candidates at or above `min_probability`, best first (match weight, then
 * record ids), after the last row of the previous page (the cursor starts zeroed), at most `limit`
 * rows. Columns, in order: person_a, person_b, source_a, source_record_id_a, name_a, source_b,
 * source_record_id_b, name_b, probability, match_weight, levels (PostgreSQL array text),
 * contributions (array text), cluster_id (NULL when not clustered), rule. RZ_ENOTFOUND for an
 * unknown job.
 */
typedef struct rz_candidate_cursor {
    char probability[40], match_weight[40];
    char person_a[24], person_b[24];
    bool started;
} rz_candidate_cursor;

rz_status rz_candidates_page(rz_db *db, int64_t job_id, double min_probability,
                             rz_candidate_cursor *cursor, size_t limit, rz_result **out,
                             rz_error *err);

/*
 * As rz_candidates_page, keeping only pairs in review state `state` ("undecided", "confirm",
 * "exclude", "unsure", "premature"; NULL: all). Two more columns follow the rule: the
 * candidate's id and its review state (sql/0007 pair_state). RZ_EINVAL for an unknown state.
 */
rz_status rz_candidates_page_state(rz_db *db, int64_t job_id, double min_probability,
                                   const char *state, rz_candidate_cursor *cursor, size_t limit,
                                   rz_result **out, rz_error *err);

/* The job's summary as stored (after rz_match_run, or for `rozshuk job`-like views). */
rz_status rz_job_summary_read(rz_db *db, int64_t job_id, rz_job_summary *out, rz_error *err);

/* Parses an array of numbers as PostgreSQL prints it ("{4,3,0}" or "{8.1,-2.5}"), at most
 * `max` values; returns how many were read. */
size_t rz_parse_number_array(const char *text, double *out, size_t max);

#ifdef __cplusplus
}
#endif

#endif /* ROZSHUK_MATCH_H */
