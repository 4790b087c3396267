#!/usr/bin/env python3
"""Tests of tools/check_nb.py: for each rule a deliberately broken notebook, written to a temporary folder, must be
reported, and a clean one must pass. The broken notebooks are the faults that once stopped the site build or Jupyter
(an unquoted `fig-alt` holding ": ", a cell typed "md") and their relatives. Plain asserts:
`python tools/test_check_nb.py` (the kernel tests start real Jupyter kernels: about 20 s)."""
import json, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_nb as cn

def nb(*cells): return dict(nbformat=4, nbformat_minor=5, metadata={}, cells=[
    dict(c, id=f'c{i}', metadata={}, **({'outputs': [], 'execution_count': None} if c['cell_type'] == 'code' else {}))
    for i, c in enumerate(cells)])
def code(s): return dict(cell_type='code', source=s)
def md(s): return dict(cell_type='markdown', source=s)

def write(folder, name, notebook):
    p = Path(folder) / name
    p.write_text(json.dumps(notebook))
    return p

def rules(probs): return [r for r, _ in probs]

CLEAN = nb(md('# Title\n\n> desc'), code('#| echo: false\n#| fig-alt: "Left: the cost; right: the accuracy"\nx = 1'),
           code('#| export\n#| eval: false\ndef f(): pass'), code("#| fig-cap: 'A: b'\n#| fig-width: 6.5\ny = 2"))

def test_clean_passes():
    with tempfile.TemporaryDirectory() as d:
        assert cn.check_notebook(write(d, 'ok.ipynb', CLEAN), quarto_only=False) == []

def test_schema():
    with tempfile.TemporaryDirectory() as d:
        bad = nb(md('# T'), dict(cell_type='md', source='prose'), dict(cell_type='md', source='more prose'))
        probs = cn.check_notebook(write(d, 'md.ipynb', bad), quarto_only=False)
        assert rules(probs) == ['schema', 'schema'], probs  # both "md" cells, not only the first
        assert 'md' in probs[0][1] and 'Jupyter' in probs[0][1]
        nosrc = nb(code('x = 1')); del nosrc['cells'][0]['source']
        assert rules(cn.check_notebook(write(d, 'nosrc.ipynb', nosrc), quarto_only=False)) == ['schema']
        # what nbdev hands Quarto carries nbdev's own keys (has_sd), which Quarto ignores; a bad cell type it does not
        proc = nb(code('show_doc(f)')); proc['cells'][0]['has_sd'] = True
        assert cn.check_notebook(write(d, 'proc.ipynb', proc), quarto_only=True) == []
        proc['cells'].append(dict(cell_type='md', source='x', metadata={}, id='bad'))
        assert rules(cn.check_notebook(write(d, 'proc2.ipynb', proc), quarto_only=True)) == ['schema']

def test_options_yaml():
    for opts, why in [('#| fig-alt: Two panels. Left: the cost', 'not valid YAML'),  # the build-stopping fault
                      ('#| fig-alt: "the cost"\n#| fig-alt: "again"', 'duplicate key'),
                      ('#| fig-alt: [unclosed', 'not valid YAML')]:
        probs = cn.check_options(cn.option_lines(opts + '\nx = 1'), quarto_only=False)
        assert len(probs) == 1 and why in probs[0], (opts, probs)
    # once quoted, the same text is fine; nbdev's bare directives are not YAML and are skipped in a source notebook
    assert cn.check_options(cn.option_lines('#| fig-alt: "Two panels. Left: the cost"\n#| export\n#| slow\nx'), False) == []
    # only the leading #| lines count: one after code is a comment
    assert cn.option_lines('x = 1\n#| fig-alt: a: b') == []

def test_options_types():
    bad = {'#| echo: "false"': 'true or false', '#| echo: no': 'true or false',  # YAML 1.2: `no` is a string
           '#| fig-alt: 3': 'a string', '#| fig-alt: true': 'a string', '#| fig-width: wide': 'a number',
           '#| output: maybe': "'asis'", '#| fig-cap: {a: 1}': 'a string'}
    for line, want in bad.items():
        probs = cn.check_options([line[3:]], quarto_only=False)
        assert len(probs) == 1 and want in probs[0], (line, probs)
    good = ['echo: false', 'output: asis', 'echo: fenced', 'fig-width: 6', 'fig-height: 4.5', "fig-cap: 'x'",
            'eval: false', 'code-fold: show']
    for line in good: assert cn.check_options([line], quarto_only=False) == [], line
    # in what Quarto reads, an unknown key is a typo: reported; in a source notebook nbdev's own keys are not
    assert 'unknown cell option' in cn.check_options(['fig_alt: "x"'], quarto_only=True)[0]
    assert cn.check_options(['fig_alt: "x"'], quarto_only=False)  # not nbdev's either
    assert cn.check_options(['export: true'], quarto_only=False) == []

def test_front_matter_and_yaml_files():
    assert cn.check_front_matter("---\ntitle: 'Appendix: data'\ndescription: x\n---\n") == []
    assert 'not valid YAML' in cn.check_front_matter('---\ntitle: Appendix: data\n---\n')[0]
    assert 'not a string' in cn.check_front_matter('---\ntitle: [a]\n---\n')[0]
    with tempfile.TemporaryDirectory() as d:
        y = Path(d) / 'x.yml'
        y.write_text('website:\n  title: a\n  title: b\n'); assert rules(cn.check_yaml_file(y)) == ['options']
        y.write_text('website:\n  title: "a: b"\n'); assert cn.check_yaml_file(y) == []

def test_kernel():
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / 'nbs'; folder.mkdir()
        ok = write(folder, 'ok.ipynb', nb(code('import os\nx = 1 + 1'), code('#| slow\nraise RuntimeError("slow cell ran")'),
                                            code("assert 'IN_TEST' not in os.environ, 'IN_TEST set'")))
        fails = write(folder, 'fails.ipynb', nb(code('x = 1'), code('raise ValueError("a broken cell")')))
        md_cell = write(folder, 'md.ipynb', nb(code('x = 1'), dict(cell_type='md', source='prose')))
        writes = write(folder, 'writes.ipynb', nb(code("open('data.json', 'w').write('[2]')")))
        (folder / 'data.json').write_text('[1]')
        assert cn.run_in_kernel([ok]) == []  # the slow cell is left out; IN_TEST is not set, as in a reader's Jupyter
        probs = cn.run_in_kernel([fails, md_cell, writes])
        assert [(Path(p).name, r) for p, r, _ in probs] == [
            ('fails.ipynb', 'kernel'), ('md.ipynb', 'kernel'), ('writes.ipynb', 'rewrites')], probs
        assert 'a broken cell' in probs[0][2] and 'data.json' in probs[2][2]
        assert (folder / 'data.json').read_text() == '[1]'  # it ran in a copy: the real folder is untouched

if __name__ == '__main__':
    tests = [f for n, f in sorted(globals().items()) if n.startswith('test_')]
    for t in tests: t(); print(f'{t.__name__}: ok')
    print(f'{len(tests)} tests of check_nb passed')
