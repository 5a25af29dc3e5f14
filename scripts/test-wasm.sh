#!/usr/bin/env bash
# Runs the Rust integration tests compiled to wasm32 under wasm-bindgen-test in Node.
# wasm-bindgen-test exits 0 when it finds no test at all, so the counts are asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
log=$(mktemp)
trap 'rm -f "$log"' EXIT
suites=(vectors attacks claims inspect asymmetric wycheproof decimal messages base64url)
args=()
for suite in "${suites[@]}"; do args+=(--test "$suite"); done
cargo test --target wasm32-unknown-unknown "${args[@]}" 2>&1 | tee "$log"
ran=$(grep -cE '^test result: ok\. [1-9][0-9]* passed' "$log" || true)
if [ "$ran" -ne "${#suites[@]}" ]; then
  echo "wasm tests: expected ${#suites[@]} suites with passing tests, saw $ran" >&2
  exit 1
fi
total=$(grep -oE '^test result: ok\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s}')
echo "wasm tests: ${total} passed in ${#suites[@]} suites"
