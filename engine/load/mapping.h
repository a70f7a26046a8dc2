/* mapping.h: the inside of rz_mapping, shared by mapping.c and loader.c (not public API). */
#ifndef RZ_LOAD_MAPPING_H
#define RZ_LOAD_MAPPING_H

#include "rozshuk/load.h"

struct rz__mapped {
    char *header;
    rz_field field;
};

struct rz_mapping {
    rz_load_format format; /* RZ_FORMAT_AUTO when not given */
    char delimiter;        /* 0 when not given: sniffed */
    bool header;           /* the first row names the columns (default true) */
    bool auto_detect;      /* detect columns the mapping does not name (default true) */
    bool has_order;
    rz_date_order order;
    bool has_age_reference;
    int32_t age_reference;
    struct rz__mapped *columns;
    size_t ncolumns;
    char *json; /* the mapping as compact JSON, stored with the batch */
};

/* The field of a column, by header (or by position when the file has no header). */
rz_field rz__mapping_field(const rz_mapping *m, const char *header, size_t position);

/* Whether the mapping names this header itself (so "raw" there is a choice, not a miss). */
bool rz__mapping_names(const rz_mapping *m, const char *header);

#endif
