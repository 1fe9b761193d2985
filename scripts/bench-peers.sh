#!/usr/bin/env bash
# Reproducible end-to-end comparison of tapestry with its peers on real code.
#
#   scripts/bench-peers.sh [--scaling] [EXTRA_DIR...]
#
# Everything goes under $WORK (default /tmp/tapestry-bench), never the repo:
#   - peers from their registries, pinned: npm (dependency-cruiser, madge,
#     dpdm, typescript) into $WORK/npm, PyPI (ruff, pydeps, import-linter with
#     its engine grimp) into the venv $WORK/venv;
#   - corpora from registries, pinned: Django's sdist (PyPI; the `django`
#     package), the `effect` npm package (its `src/` TypeScript sources), and
#     the Rust sources of every crate in tapestry's own Cargo.lock (`cargo
#     vendor`); any EXTRA_DIR is measured too (tapestry only);
#   - hyperfine (Debian package, installed with apt-get when missing) runs
#     each command, $RUNS times (3 for the slow peers), after one warm-up run:
#     warm page cache, like a CI job on a checkout. Peak RSS from one run
#     under /usr/bin/time.
#
# tapestry is measured five ways on each corpus: the parser floor
# (`--stage parse`: discover, read, parse, nothing else), a cold scan
# without cache (`--no-cache`), a cold scan that also writes the cache, a warm
# re-scan with nothing changed and a re-scan with one file changed. The
# result is $WORK/results.md: a markdown table with medians (wall and CPU),
# peak memory and ratios. --scaling also generates polyglot trees of 1k, 10k
# and 100k files (scripts/gen-tree.py) and measures files/s and peak RSS.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/tapestry-bench}
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-3}
DJANGO=5.2.19
EFFECT=4.1.0
NPM_PEERS=(dependency-cruiser@17.4.3 madge@8.0.0 dpdm@4.3.0 typescript@5.9.3)
PY_PEERS=(ruff==0.17.6 pydeps==3.0.9 import-linter==2.17 grimp==3.20)
SCALING=0
EXTRA=()
for a in "$@"; do
  case "$a" in
    --scaling) SCALING=1 ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) EXTRA+=("$(cd "$a" && pwd)") ;;
  esac
done
mkdir -p "$WORK"/{corpora,json,cache}
T="$REPO/target/release/tapestry"
log() { printf '\n== %s\n' "$*" >&2; }

