#!/usr/bin/env python3
"""Tests of tools/check_imports.py: synthetic packages, written to a temporary folder, with a circle, an upward import,
an unknown module or an `__init__` importing for side effects must fail, each naming the file, the line and the
modules; a clean one, and imports inside function bodies, must pass. Plain asserts: `python tools/test_check_imports.py`."""
import sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_imports as ci

FLOORS = [('ground', ['base']), ('story', ['low', 'mid', 'high']), ('engine', ['eng']), ('tools', ['tool'])]
CLEAN = {'__init__': '__version__ = "0.1"\n',
         'base': 'import os\n',
         'low': 'from .base import x\nimport numpy as np\n',
         'mid': 'from . import low\nfrom pkg.base import y\n',
         'high': 'import pkg.mid\nfrom pkg import low\n\ndef fit(net):\n    from .eng import step   # allowed: runs when called\n'
                 '    return step(net)\n\nf = lambda: __import__("pkg.eng")\n',
         'eng': 'from .base import x\nimport pkg.base as b\n',
         'tool': 'from .eng import step\nfrom .high import fit\nfrom .base import x\n',
         '_modidx': 'd = {}\n'}

def package(d, **changes):
    "A package `pkg` in folder `d`: CLEAN's modules, with `changes` (module: source, or None to leave it out)."
    pkg = Path(d) / 'pkg'; pkg.mkdir()
    for m, src in {**CLEAN, **changes}.items():
        if src is not None: (pkg / f'{m}.py').write_text(src)
    return pkg

def probs(**changes):
    with tempfile.TemporaryDirectory() as d: return ci.check(package(d, **changes), FLOORS)

def rules(ps): return [r for _, _, r, _ in ps]

def test_clean_passes():
    assert probs() == []
    with tempfile.TemporaryDirectory() as d:
        g = ci.read_graph(package(d))
        assert sorted(t for _, t in g['high']) == ['low', 'mid'], g['high']   # not eng: that import is in a function
        assert sorted(t for _, t in g['tool']) == ['base', 'eng', 'high'] and g['__init__'] == [] and '_modidx' not in g

def test_cycle_fails():
    # a circle across floors and one within a floor, each reported once, naming the circle and where it starts
    ps = probs(base='import os\nfrom .tool import run\n')
    cyc = [p for p in ps if p[2] == 'cycle']
    assert len(cyc) == 1 and cyc[0][:2] == ('pkg/base.py', 2) and 'base -> tool -> base' in cyc[0][3], ps
    assert ('pkg/base.py', 2, 'upward') in [p[:3] for p in ps]
    ps = probs(low='from .base import x\nfrom .mid import z\n')      # low -> mid -> low
    assert sorted(rules(ps)) == ['cycle', 'upward'], ps
    assert 'low -> mid -> low' in next(p[3] for p in ps if p[2] == 'cycle')
    # a longer one, through three modules
    ps = probs(low='from .high import fit\n', high='from .mid import y\n')   # low -> high -> mid -> low, from high
    assert 'high -> mid -> low -> high' in next(p[3] for p in ps if p[2] == 'cycle'), ps
    # a module importing itself
    assert 'cycle' in rules(probs(mid='from . import mid\n'))

def test_upward_fails():
    # a story module importing the engine at module level: the story's modules must read without it
    ps = probs(high='from .eng import step\n')
    assert ps == [('pkg/high.py', 1, 'upward', ps[0][3])] and 'high (story) imports eng (engine), a higher floor' in ps[0][3], ps
    assert rules(probs(tool='from .cli import main\n', cli='x = 1\n')) == ['unknown']   # (cli has no floor here)
    # later on its own floor; every spelling of an import of the package's module counts
    for src in ('from .high import fit\n', 'from . import high\n', 'import pkg.high\n', 'from pkg import high\n',
                'from pkg.high import fit\n', 'import pkg.high as h\n'):
        ps = probs(mid='import os\n' + src, high='import os\n')
        assert [(p[0], p[1], p[2]) for p in ps] == [('pkg/mid.py', 2, 'upward')], (src, ps)
        assert 'after it on its own floor' in ps[0][3]
    # an import that runs at import time, though nested: in an if, a try, a class body
    for src in ('if True:\n    from .tool import run\n', 'try:\n    import pkg.tool\nexcept ImportError:\n    pass\n',
                'class A:\n    from .tool import run\n'):
        assert 'upward' in rules(probs(low=src)), src
    # the ground importing the story
    assert sorted(rules(probs(base='from .low import z\n'))) == ['cycle', 'upward']   # low imports base

def test_allowed():
    # inside a function or method body, under TYPE_CHECKING, other packages, relative imports above the package
    src = ('from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .tool import run\n'
           'class A:\n    def m(self):\n        from .tool import run\n        return run\n'
           'async def g():\n    import pkg.eng\n'
           'import numpy.low\nfrom numpy import high\nfrom .. import tool\nfrom .base import low\n')
    assert probs(low=src) == []

def test_unknown_and_init():
    ps = probs(extra='from .base import x\n')
    assert [p[:3] for p in ps] == [('pkg/extra.py', 1, 'unknown')] and 'FLOORS' in ps[0][3], ps
    ps = probs(__init__='__version__ = "0.1"\nfrom . import low, eng  # noqa\n')
    assert [p[:3] for p in ps] == [('pkg/__init__.py', 2, 'init')] and 'low, eng' in ps[0][3], ps
    assert probs(__init__='__version__ = "0.1"\nimport os\n') == []

def test_the_package():
    # the real package reads: every module has a floor, `python -m ffnn_lit` is on top of what it imports
    # (the CLI imports the library inside `main`, after setting the BLAS threads: no module-level import of it)
    g = ci.read_graph(ci.ROOT / ci.PACKAGE)
    floored = {m for _, ms in ci.FLOORS for m in ms}
    assert set(g) - {'__init__'} <= floored, set(g) - floored
    assert 'cli' in {t for _, t in g['__main__']}

if __name__ == '__main__':
    tests = [f for n, f in sorted(globals().items()) if n.startswith('test_')]
    for t in tests: t(); print(f'{t.__name__}: ok')
    print(f'{len(tests)} tests of check_imports passed')
