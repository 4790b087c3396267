#!/usr/bin/env bash
# The contributor's check, between editing a notebook and pushing: everything CI checks about the source,
# except the long runs. About 3 minutes on 2 cores. From the project root, in the dev environment:
#     bash tools/quick.sh            # all of it
#     bash tools/quick.sh --no-test  # the source checks only (seconds), not nbdev_test
# Runs the source checks of tools/checks.sh (the same list CI runs), then nbdev_test without the `slow` cells
# (every notebook and nbs/tests/), with PyTorch and scikit-learn required so that no check is skipped.
# Only CI (`bash .ci/run`, tens of minutes) adds: every notebook in a real Jupyter kernel, outputs that do not churn
# when re-run, the slow cells (full MNIST training), ffnn.js under node and the widgets in Chromium, the wheel in
# clean environments (every claimed Python, the oldest allowed dependencies, a newcomer's download) and the benchmark.
set -uo pipefail
cd "$(dirname "$0")/.."
export MPLBACKEND=Agg
source tools/checks.sh
failed=()
for entry in "${SOURCE_CHECKS[@]}"; do
  name=${entry%%$'\t'*}; cmd=${entry#*$'\t'}
  if out=$(bash -c "$cmd" 2>&1); then echo "ok    $name"
  else echo "FAIL  $name"; echo "$out" | tail -n 30 | sed 's/^/      /'; failed+=("$name"); fi
done
if [[ "${1:-}" != --no-test ]]; then
  if ! python -c "import torch, sklearn" 2>/dev/null; then
    echo "FAIL  PyTorch and scikit-learn are installed (without them 15_torch and the estimators skip their checks):"
    echo "      pip install torch==2.13.0 scikit-learn"; failed+=("PyTorch and scikit-learn installed")
  fi
  start=$(date +%s)
  if nbdev_test 2>&1 | grep -v IPKernelApp | tail -n 40; [[ ${PIPESTATUS[0]} == 0 ]]; then echo "ok    nbdev_test ($(( $(date +%s) - start )) s)"
  else echo "FAIL  nbdev_test"; failed+=("nbdev_test"); fi
fi
echo
if ((${#failed[@]})); then printf 'failed: %s\n' "${failed[@]}"; exit 1; fi
echo "all quick checks passed; CI adds the long runs (see the top of this script)"
