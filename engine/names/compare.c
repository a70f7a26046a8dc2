/*
 * compare.c: comparing two prepared names part by part, and the overall verdict.
 *
 * Per part, the strongest agreement that holds:
 *   exact       the same clean form;
 *   equivalent  a skeleton in common (another script or transliteration), the same canonical
 *               given name (another language or a diminutive), the same patronymic base, or
 *               for surnames the same folded form (Петров/Петрова, Левицький/Levytska);
 *   close       a typing error in the written form of two names in one script: one letter
 *               dropped, added or swapped with its neighbour, or the key next to the right one
 *               on the ЙЦУКЕН or QWERTY layout (Damerau 1964: most misspellings are one such
 *               edit), or a letter of a similar shape (OCR: ЗАХАРЧЕИКО); between two scripts
 *               or languages, two sounds swapped in the skeleton, such a slip of the keyboard
 *               or the eye in one writing when it puts a vowel for a consonant or the reverse
 *               (ВОВЕ/Vovk), a consonant or a glide on one side only (extra_sound_allowed), or a
 *               Ukrainian-Russian vowel correspondence where the grammar puts it (і/о/е, о/а,
 *               в/у: Павлів/Павлов); forms of at least 3 and 4 letters (4 for skeletons);
 *               a given name that is no dictionary form one typing error from a form of
 *               the other's name (Aleksndr/Олександр: dict.c's deletion table);
 *               an initial that agrees with the full name; the masculine and feminine forms
 *               of one given name (Олександр/Олександра) or of one patronymic;
 *   far         anything else, and two different names of the dictionary even when they are
 *               one letter apart (Юрій/Юлій are different names, not a typo).
 * The overall level is the weakest level among the parts both names have (a patronymic on
 * one side only weighs nothing); the score is the mean of the part scores weighted surname
 * 0.5, given name 0.35, patronymic 0.15 over those parts; a part's score is the Jaro-Winkler
 * similarity of the first skeletons (fixed values for exact 1.0, equivalent 0.93-0.97). The
 * swapped alignment (surname against given name) is tried when the straight one is below
 * equivalent and the swapped surname agrees at least closely; it is kept when it is better,
 * so a name parsed in the wrong order still matches. Allocates nothing, calls no ICU: about
 * 0.3-0.5 microseconds per pair (docs/BENCHMARKS.md).
 */
#include "compare/similarity_impl.h"
#include "names/names_internal.h"
#include "rozshuk/similarity.h"

#include <string.h>

static bool same_syms(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
    return na > 0 && na == nb && memcmp(a, b, na) == 0;
}

static bool any_skeleton_equal(const rz__part *a, const rz__part *b)
{
    for (size_t i = 0; i < a->nskel; i++)
        for (size_t j = 0; j < b->nskel; j++)
            if (same_syms(a->skel[i], a->skel_len[i], b->skel[j], b->skel_len[j]))
                return true;
    return false;
}

/* ISO 9 (or a Czech-style spelling) with its diacritics stripped against any other writing:
 * Sevcenko/Шевченко, Zukov/Žukov, Scerbak/Щербак. Only when one side is such plain Latin:
 * between two writings that tell ш from с (Шабо/Сабо, Shabo/Sabo) the difference stays. */
static uint8_t plain_sym(uint8_t c)
{
    return c == 'S' ? 's' : c == 'C' ? 'c' : c == 'Z' ? 'z' : c;
}

static bool plain_skeleton_equal(const rz__part *a, const rz__part *b)
{
    if (!a->plain_latin && !b->plain_latin)
        return false;
    for (size_t i = 0; i < a->nskel; i++)
        for (size_t j = 0; j < b->nskel; j++) {
            const uint8_t *x = a->skel[i], *y = b->skel[j];
            size_t nx = a->skel_len[i], ny = b->skel_len[j];
            /* the fold removes a symbol only for sc and doubled letters, and most pairs
             * differ in their first or last sound: no need to read or fold them */
            if (nx == 0 || ny == 0 || nx > ny + 2 || ny > nx + 2 ||
                plain_sym(x[0]) != plain_sym(y[0]) || plain_sym(x[nx - 1]) != plain_sym(y[ny - 1]))
                continue;
            rz__skel pa, pb;
            rz__skeleton_plain(x, nx, &pa);
            rz__skeleton_plain(y, ny, &pb);
            if (same_syms(pa.s, pa.len, pb.s, pb.len))
                return true;
        }
    return false;
}

/* Jaro-Winkler similarity of the first skeletons (the most likely readings): the part's score.
 * The other readings decide levels (equal skeletons, one edit), not the score: computing
 * every pair of readings would double the cost of a comparison. */
