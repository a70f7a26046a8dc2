/*
 * translit_rules.c: the built-in Cyrillic-to-Latin schemes as tables, one row per letter or
 * context, written from the standards' own tables (sources in each table's comment).
 * translit.c turns them into ICU rules. Letters a standard does not cover (a Russian ы in a
 * Ukrainian text, a Ukrainian і in a Russian one) get the nearest rendering of the same
 * family, marked "not in the standard", so that no Cyrillic is left in the output.
 *
 * Contexts: `before` is matched against the Latin already produced (ICU semantics), `after`
 * against the Cyrillic still to come. Variables (defined per scheme in `variables`):
 *   $W  a letter or mark of the same word (so the next letter is not word-initial)
 *   $V  a vowel of the Latin output, for rules "after a vowel"
 */
#include "translit_rules.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TABLE(a)                                                                                   \
    {                                                                                              \
        (a), N(a)                                                                                  \
    }

/* ---------------------------------------------------------------- Ukrainian, national family */

/*
 * Ukrainian national system, Cabinet of Ministers resolution No. 55 of 27 January 2010, and
 * its predecessors (2007 passport rules, 1996 Ukrainian Legal Terminology Commission): є ї й
 * ю я are ye yi y yu ya at the start of a word and ie i i iu ia elsewhere; зг is zgh (to keep
 * it apart from ж zh).
 */
static const struct rz__translit_entry uk_national_core[] = {
    {"[zZ]", "г", NULL, "gh"}, {"$W", "є", NULL, "ie"}, {NULL, "є", NULL, "ye"},
    {"$W", "ї", NULL, "i"},    {NULL, "ї", NULL, "yi"}, {"$W", "й", NULL, "i"},
    {NULL, "й", NULL, "y"},    {"$W", "ю", NULL, "iu"}, {NULL, "ю", NULL, "yu"},
    {"$W", "я", NULL, "ia"},   {NULL, "я", NULL, "ya"}, {NULL, "а", NULL, "a"},
    {NULL, "б", NULL, "b"},    {NULL, "в", NULL, "v"},  {NULL, "г", NULL, "h"},
    {NULL, "ґ", NULL, "g"},    {NULL, "д", NULL, "d"},  {NULL, "е", NULL, "e"},
    {NULL, "ж", NULL, "zh"},   {NULL, "з", NULL, "z"},  {NULL, "и", NULL, "y"},
    {NULL, "і", NULL, "i"},    {NULL, "к", NULL, "k"},  {NULL, "л", NULL, "l"},
    {NULL, "м", NULL, "m"},    {NULL, "н", NULL, "n"},  {NULL, "о", NULL, "o"},
    {NULL, "п", NULL, "p"},    {NULL, "р", NULL, "r"},  {NULL, "с", NULL, "s"},
    {NULL, "т", NULL, "t"},    {NULL, "у", NULL, "u"},  {NULL, "ф", NULL, "f"},
    {NULL, "х", NULL, "kh"},   {NULL, "ц", NULL, "ts"}, {NULL, "ч", NULL, "ch"},
    {NULL, "ш", NULL, "sh"},
};

/* 2010 and 2007: щ shch; the soft sign and the apostrophe are not rendered. */
static const struct rz__translit_entry uk_2010_signs[] = {
    {NULL, "щ", NULL, "shch"},
    {NULL, "ь", NULL, ""},
};

/* 1996: щ sch, the soft sign ’ and the apostrophe ” (the apostrophe in the prologue). */
static const struct rz__translit_entry uk_1996_signs[] = {
    {NULL, "щ", NULL, "sch"},
    {NULL, "ь", NULL, "\xE2\x80\x99"},
};

/* Russian and Belarusian letters in Ukrainian text: not in the standard; nearest forms. */
static const struct rz__translit_entry uk_national_foreign[] = {
    {"$W", "ё", NULL, "io"}, {NULL, "ё", NULL, "yo"}, {NULL, "ы", NULL, "y"},
    {NULL, "э", NULL, "e"},  {NULL, "ъ", NULL, ""},   {NULL, "ў", NULL, "u"},
};

