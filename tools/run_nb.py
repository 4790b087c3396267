#!/usr/bin/env python3
"""Execute notebooks in place, keeping their outputs (what "Run All" + save does in Jupyter), without a Jupyter server.

    python tools/run_nb.py nbs/03_xor.ipynb [more notebooks]          # every cell, `#| slow` ones included
    python tools/run_nb.py --skip-slow nbs/04_mnist.ipynb            # `#| slow` cells keep their saved outputs
    # then: nbdev_export && nbdev_clean

Cells run in order in one IPython shell per notebook (execnb, as nbdev_test uses), with the notebook's
folder as working directory; the closing `nbdev_export()` cell is skipped. With --skip-slow, cells flagged
`#| slow` are not run and keep the outputs they had (as nbdev_test skips them, no quick cell depends on
them). Stops at the first failing cell and leaves that notebook unchanged.
Set FFNN_LIT_DATA first so 04_mnist does not download MNIST.
Test notebooks (nbs/tests/) are run and keep no outputs: no page shows them.
`show_doc`'s source links lose their line numbers (`nn.py#L148` -> `nn.py`): a line number goes stale with every
edit above it and would make every refresh rewrite the link (nbdev has no option for it). The site renders its own.
"""
import os, re, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

_SRC_LINE = re.compile(r'(\]\(https://github\.com/[^)\s]*?\.py)#L(?:\d+|None)')   # a show_doc source link's line anchor

def is_slow(source:str) -> bool:
    "Whether a cell's leading `#|` lines flag it `slow`."
    for line in source.splitlines():
        if not line.startswith('#|'): break
        if re.fullmatch(r'#\|\s*slow\s*', line): return True
    return False

def run(path, skip_slow=False):
    path = Path(path).resolve()
    nb = read_nb(path)
    cwd = os.getcwd(); os.chdir(path.parent)
    try:
        sh, t0 = CaptureShell(path=path.parent), time.time()
        for cell in nb.cells:
            if cell.cell_type != 'code' or 'nbdev_export(' in cell.source: continue
            if skip_slow and is_slow(cell.source): continue
            cell.outputs = []        # execnb keeps a cell's old outputs when the new run prints nothing
            sh.cell(cell)
            if sh.exc:
                tb = ''.join(l for o in cell.outputs for l in o.get('traceback', []))
                sys.exit(f"{path.name}: cell failed, notebook left unchanged:\n{cell.source}\n\n{tb}")
    finally: os.chdir(cwd)
    for cell in nb.cells:
        if path.parent.name == 'tests' and cell.cell_type == 'code':   # test notebooks: the run is the test, no page
            cell.outputs, cell.execution_count = [], None                # shows their outputs, none are kept
        for o in cell.get('outputs', []):
            for mime, v in o.get('data', {}).items():
                if mime not in ('text/markdown', 'text/html'): continue
                new = _SRC_LINE.sub(r'\1', ''.join(v))
                o['data'][mime] = new.splitlines(True) if isinstance(v, list) else new
    write_nb(nb, path)
    print(f"{path.name}: ran in {time.time() - t0:.1f}s")

if __name__ == '__main__':
    args = sys.argv[1:]
    skip = '--skip-slow' in args
    paths = [a for a in args if a != '--skip-slow']
    if not paths: sys.exit(__doc__)
    for p in paths: run(p, skip)