static double best_jaro_winkler(const rz__part *a, const rz__part *b)
{
    return rz__jaro_winkler_sym(a->skel[0], a->skel_len[0], b->skel[0], b->skel_len[0]);
}

/* What single edit turns a into b (restricted to one edit: OSA distance 1). */
typedef enum edit_kind { EDIT_NONE, EDIT_INDEL, EDIT_TRANSPOSE, EDIT_SUBST, EDIT_MORE } edit_kind;

/* Classifies the difference of a and b as one edit or more, without a distance matrix:
 * O(length). Written once for code points and once for skeleton symbols. */
#define RZ__SINGLE_EDIT(T, name)                                                                   \
    static edit_kind name(const T *a, size_t na, const T *b, size_t nb, uint32_t *x, uint32_t *y)  \
    {                                                                                              \
        if (na + 1 == nb || nb + 1 == na) {                                                        \
            const T *l = na > nb ? a : b, *s = na > nb ? b : a;                                    \
            size_t ns = na > nb ? nb : na, i = 0;                                                  \
            while (i < ns && l[i] == s[i])                                                         \
                i++;                                                                               \
            return memcmp(l + i + 1, s + i, (ns - i) * sizeof *s) == 0 ? EDIT_INDEL : EDIT_MORE;   \
        }                                                                                          \
        if (na != nb)                                                                              \
            return EDIT_MORE;                                                                      \
        size_t i = 0;                                                                              \
        while (i < na && a[i] == b[i])                                                             \
            i++;                                                                                   \
        if (i == na)                                                                               \
            return EDIT_NONE;                                                                      \
        if (memcmp(a + i + 1, b + i + 1, (na - i - 1) * sizeof *a) == 0) {                         \
            *x = a[i];                                                                             \
            *y = b[i];                                                                             \
            return EDIT_SUBST;                                                                     \
        }                                                                                          \
        if (i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&                                  \
            memcmp(a + i + 2, b + i + 2, (na - i - 2) * sizeof *a) == 0)                           \
            return EDIT_TRANSPOSE;                                                                 \
        return EDIT_MORE;                                                                          \
    }
RZ__SINGLE_EDIT(uint32_t, single_edit)
RZ__SINGLE_EDIT(uint8_t, single_edit_sym)

/* Keyboard rows of the Ukrainian/Russian ЙЦУКЕН layout (Ukrainian і ї є and Russian ы ъ э
 * share keys) and of QWERTY, as (code point, row, column). */
static int key_position(uint32_t c, int *row, int *col)
{
    static const uint32_t ROWS[6][13] = {
        {0x439, 0x446, 0x443, 0x43A, 0x435, 0x43D, 0x433, 0x448, 0x449, 0x437, 0x445, 0x457},
        {0x444, 0x456, 0x432, 0x430, 0x43F, 0x440, 0x43E, 0x43B, 0x434, 0x436, 0x454},
        {0x44F, 0x447, 0x441, 0x43C, 0x438, 0x442, 0x44C, 0x431, 0x44E},
        {'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p'},
        {'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l'},
        {'z', 'x', 'c', 'v', 'b', 'n', 'm'},
    };
    if (c == 0x44B) /* ы on the key of і */
        c = 0x456;
    else if (c == 0x44A) /* ъ on the key of ї */
        c = 0x457;
    else if (c == 0x44D) /* э on the key of є */
        c = 0x454;
    else if (c == 0x491) /* ґ with г */
        c = 0x433;
    for (int r = 0; r < 6; r++)
        for (int k = 0; k < 13 && ROWS[r][k]; k++)
            if (ROWS[r][k] == c) {
                *row = r;
                *col = k;
                return 1;
            }
    return 0;
}

static bool keys_adjacent(uint32_t x, uint32_t y)
{
    int rx, cx, ry, cy;
    if (!key_position(x, &rx, &cx) || !key_position(y, &ry, &cy) || (rx < 3) != (ry < 3))
        return false;
    if (rx == ry)
        return cx - cy == 1 || cy - cx == 1;
    if (rx + 1 == ry) /* y on the row below: rows are staggered half a key to the right */
        return cx == cy || cx == cy + 1;
    if (ry + 1 == rx)
        return cy == cx || cy == cx + 1;
    return false;
}

static bool is_vowel_sym(uint8_t s)
{
    return s == 'a' || s == 'e' || s == 'i' || s == 'o' || s == 'u';
}

/*
 * Letters of a similar shape in print, which OCR and a hurried reader confuse (folded forms):
 * a letter and the same letter with a mark or tail lost or added (и/й, ш/щ, ц/щ, е/є, е/ё,
 * і/ї, ь/ъ, i/j), and a vowel and a consonant of one shape (и/н, е/с, з/э; Latin c/e, i/l,
 * u/v, v/y). Consonants of one shape are left out (Б/В, Н/П, h/b, m/n): real surnames differ
 * by them (Абель/Авель, Білінська/Вілінська). A pair is one substitution, as a typing error is.
 */
