/*
 * gen_pop.c: families, sources and the rendering of records with the corruption model
 * (see gen_pop.h).
 */
#include "gen_pop.h"

#include <stdio.h>
#include <string.h>

/* ---- corruption rates -------------------------------------------------------------- */

static const char *const rate_names[] = {
#define GEN__RATE_NAME(name, def, text) #name,
    GEN_RATE_TABLE(GEN__RATE_NAME)
#undef GEN__RATE_NAME
};
static const char *const rate_texts[] = {
#define GEN__RATE_TEXT(name, def, text) text,
    GEN_RATE_TABLE(GEN__RATE_TEXT)
#undef GEN__RATE_TEXT
};
static const double rate_defaults[] = {
#define GEN__RATE_DEF(name, def, text) def,
    GEN_RATE_TABLE(GEN__RATE_DEF)
#undef GEN__RATE_DEF
};

const char *gen_rate_name(gen_rate_id id)
{
    return id < GEN__RATE_COUNT ? rate_names[id] : "unknown";
}

const char *gen_rate_text(gen_rate_id id)
{
    return id < GEN__RATE_COUNT ? rate_texts[id] : "";
}

double gen_rate_default(gen_rate_id id)
{
    return id < GEN__RATE_COUNT ? rate_defaults[id] : 0;
}

bool gen_rate_lookup(const char *name, gen_rate_id *out)
{
    for (size_t i = 0; i < GEN__RATE_COUNT; i++)
        if (strcmp(rate_names[i], name) == 0) {
            *out = (gen_rate_id)i;
            return true;
        }
    return false;
}

void gen_model_defaults(gen_model *m)
{
    for (size_t i = 0; i < GEN__RATE_COUNT; i++)
        m->rate[i] = rate_defaults[i];
    m->romanizer = NULL;
}

/* ---- tables ------------------------------------------------------------------------ */

rz_status gen_tables_load(const char *dir, gen_tables *t, rz_error *err)
{
    static const struct {
        const char *file;
        size_t cols;
        size_t offset;
    } files[] = {
        {"surnames.csv", 2, offsetof(gen_tables, surnames)},
        {"given_male.csv", 6, offsetof(gen_tables, male)},
        {"given_female.csv", 2, offsetof(gen_tables, female)},
        {"places.csv", 2, offsetof(gen_tables, places)},
    };
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, files[i].file) >= sizeof path) {
            gen_tables_free(t);
            return rz_error_set(err, RZ_ETOOLONG, "data directory path too long");
        }
        rz_status st =
            gen_table_load(path, files[i].cols, (gen_table *)((char *)t + files[i].offset), err);
        if (st != RZ_OK) {
            gen_tables_free(t);
            return st;
        }
    }
    return RZ_OK;
}

void gen_tables_free(gen_tables *t)
{
    if (!t)
        return;
    gen_table_free(&t->surnames);
    gen_table_free(&t->male);
    gen_table_free(&t->female);
    gen_table_free(&t->places);
}

/* ---- families ---------------------------------------------------------------------- */

