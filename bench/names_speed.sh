#!/usr/bin/env bash
# bench/names_speed.sh: the names engine's throughput on one core, with the same Jaro-Winkler
# workload done by python3-jellyfish (Debian package) as the baseline, in one run.
#   bench/names_speed.sh [BUILDDIR]     (default build-bench, a release build)
# Installs python3-jellyfish when missing (a benchmark-only dependency: it is not in the
# default package list; scripts/setup-deps takes it from ROZSHUK_EXTRA_PACKAGES).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
dir=${1:-build-bench}
ROZSHUK_EXTRA_PACKAGES=python3-jellyfish scripts/setup-deps
scripts/build "$dir" -Dbuildtype=release -Dtests=false
pairs=$(mktemp /tmp/rozshuk-jw-pairs.XXXXXX)
trap 'rm -f "$pairs"' EXIT
"$dir/bench/names_speed" -n 20000 -p 2000000 --pairs-out "$pairs" | tee /tmp/rozshuk-names-speed.$$
ours=$(awk '/rz_jaro_winkler/ { print $3 }' /tmp/rozshuk-names-speed.$$)
rm -f /tmp/rozshuk-names-speed.$$
# Debian's python3 (where python3-jellyfish lives), not whatever python3 is first on PATH.
/usr/bin/python3 -W ignore - "$pairs" "$ours" <<'PY'
import sys, time
import jellyfish
path, ours = sys.argv[1], float(sys.argv[2])
pairs = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")]
jw = jellyfish.jaro_winkler_similarity
t0 = time.process_time()
total = 0.0
for a, b in pairs:
    total += jw(a, b)
dt = time.process_time() - t0
rate = len(pairs) / dt
print("  jellyfish %s jaro_winkler   %10.0f /s  (mean %.4f over %d pairs, same pairs)"
      % (getattr(jellyfish, "__version__", ""), rate, total / len(pairs), len(pairs)))
print("  ratio rz_jaro_winkler / jellyfish: %.1f" % (ours / rate))
PY
