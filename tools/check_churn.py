#!/usr/bin/env python3
"""Check that re-running the notebooks with no edit leaves their saved outputs as they are.

    python tools/check_churn.py                      # every notebook in nbs/ and nbs/tests/
    python tools/check_churn.py nbs/12_fast.ipynb    # some

The site shows each notebook's saved outputs, and a contributor refreshes them by re-running a notebook
(`python tools/run_nb.py --skip-slow nbs/X.ipynb`). If an output holds a timing, a port number, a temporary path or
digits below what the prose claims, every refresh rewrites it, and a one-line edit turns into a diff of hundreds of
lines that hides the change (and, under load, publishes garbage). So each notebook is run here exactly as a
contributor refreshes it (tools/run_nb.py --skip-slow: `#| slow` cells keep their saved outputs), in a copy of the
project, cleaned with nbdev_clean, and every code cell's outputs must equal the saved ones. Each problem names the
notebook, the cell id and the first differing line, saved then new; exit status 1 if there is any.

Timings belong in result files written by an explicit step (`FFNN_LIT_WRITE_RESULTS=1`, see 12_fast) or rounded to
what the prose claims; ports and temporary paths must not be printed at all.
"""
import argparse, difflib, json, os, shutil, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / 'nbs'
sys.path.insert(0, str(Path(__file__).resolve().parent))

def _text(outputs:list) -> list:
    "The outputs of a cell as comparable lines (images by their data)."
    lines = []
    for o in outputs:
        if 'text' in o: lines += ''.join(o['text']).splitlines()
        for mime, v in sorted(o.get('data', {}).items()):
            v = ''.join(v) if isinstance(v, list) else v if isinstance(v, str) else json.dumps(v, sort_keys=True)
            lines += [f'[{mime}] {l}' for l in v.splitlines()] if mime.startswith('text') else [f'[{mime}] {hash(v)}']
        if o.get('output_type') == 'error': lines.append(f"[error] {o.get('ename')}: {o.get('evalue')}")
    return lines

def changed_cells(old:dict, new:dict) -> list:
    "(cell id, first differing line saved, new) for each code cell whose outputs differ."
    new_by_id = {c.get('id'): c for c in new['cells']}
    out = []
    for c in old['cells']:
        if c['cell_type'] != 'code': continue
        a, b = _text(c.get('outputs', [])), _text(new_by_id.get(c.get('id'), {}).get('outputs', []))
        if a == b: continue
        diff = [l for l in difflib.unified_diff(a, b, lineterm='', n=0) if l[:1] in '+-' and l[:3] not in ('+++', '---')]
        minus = next((l[1:] for l in diff if l.startswith('-')), '')
        plus = next((l[1:] for l in diff if l.startswith('+')), '')
        out.append((c.get('id'), minus[:110], plus[:110]))
    return out

def rerun(path:Path, tmp:Path) -> dict:
    "The notebook as tools/run_nb.py --skip-slow and nbdev_clean leave it, run in a copy of the project."
    proj = tmp / 'project'
    if proj.exists(): shutil.rmtree(proj)
    ignore = shutil.ignore_patterns('.ipynb_checkpoints', '_proc', '_docs', '__pycache__', '.venv', 'build', 'dist', '.git')
    shutil.copytree(ROOT, proj, ignore=ignore)
    copy = proj / path.resolve().relative_to(ROOT)
    env = {**os.environ, 'PYTHONPATH': str(proj)}
    for k in [k for k in env if k.startswith('FFNN_LIT_WRITE')]: del env[k]
    r = subprocess.run([sys.executable, str(proj / 'tools' / 'run_nb.py'), '--skip-slow', str(copy)],
                       cwd=proj, env=env, capture_output=True, text=True)
    if r.returncode: raise RuntimeError((r.stderr or r.stdout).strip().splitlines()[-1][:300])
    r = subprocess.run(['nbdev_clean', '--fname', str(copy)], cwd=proj, env=env, capture_output=True, text=True)
    if r.returncode: raise RuntimeError(f'nbdev_clean failed: {r.stderr.strip()[:300]}')
    return json.loads(copy.read_text(encoding='utf-8'))

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='*', help='notebooks to check (default: nbs/*.ipynb and nbs/tests/*.ipynb)')
    a = ap.parse_args(argv)
    paths = [Path(p) for p in a.notebooks] or sorted(NBS.glob('*.ipynb')) + sorted((NBS / 'tests').glob('*.ipynb'))
    problems = 0
    with tempfile.TemporaryDirectory() as tmp:
        for p in paths:
            name = p.resolve().relative_to(ROOT)
            try: new = rerun(p, Path(tmp))
            except RuntimeError as e: print(f'{name}: could not re-run it: {e}'); problems += 1; continue
            for cid, was, now in changed_cells(json.loads(p.read_text(encoding='utf-8')), new):
                print(f'{name} cell {cid}: churn: saved {was!r}, re-run {now!r}'); problems += 1
            print(f'{name}: re-run', flush=True)
    print(f'{len(paths)} notebooks re-run as tools/run_nb.py --skip-slow refreshes them: '
          + (f'{problems} outputs change with no edit' if problems else 'every saved output is reproduced'))
    return 1 if problems else 0

if __name__ == '__main__': sys.exit(main())