static bool shapes_alike(uint32_t x, uint32_t y)
{
    static const uint32_t PAIRS[][2] = {
        {0x438, 0x439}, {0x448, 0x449}, {0x446, 0x449}, {0x435, 0x454}, {0x435, 0x451},
        {0x456, 0x457}, {0x44C, 0x44A}, {'i', 'j'},     {0x438, 0x43D}, {0x435, 0x441},
        {0x437, 0x44D}, {'c', 'e'},     {'i', 'l'},     {'u', 'v'},     {'v', 'y'},
    };
    for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++)
        if ((PAIRS[i][0] == x && PAIRS[i][1] == y) || (PAIRS[i][0] == y && PAIRS[i][1] == x))
            return true;
    return false;
}

static bool is_cyrillic_vowel(uint32_t c)
{
    /* а е и о у ы э ю я, і ї є, ё */
    return c == 0x430 || c == 0x435 || c == 0x438 || c == 0x43E || c == 0x443 || c == 0x44B ||
           c == 0x44D || c == 0x44E || c == 0x44F || c == 0x456 || c == 0x457 || c == 0x454 ||
           c == 0x451;
}

/* Р read as Ь (a stem with the bowl at the top or at the bottom): only where the ь reading is
 * no spelling at all, at the start of a word or after a vowel (БОНДАЬ for Бондар); after a
 * consonant ь and р make two real surnames (Коваль/Ковар). `w` is the side with ь, `at` its
 * index in the clean form. */
static bool soft_sign_for_r(const uint32_t *w, size_t at)
{
    return at == 0 || is_cyrillic_vowel(w[at - 1]);
}

/* The reason when one letter written for another is a slip of the keyboard or of the eye. */
static const char *letter_slip(uint32_t x, uint32_t y)
{
    if (keys_adjacent(x, y))
        return "typing error: the key next to the right one";
    if (shapes_alike(x, y))
        return "OCR or reading error: a letter of a similar shape";
    return NULL;
}

/* The letters of a script that give a skeleton symbol (skeleton.c; a letter whose skeleton
 * is two symbols, such as я or a digraph, is left out). Up to 4, 0-terminated. i beside a
 * vowel is the glide: in Cyrillic й or ї (Буйко/Buiko), not і or и. */
static void symbol_letters(uint8_t sym, bool cyrillic, bool glide, uint32_t out[5])
{
    if (sym == 'i' && glide && cyrillic) {
        memset(out, 0, 5 * sizeof out[0]);
        out[0] = 0x439; /* й */
        out[1] = 0x457; /* ї */
        return;
    }
    static const struct {
        uint8_t sym;
        uint32_t cyr[4], lat[4];
    } T[] = {
        {'e', {0x435, 0x454, 0x44D, 0x451}, {'e'}},
        {'i', {0x438, 0x456, 0x439, 0x44B}, {'i', 'y', 'j'}},
        {'g', {0x433, 0x491}, {'g', 'h'}},
        {'v', {0x432, 0x45E}, {'v', 'w'}},
        {'S', {0x448, 0x449}, {0}},
        {'Z', {0x436}, {0}},
        {'X', {0x445}, {'h', 'x'}},
        {'c', {0x446}, {'c'}},
        {'C', {0x447}, {0}},
    };
    memset(out, 0, 5 * sizeof out[0]);
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
        if (T[i].sym == sym) {
            memcpy(out, cyrillic ? T[i].cyr : T[i].lat, 4 * sizeof out[0]);
            return;
        }
    static const char BASIC[] = "abdklmnoprstuf"; /* one letter each: а б д к л м н о п р ... */
    static const uint32_t CYR[] = {0x430, 0x431, 0x434, 0x43A, 0x43B, 0x43C, 0x43D,
                                   0x43E, 0x43F, 0x440, 0x441, 0x442, 0x443, 0x444};
    const char *at = sym ? strchr(BASIC, sym) : NULL;
    if (at != NULL)
        out[0] = cyrillic ? CYR[at - BASIC] : sym;
}

/* Whether two skeleton symbols can be a slip (keyboard neighbours or letters of a similar
 * shape) in a writing of the given script: one of the letters that give x for one that
 * gives y. */
