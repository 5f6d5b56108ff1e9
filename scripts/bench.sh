#!/usr/bin/env bash
# Runs Linchpin's benchmarks side by side with the baselines in ../shared,
# in one run, and prints the figures BENCHMARKS.md records.
#
#   scripts/bench.sh [cpm|capacity|taskjuggler|psplib|forecast|capacity-forecast|findings|all]
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

# Working days from 2027-01-04 up to and including a date, and the bound the
# issue names (the longer of the critical path and the busiest team's work
# over its people), for a network and an end date.
count_days() {
  python3 - "$@" <<'PY'
import csv, datetime, sys
net, ends = sys.argv[1], sys.argv[2:]
rows = list(csv.DictReader(open(net)))
cap = {r["id"]: int(r["capacity"]) for r in csv.DictReader(open(net.rsplit(".", 1)[0] + ".teams.csv"))}
finish, load = {}, {}
for r in rows:
    deps = [d for d in r["depends"].split(";") if d]
    finish[r["id"]] = max((finish[d] for d in deps), default=0) + float(r["likely"])
    load[r["team"]] = load.get(r["team"], 0) + float(r["likely"])
simple = max(max(finish.values()), max(w / cap.get(t, 1) for t, w in load.items()))
def working_days(end):
    d, n, e = datetime.date(2027, 1, 4), 0, datetime.date.fromisoformat(end)
    while d <= e:
        n += d.weekday() < 5
        d += datetime.timedelta(days=1)
    return n
print("critical path or busiest team:", round(simple, 1), "days;", " ".join(f"{e} = day {working_days(e)}" for e in ends))
PY
}

if [[ $what == capacity || $what == all ]]; then
  for spec in "10000 20" "100000 20" "100000 500"; do
    read -r size teams <<<"$spec"
    echo "== capacity-aware schedule, $size items, $teams teams of 3, fractional estimates"
    net=$work/cap$size-$teams.csv
    [[ -f $net ]] || python3 "$shared/baselines/gen_network.py" "$size" "$net" --teams "$teams"
    for _ in 1 2 3; do
      /usr/bin/time -f "linchpin: %e s, %M KB" $bin schedule "$net" --start 2027-01-04 --format json 2>&1 >/dev/null | tail -1
    done
    if [[ -n ${OLD:-} ]]; then
      /usr/bin/time -f "previous ($OLD): %e s, %M KB" "$OLD" schedule "$net" --start 2027-01-04 --format json 2>&1 >/dev/null | tail -1
    fi
  done
fi

if [[ $what == taskjuggler || $what == all ]]; then
  for size in 200 1000 5000; do
    echo "== capacity-aware against TaskJuggler, $size items, 20 teams of 3, whole days (seed 9)"
    net=$work/tj$size.csv
    [[ -f $net ]] || python3 "$shared/baselines/gen_network.py" $size "$net" --teams 20 --integer --seed 9
    python3 "$shared/baselines/tj3_from_csv.py" "$net" "$work/tj$size.tjp" --report
    echo "tj3: $( (cd "$work" && seconds tj3 --silent tj$size.tjp) ) s"
    tj_end=$(python3 -c "import csv,sys; rows=list(csv.reader(open(sys.argv[1]), delimiter=';')); print(max(r[2] for r in rows[1:]))" "$work/tj$size.ends.csv")
    for _ in 1 2 3; do echo "linchpin: $(seconds $bin schedule "$net" --start 2027-01-04 --format json) s"; done
    $bin schedule "$net" --start 2027-01-04 --format json >"$work/tj$size.json"
    ours=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); b=d['lower_bound']; print(d['end'], d['schedules_generated'], b['date'], b['set_by'])" "$work/tj$size.json")
    read -r end schedules bound set_by <<<"$ours"
    echo "linchpin end $end ($schedules schedules); its lower bound $bound (set by $set_by); tj3 end $tj_end"
    count_days "$net" "$end" "$bound" "$tj_end"
  done
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
  echo "peak memory, 100,000 items (KB): $(/usr/bin/time -f %M $bin forecast "$work/net100000.csv" --start 2027-01-04 --distribution triangular --no-capacity --format json 2>&1 >/dev/null | tail -1)"
fi

if [[ $what == capacity-forecast || $what == all ]]; then
  echo "== capacity-aware forecast, 10,000 iterations, 2 cores"
  for size in 1000 10000; do
    [[ -f $work/net$size.csv ]] || python3 "$shared/baselines/gen_network.py" $size "$work/net$size.csv"
  done
  for net in examples/platform-migration "$work/net1000.csv" "$work/net10000.csv"; do
    for _ in 1 2; do
      echo "$net: $(seconds $bin forecast "$net" --start 2027-01-04 --iterations 10000 --format json) s with capacity," \
        "$(seconds $bin forecast "$net" --start 2027-01-04 --iterations 10000 --no-capacity --format json) s without"
    done
    one=$($bin forecast "$net" --start 2027-01-04 --iterations 10000 --threads 1 --format json | sha256sum)
    two=$($bin forecast "$net" --start 2027-01-04 --iterations 10000 --threads 2 --format json | sha256sum)
    [[ $one == "$two" ]] && echo "  identical on 1 and 2 threads" || echo "  DIFFERENT on 1 and 2 threads"
  done
  (cd "$shared/baselines" && python3 mc_numpy.py "$work/net10000.csv" --iters 10000)
fi

if [[ $what == findings || $what == all ]]; then
  # Each phase as the command that runs it alone; findings runs them all
  # (the logic schedule, the roadmap, the forecast) and then its analyses.
  for size in 1000 10000; do
    echo "== findings, $size items (capacity-aware schedule and forecast, default iterations), by phase"
    net=$work/net$size.csv
    [[ -f $net ]] || python3 "$shared/baselines/gen_network.py" $size "$net"
    for phase in "check" "schedule --no-capacity" "schedule" "forecast" "findings"; do
      # shellcheck disable=SC2086
      echo "  $phase: $(seconds $bin $phase "$net" --start 2027-01-04 --format json) s"
    done
  done
fi
