#!/usr/bin/env bash
# Benchmark of the dashboard's pages with wrk (Debian's, installed with
# apt-get when missing): requests/s and p50/p99 of each page's server time,
# signed in by cookie, on SQLite, for the example program and a generated
# 10,000-item one with ten milestones, once each page's analyses are computed (the first view
# computes them in the background and says so; that time is printed too).
#
#   scripts/pages.sh [BINARY] [SECONDS]     # default target/release/linchpin, 5
#
# Prints one markdown table row per page.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-target/release/linchpin}
seconds=${2:-5}
plans=${PAGES_PLANS:-example big}
[[ -x $binary ]] || { echo "no binary at $binary: cargo build --release -p linchpin" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

work=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
password=page-benchmark-password

python3 scripts/big_plan.py 10000 "$work/big.yaml" --milestones 10
# A copy: a push records where it went beside the plan.
cp -r examples/platform-migration "$work/example"

cat >"$work/page.lua" <<'EOF'
wrk.headers["Cookie"] = "linchpin_session=" .. os.getenv("SESSION")
EOF

# Waits until PATH answers a page that is not "computing"; prints the seconds.
warm() {
  local path=$1 started now
  started=$(date +%s.%N)
  while curl -sf -b "linchpin_session=$SESSION" "$URL$path" | grep -q 'data-computing'; do sleep 0.5; done
  now=$(date +%s.%N)
  awk -v a="$started" -v b="$now" 'BEGIN { printf "%.1f", b - a }'
}

measure() {
  local label=$1 path=$2 first out rps p50 p99 non2xx
  first=$(warm "$path")
  out=$(wrk -t2 -c8 -d"${seconds}s" --timeout 10s --latency -s "$work/page.lua" "$URL$path" 2>&1)
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "| $plan | $label | $first s | $rps | $p50 | $p99 | ${non2xx:-0} |"
}

echo "| program | page | first view ready after | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|---|"
for plan in $plans; do
  database=$work/pages-$plan.db
  LINCHPIN_PASSWORD=$password "$binary" admin create-user admin --server-admin --database "$database" >/dev/null
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  URL=http://127.0.0.1:$port
  "$binary" serve --listen "127.0.0.1:$port" --database "$database" >"$work/serve-$plan.log" 2>&1 &
  pid=$!
  until curl -sf "$URL/readyz" >/dev/null; do sleep 0.2; done
  session=$(curl -sf -D - -o "$work/session.json" -H 'content-type: application/json' \
    -d "{\"name\":\"admin\",\"password\":\"$password\"}" "$URL/api/v1/session" |
    sed -n 's/^[Ss]et-[Cc]ookie: linchpin_session=\([^;]*\).*/\1/p')
  csrf=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$work/session.json")
  token=$(curl -sf -H "cookie: linchpin_session=$session" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench","write":true}' "$URL/api/v1/me/tokens" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
  if [[ $plan == big ]]; then
    source=$work/big.yaml program=big team=team-1 item=ITEM-5
  else
    source=$work/example program=platform team=ledger item=PAY-5
  fi
  LINCHPIN_TOKEN=$token "$binary" push "$source" --server "$URL" --program "$program" >/dev/null
  export SESSION=$session URL
  measure "program (executive)" "/p/$program"
  measure "portfolio" "/"
  measure "program (engineering)" "/p/$program?register=engineering"
  measure "team" "/p/$program/teams/$team"
  measure "item" "/p/$program/items/$item"
  measure "risks" "/p/$program/risks"
  measure "decisions" "/p/$program/decisions"
  measure "what-if (a slip)" "/p/$program/what-if?slips=$item%3D5"
  measure "account" "/account"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
