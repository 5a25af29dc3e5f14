#!/usr/bin/env bash
# Runs the cargo-fuzz targets, one process at a time (the machine's cores are shared).
#
#   fuzz/run.sh TARGET SECONDS     one target for SECONDS
#   fuzz/run.sh all SECONDS        every target in turn, SECONDS each (`make fuzz`)
#   fuzz/run.sh smoke [SECONDS]    build, then every target for SECONDS each (default 5)
#   fuzz/run.sh build              build the targets only
#   fuzz/run.sh list               the target names
#
# The corpus of each target starts from the committed seeds (fuzz/seeds/TARGET, written by
# fuzz/make_seeds.py) and the regressions (fuzz/regressions/TARGET); it grows in
# fuzz/corpus/TARGET (git-ignored). A crash leaves its input in fuzz/artifacts/TARGET/ and
# fails the run: minimise it with `cargo +nightly fuzz tmin TARGET ARTIFACT`, then keep it
# in fuzz/regressions/TARGET/ so tests/fuzz_regressions.rs replays it in `cargo test`.
set -euo pipefail
script=$(realpath "$0")
cd "$(dirname "$script")"
export PATH="$HOME/.cargo/bin:$PATH"

TARGETS=(parse verify inspect keys sign_roundtrip asymmetric)
TOOLCHAIN=+nightly

usage() { sed -n '2,15p' "$script" | sed 's/^# \{0,1\}//'; exit 2; }

ensure_cargo_fuzz() {
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
}

build() {
  ensure_cargo_fuzz
  cargo $TOOLCHAIN fuzz build -O --debug-assertions
}

run_one() {
  local target=$1 seconds=$2
  local corpus="corpus/$target"
  mkdir -p "$corpus" "artifacts/$target"
  for dir in "seeds/$target" "regressions/$target"; do
    [ -d "$dir" ] && cp -n "$dir"/* "$corpus"/ 2>/dev/null || true
  done
  local log
  log=$(mktemp)
  local start=$SECONDS status=0
  # One process (no -jobs/-workers), bounded in time, memory, input size and per-input time.
  cargo $TOOLCHAIN fuzz run -O --debug-assertions "$target" "$corpus" -- \
    -max_total_time="$seconds" -max_len=20000 -timeout=10 -rss_limit_mb=2048 \
    -dict=jwt.dict -print_final_stats=1 >"$log" 2>&1 || status=$?
  local elapsed=$((SECONDS - start))
  local execs
  execs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log" | tail -1)
  if [ "$status" -ne 0 ]; then
    tail -40 "$log" >&2
    echo "fuzz $target: FAILED after ${elapsed}s (log kept in $log); input in fuzz/artifacts/$target/" >&2
    return "$status"
  fi
  rm -f "$log"
  printf 'fuzz %-15s %8s executions in %4ss, corpus %s files: no crash\n' \
    "$target" "${execs:-?}" "$elapsed" "$(ls "$corpus" | wc -l)"
}

[ $# -ge 1 ] || usage
case "$1" in
  list) printf '%s\n' "${TARGETS[@]}" ;;
  build) build ;;
  all)
    [ $# -eq 2 ] || usage
    build
    for t in "${TARGETS[@]}"; do run_one "$t" "$2"; done ;;
  smoke)
    build
    for t in "${TARGETS[@]}"; do run_one "$t" "${2:-5}"; done ;;
  *)
    [ $# -eq 2 ] || usage
    # Not `grep -q`: it can exit before printf finishes, and pipefail then fails the test.
    printf '%s\n' "${TARGETS[@]}" | grep -x "$1" >/dev/null || { echo "unknown target $1" >&2; usage; }
    build
    run_one "$1" "$2" ;;
esac
