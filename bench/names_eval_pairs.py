#!/usr/bin/env python3
"""bench/names_eval_pairs.py: how many pairs of real, different surnames a one-letter rule of
the names comparison joins (close or better), for each `rozshuk` binary given (old and new code
side by side):

    bench/names_eval_pairs.py OLD/cli/rozshuk NEW/cli/rozshuk

The surnames are those of bench/data/names_eval/uk_ru_surnames.tsv (Ukrainian and Russian
columns, 11,916 distinct names). Two sets of pairs:
  shape    two surnames that differ by one letter whose Latin capital has the shape of the
           other's Cyrillic letter (б/в, г/н, х/н, п/р, ц/с: Білінська/Вілінська), the first
           rendered in Latin capitals (KMU 2010, then ICAO): what a rule reading a Latin capital
           as the Cyrillic letter of its shape would join;
  doubled  a surname with a doubled letter and one without, one substitution or transposition
           apart once doubled letters are merged (Баллак/Бабак, Моисеенко/Мосиенко).
"""
import collections
import json
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV = os.path.join(TOP, 'bench', 'data', 'names_eval', 'uk_ru_surnames.tsv')


def surnames():
    seen = {}
    for line in open(TSV, encoding='utf-8'):
        if line.startswith('#'):
            continue
        for w in line.rstrip('\n').split('\t')[:2]:
            if w and w.lower() not in seen:
                seen[w.lower()] = w
    return seen


def shape_pairs(names):
    look_alike = {'б': 'в', 'г': 'н', 'х': 'н', 'п': 'р', 'ц': 'с'}
    out = []
    for low, w in names.items():
        for i, c in enumerate(low):
            other = low[:i] + look_alike.get(c, c) + low[i + 1:]
            if c in look_alike and other in names:
                out.append((w, names[other]))
    return sorted(set(out))


def undouble(w):
    return re.sub(r'(.)\1+', r'\1', w.lower())


def doubled_pairs(names):
    by = collections.defaultdict(list)
    for w in names.values():
        by[undouble(w)].append(w)
    out = set()
    for w in names.values():
        u = undouble(w)
        if u == w.lower():
            continue
        variants = {u[:i] + c + u[i + 1:] for i in range(len(u)) for c in set(u)}
        variants |= {u[:i] + u[i + 1] + u[i] + u[i + 2:] for i in range(len(u) - 1)}
        for v in variants - {u}:
            out.update((w, x) for x in by.get(v, []) if undouble(x) == x.lower())
    return sorted(out)


def run(binary, args, text):
    return subprocess.run([binary] + args, input=text, capture_output=True, text=True,
                          check=True).stdout


def joined(binary, pairs):
    lines = ''.join('%s\t%s\n' % p for p in pairs)
    out = run(binary, ['compare', '--pairs', '-'], lines).strip().split('\n')
    return [p for p, r in zip(pairs, out)
            if json.loads(r).get('level') in ('close', 'equivalent', 'exact')]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    names = surnames()
    sets = []
    for scheme in ('uk-kmu-2010', 'ru-icao-9303'):
        pairs = shape_pairs(names)
        latin = run(sys.argv[1], ['translit', '--scheme', scheme, '-'],
                    ''.join(a + '\n' for a, _ in pairs)).split('\n')
        sets.append(('shape, ' + scheme, [(l.upper(), b) for l, (_, b) in zip(latin, pairs)]))
    sets.append(('doubled', doubled_pairs(names)))
    for name, pairs in sets:
        for binary in sys.argv[1:]:
            j = joined(binary, pairs)
            print('%-22s %-40s %3d pairs, joined %3d  %s' %
                  (name, binary, len(pairs), len(j), ', '.join('/'.join(p) for p in j[:8])))


if __name__ == '__main__':
    main()