/* ---------------------------------------------------------------- Ukrainian, BGN/PCGN 1965 */

/*
 * BGN/PCGN 1965 for Ukrainian: є ye, ї yi, й y, ю yu, я ya everywhere; ь ’ and the apostrophe
 * ”; the middle dot keeps зг тс шч apart from ж ц щ (z·h, t·s, sh·ch). (In 2019 BGN and PCGN
 * adopted the 2010 national system instead; use uk-kmu-2010 for that.)
 */
static const struct rz__translit_entry uk_bgn[] = {
    {"[zZ]", "г", NULL, "\xC2\xB7h"},
    {"[tT]", "с", NULL, "\xC2\xB7s"},
    {"[sS][hH]", "ч", NULL,
     "\xC2\xB7"
     "ch"},
    {NULL, "а", NULL, "a"},
    {NULL, "б", NULL, "b"},
    {NULL, "в", NULL, "v"},
    {NULL, "г", NULL, "h"},
    {NULL, "ґ", NULL, "g"},
    {NULL, "д", NULL, "d"},
    {NULL, "е", NULL, "e"},
    {NULL, "є", NULL, "ye"},
    {NULL, "ж", NULL, "zh"},
    {NULL, "з", NULL, "z"},
    {NULL, "и", NULL, "y"},
    {NULL, "і", NULL, "i"},
    {NULL, "ї", NULL, "yi"},
    {NULL, "й", NULL, "y"},
    {NULL, "к", NULL, "k"},
    {NULL, "л", NULL, "l"},
    {NULL, "м", NULL, "m"},
    {NULL, "н", NULL, "n"},
    {NULL, "о", NULL, "o"},
    {NULL, "п", NULL, "p"},
    {NULL, "р", NULL, "r"},
    {NULL, "с", NULL, "s"},
    {NULL, "т", NULL, "t"},
    {NULL, "у", NULL, "u"},
    {NULL, "ф", NULL, "f"},
    {NULL, "х", NULL, "kh"},
    {NULL, "ц", NULL, "ts"},
    {NULL, "ч", NULL, "ch"},
    {NULL, "ш", NULL, "sh"},
    {NULL, "щ", NULL, "shch"},
    {NULL, "ь", NULL, "\xE2\x80\x99"},
    {NULL, "ю", NULL, "yu"},
    {NULL, "я", NULL, "ya"},
    /* not in the standard: */
    {NULL, "ё", NULL, "yo"},
    {NULL, "ы", NULL, "y"},
    {NULL, "э", NULL, "e"},
    {NULL, "ъ", NULL, "\xE2\x80\x9D"},
    {NULL, "ў", NULL, "w"},
};

/* ---------------------------------------------------------------- Russian */

/* Letters all the Russian passport and ICAO systems share. */
static const struct rz__translit_entry ru_common[] = {
    {NULL, "а", NULL, "a"},  {NULL, "б", NULL, "b"},    {NULL, "в", NULL, "v"},
    {NULL, "г", NULL, "g"},  {NULL, "д", NULL, "d"},    {NULL, "ж", NULL, "zh"},
    {NULL, "з", NULL, "z"},  {NULL, "и", NULL, "i"},    {NULL, "к", NULL, "k"},
    {NULL, "л", NULL, "l"},  {NULL, "м", NULL, "m"},    {NULL, "н", NULL, "n"},
    {NULL, "о", NULL, "o"},  {NULL, "п", NULL, "p"},    {NULL, "р", NULL, "r"},
    {NULL, "с", NULL, "s"},  {NULL, "т", NULL, "t"},    {NULL, "у", NULL, "u"},
    {NULL, "ф", NULL, "f"},  {NULL, "х", NULL, "kh"},   {NULL, "ч", NULL, "ch"},
    {NULL, "ш", NULL, "sh"}, {NULL, "щ", NULL, "shch"}, {NULL, "ы", NULL, "y"},
    {NULL, "э", NULL, "e"},
};

