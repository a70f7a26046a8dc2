#!/usr/bin/env python3
"""bench/names_forms.py: how the names comparison reads three forms of real registers that
bench/gen never writes, for each `rozshuk` binary given (old and new code side by side):

    bench/names_forms.py OLD/cli/rozshuk NEW/cli/rozshuk [--pairs N] [--seed S]

Surnames and given names are those of bench/data (surnames.csv, given_female.csv,
given_male.csv: Ukrainian and Russian columns), drawn at random (seed S, N pairs a set).
Sets of one person (the share whose surname agrees, close or better, should be high):
  maiden     "Іваненко (Петренко) Ольга" / "Петренко Ольга", also with "дів." (Ukrainian) and
             "урожд." (Russian) before the maiden name;
  rank       "солдат Шевченко Тарас" / "Шевченко Тарас" (ranks of the closed list, the
             abbreviations too);
  double     "Петренко-Іваненко Ольга" / "Іваненко Ольга" (either part).
Sets of two people (the share should stay low):
  maiden-no  "Іваненко (Петренко) Ольга" / "Сидоренко Ольга": neither surname;
  double-no  "Петренко-Іваненко Ольга" / "Петренко-Сидоренко Ольга": two double surnames that
             share one part; and "Шевченко-Бондар" / "Бондаренко": a real surname that starts
             with a part.
Prints per set and binary the share of pairs with the surname close or better, and with the
whole name close or better.
"""
import json
import os
import random
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(TOP, 'bench', 'data')
RANKS_UK = ['солдат', 'рядовий', 'матрос', 'сержант', 'мол. сержант', 'ст. сержант', 'старшина',
            'прапорщик', 'лейтенант', 'ст. лейтенант', 'капітан', 'майор', 'підполковник',
            'полковник']
RANKS_RU = ['рядовой', 'сержант', 'мл. сержант', 'старшина', 'лейтенант', 'капитан', 'майор',
            'подполковник', 'полковник']


def column(name, col):
    out = []
    with open(os.path.join(DATA, name), encoding='utf-8') as f:
        next(f)
        for line in f:
            v = line.rstrip('\n').split(',')
            if len(v) > col and v[col] and ' ' not in v[col] and '-' not in v[col]:
                out.append(v[col])
    return out


def pair_sets(n, seed):
    rnd = random.Random(seed)
    sur = {'uk': column('surnames.csv', 0), 'ru': column('surnames.csv', 1)}
    given = {'uk': column('given_female.csv', 0) + column('given_male.csv', 0),
             'ru': column('given_female.csv', 1) + column('given_male.csv', 1)}
    sets = {k: [] for k in ('maiden', 'rank', 'double', 'maiden-no', 'double-no')}
    for i in range(n):
        lang = 'uk' if i % 2 == 0 else 'ru'
        a, b, c = rnd.sample(sur[lang], 3)
        g = rnd.choice(given[lang])
        mark = ['', 'дів. ' if lang == 'uk' else 'урожд. '][i % 4 // 2]
        sets['maiden'].append((f'{a} ({mark}{b}) {g}', f'{b} {g}'))
        sets['maiden-no'].append((f'{a} ({mark}{b}) {g}', f'{c} {g}'))
        rank = rnd.choice(RANKS_UK if lang == 'uk' else RANKS_RU)
        sets['rank'].append((f'{rank} {a.upper() if i % 3 == 0 else a} {g}', f'{a} {g}'))
        part = a if i % 2 == 0 else b
        sets['double'].append((f'{a}-{b} {g}', f'{part} {g}'))
        sets['double-no'].append((f'{a}-{b} {g}', f'{a}-{c} {g}'))
    # a real surname that starts with another real surname (Бондар/Бондаренко)
    by_len = sorted(set(sur['uk']), key=len)
    longer = [(s, t) for s in by_len if len(s) >= 4 for t in by_len
              if t != s and t.startswith(s) and len(t) > len(s) + 1]
    rnd.shuffle(longer)
    for s, t in longer[:n]:
        other = rnd.choice(sur['uk'])
        g = rnd.choice(given['uk'])
        sets['double-no'].append((f'{other}-{s} {g}', f'{t} {g}'))
    return sets


def run(binary, pairs):
    text = ''.join(f'{a}\t{b}\n' for a, b in pairs)
    out = subprocess.run([binary, 'compare', '--pairs', '-'], input=text, capture_output=True,
                         text=True, check=False).stdout
    sur = whole = 0
    for line in out.splitlines():
        o = json.loads(line)
        if 'error' in o:
            continue
        sur += o['parts']['surname']['level'] in ('close', 'equivalent', 'exact')
        whole += o['level'] in ('close', 'equivalent', 'exact')
    return sur, whole


def main():
    args = sys.argv[1:]
    n, seed, bins = 1000, 1, []
    while args:
        a = args.pop(0)
        if a == '--pairs':
            n = int(args.pop(0))
        elif a == '--seed':
            seed = int(args.pop(0))
        else:
            bins.append(a)
    if not bins:
        sys.exit(__doc__)
    sets = pair_sets(n, seed)
    labels = ['/'.join(os.path.abspath(b).split('/')[-4:-2])[-24:] for b in bins]
    print(f'{"set":10} {"pairs":>6}  ' + '  '.join(f'{label:>24}' for label in labels))
    print(f'{"":10} {"":>6}  ' + '  '.join(f'{"surname / whole name":>24}' for _ in bins))
    for name, pairs in sets.items():
        cells = []
        for b in bins:
            s, w = run(b, pairs)
            cells.append(f'{s / len(pairs):>11.4f} / {w / len(pairs):.4f}')
        print(f'{name:10} {len(pairs):>6}  ' + '  '.join(cells))


if __name__ == '__main__':
    main()
