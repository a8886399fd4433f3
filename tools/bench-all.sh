#!/usr/bin/env bash
# One measured run for BENCHMARKS.md: the machine, `cargo bench` (categories and scaling), the
# tables derived from it, and the command-line comparison on 100,000 events. Everything lands in
# target/bench-run/ (summary.md is what BENCHMARKS.md quotes).
#
#   tools/bench-all.sh            # full run (about 13 minutes on 2 cores in the quoted run)
#   CLI_EVENTS=20000 tools/bench-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench-run
mkdir -p "$out"

{
  echo "### Machine"
  echo
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
  echo "- memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "- $(rustc --version)"
  echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
  echo
} > "$out/summary.md"

cargo bench --bench categories > "$out/categories.log" 2>&1
cargo bench --bench scaling > "$out/scaling.log" 2>&1
echo "- load average after the benchmarks: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/summary.md"
echo >> "$out/summary.md"
cargo run --quiet --release --example bench_report >> "$out/summary.md"

echo >> "$out/summary.md"
echo "### Command line" >> "$out/summary.md"
tools/cli-compare.sh "${CLI_EVENTS:-100000}" > "$out/cli.log" 2>&1
for table in target/cli-compare/*.md; do
  echo >> "$out/summary.md"
  echo "$(basename "$table" .md):" >> "$out/summary.md"
  echo >> "$out/summary.md"
  cat "$table" >> "$out/summary.md"
done
grep -E '^(==|outputs|target/)|(User time|System time|Elapsed|Maximum resident)' "$out/cli.log" >> "$out/summary.md" || true

echo >> "$out/summary.md"
echo "### Validation floor" >> "$out/summary.md"
echo >> "$out/summary.md"
cargo run --quiet --release --example validation_floor >> "$out/summary.md"

echo >> "$out/summary.md"
echo "### Answers on the AWS-recorded corpus" >> "$out/summary.md"
echo >> "$out/summary.md"
cargo run --quiet --release --example peer_conformance >> "$out/summary.md"
echo "written $out/summary.md"
