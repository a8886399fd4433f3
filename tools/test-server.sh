#!/usr/bin/env bash
# The `evpattern serve` integration tests: builds the binary, installs boto3, the AWS CLI and
# pytest from PyPI into a virtualenv under target/, and runs tests/server/ against the real
# binary on loopback (each server picks a free port). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=target/server-venv
echo "== building evpattern (with the server feature)"
cargo build --quiet --bin evpattern
if [ ! -x "$VENV/bin/pytest" ] || [ ! -x "$VENV/bin/aws" ] || ! "$VENV/bin/python" -c 'import boto3' 2>/dev/null; then
  echo "== installing boto3, awscli and pytest into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check boto3 awscli pytest
fi

export EVPATTERN_BIN="$PWD/target/debug/evpattern"
echo "== pytest tests/server"
# Exit status 5 (no tests collected) is a failure here too: this script exists to run them.
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/server "$@"