/*
 * ICAO Doc 9303 part 3 (Russian passports since 2013, FMS order 320 of 2012): е ё e, й i,
 * ц ts, ъ ie, ь not rendered, ю iu, я ia. Not in the Russian table, taken from Doc 9303's
 * other Cyrillic rows: є ie, і i, ї i, ґ g, ў u.
 */
static const struct rz__translit_entry ru_icao[] = {
    {NULL, "е", NULL, "e"},  {NULL, "ё", NULL, "e"},  {NULL, "й", NULL, "i"},
    {NULL, "ц", NULL, "ts"}, {NULL, "ъ", NULL, "ie"}, {NULL, "ь", NULL, ""},
    {NULL, "ю", NULL, "iu"}, {NULL, "я", NULL, "ia"}, {NULL, "є", NULL, "ie"},
    {NULL, "і", NULL, "i"},  {NULL, "ї", NULL, "i"},  {NULL, "ґ", NULL, "g"},
    {NULL, "ў", NULL, "u"},
};

/*
 * Russian passports 2010-2013 (FMS order 26 of 3 February 2010, after GOST R 52535.1-2006):
 * as ICAO but ц tc and ъ not rendered.
 */
static const struct rz__translit_entry ru_2010[] = {
    {NULL, "е", NULL, "e"},  {NULL, "ё", NULL, "e"},  {NULL, "й", NULL, "i"},
    {NULL, "ц", NULL, "tc"}, {NULL, "ъ", NULL, ""},   {NULL, "ь", NULL, ""},
    {NULL, "ю", NULL, "iu"}, {NULL, "я", NULL, "ia"}, {NULL, "є", NULL, "ie"},
    {NULL, "і", NULL, "i"},  {NULL, "ї", NULL, "i"},  {NULL, "ґ", NULL, "g"},
    {NULL, "ў", NULL, "u"},
};

/*
 * Russian passports 1997-2010 (MVD order 310 of 26 May 1997): е and ё are ye at the start of a
 * word, after a vowel and after ъ ь, e elsewhere; й y, ц ts, ю yu, я ya; ь is an apostrophe
 * ' (Natal'ya, Vasil'yev), ъ not rendered.
 */
static const struct rz__translit_entry ru_1997[] = {
    {NULL, "ье", NULL, "'ye"},
    {NULL, "ъе", NULL, "ye"},
    {NULL, "ьё", NULL, "'ye"},
    {NULL, "ъё", NULL, "ye"},
    {"$V", "е", NULL, "ye"},
    {"$W", "е", NULL, "e"},
    {NULL, "е", NULL, "ye"},
    {"$V", "ё", NULL, "ye"},
    {"$W", "ё", NULL, "e"},
    {NULL, "ё", NULL, "ye"},
    {NULL, "й", NULL, "y"},
    {NULL, "ц", NULL, "ts"},
    {NULL, "ъ", NULL, ""},
    {NULL, "ь", NULL, "'"},
    {NULL, "ю", NULL, "yu"},
    {NULL, "я", NULL, "ya"},
    /* not in the standard: */
    {"$W", "є", NULL, "ie"},
    {NULL, "є", NULL, "ye"},
    {NULL, "і", NULL, "i"},
    {NULL, "ї", NULL, "yi"},
    {NULL, "ґ", NULL, "g"},
    {NULL, "ў", NULL, "u"},
};

/*
 * BGN/PCGN 1947 for Russian: е ye at the start, after vowels, й, ъ, ь (e elsewhere); ё yë/ë
 * likewise; ъ ”, ь ’; the middle dot marks тс t·s, шч sh·ch, й and ы before а у ы э (y·),
 * ы after a vowel (·y) and э after a consonant (·e).
 */
