#!/usr/bin/env bash
# The project's whole test suite, as the README gives it and CI runs it:
#   1. cargo test: the library, the CLI, the AWS-recorded corpus (tests/data/), property tests;
#   2. tools/test-python.sh: the Python package, built by maturin into a fresh venv, under pytest;
#   3. tools/test-server.sh: `evpattern serve` over loopback, driven by boto3 and the AWS CLI.
# Each of 2 and 3 installs what it needs from PyPI into its own venv under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test"
cargo test
echo "== the Python package (tools/test-python.sh)"
bash tools/test-python.sh
echo "== evpattern serve (tools/test-server.sh)"
bash tools/test-server.sh
