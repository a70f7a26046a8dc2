#!/usr/bin/env python3
"""bench/eval.py: pairwise quality of candidate pairs against a ground truth.

  eval.py quality  --truth T.csv --candidates C.{csv,jsonl} [scope] [--threshold X]
  eval.py baseline --truth T.csv [scope] [--threshold S] [--pairs-out P.csv]
  eval.py blocking --truth T.csv --candidates C.{csv,jsonl} [scope]

The truth is the generator's truth.csv (or bench/febrl/truth.py's): source,record_id,person_id.
Two records are a true pair when they have the same person_id.

Scope (which pairs count):
  --dedupe SRC[,SRC...]   all pairs among records of these sources (default: every source)
  --link A[,..] --to B[,..]  only pairs with one record in A and the other in B

quality: reads candidates exported by `rozshuk candidates --format csv|jsonl` and prints the
pairs in truth, candidates, true/false positives, precision, recall and F1 at the threshold,
then a precision-recall table over thresholds. The score is `probability` unless --score
names another column (e.g. match_weight).

baseline: the do-it-yourself PostgreSQL join a DBA would write on the loaded records: the
names as written (all of a record's names, lower-cased) compared with pg_trgm similarity, plus
birth-date agreement. --method date (default): the same stored birth date (hash join, fast at
any size); --method trgm: similar names by the `%` operator on a trigram index, birth dates
overlapping or unknown (slow: minutes for 20,000 records on this machine). Runs through psql
on the database of the PG* environment (or --db), times itself, and evaluates its pairs like
`quality` with the similarity as the score.

blocking: pairs completeness (share of the true pairs among the pairs generated) and reduction
ratio (1 - generated pairs / all pairs in scope) of a candidate file holding every generated
pair.

search: the hit rate of a search run: the share of the queries (the generator's queries.csv:
name,born,person_id) whose true person is among the first --top results (default 10), from
the JSON Lines of `rozshuk search --queries` (one line per query, in order: an array of
results, or an object with "results"; each result names source and source_id). When a line
carries its time ("elapsed_ms", "ms", "latency_ms" or "took_ms"), p50/p95/p99 are printed.
--latencies FILE (one number of milliseconds per line, e.g. whole-command times measured by
a script) prints the same percentiles for those.

--json prints one JSON object instead of the tables. Only the Python standard library is
used; psql must be on PATH for `baseline`.
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict

# Column names accepted for the two records of a pair and the score, in candidate exports.
SIDE_ALIASES = {
    'a': [('source_a', 'source_id_a'), ('a_source', 'a_source_id'), ('source_l', 'source_id_l'),
          ('left_source', 'left_source_id'), ('source1', 'source_id1'),
          ('a_source', 'a_source_record_id'), ('source_a', 'source_record_id_a'),
          ('a_source', 'a_id'), ('source_a', 'id_a')],
    'b': [('source_b', 'source_id_b'), ('b_source', 'b_source_id'), ('source_r', 'source_id_r'),
          ('right_source', 'right_source_id'), ('source2', 'source_id2'),
          ('b_source', 'b_source_record_id'), ('source_b', 'source_record_id_b'),
          ('b_source', 'b_id'), ('source_b', 'id_b')],
}


class Scope:
    """Which records and pairs count."""

    def __init__(self, dedupe=None, link=None, to=None):
        self.dedupe = set(dedupe) if dedupe else None
        self.link = set(link) if link else None
        self.to = set(to) if to else None

    def record(self, source):
        if self.link is not None:
            return source in self.link or source in self.to
        return self.dedupe is None or source in self.dedupe

    def pair(self, sa, sb):
        if self.link is not None:
            return (sa in self.link and sb in self.to) or (sb in self.link and sa in self.to)
        return self.record(sa) and self.record(sb)

    def describe(self):
        if self.link is not None:
            return 'link %s to %s' % (','.join(sorted(self.link)), ','.join(sorted(self.to)))
        return 'dedupe %s' % (','.join(sorted(self.dedupe)) if self.dedupe else 'all sources')


def read_truth(path, scope):
    """Returns {(source, record_id): person_id} for the records in scope."""
    truth = {}
    with open(path, encoding='utf-8', newline='') as f:
        rows = csv.DictReader(f)
        missing = {'source', 'record_id', 'person_id'} - set(rows.fieldnames or [])
        if missing:
            sys.exit('%s: missing columns %s' % (path, ', '.join(sorted(missing))))
        for row in rows:
            if scope.record(row['source']):
                truth[(row['source'], row['record_id'])] = row['person_id']
    return truth


def count_true_pairs(truth, scope):
    """The number of true pairs in scope, and the number of all pairs in scope."""
    if scope.link is not None:
        left, right = defaultdict(int), defaultdict(int)
        nl = nr = 0
        for (source, _), person in truth.items():
            if source in scope.link:
                left[person] += 1
                nl += 1
            if source in scope.to:
                right[person] += 1
                nr += 1
        return sum(left[p] * right[p] for p in left), nl * nr
    sizes = defaultdict(int)
    for person in truth.values():
        sizes[person] += 1
    n = len(truth)
    return sum(k * (k - 1) // 2 for k in sizes.values()), n * (n - 1) // 2


def flatten(obj, prefix=''):
    out = {}
    for k, v in obj.items():
        key = prefix + k
        if isinstance(v, dict):
            out.update(flatten(v, key + '_'))
        else:
            out[key] = v
    return out


def resolve_columns(keys, score, path):
    keys = set(keys)
    sides = []
    for side in ('a', 'b'):
        for s, i in SIDE_ALIASES[side]:
            if s in keys and i in keys:
                sides.append((s, i))
                break
        else:
            sys.exit('%s: cannot find the source and source record id of record %s among the '
                     'columns %s; name them with --columns' % (path, side, ', '.join(sorted(keys))))
    if score not in keys:
        sys.exit('%s: no score column %r among %s (use --score)' % (path, score,
                                                                    ', '.join(sorted(keys))))
    return sides[0] + sides[1] + (score,)


def read_candidates(path, score, columns=None):
    """Yields (source_a, id_a, source_b, id_b, score) from a CSV or JSON Lines export."""
    with open(path, encoding='utf-8', newline='') as f:
        first = f.readline()
        f.seek(0)
        if first.lstrip().startswith('{'):
            rows = (flatten(json.loads(line)) for line in f if line.strip())
        else:
            rows = csv.DictReader(f)
        cols = None
        for row in rows:
            if cols is None:
                cols = columns or resolve_columns(row.keys(), score, path)
            value = row[cols[4]]
            if value in (None, ''):
                continue
            yield (str(row[cols[0]]), str(row[cols[1]]), str(row[cols[2]]), str(row[cols[3]]),
                   float(value))


def score_pairs(truth, scope, candidates):
    """Returns [(score, is_true)] for each distinct candidate pair in scope, best first."""
    best = {}
    unknown = 0
    for sa, ia, sb, ib, s in candidates:
        if not scope.pair(sa, sb):
            continue
        a, b = (sa, ia), (sb, ib)
        if a == b:
            continue
        if a not in truth or b not in truth:
            unknown += 1
            continue
        key = (a, b) if a < b else (b, a)
        if key not in best or s > best[key]:
            best[key] = s
    scored = [(s, truth[a] == truth[b]) for (a, b), s in best.items()]
    scored.sort(key=lambda x: -x[0])
    return scored, unknown


def metrics(tp, fp, n_true):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / n_true if n_true else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def at_threshold(scored, n_true, threshold):
    tp = sum(1 for s, t in scored if s >= threshold and t)
    fp = sum(1 for s, t in scored if s >= threshold and not t)
    p, r, f1 = metrics(tp, fp, n_true)
    return {'threshold': threshold, 'pairs': tp + fp, 'tp': tp, 'fp': fp, 'fn': n_true - tp,
            'precision': p, 'recall': r, 'f1': f1}


def pr_table(scored, n_true, thresholds):
    return [at_threshold(scored, n_true, t) for t in thresholds]


def best_f1(scored, n_true):
    """The threshold with the highest F1 (reported beside, never instead of, the default)."""
    tp = fp = 0
    best = (0.0, None)
    for i, (s, t) in enumerate(scored):
        tp += t
        fp += not t
        if i + 1 < len(scored) and scored[i + 1][0] == s:
            continue
        f1 = metrics(tp, fp, n_true)[2]
        if f1 > best[0]:
            best = (f1, s)
    return best


def default_grid(scored, score_name):
    if score_name == 'probability' or (scored and 0 <= scored[-1][0] and scored[0][0] <= 1):
        return [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999]
    lo, hi = scored[-1][0], scored[0][0]
    step = (hi - lo) / 12 if hi > lo else 1
    return [lo + step * i for i in range(13)]


def report(title, scope, truth, scored, unknown, threshold, grid, as_json, extra=None):
    n_true, n_all = count_true_pairs(truth, scope)
    main = at_threshold(scored, n_true, threshold)
    table = pr_table(scored, n_true, grid)
    bf1, bthr = best_f1(scored, n_true)
    result = {'title': title, 'scope': scope.describe(), 'records': len(truth),
              'true_pairs': n_true, 'all_pairs': n_all, 'candidate_pairs': len(scored),
              'pairs_outside_truth': unknown, 'at_threshold': main, 'pr_table': table,
              'best_f1': bf1, 'best_f1_threshold': bthr}
    if extra:
        result.update(extra)
    if as_json:
        print(json.dumps(result))
        return result
    print('== %s (%s)' % (title, scope.describe()))
    print('records %d, true pairs %d, candidate pairs %d%s' % (
        len(truth), n_true, len(scored),
        ', %d pairs name records not in the truth (ignored)' % unknown if unknown else ''))
    for k, v in (extra or {}).items():
        print('%s: %s' % (k, v))
    print('at threshold %g: precision %.4f  recall %.4f  F1 %.4f  (tp %d, fp %d, fn %d)' % (
        threshold, main['precision'], main['recall'], main['f1'], main['tp'], main['fp'],
        main['fn']))
    print('%10s %9s %9s %9s %8s %8s' % ('threshold', 'precision', 'recall', 'F1', 'tp', 'fp'))
    for row in table:
        print('%10.4g %9.4f %9.4f %9.4f %8d %8d' % (row['threshold'], row['precision'],
                                                   row['recall'], row['f1'], row['tp'], row['fp']))
    if bthr is not None:
        print('best F1 %.4f at threshold %.4g (for reference; not tuned into the default)' % (
            bf1, bthr))
    return result


def make_scope(args):
    if (args.link is None) != (args.to is None):
        sys.exit('--link and --to go together')
    if args.link is not None and args.dedupe is not None:
        sys.exit('--dedupe and --link exclude each other')
    split = lambda s: [x for x in s.split(',') if x] if s else None
    return Scope(split(args.dedupe), split(args.link), split(args.to))


def cmd_quality(args):
    scope = make_scope(args)
    truth = read_truth(args.truth, scope)
    cols = tuple(args.columns.split(',')) if args.columns else None
    if cols and len(cols) != 5:
        sys.exit('--columns wants SOURCE_A,ID_A,SOURCE_B,ID_B,SCORE')
    scored, unknown = score_pairs(truth, scope, read_candidates(args.candidates, args.score,
                                                                cols))
    grid = default_grid(scored, args.score)
    report(args.title or 'rozshuk candidates', scope, truth, scored, unknown, args.threshold,
           grid, args.json)


def cmd_blocking(args):
    scope = make_scope(args)
    truth = read_truth(args.truth, scope)
    cols = tuple(args.columns.split(',')) if args.columns else None
    scored, unknown = score_pairs(truth, scope, read_candidates(args.candidates, args.score,
                                                                cols))
    n_true, n_all = count_true_pairs(truth, scope)
    found = sum(1 for _, t in scored if t)
    pc = found / n_true if n_true else 0.0
    rr = 1 - len(scored) / n_all if n_all else 0.0
    result = {'scope': scope.describe(), 'records': len(truth), 'true_pairs': n_true,
              'generated_pairs': len(scored), 'all_pairs': n_all, 'pairs_completeness': pc,
              'reduction_ratio': rr}
    if args.json:
        print(json.dumps(result))
    else:
        print('== blocking (%s)' % scope.describe())
        print('records %d, pairs generated %d of %d, true pairs found %d of %d' % (
            len(truth), len(scored), n_all, found, n_true))
        print('pairs completeness %.4f  reduction ratio %.6f' % (pc, rr))


BASELINE_PREP = r"""
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS pg_trgm;
SET pg_trgm.similarity_threshold = %(floor)s;
CREATE TEMP TABLE rz_baseline AS
SELECT p.id, s.name AS source, p.source_record_id, p.birth_from, p.birth_to,
       lower(string_agg(n.written, ' ' ORDER BY n.id)) AS name