static const char *symbols_slip(uint8_t x, bool glide_x, uint8_t y, bool glide_y, bool cyrillic)
{
    uint32_t lx[5], ly[5];
    symbol_letters(x, cyrillic, glide_x, lx);
    symbol_letters(y, cyrillic, glide_y, ly);
    bool keys = false;
    for (size_t i = 0; lx[i]; i++)
        for (size_t j = 0; ly[j]; j++) {
            if (shapes_alike(lx[i], ly[j]))
                return "OCR or reading error: a letter of a similar shape";
            keys = keys || keys_adjacent(lx[i], ly[j]);
        }
    return keys ? "typing error: the key next to the right one" : NULL;
}

/* One side of a vowel correspondence: the part, its symbols, and where they differ. */
typedef struct vowel_side {
    const rz__part *part;
    const uint8_t *s;
    size_t n;
} vowel_side;

/* A closed syllable after the vowel at `at`: a consonant, then the end of the word or another
 * consonant (Павлів, Федір, Левківський; not Хима, Амато). */
static bool closed_syllable(const vowel_side *v, size_t at)
{
    if (at + 1 >= v->n || v->s[at + 1] == ' ' || is_vowel_sym(v->s[at + 1]))
        return false;
    return at + 2 >= v->n || v->s[at + 2] == ' ' || !is_vowel_sym(v->s[at + 2]);
}

/* Whether the clean form has a code point of `set` right after one of `before` (0: anywhere). */
static bool clean_has(const rz__part *p, const uint32_t *before, size_t nbefore, uint32_t c)
{
    if (p->clean_cp == NULL)
        return false;
    for (size_t i = 0; i < p->clean_ncp; i++) {
        if (p->clean_cp[i] != c)
            continue;
        if (nbefore == 0)
            return true;
        for (size_t k = 0; i > 0 && k < nbefore; k++)
            if (p->clean_cp[i - 1] == before[k])
                return true;
    }
    return false;
}

/* The Ukrainian і of ікавізм and of ѣ: a Cyrillic spelling shows it as і or ї (a Cyrillic word
 * with only и has none: Аристова/Арестова); a Latin i may be it. */
static bool may_have_ukrainian_i(const rz__part *p)
{
    if (p->script != RZ_SCRIPT_CYRILLIC)
        return true;
    return clean_has(p, NULL, 0, 0x456) || clean_has(p, NULL, 0, 0x457);
}

/* Ukrainian о after a soft or hushing consonant where Russian writes ё (printed е): ьо, йо in
 * Cyrillic (Нефьодова/Нефедова), or о after ж ч ш щ (Горбачов/Горбачев, Хрущова/Хрущева). */
static bool soft_o(const vowel_side *v, size_t at)
{
    static const uint32_t SOFT[] = {0x44C, 0x439}; /* ь й */
    if (at > 0 && (v->s[at - 1] == 'C' || v->s[at - 1] == 'S' || v->s[at - 1] == 'Z'))
        return true;
    return v->part->script == RZ_SCRIPT_CYRILLIC && clean_has(v->part, SOFT, 2, 0x43E);
}

/*
 * Vowel correspondences between the Ukrainian and the Russian spelling of one name, where the
 * grammar puts them (a: one side, b: the other; x, y their symbols at `at`):
 *   і for о in a closed syllable (Павлів/Павлов, Федір/Фёдор, Підгорський/Подгорский);
 *   і for е of old ѣ anywhere (Білецька/Белецкая, Кисіль/Кисель), the і side with і or ї;
 *   о after a soft or hushing consonant for Russian ё written е (Ковальов/Ковалев);
 *   о for а at the start of a word (Олександров/Александров);
 *   в for у (Вдовиченко/Удовиченко, Волт/Уолт).
 * Only the о/е after a soft consonant holds when neither name's language is decided
 * (Ковальов/Ковалев: ьо is a Ukrainian spelling); the others need two languages or scripts.
 */
static bool vowel_correspondence(const vowel_side *a, const vowel_side *b, size_t at, uint8_t x,
                                 uint8_t y, bool cross)
{
    if (x > y) { /* order the pair: a has the smaller symbol */
        const vowel_side *t = a;
        a = b;
        b = t;
        uint8_t c = x;
        x = y;
        y = c;
    }
    if (x == 'e' && y == 'o')
        return soft_o(b, at);
    if (!cross)
        return false;
    if (x == 'i' && y == 'o')
        return closed_syllable(a, at) && may_have_ukrainian_i(a->part);
    if (x == 'e' && y == 'i')
        return may_have_ukrainian_i(b->part);
    if (x == 'a' && y == 'o')
        return at == 0 || a->s[at - 1] == ' ';
    return x == 'u' && y == 'v';
}

/* Copies s with each run of one letter written as one (Boddnar -> Bodnar); returns the length. */
static size_t undouble(const uint32_t *s, size_t n, uint32_t *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || out[m - 1] != s[i])
            out[m++] = s[i];
    return m;
}

