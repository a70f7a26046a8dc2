#!/usr/bin/env python3
"""Derives bench/data/surnames.csv (uk,ru,weight) for the generator.

Head: surnames_head.csv, curated for this project: the most common Ukrainian surnames and the
Russian surnames common among Russian speakers in Ukraine, with approximate, rank-based
weights (thousands of bearers, rounded; not an official statistic).
Tail: masculine surnames with their Russian forms from names-translator's legacy_ua2ru.csv
(MIT, Copyright (c) 2018 Dmitry Chaplinsky, see LICENSE.names-translator): rows marked as
the primary equivalent (count 2), a single Cyrillic word on both sides, with a typical
masculine surname suffix, not a given name of given_male.csv/given_female.csv. Each tail
surname gets the same weight TAIL_WEIGHT, so that the head holds about a fifth of the mass.

Run once by hand (needs the upstream file; the build and the generator do not):
  bench/data/derive_surnames.py /path/to/legacy_ua2ru.csv > bench/data/surnames.csv
"""
import csv
import os
import re
import sys

TAIL_WEIGHT = 1.6
SUFFIXES = ('енко', 'чук', 'ук', 'юк', 'ський', 'цький', 'зький', 'ов', 'ев', 'єв', 'ін',
            'ин', 'ак', 'як', 'ик', 'ник', 'ець', 'ар', 'ун')
UK_WORD = re.compile(r"^[А-ЯІЇЄҐ][а-яіїєґ']{2,}$")
RU_WORD = re.compile(r"^[А-ЯЁ][а-яё]{2,}$")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    def rows(name):
        with open(os.path.join(here, name), encoding='utf-8') as f:
            return list(csv.DictReader(f))
    head = rows('surnames_head.csv')
    given = {r['uk'] for r in rows('given_male.csv')} | {r['uk'] for r in rows('given_female.csv')}
    seen = {r['uk'] for r in head}
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(['uk', 'ru', 'weight'])
    for r in head:
        out.writerow([r['uk'], r['ru'], r['weight']])
    with open(sys.argv[1], encoding='utf-8') as f:
        rd = csv.reader(f)
        next(rd)
        tail = []
        for r in rd:
            if len(r) < 3 or r[2].strip() != '2':
                continue
            uk, ru = r[0].strip(), r[1].strip().replace('ё', 'е')
            if not UK_WORD.match(uk) or not RU_WORD.match(ru) or not uk.endswith(SUFFIXES):
                continue
            if uk in seen or uk in given:
                continue
            if ru.endswith('ький'):  # a Ukrainian ending left in the Russian column
                ru = ru[:-4] + 'кий'
            seen.add(uk)
            tail.append((uk, ru))
    for uk, ru in sorted(tail):
        out.writerow([uk, ru, TAIL_WEIGHT])


if __name__ == '__main__':
    main()
