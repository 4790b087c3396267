#!/usr/bin/env python3
"""Tests of tools/check_churn.py: saved and re-run notebooks (synthetic, in memory) whose outputs differ by a timing,
a port or an image must be reported with the cell id and the two lines; outputs that differ only in how the JSON
stores them (a string or a list of lines) must not. Then a real notebook that prints the time, re-run in a copy of
the project as CI does, must be reported. Plain asserts: `python tools/test_check_churn.py`."""
import json, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_churn as cc

def nb(*cells): return {'cells': [dict(cell_type='code', id=cid, source='', outputs=outs) for cid, outs in cells]}
def stream(text): return {'output_type': 'stream', 'name': 'stdout', 'text': text}
def md(v): return {'output_type': 'display_data', 'data': {'text/markdown': v}, 'metadata': {}}
def png(b): return {'output_type': 'display_data', 'data': {'image/png': b, 'text/plain': ['<Figure>']}, 'metadata': {}}

def test_same_outputs_pass():
    a = nb(('c1', [stream('epoch 1 loss 0.6934\n')]), ('c2', [md('| a |\n|---|\n')]), ('c3', [png('iVBOR')]))
    b = nb(('c1', [stream(['epoch 1 loss 0.6934\n'])]), ('c2', [md(['| a |\n', '|---|\n'])]), ('c3', [png(['iVBOR'])]))
    assert cc.changed_cells(a, b) == [], cc.changed_cells(a, b)

def test_timing_port_image_reported():
    a = nb(('c1', [stream('epoch 1 time 0.0004\n')]), ('c2', [stream('serving on 127.0.0.1:33193\n')]), ('c3', [png('AAAA')]))
    b = nb(('c1', [stream('epoch 1 time 0.0005\n')]), ('c2', [stream('serving on 127.0.0.1:41877\n')]), ('c3', [png('BBBB')]))
    got = cc.changed_cells(a, b)
    assert [c for c, _, _ in got] == ['c1', 'c2', 'c3'], got
    assert got[0][1:] == ('epoch 1 time 0.0004', 'epoch 1 time 0.0005'), got[0]

def test_a_real_notebook_that_prints_the_time():
    src = {'cells': [{'cell_type': 'code', 'id': 'ab12cd34', 'metadata': {}, 'execution_count': None,
                      'source': 'import time; print(time.time())', 'outputs': [stream('1.0\n')]}],
           'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}
    with tempfile.TemporaryDirectory(dir=cc.NBS) as d:
        p = Path(d) / 'clock.ipynb'; p.write_text(json.dumps(src))
        with tempfile.TemporaryDirectory() as tmp: new = cc.rerun(p, Path(tmp))
    got = cc.changed_cells(src, new)
    assert len(got) == 1 and got[0][0] == 'ab12cd34' and got[0][1] == '1.0', got

if __name__ == '__main__':
    tests = [f for n, f in sorted(globals().items()) if n.startswith('test_')]
    for t in tests: t()
    print(f"{len(tests)} tests of tools/check_churn.py passed")
