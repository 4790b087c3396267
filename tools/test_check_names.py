#!/usr/bin/env python3
"""Tests of tools/check_names.py: synthetic packages, written to a temporary folder, with a name exported twice
(by two cells of one notebook, as `data._size` once was) or one public name defined in two modules must fail, naming
the notebook cells; a clean package, optional imports in `try`/`if` branches and the console scripts' `main` in
each command module must pass. Plain asserts: `python tools/test_check_names.py`."""
import json, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_names as cn

def mod(*cells):
    "A module as nbdev writes it: `__all__`, then each (cell id, source) under its `# %%` marker."
    names = [l.split()[1].split('(')[0].rstrip(':') for _, s in cells for l in s.splitlines()
             if l.startswith(('def ', 'class ')) and not l.split()[1].startswith('_')]
    out = f"__all__ = {names!r}\n\n"
    for cid, src in cells: out += f"# %% ../nbs/10_data.ipynb #{cid}\n{src}\n\n"
    return out

CLEAN = {'data': mod(('aaaa0001', 'import os\ntry: import tqdm\nexcept ImportError: tqdm = None'),
                     ('aaaa0002', 'def _size(n): return n\nLIMIT = 10'),
                     ('aaaa0003', 'def download(url): return _size(1)\nclass DownloadError(Exception): pass')),
         'cli': mod(('bbbb0001', 'def main(): pass')),
         'bench': mod(('cccc0001', 'def main(): pass\ndef _size(x): return x')),   # a private helper of its own: fine
         '__init__': '__version__ = "0.1"\n', '_modidx': 'd = {}\n'}
ENTRIES = {('cli', 'main'), ('bench', 'main')}

def probs(**changes):
    with tempfile.TemporaryDirectory() as d:
        pkg = Path(d) / 'pkg'; pkg.mkdir()
        for m, src in {**CLEAN, **changes}.items(): (pkg / f'{m}.py').write_text(src)
        return cn.check(pkg, ENTRIES)

def test_clean_passes(): assert probs() == [], probs()

def test_twice_in_one_module():
    ps = probs(data=mod(('aaaa0002', 'def _size(n): return n'), ('aaaa0003', 'def download(url): return _size(1)'),
                        ('aaaa0009', 'def _size(path): return path.stat().st_size')))
    assert len(ps) == 1 and ps[0].startswith('10_data.ipynb #aaaa0009: twice: data._size'), ps
    assert '10_data.ipynb #aaaa0002' in ps[0], ps            # ... and where the first one is

def test_assignment_twice():
    ps = probs(data=mod(('aaaa0002', 'LIMIT = 10'), ('aaaa0004', 'LIMIT: int = 20')))
    assert len(ps) == 1 and 'twice: data.LIMIT (assignment)' in ps[0], ps

def test_public_name_in_two_modules():
    ps = probs(cli=mod(('bbbb0001', 'def main(): pass'), ('bbbb0002', 'def download(url): pass')))
    assert len(ps) == 1 and ': across: download is defined in cli, data' in ps[0] and '#bbbb0002' in ps[0], ps

def test_main_only_where_settings_names_it():
    with tempfile.TemporaryDirectory() as d:
        pkg = Path(d) / 'pkg'; pkg.mkdir()
        for m, src in CLEAN.items(): (pkg / f'{m}.py').write_text(src)
        assert len(cn.check(pkg, ())) == 1                     # without the entry points, two `main`s are a problem
        (Path(d) / 'settings.ini').write_text("[DEFAULT]\nconsole_scripts = a=pkg.cli:main b=pkg.bench:main\n")
        assert cn.entry_points(Path(d) / 'settings.ini') == ENTRIES
        assert cn.main([str(pkg)]) == 0
        assert cn.check(Path(__file__).resolve().parent.parent / 'ffnn_lit', cn.entry_points(cn.ROOT / 'settings.ini')) == []

def _nb(*cells):
    return json.dumps({'cells': [{'cell_type': 'code', 'id': cid, 'metadata': {}, 'outputs': [], 'source': src}
                                 for cid, src in cells], 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5})

def test_forgotten_export_named_at_its_cell():
    with tempfile.TemporaryDirectory() as d:
        pkg, nbs = Path(d) / 'pkg', Path(d) / 'nbs'; pkg.mkdir(); nbs.mkdir()
        (pkg / 'data.py').write_text(mod(('aaaa0001', 'def download(url): pass')))
        (nbs / '10_data.ipynb').write_text(_nb(('aaaa0001', '#| export\ndef download(url): pass'),
                                               ('aaaa0002', 'def checksum(b):\n    return 0')))   # export forgotten
        (nbs / '13_cli.ipynb').write_text(_nb(('bbbb0001', 'from pkg.data import (download,\n    checksum)\nx = 1')))
        ps = cn.unexported(pkg, nbs)
        assert len(ps) == 1 and ps[0].startswith('10_data.ipynb #aaaa0002: export: checksum'), ps
        assert '13_cli.ipynb #bbbb0001' in ps[0], ps
        (pkg / 'data.py').write_text(mod(('aaaa0001', 'def download(url): pass'), ('aaaa0002', 'def checksum(b): return 0')))
        assert cn.unexported(pkg, nbs) == []

if __name__ == '__main__':
    tests = [f for n, f in sorted(globals().items()) if n.startswith('test_')]
    for t in tests: t()
    print(f"{len(tests)} tests of tools/check_names.py passed")
