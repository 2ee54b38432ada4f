#!/usr/bin/env bash
# Makes the Python environment that `Benchmarks` uses as its peer: PyTorch (CPU) for the LeNet
# comparison and numpy for the GEMM comparison. Neither is a dependency of the package; the
# environment lives in scripts/peer/.venv (ignored by git) and `Benchmarks` only looks for it.
#
#   scripts/peer/setup.sh            # create or update scripts/peer/.venv
#   PYTHON=python3.12 scripts/peer/setup.sh
#
# The default torch wheel from PyPI is large (it carries CUDA libraries on Linux); the CPU is
# all the benchmark uses. threadpoolctl lets the numpy peer report which BLAS kernel it runs.
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --upgrade pip >/dev/null
.venv/bin/python -m pip install torch numpy threadpoolctl
.venv/bin/python - <<'PY'
import numpy, torch, threadpoolctl
print(f"peer ready: torch {torch.__version__}, numpy {numpy.__version__}")
PY
