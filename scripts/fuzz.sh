#!/usr/bin/env bash
# Fuzzes the plan loader, the findings pipeline, the skills analysis and
# every importer (Jira CSV and JSON, GitHub, MS Project XML, Backstage)
# with libFuzzer, seeded
# from fuzz/seeds (the example, the test fixtures and the hostile inputs of
# issue 14). New inputs go to fuzz/corpus (not committed), crashes to
# fuzz/artifacts.
#
#   scripts/fuzz.sh [SECONDS per target, default 60] [TARGET...]
#
# Needs a nightly toolchain and cargo-fuzz; both are installed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(plan_loader findings fit jira_csv jira_json github mspdi backstage)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  echo "== fuzz $target for ${seconds}s"
  # A run that allocates 2 GB or takes 10 s on one input is a failure, as
  # a crash is.
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=200000 -print_final_stats=1
done
