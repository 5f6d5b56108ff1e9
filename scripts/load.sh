#!/usr/bin/env bash
# Load benchmark of `linchpin serve` with wrk (Debian's, installed with
# apt-get when missing): requests/s and p50/p99 for program reads, an item
# read, a cached forecast read and status writes, on SQLite and PostgreSQL,
# against the example program and a generated 10,000-item one.
#
#   scripts/load.sh [BINARY] [SECONDS]     # default target/release/linchpin, 10
#
# Writes are PATCHes of `remaining`, one item per wrk thread and one
# connection per thread, sent with If-Match: a thread reads its item's ETag
# first, follows the version each answer gives, and reads again after a 409
# (a Lua script, below). Prints one markdown table row per measurement.
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-target/release/linchpin}
seconds=${2:-10}
postgres=${LINCHPIN_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
backends=${LOAD_BACKENDS:-sqlite postgres}
plans=${LOAD_PLANS:-example big}
[[ -x $binary ]] || { echo "no binary at $binary: cargo build --release -p linchpin" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

work=$(mktemp -d)
pid=
pg_db=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  [[ -n $pg_db ]] && psql "$postgres" -q -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

python3 scripts/big_plan.py 10000 "$work/big.yaml"

cat >"$work/read.lua" <<'EOF'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local ok = 0
function response(status) if status == 200 then ok = ok + 1 end end
EOF

cat >"$work/write.lua" <<'EOF'
-- Each thread PATCHes its own item, sending If-Match with the version it
-- last saw; with no version known it reads the item (GET) for its ETag.
local items, threads, next_item = {}, {}, 0
for item in string.gmatch(os.getenv("ITEMS"), "[^,]+") do table.insert(items, item) end

function setup(thread)
  next_item = next_item + 1
  thread:set("item", items[(next_item - 1) % #items + 1])
  table.insert(threads, thread)
end

-- Globals, so done() can read them from each thread.
writes, conflicts, others = 0, 0, 0
local version, counter = nil, 0
local auth = "Bearer " .. os.getenv("TOKEN")

function request()
  local path = os.getenv("PROGRAM_PATH") .. "/items/" .. item
  if version == nil then
    return wrk.format("GET", path, { ["Authorization"] = auth })
  end
  counter = counter + 1
  return wrk.format("PATCH", path,
    { ["Authorization"] = auth, ["Content-Type"] = "application/json", ["If-Match"] = '"' .. version .. '"' },
    '{"patch":{"remaining":' .. (counter % 40 + 1) .. '}}')
end

function response(status, headers, body)
  local etag = headers["etag"] or headers["ETag"]
  if status == 200 and etag then
    if version ~= nil then writes = writes + 1 end
    version = etag:gsub('"', '')
  elseif status == 409 then
    conflicts = conflicts + 1
    version = nil
  else
    others = others + 1
    version = nil
  end
end

function done(summary, latency, requests)
  local w, c, o = 0, 0, 0
  for _, t in ipairs(threads) do
    w = w + t:get("writes"); c = c + t:get("conflicts"); o = o + t:get("others")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("WRITES %d %.1f/s conflicts %d other %d\n", w, w / secs, c, o))
end
EOF

# "label requests/s p50 p99" from wrk's output.
measure() {
  local label=$1 threads=$2 conns=$3 script=$4 path=$5
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"${seconds}s" --timeout 10s --latency -s "$script" "$URL$path" 2>&1)
  local rps p50 p99 non2xx writes
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  writes=$(grep '^WRITES' <<<"$out" || true)
  echo "| $backend | $plan | $label | $rps | $p50 | $p99 | ${non2xx:-0} | ${writes#WRITES } |"
}

echo "| backend | program | request | req/s | p50 | p99 | non-2xx | writes acknowledged |"
echo "|---|---|---|---|---|---|---|---|"
for backend in $backends; do
  for plan in $plans; do
    if [[ $backend == postgres ]]; then
      pg_db=linchpin_load_$$
      psql "$postgres" -q -c "DROP DATABASE IF EXISTS $pg_db" -c "CREATE DATABASE $pg_db" >/dev/null
      database=${postgres%/*}/$pg_db
    else
      database=$work/load-$plan.db
    fi
    if [[ $plan == big ]]; then
      # The logic-only forecast: a capacity-aware one of 10,000 items takes minutes to fill the cache.
      program=big item=ITEM-5 items=ITEM-5,ITEM-6,ITEM-7,ITEM-8 fixture_plan=(--plan "$work/big.yaml")
      forecast="forecast?seed=1&iterations=1000&capacity=false"
    else
      program=platform item=PAY-5 items=PAY-5,PAY-6,LED-5,CHK-4 fixture_plan=()
      forecast="forecast?seed=1"
    fi
    eval "$(python3 scripts/crash.py "$binary" fixture --database "$database" --workdir "$work" \
      --program "$program" "${fixture_plan[@]}" --serve-arg=--compute-seconds=600)"
    pid=$PID
    export TOKEN ITEMS=$items PROGRAM_PATH=/api/v1/programs/$program
    # The first forecast computes and caches; the benchmark reads the cache.
    curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL$PROGRAM_PATH/$forecast"
    measure "GET /programs/$program" 2 32 "$work/read.lua" "$PROGRAM_PATH"
    measure "GET items/$item" 2 32 "$work/read.lua" "$PROGRAM_PATH/items/$item"
    measure "GET forecast (cached)" 2 32 "$work/read.lua" "$PROGRAM_PATH/$forecast"
    measure "PATCH items (If-Match)" 4 4 "$work/write.lua" "$PROGRAM_PATH"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    if [[ -n $pg_db ]]; then
      psql "$postgres" -q -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null; pg_db=
    fi
  done
done