/*
 * A doubled letter and two letters swapped (Boddnar/Bondar: a key struck twice and two keys
 * struck in the wrong order). A doubled letter is no other sound: the skeletons merge it, as
 * transliterations double letters or not (Hanna/Hana). So a letter doubled on one side only
 * and, in the forms with doubled letters merged, two letters swapped after the first (a
 * typist sees the first letter: Улисс/Луис are two names). Not a letter for another there
 * (Баллак/Бабак, Роллан/Нолан: real surnames) nor one left out (Bonnar/Bondar).
 */
static const char *doubled_typo(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    uint32_t ua[UINT8_MAX], ub[UINT8_MAX], x = 0, y = 0;
    size_t ma = undouble(a, na, ua), mb = undouble(b, nb, ub);
    if ((ma == na) == (mb == nb) || ma < 4 || ua[0] != ub[0])
        return NULL; /* doubled on one side only; the first letter as written */
    if (single_edit(ua, ma, ub, mb, &x, &y) != EDIT_TRANSPOSE)
        return NULL;
    return "typing error: a letter doubled and two letters swapped";
}

/*
 * A typing error (Damerau 1964: most misspellings are one insertion, deletion, transposition
 * or substitution; substitutions hit a neighbouring key): in the clean forms of two parts in
 * one script, one letter inserted, deleted or swapped with its neighbour, or replaced by the
 * letter of an adjacent key. Forms of at least 3 and 4 letters (Гліб/Глб).
 */
static const char *clean_typo(const rz__part *a, const rz__part *b)
{
    if (a->script != b->script || a->clean_cp == NULL || b->clean_cp == NULL)
        return NULL;
    size_t na = a->clean_ncp, nb = b->clean_ncp;
    if ((na < nb ? na : nb) < 3 || (na < nb ? nb : na) < 4)
        return NULL;
    uint32_t x = 0, y = 0;
    switch (single_edit(a->clean_cp, na, b->clean_cp, nb, &x, &y)) {
    case EDIT_INDEL:
        return "typing error: a letter left out or added";
    case EDIT_TRANSPOSE:
        return "typing error: two letters swapped";
    case EDIT_SUBST: {
        const char *why = letter_slip(x, y);
        if (why == NULL && (x == 0x440 || y == 0x440) && (x == 0x44C || y == 0x44C)) {
            size_t at = 0;
            while (a->clean_cp[at] == b->clean_cp[at])
                at++;
            if (soft_sign_for_r(x == 0x44C ? a->clean_cp : b->clean_cp, at))
                why = "OCR or reading error: a letter of a similar shape";
        }
        return why;
    }
    default:
        return doubled_typo(a->clean_cp, na, b->clean_cp, nb);
    }
}

/*
 * A sound one spelling has and the other lacks, between Ukrainian and Russian spellings and
 * their transliterations: a consonant (Безсмертна/Bessmertna, Игнатченко/Ignachenko), the
 * glide i of я ю є before a vowel (Кислиця/Кислица, Роксоляна/Роксолана), or о е before the
 * i of й (Кривий/Кривой, Олійник/Олейник). Any other vowel left out or added (Беліков/
 * Беляков, Лоренц/Лоренцо, Богуслав/Богуслаєв) makes another name. `l` is the longer side,
 * `at` where the extra symbol stands in it.
 */
static bool extra_sound_allowed(const vowel_side *l, size_t at)
{
    uint8_t c = l->s[at], next = at + 1 < l->n ? l->s[at + 1] : ' ';
    if (!is_vowel_sym(c))
        return true;
    if (c == 'i')
        return is_vowel_sym(next);
    return (c == 'o' || c == 'e') && next == 'i';
}

/* The same between the skeletons of names in two scripts or languages (within one the clean
 * forms tell a typing error), of 4 symbols or more: one symbol inserted, deleted or
 * transposed, or a vowel of the Ukrainian-Russian correspondences. Without two languages or
 * scripts (`cross` false) only the correspondences the grammar shows by itself. */
