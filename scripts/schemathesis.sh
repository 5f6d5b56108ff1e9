#!/usr/bin/env bash
# Schemathesis against the server's own OpenAPI document: a server over a
# fresh SQLite file with the example program and a write token, then a
# bounded number of generated requests per operation, checking that no
# answer is a 5xx and that every answer matches the documented status
# codes and schemas.
#
#   scripts/schemathesis.sh [BINARY] [EXAMPLES]     # default target/debug/linchpin, 30
#
# Installs schemathesis with pip when `st` is missing. One worker: with two,
# schemathesis 4.32 sometimes fails inside hypothesis (a lambda-source cache race).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-target/debug/linchpin}
examples=${2:-30}
[[ -x $binary ]] || cargo build --quiet -p linchpin
command -v st >/dev/null || pip install --quiet --break-system-packages schemathesis

work=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

eval "$(python3 scripts/crash.py "$binary" fixture --database "$work/st.db" --workdir "$work")"
echo "server at $URL (pid $PID)"
pid=$PID

# Path parameters that name things which exist, so generated requests reach
# the handlers rather than stopping at 404.
cat >"$work/schemathesis.toml" <<EOF
[parameters]
program = "platform"
"path.key" = "PAY-5"
EOF

start=$SECONDS
status=0
report_dir=${SCHEMATHESIS_REPORT_DIR:-$PWD/target/schemathesis}
# schemathesis keeps state in ./.schemathesis: keep it out of the worktree.
(cd "$work" && st --config-file "$work/schemathesis.toml" run "$URL/api/openapi.json" \
  --url "$URL" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
  --phases examples,coverage,fuzzing \
  --max-examples "$examples" --seed 1 --workers 1 \
  --generation-with-security-parameters false --generation-database none \
  --request-timeout 30 --no-color --suppress-health-check all \
  --report junit --report-dir "$report_dir") || status=$?
echo "schemathesis: exit $status in $((SECONDS - start))s"
if [[ $status -ne 0 ]]; then
  echo "--- server log (last 40 lines)"
  tail -n 40 "$work"/server-*.log
fi
exit $status
