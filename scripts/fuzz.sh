#!/usr/bin/env bash
# Bounded fuzzing, repeatable by anyone.
#
# With a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`), runs
# every cargo-fuzz target in fuzz/ for FUZZ_SECONDS (default 60) each; a crash
# is saved under fuzz/artifacts/<target>/ and the script fails. Without them,
# runs the proptest suite (tests/never_panic.rs) with PROPTEST_CASES (default
# 20000) cases per property instead. Either way, turn every crash into a
# regression test (tests/robustness.rs or a unit test) before fixing it.
#
#   scripts/fuzz.sh                 # 60 s per target, or 20,000 proptest cases
#   FUZZ_SECONDS=600 scripts/fuzz.sh
#   scripts/fuzz.sh extract_rust    # one target
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"

# Start an empty corpus from the fixtures' own files of that kind, so the
# fuzzer begins from real compose files, migrations and tapestry.toml files.
seed() {
  local dir="fuzz/corpus/$1" pattern
  case "$1" in
    yaml) pattern='*.y*ml' ;;
    sql) pattern='*.sql' ;;
    tapestry_inputs) pattern='tapestry.toml' ;;
    *) return 0 ;;
  esac
  if [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
    mkdir -p "$dir"
    find fixtures -name "$pattern" -type f -exec sh -c 'cp "$1" "$2/$(echo "$1" | tr / _)"' _ {} "$dir" \;
  fi
}
if rustup run nightly rustc --version >/dev/null 2>&1 && cargo +nightly fuzz --version >/dev/null 2>&1; then
  targets=("$@")
  if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
  fi
  for t in "${targets[@]}"; do
    seed "$t"
    echo "== cargo fuzz: $t for ${seconds}s"
    (cd fuzz && cargo +nightly fuzz run "$t" -- -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=20)
  done
else
  echo "no nightly toolchain with cargo-fuzz: running the proptest suite instead" >&2
  PROPTEST_CASES="${PROPTEST_CASES:-20000}" cargo test --release --test never_panic
fi