static const struct rz__translit_entry ru_bgn[] = {
    {"[tT]", "с", NULL, "\xC2\xB7s"},
    {"[sS][hH]", "ч", NULL,
     "\xC2\xB7"
     "ch"},
    {NULL, "й", "[аАуУыЫэЭ]", "y\xC2\xB7"},
    {"$V", "ы", "[аАуУыЫэЭ]", "\xC2\xB7y\xC2\xB7"},
    {"$V", "ы", NULL, "\xC2\xB7y"},
    {NULL, "ы", "[аАуУыЫэЭ]", "y\xC2\xB7"},
    {"$C", "э", NULL,
     "\xC2\xB7"
     "e"},
    {"$E", "е", NULL, "ye"},
    {"$W", "е", NULL, "e"},
    {NULL, "е", NULL, "ye"},
    {"$E", "ё", NULL, "y\xC3\xAB"},
    {"$W", "ё", NULL, "\xC3\xAB"},
    {NULL, "ё", NULL, "y\xC3\xAB"},
    {NULL, "а", NULL, "a"},
    {NULL, "б", NULL, "b"},
    {NULL, "в", NULL, "v"},
    {NULL, "г", NULL, "g"},
    {NULL, "д", NULL, "d"},
    {NULL, "ж", NULL, "zh"},
    {NULL, "з", NULL, "z"},
    {NULL, "и", NULL, "i"},
    {NULL, "й", NULL, "y"},
    {NULL, "к", NULL, "k"},
    {NULL, "л", NULL, "l"},
    {NULL, "м", NULL, "m"},
    {NULL, "н", NULL, "n"},
    {NULL, "о", NULL, "o"},
    {NULL, "п", NULL, "p"},
    {NULL, "р", NULL, "r"},
    {NULL, "с", NULL, "s"},
    {NULL, "т", NULL, "t"},
    {NULL, "у", NULL, "u"},
    {NULL, "ф", NULL, "f"},
    {NULL, "х", NULL, "kh"},
    {NULL, "ц", NULL, "ts"},
    {NULL, "ч", NULL, "ch"},
    {NULL, "ш", NULL, "sh"},
    {NULL, "щ", NULL, "shch"},
    {NULL, "ъ", NULL, "\xE2\x80\x9D"},
    {NULL, "ы", NULL, "y"},
    {NULL, "ь", NULL, "\xE2\x80\x99"},
    {NULL, "э", NULL, "e"},
    {NULL, "ю", NULL, "yu"},
    {NULL, "я", NULL, "ya"},
    /* not in the standard: */
    {NULL, "є", NULL, "ye"},
    {NULL, "і", NULL, "i"},
    {NULL, "ї", NULL, "yi"},
    {NULL, "ґ", NULL, "g"},
    {NULL, "ў", NULL, "w"},
};

/*
 * GOST 7.79-2000 system B (ASCII only): ё yo, й j, х x, ц c before i e y j and cz elsewhere,
 * щ shh, ъ ``, ы y`, ь `, э e`, ю yu, я ya; Ukrainian ґ g`, є ye, і i, ї yi, apostrophe '';
 * Belarusian ў u`.
 */