FROM rozshuk.person p
JOIN rozshuk.source s ON s.id = p.source_id
JOIN rozshuk.person_name n ON n.person_id = p.id
WHERE s.name = ANY (%(sources)s)
GROUP BY p.id, s.name, p.source_record_id, p.birth_from, p.birth_to;
"""

# method "date": the join a DBA writes first: the same birth date (as stored: the same day, or
# the same year when given as a year) and similar names. A hash join, fast at any size.
BASELINE_DATE = r"""
ANALYZE rz_baseline;
\copy (SELECT a.source, a.source_record_id, b.source, b.source_record_id, round(similarity(a.name, b.name)::numeric, 4) FROM rz_baseline a JOIN rz_baseline b ON a.birth_from = b.birth_from AND a.birth_to = b.birth_to AND %(side)s WHERE similarity(a.name, b.name) >= %(floor)s) TO '%(out)s' WITH (FORMAT csv)
"""

# method "trgm": every pair of similar names (the %% operator on a trigram index) whose birth
# dates overlap or are unknown. Catches date errors, but is slow: minutes for 20,000 records.
BASELINE_TRGM = r"""
CREATE INDEX ON rz_baseline USING gin (name gin_trgm_ops);
ANALYZE rz_baseline;
\copy (SELECT a.source, a.source_record_id, b.source, b.source_record_id, round(similarity(a.name, b.name)::numeric, 4) FROM rz_baseline a JOIN rz_baseline b ON a.name %% b.name AND a.id <> b.id AND %(side)s WHERE (a.birth_from IS NULL OR b.birth_from IS NULL OR (a.birth_from <= b.birth_to AND b.birth_from <= a.birth_to))) TO '%(out)s' WITH (FORMAT csv)
"""


def sql_array(items):
    return "ARRAY[%s]::text[]" % ','.join("'%s'" % s.replace("'", "''") for s in items)


def cmd_baseline(args):
    scope = make_scope(args)
    truth = read_truth(args.truth, scope)
    if scope.link is not None:
        sources = sorted(scope.link | scope.to)
        side = 'a.source = ANY (%s) AND b.source = ANY (%s)' % (sql_array(sorted(scope.link)),
                                                                  sql_array(sorted(scope.to)))
    else:
        sources = sorted(scope.dedupe) if scope.dedupe else sorted({s for s, _ in truth})
        side = 'a.id < b.id'
    fd, out = tempfile.mkstemp(prefix='rz-baseline-', suffix='.csv')
    os.close(fd)
    body = BASELINE_DATE if args.method == 'date' else BASELINE_TRGM
    sql = (BASELINE_PREP + body) % {'floor': args.floor, 'sources': sql_array(sources), 'side': side,
                          'out': out.replace("'", "''")}
    cmd = ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1']
    if args.db:
        cmd += ['-d', args.db]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, input=sql, text=True, capture_output=True)
    secs = time.monotonic() - t0
    if proc.returncode != 0:
        sys.exit('baseline: psql failed: %s' % proc.stderr.strip())
    if args.pairs_out:
        with open(out, encoding='utf-8') as src, open(args.pairs_out, 'w', encoding='utf-8') as dst:
            dst.write('source_a,source_id_a,source_b,source_id_b,similarity\n')
            dst.write(src.read())

    def pairs():
        with open(out, encoding='utf-8', newline='') as f:
            for row in csv.reader(f):
                yield row[0], row[1], row[2], row[3], float(row[4])

    scored, unknown = score_pairs(truth, scope, pairs())
    os.unlink(out)
    grid = [g for g in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0)
            if g >= args.floor]
    title = {'date': 'pg_trgm baseline (same birth date, name similarity)',
             'trgm': 'pg_trgm baseline (names %, birth dates overlap)'}[args.method]
    report(args.title or title, scope, truth, scored,
           unknown, args.threshold, grid, args.json,
           {'seconds': round(secs, 2), 'similarity_floor': args.floor, 'method': args.method})


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    v = sorted(values)
    k = max(0, min(len(v) - 1, math.ceil(q / 100.0 * len(v)) - 1))
    return v[k]


def latency_summary(values):
    if not values:
        return None
    return {'n': len(values), 'p50_ms': percentile(values, 50), 'p95_ms': percentile(values, 95),
            'p99_ms': percentile(values, 99), 'max_ms': max(values)}


TIME_KEYS = ('elapsed_ms', 'ms', 'latency_ms', 'took_ms')


def cmd_search(args):
    truth = read_truth(args.truth, Scope())
    with open(args.queries, encoding='utf-8', newline='') as f:
        queries = list(csv.DictReader(f))
    hits = answered = 0
    times = []
    with open(args.results, encoding='utf-8') as f:
        lines = [line for line in f if line.strip()]
    if len(lines) != len(queries):
        sys.exit('search: %d queries but %d result lines' % (len(queries), len(lines)))
    for q, line in zip(queries, lines):
        obj = json.loads(line)
        results = obj
        if isinstance(obj, dict):
            for key in TIME_KEYS:
                if key in obj:
                    times.append(float(obj[key]))
                    break
            results = obj.get('results', obj.get('candidates', []))
        answered += bool(results)
        for r in results[:args.top]:
            r = flatten(r) if isinstance(r, dict) else {}
            key = (str(r.get('source', '')), str(r.get('source_id', r.get('source_record_id', ''))))
            if truth.get(key) == q['person_id']:
                hits += 1
                break
    extra = []
    if args.latencies:
        with open(args.latencies, encoding='utf-8') as f:
            extra = [float(x) for x in f if x.strip()]
    result = {'queries': len(queries), 'answered': answered, 'top': args.top, 'hits': hits,
              'hit_rate': hits / len(queries) if queries else 0.0,
              'in_run_latency': latency_summary(times),
              'command_latency': latency_summary(extra)}
    if args.json:
        print(json.dumps(result))
        return
    print('== search: %d queries, true person in the top %d for %d (hit rate %.4f)' % (
        len(queries), args.top, hits, result['hit_rate']))
    for title, key in (('in-run', 'in_run_latency'), ('whole command', 'command_latency')):
        lat = result[key]
        if lat:
            print('%s latency over %d queries: p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms'
                  % (title, lat['n'], lat['p50_ms'], lat['p95_ms'], lat['p99_ms'],
                     lat['max_ms']))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__)
    sub = ap.add_subparsers(dest='cmd', required=True)

    def common(p):
        p.add_argument('--truth', required=True)
        p.add_argument('--dedupe', metavar='SRC[,SRC]')
        p.add_argument('--link', metavar='SRC[,SRC]')
        p.add_argument('--to', metavar='SRC[,SRC]')
        p.add_argument('--json', action='store_true')
        p.add_argument('--title')

    q = sub.add_parser('quality')
    common(q)
    q.add_argument('--candidates', required=True)
    q.add_argument('--score', default='probability')
    q.add_argument('--threshold', type=float, default=0.5)
    q.add_argument('--columns', help='SOURCE_A,ID_A,SOURCE_B,ID_B,SCORE column names')
    q.set_defaults(func=cmd_quality)

    b = sub.add_parser('blocking')
    common(b)
    b.add_argument('--candidates', required=True)
    b.add_argument('--score', default='probability')
    b.add_argument('--columns')
    b.set_defaults(func=cmd_blocking)

    bl = sub.add_parser('baseline')
    common(bl)
    bl.add_argument('--db', help='conninfo (default: the PG* environment)')
    bl.add_argument('--threshold', type=float, default=0.3,
                    help='similarity at which a pair is called a match (default 0.3, the '
                         'default of pg_trgm.similarity_threshold)')
    bl.add_argument('--floor', type=float, default=0.2,
                    help='lowest similarity kept, for the precision-recall table (default 0.2)')
    bl.add_argument('--method', choices=('date', 'trgm'), default='date',
                    help='date: same birth date and similar names (default, fast); trgm: '
                         'similar names by trigram index, birth dates overlapping (slow)')
    bl.add_argument('--pairs-out')
    bl.set_defaults(func=cmd_baseline)

    se = sub.add_parser('search')
    se.add_argument('--truth', required=True)
    se.add_argument('--queries', required=True, help="the generator's queries.csv")
    se.add_argument('--results', required=True, help='JSON Lines of rozshuk search --queries')
    se.add_argument('--top', type=int, default=10)
    se.add_argument('--latencies', help='whole-command times, one number (ms) a line')
    se.add_argument('--json', action='store_true')
    se.set_defaults(func=cmd_search)

    args = ap.parse_args()
    args.func(args)


if __name__ == '__main__':
    main()