static const char *symbols_typo(const vowel_side *a, const vowel_side *b, bool cross)
{
    size_t na = a->n, nb = b->n;
    if ((na < nb ? na : nb) < 4 || na > nb + 1 || nb > na + 1) /* Пенн/Peyn: too short */
        return NULL;
    if (!cross && na != nb) /* within one language only a vowel for a vowel */
        return NULL;
    uint32_t x = 0, y = 0;
    edit_kind e = single_edit_sym(a->s, na, b->s, nb, &x, &y);
    size_t at = 0;
    while (at < na && at < nb && a->s[at] == b->s[at])
        at++;
    if (cross && e == EDIT_INDEL && extra_sound_allowed(na > nb ? a : b, at))
        return "spelling differs by one sound left out or added";
    if (cross && e == EDIT_TRANSPOSE) /* a typing error in one of the two writings */
        return "spelling differs by two sounds swapped";
    if (e != EDIT_SUBST)
        return NULL;
    if (vowel_correspondence(a, b, at, (uint8_t)x, (uint8_t)y, cross))
        return "Ukrainian and Russian vowels of one name (і/о/е, о/а)";
    if (!cross)
        return NULL;
    /* a slip in one of the two writings, seen through the skeletons: a letter for its
     * keyboard neighbour or for a letter of a similar shape in a Cyrillic or a Latin writing,
     * when it puts a vowel for a consonant or the reverse (ВОВЕ/Vovk, ЗАХАРЧЕИКО/Zakharchenko:
     * forms no real name takes); a vowel for a vowel or a consonant for a consonant is how
     * real names differ from each other (Ахметов/Akhmatov, Гартман/Khartman) */
    if (is_vowel_sym((uint8_t)x) == is_vowel_sym((uint8_t)y))
        return NULL;
    /* the symbols around the slip are the same on both sides */
    bool glide =
        (at > 0 && is_vowel_sym(a->s[at - 1])) || (at + 1 < na && is_vowel_sym(a->s[at + 1]));
    bool cyr_a = a->part->script == RZ_SCRIPT_CYRILLIC,
         cyr_b = b->part->script == RZ_SCRIPT_CYRILLIC;
    const char *why = NULL;
    if (cyr_a || cyr_b) /* the glide reading only for a side not written in Cyrillic */
        why = symbols_slip((uint8_t)x, glide && !cyr_a, (uint8_t)y, glide && !cyr_b, true);
    if (why == NULL && (a->part->script == RZ_SCRIPT_LATIN || b->part->script == RZ_SCRIPT_LATIN))
        why = symbols_slip((uint8_t)x, false, (uint8_t)y, false, false);
    return why;
}

static const char *skeleton_typo(const rz__part *a, const rz__part *b, bool cross_language)
{
    for (size_t i = 0; i < a->nskel; i++)
        for (size_t j = 0; j < b->nskel; j++) {
            vowel_side va = {a, a->skel[i], a->skel_len[i]}, vb = {b, b->skel[j], b->skel_len[j]};
            const char *why = symbols_typo(&va, &vb, cross_language);
            if (why)
                return why;
        }
    return NULL;
}

/* Gender-folded surname skeletons one edit apart (Петрова/Петров typed with an error). */
static const char *folded_typo(const rz__part *a, const rz__part *b, bool cross_language)
{
    if (a->folded_len == 0 || b->folded_len == 0)
        return NULL;
    vowel_side va = {a, a->folded, a->folded_len}, vb = {b, b->folded, b->folded_len};
    return symbols_typo(&va, &vb, cross_language);
}

static void set(rz_part_comparison *out, rz_level level, double score, const char *reason)
{
    out->level = level;
    out->score = score;
    out->reason = reason;
}

/* An initial against a name: the first skeleton symbol agrees or not. */
static bool initial_agrees(const rz__part *a, const rz__part *b)
{
    for (size_t i = 0; i < a->nskel; i++)
        for (size_t j = 0; j < b->nskel; j++)
            if (a->skel_len[i] > 0 && b->skel_len[j] > 0 && a->skel[i][0] == b->skel[j][0])
                return true;
    return false;
}

/*
 * A double surname against one of its parts (Петренко-Іваненко/Петренко, Petrenko-Ivanenko/
 * Іваненко): a married woman's surname with her husband's added, or a list that kept one
 * half. Weaker than the same surname: the part may be all two different people share, so
 * the level is close (the model has no level of its own for it). `d` is double (its clean form
 * has a hyphen), `s` a single surname whose skeleton, or gender-folded skeleton, equals a
 * whole word of d's (Шевченко-Бондар/Бондаренко stay different). Two double surnames that
 * share one part are not joined here (Петренко-Іваненко/Петренко-Сидоренко).
 */
#define DOUBLE_PART_SCORE 0.85 /* the score at least: Jaro-Winkler favours the first part */

static bool skel_has_word(const uint8_t *s, size_t n, const uint8_t *w, size_t nw, bool fold)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ' ')
            continue;
        rz__skel word;
        word.len = (uint8_t)(i - start);
        memcpy(word.s, s + start, word.len);
        start = i + 1;
        if (fold)
            rz__skeleton_fold_gender(&word);
        if (same_syms(word.s, word.len, w, nw))
            return true;
    }
    return false;
}