static const struct rz__translit_entry ru_gost_b[] = {
    {NULL, "ц", "[еЕиИыЫйЙэЭюЮяЯёЁіІїЇєЄ]", "c"},
    {NULL, "а", NULL, "a"},
    {NULL, "б", NULL, "b"},
    {NULL, "в", NULL, "v"},
    {NULL, "г", NULL, "g"},
    {NULL, "ґ", NULL, "g`"},
    {NULL, "д", NULL, "d"},
    {NULL, "е", NULL, "e"},
    {NULL, "ё", NULL, "yo"},
    {NULL, "є", NULL, "ye"},
    {NULL, "ж", NULL, "zh"},
    {NULL, "з", NULL, "z"},
    {NULL, "и", NULL, "i"},
    {NULL, "і", NULL, "i"},
    {NULL, "ї", NULL, "yi"},
    {NULL, "й", NULL, "j"},
    {NULL, "к", NULL, "k"},
    {NULL, "л", NULL, "l"},
    {NULL, "м", NULL, "m"},
    {NULL, "н", NULL, "n"},
    {NULL, "о", NULL, "o"},
    {NULL, "п", NULL, "p"},
    {NULL, "р", NULL, "r"},
    {NULL, "с", NULL, "s"},
    {NULL, "т", NULL, "t"},
    {NULL, "у", NULL, "u"},
    {NULL, "ў", NULL, "u`"},
    {NULL, "ф", NULL, "f"},
    {NULL, "х", NULL, "x"},
    {NULL, "ц", NULL, "cz"},
    {NULL, "ч", NULL, "ch"},
    {NULL, "ш", NULL, "sh"},
    {NULL, "щ", NULL, "shh"},
    {NULL, "ъ", NULL, "``"},
    {NULL, "ы", NULL, "y`"},
    {NULL, "ь", NULL, "`"},
    {NULL, "э", NULL, "e`"},
    {NULL, "ю", NULL, "yu"},
    {NULL, "я", NULL, "ya"},
};

/*
 * ISO 9:1995 (= GOST 7.79-2000 system A): one Latin letter per Cyrillic letter, with
 * diacritics; ъ ʺ (U+02BA) and ь ʹ (U+02B9) as in the standard's table.
 */
static const struct rz__translit_entry ru_iso9[] = {
    {NULL, "а", NULL, "a"},        {NULL, "б", NULL, "b"},         {NULL, "в", NULL, "v"},
    {NULL, "г", NULL, "g"},        {NULL, "ґ", NULL, "g\xCC\x80"}, {NULL, "д", NULL, "d"},
    {NULL, "е", NULL, "e"},        {NULL, "ё", NULL, "\xC3\xAB"},  {NULL, "є", NULL, "\xC3\xAA"},
    {NULL, "ж", NULL, "\xC5\xBE"}, {NULL, "з", NULL, "z"},         {NULL, "и", NULL, "i"},
    {NULL, "і", NULL, "\xC3\xAC"}, {NULL, "ї", NULL, "\xC3\xAF"},  {NULL, "й", NULL, "j"},
    {NULL, "к", NULL, "k"},        {NULL, "л", NULL, "l"},         {NULL, "м", NULL, "m"},
    {NULL, "н", NULL, "n"},        {NULL, "о", NULL, "o"},         {NULL, "п", NULL, "p"},
    {NULL, "р", NULL, "r"},        {NULL, "с", NULL, "s"},         {NULL, "т", NULL, "t"},
    {NULL, "у", NULL, "u"},        {NULL, "ў", NULL, "\xC5\xAD"},  {NULL, "ф", NULL, "f"},
    {NULL, "х", NULL, "h"},        {NULL, "ц", NULL, "c"},         {NULL, "ч", NULL, "\xC4\x8D"},
    {NULL, "ш", NULL, "\xC5\xA1"}, {NULL, "щ", NULL, "\xC5\x9D"},  {NULL, "ъ", NULL, "\xCA\xBA"},
    {NULL, "ы", NULL, "y"},        {NULL, "ь", NULL, "\xCA\xB9"},  {NULL, "э", NULL, "\xC3\xA8"},
    {NULL, "ю", NULL, "\xC3\xBB"}, {NULL, "я", NULL, "\xC3\xA2"},
};

/* ---------------------------------------------------------------- Belarusian */

/*
 * Belarusian national system (Instruction on transliteration of geographical names, 2007,
 * adopted by the UN in 2007): г h, х ch, ц c, ч č, ш š, ж ž, й j, ў ŭ; е ё ю я are je jo ju
 * ja at the start of a word, after a vowel, ў or the apostrophe and ie io iu ia after a
 * consonant; зь ль нь сь ць are ź ĺ ń ś ć; the apostrophe is not rendered.
 */