need_tools() {
  command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
  [ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
  (cd "$REPO" && cargo build --release --quiet)
}

install_peers() {
  if [ ! -x "$WORK/npm/node_modules/.bin/depcruise" ]; then
    log "npm peers: ${NPM_PEERS[*]}"
    npm install --silent --no-audit --no-fund --prefix "$WORK/npm" "${NPM_PEERS[@]}" >/dev/null || echo "npm peers unavailable" >&2
  fi
  if [ ! -x "$WORK/venv/bin/ruff" ]; then
    log "PyPI peers: ${PY_PEERS[*]}"
    python3 -m venv "$WORK/venv" && "$WORK/venv/bin/pip" install -q "${PY_PEERS[@]}" || echo "PyPI peers unavailable" >&2
  fi
}

fetch_corpora() {
  cd "$WORK/corpora"
  if [ ! -d django ]; then
    log "Django $DJANGO sdist from PyPI"
    "$WORK/venv/bin/pip" download -q --no-deps --no-binary :all: "django==$DJANGO" -d .
    mkdir django && tar xzf "django-$DJANGO.tar.gz" -C django --strip-components=1
  fi
  if [ ! -d effect ]; then
    log "effect $EFFECT from npm"
    npm pack --silent "effect@$EFFECT" >/dev/null
    mkdir effect && tar xzf "effect-$EFFECT.tgz" -C effect --strip-components=1
  fi
  if [ ! -d vendor ]; then
    log "Rust: every crate of tapestry's Cargo.lock (cargo vendor)"
    (cd "$REPO" && cargo vendor --quiet --versioned-dirs "$WORK/corpora/vendor" >/dev/null)
  fi
}

# measure NAME RUNS CMD [PREPARE]: hyperfine median (wall, user+sys) and peak RSS (one run).
measure() {
  local name=$1 runs=$2 cmd=$3 prepare=${4:-}
  local json="$WORK/json/${name//[^A-Za-z0-9._-]/_}.json"
  local args=(--style none --warmup 1 --runs "$runs" --export-json "$json" )
  [ -n "$prepare" ] && args+=(--prepare "$prepare")
  log "$name: $cmd"
  hyperfine "${args[@]}" "$cmd" >&2 || { echo "| $name | failed |" >>"$WORK/rows.tsv"; return; }
  [ -n "$prepare" ] && bash -c "$prepare"
  local rss
  /usr/bin/time -f '%M' -o "$WORK/rss.txt" bash -c "$cmd" >/dev/null 2>&1 || true
  rss=$(tail -1 "$WORK/rss.txt")
  python3 - "$json" "$name" "$rss" "$cmd" >>"$WORK/rows.tsv" <<'EOF'
import json, statistics, sys
path, name, rss, cmd = sys.argv[1:5]
r = json.load(open(path))["results"][0]
print("\t".join([name, f"{statistics.median(r['times']):.3f}", f"{r['user'] + r['system']:.3f}",
                 f"{int(rss) / 1024:.0f}", str(len(r["times"])), cmd]))
EOF
}

tapestry_suite() { # corpus-name dir
  local c=$1 dir=$2 one
  one=$(cd "$dir" && find . -name '*.py' -o -name '*.ts' -o -name '*.rs' | grep -v '/node_modules/' | LC_ALL=C sort | awk 'NR==1')
  rm -rf "$WORK/cache/$c" "$WORK/cache/$c-cold"
  measure "$c/tapestry floor (--stage parse)" "$RUNS" "$T scan $dir --stage parse"
  measure "$c/tapestry cold, no cache" "$RUNS" "$T scan $dir --no-cache -q"
  measure "$c/tapestry cold, writing the cache" "$RUNS" "$T scan $dir --cache-dir $WORK/cache/$c-cold -q" \
    "rm -rf $WORK/cache/$c-cold"
  measure "$c/tapestry warm, nothing changed" "$RUNS" "$T scan $dir --cache-dir $WORK/cache/$c -q"
  measure "$c/tapestry warm, one file changed" "$RUNS" "$T scan $dir --cache-dir $WORK/cache/$c -q" \
    "printf '\n' >> $dir/$one"
}

python_peers() { # dir holding the package, package name
  local c=python root=$1 pkg=$2 V="$WORK/venv/bin"
  # The package also holds 87 .js files (admin static files) that tapestry reads and ruff does not.
  measure "$c/tapestry floor, .py only" "$RUNS" "$T scan $root/$pkg --exclude '*.js' --stage parse"
  measure "$c/tapestry cold, .py only" "$RUNS" "$T scan $root/$pkg --exclude '*.js' --no-cache -q"
  measure "$c/ruff analyze graph" "$RUNS" "$V/ruff analyze graph --preview --isolated $root/$pkg"
  measure "$c/import-linter engine (grimp.build_graph)" "$RUNS" \
    "cd $root && $V/python -c 'import grimp; grimp.build_graph(\"$pkg\", cache_dir=None)'"
  measure "$c/pydeps" "$SLOW_RUNS" "cd $root && $V/pydeps $pkg --show-deps --no-output --noshow --max-bacon=0 --no-config"
}

typescript_peers() { # dir whose src/ is scanned
  local c=typescript dir=$1 N="$WORK/npm/node_modules/.bin"
  measure "$c/dependency-cruiser" "$SLOW_RUNS" "cd $dir && $N/depcruise --no-config --output-type json src"
  measure "$c/madge" "$SLOW_RUNS" "cd $dir && $N/madge --extensions ts --json src"
  measure "$c/dpdm" "$SLOW_RUNS" "cd $dir && $N/dpdm --no-tree --no-warning --no-circular -o /dev/null 'src/**/*.ts'"
}

scaling() { # one warm-up and 3 runs; for 100k files (minutes a run) one run, no warm-up
  for n in 1000 10000 100000; do
    local dir="$WORK/corpora/gen-$n" runs=3
    WARMUP=1
    if [ "$n" = 100000 ]; then runs=1; WARMUP=0; fi
    [ -d "$dir" ] || python3 "$REPO/scripts/gen-tree.py" "$n" "$dir" >&2
    measure "gen-$n/tapestry floor (--stage parse)" $runs "$T scan $dir --stage parse"
    measure "gen-$n/tapestry cold, no cache" $runs "$T scan $dir --no-cache -q"
    rm -rf "$WORK/cache/gen-$n"
    "$T" scan "$dir" --cache-dir "$WORK/cache/gen-$n" -q
    measure "gen-$n/tapestry warm, nothing changed" $runs "$T scan $dir --cache-dir $WORK/cache/gen-$n -q"
  done
  WARMUP=1
}

table() {
  python3 - "$WORK/rows.tsv" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if "\t" in l]
cold = {r[0].split("/")[0]: float(r[1]) for r in rows if r[0].endswith("tapestry cold, no cache")}
floor = {r[0].split("/")[0]: float(r[1]) for r in rows if "floor" in r[0]}
print("| corpus | tool | median wall s | CPU s (user+sys) | peak RSS MiB | runs | × tapestry cold | × floor |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for name, wall, cpu, rss, runs, cmd in rows:
    c, tool = name.split("/", 1)
    w = float(wall)
    vs_cold = f"{w / cold[c]:.2f}" if c in cold else ""
    vs_floor = f"{w / floor[c]:.2f}" if c in floor else ""
    print(f"| {c} | {tool} | {w:.3f} | {float(cpu):.3f} | {rss} | {runs} | {vs_cold} | {vs_floor} |")
EOF
}

need_tools
install_peers
fetch_corpora
: >"$WORK/rows.tsv"
tapestry_suite python "$WORK/corpora/django/django"
python_peers "$WORK/corpora/django" django
tapestry_suite typescript "$WORK/corpora/effect/src"
typescript_peers "$WORK/corpora/effect"
tapestry_suite rust "$WORK/corpora/vendor"
for d in "${EXTRA[@]}"; do tapestry_suite "$(basename "$d")" "$d"; done
[ "$SCALING" = 1 ] && scaling
{
  echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem/{print $2}') GiB, Linux $(uname -r)"
  echo "Versions: $("$T" --version); hyperfine $(hyperfine --version | cut -d' ' -f2); node $(node --version);" \
    "$("$WORK/venv/bin/ruff" --version); Django $DJANGO; effect $EFFECT"
  echo
  table
} >"$WORK/results.md"
cat "$WORK/results.md"
