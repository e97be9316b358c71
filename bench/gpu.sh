#!/usr/bin/env bash
# The learning benchmark at GPU scale: the full run (3 seeds, every method) from a larger base,
# printing tokens/s and the table. Meant to finish within 8 minutes on one large GPU.
#
#   bash bench/gpu.sh            # on a GPU machine, after the README's install
#   bash bench/gpu.sh --smoke    # the same script on a CPU, at a size that runs in minutes
#
# The base: a saved model folder in $MODELFORGE_GPU_BASE when set (e.g. a real pretrained
# model), else the embedded Llama built larger (about 25M parameters) and pre-trained first.
# Figures and the JSON go to $OUT (default bench-results/gpu).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
[ -x "$python" ] || python=python3
out=${OUT:-bench-results/gpu}
case "${1:-}" in
  --smoke)
    embedded="hidden_size=32,layers=1,heads=2,intermediate_size=64,vocab_size=160,pretrain_texts=256"
    sizes=(--quick --seeds 1 --budget 3000 --test-problems 4 --pretrain-tokens 20000)
    out=${OUT:-bench-results/gpu-smoke}
    ;;
  "")
    embedded="hidden_size=512,layers=8,heads=8,intermediate_size=1536,pretrain_learning_rate=1e-3"
    sizes=(--pretrain-tokens 8000000)
    ;;
  *)
    echo "usage: bash bench/gpu.sh [--smoke]" >&2
    exit 2
    ;;
esac
base=()
if [ -n "${MODELFORGE_GPU_BASE:-}" ] && [ "${1:-}" != "--smoke" ]; then
  base=(--base "$MODELFORGE_GPU_BASE")
fi
"$python" - <<'PY'
import torch
name = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
print(f"device: {name}; torch {torch.__version__}", flush=True)
PY
started=$(date +%s)
"$python" bench/srl_vs_baselines.py "${sizes[@]}" "${base[@]}" --embedded "$embedded" \
  --out "$out" --data-dir "$out/cache"
echo "gpu.sh: $(( $(date +%s) - started )) s wall; JSON in $out/srl_vs_baselines.json"