static const struct rz__translit_entry be_national[] = {
    {NULL, "'е", NULL, "je"},
    {NULL, "'ё", NULL, "jo"},
    {NULL, "'ю", NULL, "ju"},
    {NULL, "'я", NULL, "ja"},
    {"$V", "е", NULL, "je"},
    {"$W", "е", NULL, "ie"},
    {NULL, "е", NULL, "je"},
    {"$V", "ё", NULL, "jo"},
    {"$W", "ё", NULL, "io"},
    {NULL, "ё", NULL, "jo"},
    {"$V", "ю", NULL, "ju"},
    {"$W", "ю", NULL, "iu"},
    {NULL, "ю", NULL, "ju"},
    {"$V", "я", NULL, "ja"},
    {"$W", "я", NULL, "ia"},
    {NULL, "я", NULL, "ja"},
    {NULL, "зь", NULL, "\xC5\xBA"},
    {NULL, "ль", NULL, "\xC4\xBA"},
    {NULL, "нь", NULL, "\xC5\x84"},
    {NULL, "сь", NULL, "\xC5\x9B"},
    {NULL, "ць", NULL, "\xC4\x87"},
    {NULL, "ь", NULL, ""},
    {NULL, "а", NULL, "a"},
    {NULL, "б", NULL, "b"},
    {NULL, "в", NULL, "v"},
    {NULL, "г", NULL, "h"},
    {NULL, "ґ", NULL, "g"},
    {NULL, "д", NULL, "d"},
    {NULL, "ж", NULL, "\xC5\xBE"},
    {NULL, "з", NULL, "z"},
    {NULL, "і", NULL, "i"},
    {NULL, "й", NULL, "j"},
    {NULL, "к", NULL, "k"},
    {NULL, "л", NULL, "l"},
    {NULL, "м", NULL, "m"},
    {NULL, "н", NULL, "n"},
    {NULL, "о", NULL, "o"},
    {NULL, "п", NULL, "p"},
    {NULL, "р", NULL, "r"},
    {NULL, "с", NULL, "s"},
    {NULL, "т", NULL, "t"},
    {NULL, "у", NULL, "u"},
    {NULL, "ў", NULL, "\xC5\xAD"},
    {NULL, "ф", NULL, "f"},
    {NULL, "х", NULL, "ch"},
    {NULL, "ц", NULL, "c"},
    {NULL, "ч", NULL, "\xC4\x8D"},
    {NULL, "ш", NULL, "\xC5\xA1"},
    {NULL, "ы", NULL, "y"},
    {NULL, "э", NULL, "e"},
    /* not in the standard (Russian and Ukrainian letters): */
    {NULL, "и", NULL, "i"},
    {NULL, "щ", NULL, "\xC5\xA1\xC4\x8D"},
    {NULL, "ъ", NULL, ""},
    {NULL, "ї", NULL, "ji"},
    {NULL, "є", NULL, "je"},
};

/*
 * BGN/PCGN 1979 for Belarusian: е ye, ё yo, ю yu, я ya everywhere; г h, ў w, х kh, ц ts,
 * ь ’, the apostrophe ”; зг is z·h.
 */
