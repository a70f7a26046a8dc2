#!/usr/bin/env python3
"""Writes bench/data/names_eval/uk_ru_surnames.tsv: Ukrainian-Russian surname pairs for the
names evaluation (bench/names_eval.c), sampled from names-translator's legacy_ua2ru.csv
(github.com/dchaplinsky/names-translator, MIT, Copyright (c) 2018 Dmitry Chaplinsky).

Usage: names_eval_sample.py LEGACY_UA2RU.csv GIVEN_NAMES.tsv OUTPUT.tsv [N]

Kept: primary pairs (count 2) of single capitalised Cyrillic words that are not patronymics,
inflected forms or given names of the dictionary (so that the evaluation of surnames does not
test the dictionary against its own source). Sampled by a hash of the pair, so the sample is
the same on every run.
"""
import csv
import hashlib
import re
import sys

UK = re.compile(r"[А-ЯІЇЄҐ][а-яіїєґ']+[а-яіїєґ]")
RU = re.compile(r"[А-ЯЁ][а-яё]+")
INFLECTED = re.compile(r"(ович|евич|івна|ївна|овна|евна|ича|івни|овича|ому|ого|ої|ою|ич|ичу|ові)$")


def main():
    legacy, given_tsv, output = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    given = set()
    for line in open(given_tsv, encoding="utf-8"):
        if line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        for col in cols[2:4]:
            given.update(f.lower() for f in col.split(",") if f)
    pairs = []
    with open(legacy, encoding="utf-8") as src:
        for row in csv.DictReader(src):
            uk, ru = row["uk"].strip(), row["ru"].strip()
            if row["count"] != "2" or not UK.fullmatch(uk) or not RU.fullmatch(ru):
                continue
            if INFLECTED.search(uk) or uk.lower() in given or ru.lower() in given:
                continue
            pairs.append((hashlib.sha1((uk + "\t" + ru).encode()).hexdigest(), uk, ru))
    pairs.sort()
    with open(output, "w", encoding="utf-8") as out:
        out.write("# Ukrainian<TAB>Russian surname pairs sampled from names-translator's\n"
                  "# legacy_ua2ru.csv (MIT, Copyright (c) 2018 Dmitry Chaplinsky; see\n"
                  "# data/NOTICE). Written by bench/names_eval_sample.py.\n")
        for _, uk, ru in pairs[:n]:
            out.write("%s\t%s\n" % (uk, ru))


if __name__ == "__main__":
    main()
