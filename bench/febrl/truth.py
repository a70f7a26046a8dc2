#!/usr/bin/env python3
"""Ground truth of the FEBRL datasets in the generator's format (source,record_id,person_id).

FEBRL's dsgen names each record rec-N-org (the original) or rec-N-dup-K (the K-th corrupted
duplicate of it): every record with the same N is the same person. In datasets 4a and 4b
N links the two files 1:1 (4a holds the originals, 4b the duplicates).

  bench/febrl/truth.py SOURCE=FILE [SOURCE=FILE ...] > truth.csv
  e.g. truth.py febrl4a=bench/febrl/dataset4a.csv febrl4b=bench/febrl/dataset4b.csv
"""
import csv
import re
import sys

REC = re.compile(r'^rec-(\d+)-(org|dup-\d+)$')


def main(argv):
    if len(argv) < 2 or any('=' not in a for a in argv[1:]):
        sys.exit(__doc__)
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(['source', 'record_id', 'person_id'])
    for arg in argv[1:]:
        source, path = arg.split('=', 1)
        with open(path, encoding='utf-8', newline='') as f:
            rows = csv.reader(f, skipinitialspace=True)
            header = [h.strip() for h in next(rows)]
            col = header.index('rec_id')
            for line, row in enumerate(rows, start=2):
                rec = row[col].strip()
                m = REC.match(rec)
                if not m:
                    sys.exit(f'{path}:{line}: rec_id {rec!r} is not rec-N-org or rec-N-dup-K')
                out.writerow([source, rec, m.group(1)])


if __name__ == '__main__':
    main(sys.argv)