static const struct rz__translit_entry be_bgn[] = {
    {"[zZ]", "г", NULL, "\xC2\xB7h"},
    {NULL, "а", NULL, "a"},
    {NULL, "б", NULL, "b"},
    {NULL, "в", NULL, "v"},
    {NULL, "г", NULL, "h"},
    {NULL, "ґ", NULL, "g"},
    {NULL, "д", NULL, "d"},
    {NULL, "е", NULL, "ye"},
    {NULL, "ё", NULL, "yo"},
    {NULL, "ж", NULL, "zh"},
    {NULL, "з", NULL, "z"},
    {NULL, "і", NULL, "i"},
    {NULL, "й", NULL, "y"},
    {NULL, "к", NULL, "k"},
    {NULL, "л", NULL, "l"},
    {NULL, "м", NULL, "m"},
    {NULL, "н", NULL, "n"},
    {NULL, "о", NULL, "o"},
    {NULL, "п", NULL, "p"},
    {NULL, "р", NULL, "r"},
    {NULL, "с", NULL, "s"},
    {NULL, "т", NULL, "t"},
    {NULL, "у", NULL, "u"},
    {NULL, "ў", NULL, "w"},
    {NULL, "ф", NULL, "f"},
    {NULL, "х", NULL, "kh"},
    {NULL, "ц", NULL, "ts"},
    {NULL, "ч", NULL, "ch"},
    {NULL, "ш", NULL, "sh"},
    {NULL, "ы", NULL, "y"},
    {NULL, "ь", NULL, "\xE2\x80\x99"},
    {NULL, "э", NULL, "e"},
    {NULL, "ю", NULL, "yu"},
    {NULL, "я", NULL, "ya"},
    /* not in the standard (Russian and Ukrainian letters): */
    {NULL, "и", NULL, "i"},
    {NULL, "щ", NULL, "shch"},
    {NULL, "ъ", NULL, "\xE2\x80\x9D"},
    {NULL, "ї", NULL, "yi"},
    {NULL, "є", NULL, "ye"},
};

/*
 * ICAO Doc 9303 part 3, Belarusian row (Belarusian passports): г h, ё io, й i, ў u, х kh,
 * ц ts, ь not rendered, ю iu, я ia; the apostrophe is not rendered.
 */
static const struct rz__translit_entry be_icao[] = {
    {NULL, "а", NULL, "a"},
    {NULL, "б", NULL, "b"},
    {NULL, "в", NULL, "v"},
    {NULL, "г", NULL, "h"},
    {NULL, "д", NULL, "d"},
    {NULL, "е", NULL, "e"},
    {NULL, "ё", NULL, "io"},
    {NULL, "ж", NULL, "zh"},
    {NULL, "з", NULL, "z"},
    {NULL, "і", NULL, "i"},
    {NULL, "й", NULL, "i"},
    {NULL, "к", NULL, "k"},
    {NULL, "л", NULL, "l"},
    {NULL, "м", NULL, "m"},
    {NULL, "н", NULL, "n"},
    {NULL, "о", NULL, "o"},
    {NULL, "п", NULL, "p"},
    {NULL, "р", NULL, "r"},
    {NULL, "с", NULL, "s"},
    {NULL, "т", NULL, "t"},
    {NULL, "у", NULL, "u"},
    {NULL, "ў", NULL, "u"},
    {NULL, "ф", NULL, "f"},
    {NULL, "х", NULL, "kh"},
    {NULL, "ц", NULL, "ts"},
    {NULL, "ч", NULL, "ch"},
    {NULL, "ш", NULL, "sh"},
    {NULL, "ы", NULL, "y"},
    {NULL, "ь", NULL, ""},
    {NULL, "э", NULL, "e"},
    {NULL, "ю", NULL, "iu"},
    {NULL, "я", NULL, "ia"},
    /* not in the Belarusian row (Russian and Ukrainian letters), from the other rows: */
    {NULL, "и", NULL, "i"},
    {NULL, "щ", NULL, "shch"},
    {NULL, "ъ", NULL, "ie"},
    {NULL, "ґ", NULL, "g"},
    {NULL, "є", NULL, "ie"},
    {NULL, "ї", NULL, "i"},
};

/* ---------------------------------------------------------------- the schemes */

/* $W: a letter or mark of the same word; U+FDD0 is translit.c's internal case marker. */
#define WORD_PLAIN "$W = [[:L:][:M:]\\uFDD0];\n"
#define WORD_SIGNS "$W = [[:L:][:M:]\\uFDD0\\u2019\\u201D];\n"
/* An apostrophe between two letters of a word, removed or rendered. */
#define APOS_DROP         "$W { $apos } [:L:] > ;\n"
#define APOS_DOUBLE_QUOTE "$W { $apos } [:L:] > \\u201D;\n"

