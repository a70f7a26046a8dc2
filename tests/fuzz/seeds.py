#!/usr/bin/env python3
"""seeds.py OUTDIR: writes the seed corpus of each fuzz target of tests/fuzz/ into
OUTDIR/<target>/, from the project's own small files (data-samples/, tests/fuzz/corpus/)."""
import csv
import glob
import hashlib
import os
import sys

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = sys.argv[1]


def put(target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


samples = os.path.join(top, 'data-samples')
cells = set()
for path in sorted(glob.glob(os.path.join(samples, '*'))):
    data = open(path, 'rb').read()
    if path.endswith('.json'):
        put('mapping', data)
        continue
    if path.endswith('.md'):
        continue
    # reader: the first byte picks the format (0 CSV sniffed, 1 TSV, 2 JSON Lines)
    fmt = 2 if path.endswith('.jsonl') else 1 if path.endswith('.tsv') else 0
    put('reader', bytes([fmt]) + data[:4096])
    for mapping in range(3):  # none, MAPPINGS[0], MAPPINGS[1] of fuzz_loader.c
        put('loader', bytes([fmt + 12 * mapping]) + data[:4096])
    if fmt != 2:
        text = data.decode('utf-8', 'surrogateescape')
        delim = '\t' if fmt == 1 else (';' if text.count(';') > text.count(',') else ',')
        for row in csv.reader(text.splitlines()[:20], delimiter=delim):
            cells.update(c for c in row if 0 < len(c) < 120)
for c in sorted(cells):
    b = c.encode('utf-8', 'surrogateescape')
    put('values', b)
    put('names', b)
for q in ['1985-03-12', '12.03.1985', '1985-03', '1985', '1980..1985', '1985-02-29..1990']:
    put('search_query', b'\0' + q.encode())
put('search_query', '\1name,born,sex\nКлименко Олександр,1985,m\n"Klymenko, Oleksandr",,\n'.encode())
put('search_query', '\1Коваленко Микола Петрович,1979-07-03,f\n'.encode())
put('names', 'Клименко\nОлександр\nІванович'.encode())
put('mapping', b'{"header":false,"columns":["surname","given_name","birth_date"]}')
put('mapping', b'{"format":"tsv","age_reference":"2022-09-14","auto_detect":false}')
# inputs saved from earlier runs (crashes found and fixed, interesting cases)
for path in sorted(glob.glob(os.path.join(top, 'tests', 'fuzz', 'corpus', '*', '*'))):
    put(os.path.basename(os.path.dirname(path)), open(path, 'rb').read())
# limits: a field just over RZ_LOAD_FIELD_MAX (64 KiB), in CSV and in JSON Lines
big = b'x' * (64 * 1024 + 1)
put('reader', b'\0id,surname\n1,' + big + b'\n2,Klymenko\n')
put('reader', b'\2{"id":"1","surname":"' + big + b'"}\n{"id":"2"}\n')
# a row of more than RZ_LOAD_COLS_MAX (512) columns
put('reader', b'\0' + b','.join(b'c%d' % i for i in range(513)) + b'\n' + b',' * 513 + b'\n')
# names at their limits: RZ_NAME_TOKENS_MAX (12) words and one more, RZ_NAME_TEXT_MAX (1000)
# bytes, letters whose case folding is longer than they are (ß, ﬃ, ŉ)
put('names', ' '.join(['Клименко'] * 12).encode())
put('names', ' '.join(['Ivan'] * 13).encode())
put('names', ('Шевченко' * 62).encode())
put('names', ('ß' * 250 + ' ' + 'ﬃ' * 160 + ' ŉ').encode())
