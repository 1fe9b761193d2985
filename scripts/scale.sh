#!/usr/bin/env bash
# Scale check: generate a tree of N files (default 100,000, about 100 MB of
# Python source in 100 packages, all in one import cycle) and scan it with a
# release build, printing the peak memory. Each file's bytes and syntax tree
# are dropped as soon as its facts are extracted, so memory grows with modules
# and edges, not with bytes of source (dev profile: 330 MB peak for 98 MB of
# source); the test fails over 1 GiB.
#
#   scripts/scale.sh               # 100,000 files
#   TAPESTRY_SCALE_FILES=20000 scripts/scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test robustness -- --ignored --exact a_tree_of_100000_files_is_scanned_with_bounded_memory --nocapture
