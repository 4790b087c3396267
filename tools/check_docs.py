#!/usr/bin/env python3
"""Run nbdev's docs pre-processing (what `nbdev_docs` does before handing `_proc/` to Quarto), without Quarto.

Quarto is not available everywhere; this catches what would break the docs build anyway: cells that
nbdev executes at docs time (imports, exports, show_doc) failing, and figures missing from the pages.
`nbdev_proc_nbs` itself is not used because, when Quarto is missing, it tries to install Quarto with
sudo and then runs `pip install -e .[dev]` with whatever pip is first on PATH.
"""
import json, os, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)
from nbdev.serve import proc_nbs

proc_nbs('nbs', n_workers=0)
out = ROOT / '_proc'
pages = sorted(p.name for p in out.glob('*.ipynb'))
expected = sorted(p.name for p in (ROOT / 'nbs').glob('*.ipynb'))
if pages != expected: sys.exit(f'processed pages {pages} != notebooks {expected}')
def n_images(p): return sum('image/png' in o.get('data', {}) for c in json.loads(p.read_text())['cells'] for o in c.get('outputs', []))
for name in pages:
    src, done = n_images(ROOT / 'nbs' / name), n_images(out / name)
    if done < src: sys.exit(f'{name}: {src} figures in the notebook but only {done} on the processed page')
    print(f'{name}: processed, {done} figures')
print('docs pre-processing ok')
