#!/usr/bin/env bash
# The Python package against LocalStack's and moto's Python matchers (BENCHMARKS.md):
# 100,000 generated SaaSus events (the benchmarks' own generator, same seed) and the 20
# SAASUS_MIXED_20 rules, after checking the answers agree. Installs localstack-core (with
# the base-runtime extra its engine's imports need) and moto
# from PyPI into target/venv-bench. Not a test: it prints a table, and takes minutes (the
# peers are slow).
#
#   bash tools/bench-python.sh [COUNT] [PEER_COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-100000}
peer_count=${2:-$count}
venv=target/venv-bench
work=target/bench-python
python=${PYTHON:-python3}
mkdir -p "$work"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
fi
"$venv/bin/python" -m pip install --quiet 'maturin>=1,<2' 'localstack-core[base-runtime]' moto

"$venv/bin/maturin" build --release --quiet --manifest-path python/Cargo.toml \
  --interpreter "$venv/bin/python" --out "$work/wheels"
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$work"/wheels/evpattern-*.whl
rm -rf "$work/wheels"

cargo build --release --quiet --example gen_events
events="$work/saasus-string-$count.ndjson"
rules="$work/SAASUS_MIXED_20.json"
[ -f "$events" ] || target/release/examples/gen_events events saasus-string "$count" > "$events"
target/release/examples/gen_events rules saasus-string SAASUS_MIXED_20 > "$rules"

"$venv/bin/python" -c 'import importlib.metadata as m; print("versions:", ", ".join(f"{p} {m.version(p)}" for p in ("evpattern", "localstack-core", "moto")))'
"$venv/bin/python" python/bench/bench_matchers.py "$events" "$rules" --peer-events "$peer_count" \
  | tee "$work/table.md"

echo
echo "== the AWS-recorded corpus through each Python engine"
"$venv/bin/python" python/bench/corpus_agreement.py 2> "$work/corpus-disagreements.txt" | tee "$work/corpus.md"