static int month_len(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static gen_date random_date(gen_rng *r, int year_from, int year_to)
{
    gen_date d;
    d.y = year_from + (int)gen_rng_below(r, (uint32_t)(year_to - year_from + 1));
    d.m = 1 + (int)gen_rng_below(r, 12);
    d.d = 1 + (int)gen_rng_below(r, (uint32_t)month_len(d.y, d.m));
    return d;
}

static void new_person(gen_rng *r, const gen_tables *t, uint64_t *next_id, gen_person *p, bool male,
                       size_t surname, size_t father)
{
    p->id = (*next_id)++;
    p->male = male;
    p->surname = surname;
    p->father = father;
    p->given = gen_table_pick(male ? &t->male : &t->female, r);
    p->birth_place = gen_table_pick(&t->places, r);
    p->last_seen_place = gen_rng_chance(r, 0.6) ? p->birth_place : gen_table_pick(&t->places, r);
}

void gen_family(gen_rng *r, const gen_tables *t, uint64_t *next_id, gen_person out[4], size_t *n)
{
    /* Family size 1..4 with 60/25/10/5 per cent. */
    double u = gen_rng_unit(r);
    size_t size = u < 0.60 ? 1 : u < 0.85 ? 2 : u < 0.95 ? 3 : 4;
    size_t surname = gen_table_pick(&t->surnames, r);
    size_t father_name = gen_table_pick(&t->male, r);
    int father_year = 1945 + (int)gen_rng_below(r, 41); /* 1945..1985 */
    bool have_father = false, have_mother = false;
    gen_date first_child = {0, 0, 0};
    *n = 0;
    for (size_t i = 0; i < size; i++) {
        gen_person *p = &out[(*n)++];
        double role = gen_rng_unit(r);
        if (i > 0 && role < 0.25 && !have_father) {
            /* The father: his given name is his children's patronymic. */
            new_person(r, t, next_id, p, true, surname, gen_table_pick(&t->male, r));
            p->given = father_name;
            p->birth = random_date(r, father_year, father_year);
            have_father = true;
        } else if (i > 0 && role < 0.50 && !have_mother) {
            /* The mother: the feminine form of the surname, her own father's patronymic. */
            new_person(r, t, next_id, p, false, surname, gen_table_pick(&t->male, r));
            int y = father_year - 5 + (int)gen_rng_below(r, 9);
            p->birth = random_date(r, y, y);
            have_mother = true;
        } else {
            /* A child (most records are of sons of military age); a twin now and then. */
            new_person(r, t, next_id, p, gen_rng_chance(r, 0.75), surname, father_name);
            int lo = father_year + 20, hi = father_year + 40;
            if (hi > 2006)
                hi = 2006;
            if (lo > hi)
                lo = hi;
            if (first_child.y && gen_rng_chance(r, 0.03))
                p->birth = first_child;
            else
                p->birth = random_date(r, lo, hi);
            if (!first_child.y)
                first_child = p->birth;
        }
    }
}

/* ---- sources ----------------------------------------------------------------------- */

const gen_source gen_sources[] = {
    /* The national police's missing-persons register: ПІБ in one column, surname first in
     * capitals, dates ДД.ММ.РРРР, the place last seen. */
    {"npu", "missing", "NPU", GEN_LANG_UK, GEN_LAYOUT_FULL, true, true, GEN_DATE_DMY_DOT, "ч", "ж",
     "last_seen_place", 0.60},
    /* A volunteers' register: separate columns, dates with slashes, birth place. */
    {"volunteers", "missing", "VOL", GEN_LANG_UK, GEN_LAYOUT_PARTS, false, true, GEN_DATE_DMY_SLASH,
     "ч", "ж", "place", 0.30},
    /* A prisoner list in Latin letters, under many standards, without patronymics. */
    {"prisoners", "list", "PW", GEN_LANG_LATIN, GEN_LAYOUT_PARTS, true, false, GEN_DATE_ISO, "M",
     "F", "place", 0.25},
    /* A hospital list in Russian: ФИО in one column. */
    {"hospital", "list", "H", GEN_LANG_RU, GEN_LAYOUT_FULL, false, true, GEN_DATE_DMY_DOT, "м", "ж",
     "place", 0.20},
};
const size_t gen_source_count = sizeof gen_sources / sizeof gen_sources[0];

void gen_source_header(const gen_source *s, char *out, size_t cap)
{
    if (s->layout == GEN_LAYOUT_FULL)
        snprintf(out, cap, "id,full_name,%sbirth_date,%s", s->male ? "sex," : "", s->place_column);
    else
        snprintf(out, cap, "id,surname,given_name,%s%sbirth_date,%s",
                 s->has_patronymic ? "patronymic," : "", s->male ? "sex," : "", s->place_column);
}

/* ---- names ------------------------------------------------------------------------- */

static bool copy_text(char *out, const char *in)
{
    size_t n = strlen(in);
    if (n + 1 > GEN_TEXT_MAX)
        return false;
    memcpy(out, in, n + 1);
    return true;
}

bool gen_person_names(const gen_tables *t, const gen_person *p, bool russian, gen_names *out)
{
    size_t lang = russian ? 1 : 0;
    const char *masc = gen_table_cell(&t->surnames, p->surname, lang);
    if (p->male) {
        if (!copy_text(out->surname, masc))
            return false;
    } else if (!gen_surname_feminine(masc, russian, out->surname, GEN_TEXT_MAX)) {
        return false;
    }
    const gen_table *given = p->male ? &t->male : &t->female;
    /* male columns: uk, ru, uk_patr_m, uk_patr_f, ru_patr_m, ru_patr_f */
    size_t patr_col = (russian ? 4 : 2) + (p->male ? 0 : 1);
    return copy_text(out->given, gen_table_cell(given, p->given, lang)) &&
           copy_text(out->patronymic, gen_table_cell(&t->male, p->father, patr_col));
}

/* ---- rendering --------------------------------------------------------------------- */

static void corrupt_part(gen_rng *r, const gen_model *m, char *s)
{
    if (!*s)
        return;
    if (gen_rng_chance(r, m->rate[GEN_RATE_typo]))
        gen_typo(r, s, GEN_TEXT_MAX);
    if (gen_rng_chance(r, m->rate[GEN_RATE_ocr]))
        gen_ocr(r, s, GEN_TEXT_MAX);
}

static rz_status romanize_part(const gen_model *m, bool russian, size_t scheme, char *s,
                               rz_error *err)
{
    if (!*s)
        return RZ_OK;
    char tmp[GEN_TEXT_MAX];
    rz_status st = gen_romanizer_apply(m->romanizer, russian, scheme, s, tmp, sizeof tmp, err);
    if (st == RZ_OK)
        memcpy(s, tmp, strlen(tmp) + 1);
    return st;
}

static void upper_part(char *s)
{
    char tmp[GEN_TEXT_MAX];
    if (gen_upper(s, tmp, sizeof tmp))
        memcpy(s, tmp, strlen(tmp) + 1);
}

/* The names of p as one source writes them: language, script and corruptions. */
static rz_status written_names(gen_rng *r, const gen_model *m, const gen_tables *t, gen_lang lang,
                               const gen_person *p, gen_names *nm, bool *russian, size_t *scheme,
                               rz_error *err)
{
    if (lang == GEN_LANG_UK)
        *russian = gen_rng_chance(r, m->rate[GEN_RATE_russian_form]);
    else if (lang == GEN_LANG_RU)
        *russian = !gen_rng_chance(r, m->rate[GEN_RATE_ukrainian_form]);
    else
        *russian = gen_rng_chance(r, 0.5);
    if (!gen_person_names(t, p, *russian, nm))
        return rz_error_set(err, RZ_ETOOLONG, "name too long");
    if (!p->male && gen_rng_chance(r, m->rate[GEN_RATE_wrong_gender]))
        copy_text(nm->surname, gen_table_cell(&t->surnames, p->surname, *russian ? 1 : 0));
    *scheme = 0;
    if (lang == GEN_LANG_LATIN) {
        size_t count = gen_romanizer_count(m->romanizer, *russian);
        *scheme = count ? gen_rng_below(r, (uint32_t)count) : 0;
        rz_status st;
        if ((st = romanize_part(m, *russian, *scheme, nm->surname, err)) != RZ_OK ||
            (st = romanize_part(m, *russian, *scheme, nm->given, err)) != RZ_OK ||
            (st = romanize_part(m, *russian, *scheme, nm->patronymic, err)) != RZ_OK)
            return st;
    }
    corrupt_part(r, m, nm->surname);
    corrupt_part(r, m, nm->given);
    corrupt_part(r, m, nm->patronymic);
    if (lang != GEN_LANG_LATIN && gen_rng_chance(r, m->rate[GEN_RATE_homoglyph]))
        gen_homoglyph(r, gen_rng_below(r, 2) ? nm->surname : nm->given, GEN_TEXT_MAX);
    return RZ_OK;
}

static void corrupt_date(gen_rng *r, const gen_model *m, gen_date *d)
{
    const double *rate = m->rate;
    double u = gen_rng_unit(r), c = rate[GEN_RATE_date_swap];
    if (u < c) {
        gen_date_swap(d);
        return;
    }
    if (u < (c += rate[GEN_RATE_date_digit])) {
        gen_date_digit(r, d);
        return;
    }
    if (u < (c += rate[GEN_RATE_date_year])) {
        gen_date_year_only(d);
        return;
    }
    if (u < c + rate[GEN_RATE_date_missing])
        gen_date_missing(d);
}

static bool join_words(char *out, size_t cap, const char *a, const char *b, const char *c)
{
    const char *w[3] = {a, b, c};
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(w[i]);
        if (n == 0)
            continue;
        if (len + (len ? 1 : 0) + n + 1 > cap)
            return false;
        if (len)
            out[len++] = ' ';
        memcpy(out + len, w[i], n + 1);
        len += n;
    }
    return true;
}

