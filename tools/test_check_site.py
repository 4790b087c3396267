#!/usr/bin/env python3
"""Tests of tools/check_site.py: each rule gets synthetic cells or objects with one violation and one
clean case, and must fire on the violation only. Plain asserts: `python tools/test_check_site.py`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_site as cs

def md(s): return dict(cell_type='markdown', source=s)
def code(s, *outputs): return dict(cell_type='code', source=s, outputs=list(outputs))
def stream(s): return dict(output_type='stream', name='stdout', text=s)
def result(**data): return dict(output_type='execute_result', data=data)
def png(): return dict(output_type='display_data', data={'image/png': 'iVBOR', 'text/plain': '<Figure>'})
def rules(fs): return [f.rule for f in fs]
def details(fs): return ' | '.join(f.detail for f in fs)

# --- helpers ---------------------------------------------------------------------------------------
def test_directives():
    c = code('#| echo: false\n#|output:asis\n#| hide\nx = 1\n#| not: this')
    assert cs.directives(c) == {'echo': 'false', 'output': 'asis', 'hide': ''}, cs.directives(c)
    assert cs.cell_hidden(c) and not cs.cell_hidden(code('#| exports\ndef f(): pass'))
    assert not cs.code_visible(code('#| echo: false\nx')) and cs.output_visible(code('#| echo: false\nx'))
    assert not cs.output_visible(code('#| output: false\nx')) and cs.code_visible(code('#| output: false\nx'))
    assert cs.show_doc_names(code('#| echo: false\nshow_doc(NN.fit)\nshow_doc(f)')) == ['NN.fit', 'f']

# --- 1. docments ---------------------------------------------------------------------------------
def bad_doc(a,  # a `Layer`
            b=1,  # weight $w$
           )->int:  # `(n,)` array
    "Docstring `may` use $math$"
def good_doc(a,  # a layer
             b=1):  # weight w
    "Docstring `may` use $math$"
class BadInit:
    def __init__(self, x):  # the `x`
        pass

def test_docments():
    fs = cs.rule_docments('p', 'bad_doc', bad_doc)
    assert rules(fs) == ['docments'] * 3 and 'backticks' in fs[0].detail and 'TeX $' in fs[1].detail \
        and 'return' in fs[2].detail, details(fs)
    assert cs.rule_docments('p', 'good_doc', good_doc) == []
    assert len(cs.rule_docments('p', 'BadInit', BadInit)) == 1  # a class: its __init__'s comments

# --- 2. paths --------------------------------------------------------------------------------------
def test_paths():
    pats = cs.path_patterns(['myhost-1234'])
    cells = [code('print(p)', stream('/home/alice/data/mnist\n')),
             code('d', result(**{'text/plain': "'/tmp/tmpab3x_9/file'"})),
             code('h', result(**{'text/html': '<td>/usr/lib/python3.11/site-packages/x.py</td>'})),
             code('n', stream('host: myhost-1234\n')),
             code('ok', stream('relative/path data/mnist, see https://example.com/home/x and 3/4\n')),
             code('#| hide\nsecret', stream('/root/x\n'))]
    fs = cs.rule_paths_outputs('p', cells, pats)
    cells_hit = sorted({int(f.detail.split()[1]) for f in fs})
    assert cells_hit == [0, 1, 2, 3], details(fs)
    assert any("'/home/alice'" in f.detail for f in fs) and any('/tmp/tmpab3x_9' in f.detail for f in fs)
    def bad(python='/opt/venv/bin/python3', other=None): pass
    def good(python='python3', n=3): pass
    fs = cs.rule_paths_signature('p', 'bad', bad, pats)
    assert len(fs) == 1 and '/opt/venv/bin/python3' in fs[0].detail, details(fs)
    assert cs.rule_paths_signature('p', 'good', good, pats) == []

# --- 3. duplicates ---------------------------------------------------------------------------------
def test_duplicates():
    cells = [md('# Page'),
             code('#| export\n@patch\ndef fit(self:NN, X): pass\n@patch\ndef evaluate(self:NN, X): pass'),
             code('show_doc(NN.fit)'),                       # repeats nbdev's entry for the @patch: duplicate
             code('#| export\ndef helper(x): pass\ndef _private(x): pass'),
             code('show_doc(helper)'),                       # moves helper's entry: nbdev skips its own, no duplicate
             code('#| export\nclass Layer:\n    def forward(self): pass'),
             code('show_doc(Layer.forward)'),                # methods are not documented automatically: fine
             md('## `NN.evaluate`\n\ntext'),                 # heading repeating a doc entry
             md('## Evaluating')]
    docs = cs.documented(cells)
    assert [(n, how) for n, _, how in docs] == [('NN.evaluate', 'auto'), ('NN.fit', 'auto'), ('NN.fit', 'explicit'),
                                                ('helper', 'explicit'), ('Layer', 'auto'), ('Layer.forward', 'explicit')], docs
    fs = cs.rule_duplicates('p', cells)
    assert len(fs) == 2 and '`NN.fit` documented 2 times' in fs[0].detail and 'delete the explicit show_doc (cell 2)' in fs[0].detail \
        and 'heading' in fs[1].detail and 'cell 7' in fs[1].detail, details(fs)
    assert cs.rule_duplicates('p', [code('#| export\ndef f(): pass'), code('show_doc(g)')]) == []
    twice = cs.rule_duplicates('p', [code('show_doc(g)'), code('show_doc(g)')])
    assert len(twice) == 1 and '2 times' in twice[0].detail
    assert cs._patch_name(cs.ast.parse('@patch_to(NN)\ndef save(self, p): pass').body[0]) == 'NN.save'

# --- 4. width --------------------------------------------------------------------------------------
def test_width():
    long = 'x = ' + '1 + ' * 30 + '1'
    cells = [code(f'#| {"fig-alt: " + "a" * 100}\nshort = 1\n{long}', stream('y' * 89 + '\n' + 'z' * 88 + '\n')),
             code(f'#| echo: false\n{long}'),           # code hidden: not counted
             code(f'#| hide\n{long}', stream('y' * 120)),  # cell hidden
             code('show_doc(f)', result(**{'text/markdown': 'x' * 200})),
             code('ok = 1', stream('progress ' + 'x' * 100 + '\rdone\n'))]  # \r: only 'done' stays
    sigs = {'f': 'def f(\n    a, # ' + 'c' * 90 + '\n):', 'g': 'def g(\n    a:int=1\n):'}
    fs = cs.rule_width('p', cells, sigs, limit=88)
    assert [f.detail.split(':')[0] for f in fs] == ['cell 0 code line 3', 'cell 0 output line', 'signature of `f`'], details(fs)
    assert fs[0].size == len(long) and fs[1].size == 89
    assert cs.signature_block('---\n\n### f\n\n```python\ndef f(\n    a\n):\n```\n\n*Doc*') == 'def f(\n    a\n):'

# --- 5. equations ----------------------------------------------------------------------------------
def test_equations():
    wide = r'\mathbf Z_1 = \mathbf X_1\mathbf W_1 + \mathbf b_1,\ \mathbf X_2 = \text{ReLU}(\mathbf Z_1),\quad \mathbf Z_2 = \mathbf X_2\mathbf W_2 + \mathbf b_2,\ \mathbf X_3 = \text{ReLU}(\mathbf Z_2),\quad \mathbf Z_3 = \mathbf X_3\mathbf W_3 + \mathbf b_3'
    broken = r'\begin{aligned}' + wide.replace(r',\quad', r',\\') + r'\end{aligned}'
    toplevel = wide.replace(r',\quad', r',\\')  # \\ outside an environment does not break the line
    narrow = r'\frac{\partial J}{\partial \theta} \approx \frac{J(\theta + \epsilon) - J(\theta - \epsilon)}{2\epsilon}'  # long TeX, narrow
    cells = [md(f'Text\n\n$${wide}$$\n\nmore'), md(f'$$\n{broken}\n$$'), md(f'$${toplevel}$$'), md(f'$${narrow}$$'),
             md('`$$' + wide + '$$` in code'), code(f'# $${wide}$$')]
    fs = cs.rule_equations('p', cells, 678)
    assert [f.detail.split(':')[0] for f in fs] == ['cell 0', 'cell 2'], details(fs)
    assert cs.tex_width(broken) < cs.tex_width(wide) / 2
    assert cs.tex_width(r'X = \begin{bmatrix}0&0\\0&1\end{bmatrix}') < cs.tex_width(r'X = 0 0 0 1')
    assert cs.tex_width(r'\frac{a}{b}') < cs.tex_width('a b')

# --- 6. alt ----------------------------------------------------------------------------------------
def test_alt():
    cells = [code('plt.plot(x)', png()),
             code('#| fig-alt: A line rising\nplt.plot(x)', png()),
             code('#| fig-cap: Figure 1\nplt.plot(x)', png()),
             code('#| output: false\nplt.plot(x)', png()),
             code('print(1)', stream('1')),
             md('![](static/a.png) and ![A 2-3-1 network](static/b.png) <img src="c.png"> <img alt="d" src="d.png">')]
    fs = cs.rule_alt('p', cells)
    assert [f.detail.split(':')[0] for f in fs] == ['cell 0', 'cell 5', 'cell 5'], details(fs)
    assert 'a.png' in fs[1].detail and 'c.png' in fs[2].detail

# --- 7. links --------------------------------------------------------------------------------------
def test_links():
    titles = {'01_forward': 'Forward pass', 'forward': 'Forward pass', '04_mnist': 'MNIST'}
    cells = [md('See [01_forward](01_forward.ipynb), [`04_mnist`](04_mnist.ipynb#speed), [forward](forward.html) '
                'and [the forward pass](01_forward.ipynb), [MNIST](04_mnist.ipynb), ![01_x](01_x.png), [NN](https://x.org/nn)'),
             code('# [01_forward](01_forward.ipynb)')]
    fs = cs.rule_links('p', cells, titles)
    assert len(fs) == 3 and "titled 'Forward pass'" in fs[0].detail and "titled 'MNIST'" in fs[1].detail \
        and 'forward.html' in fs[2].detail, details(fs)

# --- 8. classes ------------------------------------------------------------------------------------
class NoInit:
    "No `__init__`"
    def forward(self, X): return X
class Base:
    def __init__(self, **hyper): pass
class Child(Base): pass
class WithInit:
    def __init__(self, n:int, rng=None, seed:'int|None'=None, dtype=float): pass
class MyError(ValueError): pass
def nonetype(a, out=None, b:dict=None, c=0): pass

def test_classes():
    fs = cs.rule_classes('p', 'NoInit', NoInit)
    assert len(fs) == 1 and '`def NoInit(*args, **kwargs)`' in fs[0].detail and 'object.__init__' in fs[0].detail, details(fs)
    assert cs.rule_classes('p', 'Child', Child) == []      # renders Base's `(**hyper)`: what the class takes
    assert cs.rule_classes('p', 'MyError', MyError) == []    # an exception takes what Python's take: not held to the rule
    fs = cs.rule_classes('p', 'WithInit', WithInit)
    assert len(fs) == 1 and 'rng:NoneType=None' in fs[0].detail and 'seed' not in fs[0].detail, details(fs)
    fs = cs.rule_classes('p', 'nonetype', nonetype)
    assert len(fs) == 1 and 'out:NoneType=None' in fs[0].detail and 'b:' not in fs[0].detail, details(fs)
    assert cs.rule_classes('p', 'NoInit.forward', NoInit.forward) == []
    # the rule agrees with what fastcore's show_doc renderer prints
    from fastcore.docments import DocmentText
    assert '*args, **kwargs' in str(DocmentText(NoInit)) and 'rng:NoneType=None' in str(DocmentText(WithInit))

def test_titles():
    raw = dict(cell_type='raw', source='---\ntitle: Forward pass\noutput-file: forward.html\n---\n')
    assert cs.page_title([md('# Other')], [raw]) == 'Forward pass' and cs.output_file([raw]) == 'forward'
    assert cs.page_title([code('x'), md('# Weight initialisation\n\n> desc')]) == 'Weight initialisation'

# --- 9-13. order, kwargs, anchors, deadlinks, endings ------------------------------------------------
def test_order():
    two = code('#| export\nclass A: pass\nclass B: pass')
    assert rules(cs.rule_order('p', [two])) == ['order'] and 'B, A' in details(cs.rule_order('p', [two]))
    fixed = [two, code('show_doc(A)'), code('show_doc(B)')]  # explicit entries in reading order, one a cell
    assert cs.rule_order('p', fixed) == [] and [n for n, _, _ in cs.documented(fixed)] == ['A', 'B']
    # two show_doc calls in one cell: only the last is displayed, the other entry is lost
    both = [code('#| export\nclass A: pass'), code('show_doc(A)\nshow_doc(B)')]
    assert rules(cs.rule_showdoc('p', both)) == ['showdoc'] and cs.rule_showdoc('p', fixed) == []
    assert [n for n, _, _ in cs.documented(both)] == ['B']
    assert cs.rule_order('p', [code('#| export\nclass A: pass'), code('#| export\ndef f(): pass')]) == []
    assert cs.rule_order('p', [code('#| export\nclass A: pass\ndef _helper(): pass')]) == []  # private: no entry
    # a hidden show_doc only suppresses nbdev's entry: nothing is rendered for the name
    hidden = [code('#| exports\ndef sigmoid(Z): pass'), code('#| hide\nshow_doc(sigmoid)'), code('#| export\nclass Sigmoid: pass')]
    assert [n for n, _, _ in cs.documented(hidden)] == ['Sigmoid'] and cs.rule_anchors('p', hidden) == []

def kw_on_return(a:int, # the a
                 **kw)->dict: # passed on
    "x"
def kw_own_line(a:int, # the a
                **kw, # passed on
               )->dict:
    "x"
def kw_clean(a:int, # the a
             **kw)->dict:
    "x; `kw` are passed on"
class KwInit:
    def __init__(self, **hyper): # the hyper-parameters
        pass

def test_kwargs():
    fs = cs.rule_kwargs('p', 'kw_on_return', kw_on_return)
    assert rules(fs) == ['kwargs'] and "return's" in details(fs), fs
    fs = cs.rule_kwargs('p', 'kw_own_line', kw_own_line)
    assert rules(fs) == ['kwargs'] and 'never rendered' in details(fs), fs
    assert cs.rule_kwargs('p', 'KwInit', KwInit) and cs.rule_kwargs('p', 'kw_clean', kw_clean) == []
    assert cs.rule_kwargs('p', 'good_doc', good_doc) == []  # no **kw at all

def test_anchors():
    case = [code('#| export\ndef sigmoid(Z): pass'), code('#| export\nclass Sigmoid: pass')]
    fs = cs.rule_anchors('p', case)
    assert rules(fs) == ['anchors'] and '#sigmoid' in details(fs), fs
    heading = [md('## Results\nthe table'), code('#| export\ndef results(): pass')]
    assert rules(cs.rule_anchors('p', heading)) == ['anchors']
    assert cs.rule_anchors('p', [md('## Measured results {#measured}'), heading[1]]) == []  # an explicit id
    assert cs.rule_anchors('p', [md('## Results on MNIST'), heading[1], code('#| export\nclass Softmax: pass')]) == []
    assert rules(cs.rule_anchors('p', [md('## A b'), md('### A  B')])) == ['anchors']  # headings among themselves

def test_deadlinks():
    names, rendered = {'_as_batch', 'NN', 'NN._check', 'Layer'}, {'NN', 'Layer'}
    cells = [md('`_as_batch` turns a vector into a batch; `NN` is a list and `NN._check` is private.'),
             md('```python\n`_as_batch`\n```'), md('`_not_in_modidx` and `__init__`')]
    fs = cs.rule_deadlinks('p', cells, names, rendered)
    assert rules(fs) == ['deadlinks', 'deadlinks'] and 'cell 0' in details(fs), fs
    assert cs.rule_deadlinks('p', cells, names, rendered | {'_as_batch', 'NN._check'}) == []  # entries exist

def test_endings():
    end = md('Next: [Backpropagation](02_backprop.ipynb) derives the gradients.')
    export = code('#| hide\nimport nbdev; nbdev.nbdev_export()')
    assert cs.rule_endings('p', [md('# T'), code('x = 1'), end, export]) == []
    fs = cs.rule_endings('p', [md('# T'), end, code('test_eq(1, 1)'), export])
    assert rules(fs) == ['endings'] and 'code cell (cell 2)' in details(fs), fs
    assert rules(cs.rule_endings('p', [md('# T'), md('The end.'), export])) == ['endings']
    # a hidden code cell with output still shows its output; one that shows nothing does not count
    assert rules(cs.rule_endings('p', [end, dict(code('#| echo: false\nprint(1)', stream('1')))])) == ['endings']
    assert cs.rule_endings('p', [end, code('#| hide\nx = 1', stream('1'))]) == []

if __name__ == '__main__':
    tests = [(n, f) for n, f in list(globals().items()) if n.startswith('test_') and callable(f)]
    for n, f in tests: f(); print(f'{n}: ok')
    print(f'{len(tests)} tests passed')
