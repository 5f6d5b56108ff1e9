#!/usr/bin/env bash
# Runs Linchpin's benchmarks side by side with the baselines in ../shared,
# in one run, and prints the figures BENCHMARKS.md records.
#
#   scripts/bench.sh [cpm|taskjuggler|psplib|forecast|all]
#
# Needs: a release build (cargo build --release), python3 with
# `pip install -r ../shared/baselines/requirements.txt`, and `tj3`
# (`apt-get install tj3`) for the TaskJuggler race, gcc for the C loop.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
work=${WORK:-$(mktemp -d)}
bin=target/release/linchpin
what=${1:-all}
seconds() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }

if [[ $what == cpm || $what == all ]]; then
  echo "== CPM without capacity, 1,000,000 items"
  [[ -f $work/net1m.csv ]] || python3 "$shared/baselines/gen_network.py" 1000000 "$work/net1m.csv"
  cargo bench -q -p linchpin-engine --bench cpm -- "$work/net1m.csv" 5
  echo "linchpin whole command (read, schedule, write CSV): $(seconds $bin schedule "$work/net1m.csv" --no-capacity --start 2027-01-04 --format csv) s"
  (cd "$shared/baselines" && python3 cpm_networkx.py "$work/net1m.csv")
fi

if [[ $what == taskjuggler || $what == all ]]; then
  echo "== capacity-aware, 5,000 items, 20 teams, whole days"
  [[ -f $work/net5k.csv ]] || python3 "$shared/baselines/gen_network.py" 5000 "$work/net5k.csv" --teams 20 --integer
  python3 "$shared/baselines/tj3_from_csv.py" "$work/net5k.csv" "$work/net5k.tjp" --report
  echo "tj3: $( (cd "$work" && seconds tj3 --silent net5k.tjp) ) s"
  python3 - "$work/net5k.ends.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=';'))
print("tj3 end:", max(r[2] for r in rows[1:]))
PY
  echo "linchpin: $(seconds $bin schedule "$work/net5k.csv" --start 2027-01-04 --format json) s"
  $bin schedule "$work/net5k.csv" --start 2027-01-04 --format json \
    | python3 -c "import json,sys; d=json.load(sys.stdin); print('linchpin end:', d['end'], '(', d['schedules_generated'], 'schedules )')"
fi

if [[ $what == psplib || $what == all ]]; then
  data=$shared/data/psplib
  for set in "j30 j30opt.sm" "j60 j60hrs.sm" "j120 j120hrs.sm"; do
    read -r name table <<<"$set"
    echo "== PSPLIB $name, 5,000 schedules per instance"
    $bin bench psplib "$data/$name" --solutions "$data/solutions/$table" --effort 5000
  done
  echo "== PSPLIB j30 on one core"
  $bin bench psplib "$data/j30" --solutions "$data/solutions/j30opt.sm" --effort 5000 --threads 1
fi

if [[ $what == forecast || $what == all ]]; then
  for size in 10000 100000; do
    echo "== Monte Carlo forecast, $size items, 10,000 iterations (triangular)"
    [[ -f $work/net$size.csv ]] || python3 "$shared/baselines/gen_network.py" $size "$work/net$size.csv"
    for _ in 1 2 3; do cargo bench -q -p linchpin-engine --bench forecast -- "$work/net$size.csv" 10000; done
    (cd "$shared/baselines" && python3 mc_numpy.py "$work/net$size.csv" --iters 10000)
    for _ in 1 2 3; do cargo bench -q -p linchpin-engine --bench forecast -- "$work/net$size.csv" 10000; done
  done
  echo "== one core, 10,000 items, against the C loop"
  for _ in 1 2 3; do RAYON_NUM_THREADS=1 cargo bench -q -p linchpin-engine --bench forecast -- "$work/net10000.csv" 10000; done
  gcc -O3 -march=native -o "$work/maxplus" "$shared/baselines/maxplus.c" -lm && "$work/maxplus" 10000 10000
  echo "== PERT, 10,000 items"
  cargo bench -q -p linchpin-engine --bench forecast -- "$work/net10000.csv" 10000 pert
  echo "peak memory, 100,000 items (KB): $(/usr/bin/time -f %M $bin forecast "$work/net100000.csv" --start 2027-01-04 --distribution triangular --format json 2>&1 >/dev/null | tail -1)"
fi