const struct rz__translit_scheme rz__translit_schemes[] = {
    {"uk-kmu-2010",
     "uk",
     "Ukrainian national system, KMU resolution 55 of 2010 (passports since 2010)",
     WORD_PLAIN,
     APOS_DROP,
     RZ__CASE_NEXT_LOWER,
     {TABLE(uk_national_core), TABLE(uk_2010_signs), TABLE(uk_national_foreign)}},
    {"uk-passport-2007",
     "uk",
     "Ukrainian passport rules of 2007 (same letters as KMU 55)",
     WORD_PLAIN,
     APOS_DROP,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(uk_national_core), TABLE(uk_2010_signs), TABLE(uk_national_foreign)}},
    {"uk-passport-1996",
     "uk",
     "Ukrainian Legal Terminology Commission 1996 (passports 1996-2007): shch as sch, soft sign "
     "\xE2\x80\x99",
     WORD_SIGNS,
     APOS_DOUBLE_QUOTE,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(uk_national_core), TABLE(uk_1996_signs), TABLE(uk_national_foreign)}},
    {"uk-bgn-pcgn",
     "uk",
     "Ukrainian BGN/PCGN 1965 (English-language maps and lists)",
     WORD_PLAIN,
     APOS_DOUBLE_QUOTE,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(uk_bgn)}},
    {"ru-icao-9303",
     "ru",
     "Russian ICAO Doc 9303 (Russian passports since 2013)",
     WORD_PLAIN,
     APOS_DROP,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(ru_common), TABLE(ru_icao)}},
    {"ru-passport-2010",
     "ru",
     "Russian passport rules of 2010 (FMS order 26): ts as tc",
     WORD_PLAIN,
     APOS_DROP,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(ru_common), TABLE(ru_2010)}},
    {"ru-passport-1997",
     "ru",
     "Russian passport rules of 1997 (MVD order 310): ye, yu, ya, y, soft sign '",
     WORD_PLAIN "$V = [aeiouyAEIOUY];\n",
     APOS_DROP,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(ru_1997), TABLE(ru_common)}},
    {"ru-bgn-pcgn",
     "ru",
     "Russian BGN/PCGN 1947 (English-language maps and lists)",
     WORD_PLAIN "$V = [aeiouy\\u00EBAEIOUY\\u00CB];\n"
                "$E = [aeiouy\\u00EBAEIOUY\\u00CB\\u2019\\u201D];\n"
                "$C = [[:L:]-[aeiouy\\u00EBAEIOUY\\u00CB]];\n",
     APOS_DOUBLE_QUOTE,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(ru_bgn)}},
    {"ru-gost-7.79-b",
     "ru",
     "Russian GOST 7.79-2000 system B (ASCII, libraries and the web)",
     WORD_PLAIN,
     "$W { $apos } [:L:] > \\u0027\\u0027;\n",
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(ru_gost_b)}},
    {"ru-iso-9",
     "ru",
     "ISO 9:1995 = GOST 7.79-2000 system A (one letter each, diacritics)",
     WORD_PLAIN,
     "$W { $apos } [:L:] > \\u2019;\n",
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(ru_iso9)}},
    {"be-national",
     "be",
     "Belarusian national system of 2007 (UN-adopted, diacritics)",
     WORD_PLAIN "$V = [aeiouy\\u016DAEIOUY\\u016C];\n",
     APOS_DROP,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(be_national)}},
    {"be-bgn-pcgn",
     "be",
     "Belarusian BGN/PCGN 1979 (English-language maps and lists)",
     WORD_PLAIN,
     APOS_DOUBLE_QUOTE,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(be_bgn)}},
    {"be-icao-9303",
     "be",
     "Belarusian ICAO Doc 9303 (Belarusian passports: Aliaksandr, Ihar)",
     WORD_PLAIN,
     APOS_DROP,
     RZ__CASE_NEIGHBOUR_UPPER,
     {TABLE(be_icao)}},
};

const size_t rz__translit_scheme_total = N(rz__translit_schemes);