static rz_status place_name(const gen_model *m, const gen_tables *t, const gen_source *s,
                            size_t place, bool russian, size_t scheme, char *out, rz_error *err)
{
    const char *cyr = gen_table_cell(&t->places, place, russian ? 1 : 0);
    if (!copy_text(out, cyr))
        return rz_error_set(err, RZ_ETOOLONG, "place too long");
    if (s->lang == GEN_LANG_LATIN)
        return romanize_part(m, russian, scheme, out, err);
    return RZ_OK;
}

rz_status gen_render(gen_rng *r, const gen_model *m, const gen_tables *t, const gen_source *s,
                     const gen_person *p, const char *record_id, char *out, size_t cap,
                     rz_error *err)
{
    gen_names nm;
    bool russian;
    size_t scheme;
    rz_status st = written_names(r, m, t, s->lang, p, &nm, &russian, &scheme, err);
    if (st != RZ_OK)
        return st;
    if (!s->has_patronymic || gen_rng_chance(r, m->rate[GEN_RATE_no_patronymic]))
        nm.patronymic[0] = '\0';
    if (s->upper_surname)
        upper_part(nm.surname);
    bool swap = gen_rng_chance(r, m->rate[GEN_RATE_swap]);

    gen_date birth = p->birth;
    corrupt_date(r, m, &birth);
    char date[16];
    gen_date_format(&birth, s->date_style, date, sizeof date);
    const char *sex = gen_rng_chance(r, m->rate[GEN_RATE_sex_missing]) ? ""
                      : p->male                                        ? s->male
                                                                       : s->female;
    char place[GEN_TEXT_MAX] = "";
    size_t which =
        strcmp(s->place_column, "last_seen_place") == 0 ? p->last_seen_place : p->birth_place;
    if (!gen_rng_chance(r, m->rate[GEN_RATE_place_missing]) &&
        (st = place_name(m, t, s, which, russian, scheme, place, err)) != RZ_OK)
        return st;

    size_t len = 0;
    bool ok = gen_csv_field(out, cap, &len, record_id, true);
    if (s->layout == GEN_LAYOUT_FULL) {
        char full[3 * GEN_TEXT_MAX];
        ok = ok && (swap ? join_words(full, sizeof full, nm.given, nm.patronymic, nm.surname)
                         : join_words(full, sizeof full, nm.surname, nm.given, nm.patronymic));
        ok = ok && gen_csv_field(out, cap, &len, full, false);
    } else {
        ok = ok && gen_csv_field(out, cap, &len, swap ? nm.given : nm.surname, false);
        ok = ok && gen_csv_field(out, cap, &len, swap ? nm.surname : nm.given, false);
        if (s->has_patronymic)
            ok = ok && gen_csv_field(out, cap, &len, nm.patronymic, false);
    }
    if (s->male)
        ok = ok && gen_csv_field(out, cap, &len, sex, false);
    ok = ok && gen_csv_field(out, cap, &len, date, false);
    ok = ok && gen_csv_field(out, cap, &len, place, false);
    if (!ok)
        return rz_error_set(err, RZ_ETOOLONG, "record line too long");
    return RZ_OK;
}

rz_status gen_query(gen_rng *r, const gen_model *m, const gen_tables *t, const gen_person *p,
                    char *name, size_t name_cap, char *born, size_t born_cap, rz_error *err)
{
    /* Someone types the name in Ukrainian, Russian or Latin letters, in either order, with
     * the same errors as the records; half of the time without the patronymic. */
    gen_lang lang = (gen_lang)gen_rng_below(r, 3);
    gen_names nm;
    bool russian;
    size_t scheme;
    rz_status st = written_names(r, m, t, lang, p, &nm, &russian, &scheme, err);
    if (st != RZ_OK)
        return st;
    if (lang == GEN_LANG_LATIN || gen_rng_chance(r, 0.5))
        nm.patronymic[0] = '\0';
    bool ok = gen_rng_chance(r, 0.5)
                  ? join_words(name, name_cap, nm.given, nm.patronymic, nm.surname)
                  : join_words(name, name_cap, nm.surname, nm.given, nm.patronymic);
    if (!ok)
        return rz_error_set(err, RZ_ETOOLONG, "query too long");
    if (gen_rng_chance(r, 0.7))
        snprintf(born, born_cap, "%04d", p->birth.y);
    else
        snprintf(born, born_cap, "%s", "");
    return RZ_OK;
}