static bool double_has_part(const rz__part *d, const rz__part *s)
{
    if (!d->hyphen || s->hyphen || s->space)
        return false;
    for (size_t i = 0; i < d->nskel; i++)
        for (size_t j = 0; j < s->nskel; j++)
            if (s->skel_len[j] >= 3 &&
                skel_has_word(d->skel[i], d->skel_len[i], s->skel[j], s->skel_len[j], false))
                return true;
    return s->folded_len >= 3 &&
           skel_has_word(d->skel[0], d->skel_len[0], s->folded, s->folded_len, true);
}

static void compare_part(const rz_name_ctx *ctx, const rz__part *a, const rz__part *b,
                         rz_name_part which, bool cross_language, rz_part_comparison *out)
{
    if (a == NULL || b == NULL || !a->present || !b->present) {
        set(out, RZ_LEVEL_MISSING, 0.0, "missing on one side");
        return;
    }
    if (a->clean_len == b->clean_len && memcmp(a->clean, b->clean, a->clean_len) == 0) {
        set(out, RZ_LEVEL_EXACT, 1.0, "same name");
        return;
    }
    if (a->initial || b->initial) {
        if (initial_agrees(a, b))
            set(out, RZ_LEVEL_CLOSE, 0.8, "initial agrees");
        else
            set(out, RZ_LEVEL_FAR, 0.0, "initial disagrees");
        return;
    }
    if (any_skeleton_equal(a, b)) {
        set(out, RZ_LEVEL_EQUIVALENT, 0.97, "same name in another script or transliteration");
        return;
    }
    if (plain_skeleton_equal(a, b)) {
        set(out, RZ_LEVEL_EQUIVALENT, 0.95, "same name in ISO 9 written without diacritics");
        return;
    }
    bool both_known = a->canon >= 0 && b->canon >= 0;
    if (which != RZ_PART_SURNAME && both_known && a->canon == b->canon) {
        if (which == RZ_PART_PATRONYMIC && a->sex && b->sex && a->sex != b->sex)
            set(out, RZ_LEVEL_CLOSE, 0.85, "same father's name, patronymics of the other sex");
        else
            set(out, RZ_LEVEL_EQUIVALENT, 0.95,
                which == RZ_PART_PATRONYMIC ? "patronymics of the same name"
                                            : (a->via_diminutive || b->via_diminutive
                                                   ? "same given name: a diminutive"
                                                   : "same given name in another language"));
        return;
    }
    if (which == RZ_PART_SURNAME && same_syms(a->folded, a->folded_len, b->folded, b->folded_len)) {
        set(out, RZ_LEVEL_EQUIVALENT, 0.93, "same surname with the other gender's ending");
        return;
    }
    double jw = best_jaro_winkler(a, b);
    if (which != RZ_PART_SURNAME && both_known) {
        if (ctx->given[a->canon].other_sex == b->canon)
            set(out, RZ_LEVEL_CLOSE, jw, "masculine and feminine forms of one name");
        else
            set(out, RZ_LEVEL_FAR, jw, "different names");
        return;
    }
    bool cross = cross_language || a->script != b->script;
    const char *why = clean_typo(a, b);
    if (why == NULL)
        why = skeleton_typo(a, b, cross);
    if (why == NULL && which == RZ_PART_SURNAME)
        why = folded_typo(a, b, cross);
    if (why)
        set(out, RZ_LEVEL_CLOSE, jw, why);
    else if (which == RZ_PART_SURNAME && a->hyphen != b->hyphen &&
             (double_has_part(a, b) || double_has_part(b, a)))
        set(out, RZ_LEVEL_CLOSE, jw > DOUBLE_PART_SCORE ? jw : DOUBLE_PART_SCORE,
            "one part of a double surname");
    else
        set(out, RZ_LEVEL_FAR, jw, "different names");
}

static const double WEIGHT[RZ__PART_COUNT] = {0.5, 0.35, 0.15};

/* Combines the parts into the overall level and score. */
static void combine(rz_name_comparison *out)
{
    double sum = 0.0, weights = 0.0;
    rz_level level = RZ_LEVEL_EXACT;
    bool any = false;
    for (int i = 0; i < RZ__PART_COUNT; i++) {
        const rz_part_comparison *p = &out->parts[i];
        if (p->level == RZ_LEVEL_MISSING)
            continue;
        any = true;
        sum += WEIGHT[i] * p->score;
        weights += WEIGHT[i];
        if (p->level < level)
            level = p->level;
    }
    out->level = any ? level : RZ_LEVEL_MISSING;
    out->score = any ? sum / weights : 0.0;
}

/* Whether x's given name, no form of the dictionary, is one typing error from a form of y's
 * (Aleksndr, Irna against Олександр, Ірина: the typing error and the other language at once). */
