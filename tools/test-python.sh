#!/usr/bin/env bash
# Builds the Python package (python/) with maturin into a fresh virtual environment under
# target/ and runs its pytest suite. Exits non-zero on any failure.
#
#   bash tools/test-python.sh            # fresh venv, release wheel, all tests
#   EVPATTERN_PY_KEEP_VENV=1 bash tools/test-python.sh   # reuse the venv (faster iteration)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/venv-python
python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "test-python: $python is not installed" >&2; exit 1; }

if [ -z "${EVPATTERN_PY_KEEP_VENV:-}" ] || [ ! -x "$venv/bin/python" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet 'maturin>=1,<2' pytest
fi

rm -rf target/wheels-python
"$venv/bin/maturin" build --release --quiet --manifest-path python/Cargo.toml \
  --interpreter "$venv/bin/python" --out target/wheels-python
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps target/wheels-python/evpattern-*.whl

# The pytest entry point (not `python -m pytest`, which puts the working directory on
# sys.path) so the installed wheel is what is imported, never the source folder python/evpattern.
"$venv/bin/pytest" -q -p no:cacheprovider python/tests