static bool given_typo_of(const rz_name *x, const rz_name *y)
{
    int32_t canon = y->part[RZ_PART_GIVEN].canon;
    for (size_t k = 0; k < RZ__NEAR_MAX && canon >= 0; k++)
        if (x->given_near[k] == canon)
            return true;
    return false;
}

/*
 * The other surname (maiden or former: Іваненко (дів. Петренко)) against the other name's
 * surname or other surname, kept when it agrees better than the surnames do. Agreement with
 * either surname is agreement with the person's surname, but not the same written surname:
 * equivalent at most, with its own reason.
 */
static void compare_other_surnames(const rz_name *a, const rz_name *b, bool cross,
                                   rz_part_comparison *out)
{
    const rz__part *pa[2] = {&a->part[RZ_PART_SURNAME], a->other};
    const rz__part *pb[2] = {&b->part[RZ_PART_SURNAME], b->other};
    rz_part_comparison best = *out;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            if ((i == 0 && j == 0) || pa[i] == NULL || pb[j] == NULL)
                continue;
            rz_part_comparison c;
            compare_part(a->ctx, pa[i], pb[j], RZ_PART_SURNAME, cross, &c);
            if (c.level > best.level || (c.level == best.level && c.score > best.score + 1e-9))
                best = c;
        }
    if (best.level <= out->level)
        return;
    if (best.level >= RZ_LEVEL_EQUIVALENT)
        set(out, RZ_LEVEL_EQUIVALENT, best.score < 0.95 ? best.score : 0.95,
            "agrees with the other surname (maiden or former)");
    else
        set(out, best.level, best.score, "close to the other surname (maiden or former)");
}

static void compare_aligned(const rz_name *a, const rz_name *b, bool swap, rz_name_comparison *out)
{
    const rz__part *as = &a->part[RZ_PART_SURNAME], *ag = &a->part[RZ_PART_GIVEN];
    const rz__part *bs = &b->part[swap ? RZ_PART_GIVEN : RZ_PART_SURNAME];
    const rz__part *bg = &b->part[swap ? RZ_PART_SURNAME : RZ_PART_GIVEN];
    /* swapped parts are compared under the stricter surname rules both ways */
    /* the Ukrainian-Russian vowel correspondences only between names in two languages (or
     * two scripts): within one language a different vowel is a different name */
    bool cross = a->lang != b->lang;
    compare_part(a->ctx, as, bs, RZ_PART_SURNAME, cross, &out->parts[RZ_PART_SURNAME]);
    if (!swap && (a->other || b->other))
        compare_other_surnames(a, b, cross, &out->parts[RZ_PART_SURNAME]);
    rz_part_comparison *given = &out->parts[RZ_PART_GIVEN];
    compare_part(a->ctx, ag, bg, swap ? RZ_PART_SURNAME : RZ_PART_GIVEN, cross, given);
    if (!swap && given->level == RZ_LEVEL_FAR && (given_typo_of(a, b) || given_typo_of(b, a)))
        set(given, RZ_LEVEL_CLOSE, given->score, "typing error in a form of the same given name");
    compare_part(a->ctx, &a->part[RZ_PART_PATRONYMIC], &b->part[RZ_PART_PATRONYMIC],
                 RZ_PART_PATRONYMIC, cross, &out->parts[RZ_PART_PATRONYMIC]);
    out->swapped = swap;
    combine(out);
}

void rz_name_compare(const rz_name *a, const rz_name *b, rz_name_comparison *out)
{
    memset(out, 0, sizeof *out);
    if (a == NULL || b == NULL) {
        for (int i = 0; i < RZ__PART_COUNT; i++)
            set(&out->parts[i], RZ_LEVEL_MISSING, 0.0, "missing on one side");
        out->level = RZ_LEVEL_MISSING;
        return;
    }
    compare_aligned(a, b, false, out);
    if (out->level >= RZ_LEVEL_EQUIVALENT)
        return;
    bool can_swap = a->part[RZ_PART_SURNAME].present && a->part[RZ_PART_GIVEN].present &&
                    b->part[RZ_PART_SURNAME].present && b->part[RZ_PART_GIVEN].present;
    if (!can_swap)
        return;
    /* the swap can only win when the swapped surname agrees at least closely */
    rz_part_comparison first;
    compare_part(a->ctx, &a->part[RZ_PART_SURNAME], &b->part[RZ_PART_GIVEN], RZ_PART_SURNAME,
                 a->lang != b->lang, &first);
    if (first.level < RZ_LEVEL_CLOSE)
        return;
    rz_name_comparison swapped;
    compare_aligned(a, b, true, &swapped);
    if (swapped.level > out->level ||
        (swapped.level == out->level && swapped.level >= RZ_LEVEL_CLOSE &&
         swapped.score > out->score + 1e-9))
        *out = swapped;
}
