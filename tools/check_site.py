#!/usr/bin/env python3
"""Check the docs site for what a reader sees wrong, without Quarto.

Reads the notebooks in `nbs/` (saved outputs, Markdown, cell options) and the pages nbdev hands to
Quarto (`_proc/`, written here with nbdev's own pre-processing, as `tools/check_docs.py` does), and
imports the package to inspect its public API with fastcore's `docments`, the way `show_doc` does.
Every problem is printed as `page: rule: detail`; then a count per rule. Exit status 1 if an
enforced rule has findings.

    python tools/check_site.py                  # enforce every rule
    python tools/check_site.py --report         # print everything, never fail
    python tools/check_site.py --enforce docments,paths,duplicates
    python tools/check_site.py --no-proc        # reuse the existing _proc/ (no pre-processing)

Rules (`page` is the notebook; `cell N` is its index in `nbs/<page>`, counting from 0):

docments    `$` or backticks in a parameter comment of a public function, class or method (patched
            ones included): `show_doc` puts them inside the signature's code block, where TeX is not
            rendered and nbdev turns backticked names into raw `[`x`](url)` text.
paths       absolute machine paths, user names, temp dirs, interpreter paths or the host name in saved
            outputs, and in defaults of public signatures (e.g. a default of `sys.executable`).
duplicates  a symbol documented twice on one page, and Markdown headings that repeat a doc entry. This
            simulates nbdev 2's `add_show_docs`: after an exported cell nbdev adds `show_doc(name)` for
            each top-level def/class whose *bare* name is not already the argument of an explicit
            `show_doc` in the notebook. So `show_doc(f)` for a plain function just moves its entry
            (no duplicate), but `show_doc(NN.fit)` never suppresses the entry for `@patch def fit(self:NN)`
            (nbdev compares `fit` with `NN.fit`): that shows twice. (nbdev also lists the entries of one
            cell in reverse order, e.g. `SGD` before `Optimizer`; not checked.)
width       visible code lines (without `#|` lines) and text output lines over --width characters
            (88: at 1280 px the body column is 750 px and code 0.8em, 8.16 px a character, so a code block
            shows 90 characters and an output block 89; the arithmetic is in nbs/styles.css), and lines of
            the rendered signatures (nbdev 2 / fastcore
            `DocmentText(maxline=110)`: one parameter per line when it has a comment, otherwise parameters
            packed up to 110 characters on a line indented by 4, so lines reach 114).
equations   display equations (`$$...$$`) wider than the text column (--eq-px, 750 px at 1280 px wide).
            The width is estimated from the TeX with KaTeX's glyph widths and spacing (fractions as wide as
            their wider part, scripts at 70%, `\\mathbf` wider, `\\text{}` per letter), calibrated on the
            rendered site; a line ends at `\\\\` only inside an environment (`aligned`, `gathered`,
            `split`, matrices), so a long equation passes once broken into rows of `aligned`. Plain TeX
            length is a poor proxy: 104 characters of `\\frac{\\partial J}{\\partial \\theta} ...` draw
            272 px, 219 characters of the MNIST model 707 px.
alt         figures without alt text: a code cell with an image output needs `#| fig-alt:` (or
            `#| fig-cap:`), a Markdown image `![alt](...)` a non-empty alt, `<img>` an `alt=`.
links       links between pages labelled with a notebook file name (`[01_forward](01_forward.ipynb)`, any
            link text like `dd_name`) instead of the page title.
classes     fastcore's signature quirks, exactly as `show_doc` renders documented symbols: the signature of
            a class is that of `cls.__init__` (`docments` does `s = s.__init__`), so a class with no
            `__init__` of its own or of a base in the package gets `object.__init__`'s (or
            `Exception.__init__`'s) and renders as `def X(*args, **kwargs)`; an unannotated parameter
            with a default is annotated `type(default)` (`_get_full`), so `rng=None` renders as
            `rng:NoneType=None` (annotate it). (Classes always render with
            `def`: `DocmentText` has no other prefix; not checked.)
order       a cell that defines several documented names: nbdev inserts each automatic `show_doc` right after the
            cell, so the entries read in reverse (`AdamW` before `AdamL2`); explicit `show_doc` calls fix the order.
showdoc     a cell with several `show_doc` calls: a cell displays only its last expression, so the others are lost.
kwargs      a comment on a `**kw` parameter: fastcore's docments never shows it, and when `**kw` shares its line with
            the return annotation the comment is printed as the return's (`run_in_subprocess(...)->dict: # ...`).
anchors     two doc entries or headings of one page whose ids Quarto makes equal (`sigmoid` and `Sigmoid`, the entry
            `results` and the heading "Results"): the second gets `-1`, and every link opens the first.
deadlinks   a backticked private name in prose (`_as_batch`): nbdev links it (it is in `_modidx.py`), but no page has
            its entry, so the link goes nowhere.
endings     a page whose last visible cell is code (a test) or Markdown without a link: a chapter ends on prose that
            leads to the next page.
"""
import argparse, ast, contextlib, getpass, importlib, inspect, json, os, re, socket, sys, tempfile, textwrap
from collections import Counter, namedtuple
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = 'docments paths duplicates width equations alt links classes order showdoc kwargs anchors deadlinks endings'.split()
F = namedtuple('F', 'page rule detail size', defaults=(0,))  # one finding; `size` orders width findings

# ----------------------------------------------------------------------------------------------------
# Plain-data helpers: a cell is an nbformat dict (`source` a str or a list of lines)

def src(cell):
    s = cell.get('source', '')
    return ''.join(s) if isinstance(s, list) else s

def text(x): return ''.join(x) if isinstance(x, list) else (x or '')

def directives(cell):
    "Leading `#| key: value` lines of a code cell, as nbdev reads them (trailing `:` dropped)"
    res = {}
    if cell.get('cell_type') != 'code': return res
    for line in src(cell).splitlines():
        if not line.strip(): continue
        m = re.match(r'\s*#\s*\|\s*([\w-]+)\s*:?\s*(.*)$', line)
        if not m: break
        res[m.group(1)] = m.group(2).strip()
    return res

def _false(v): return v.strip().lower() in ('false', 'no', '0')
_HIDE = {'hide', 'export', 'exporti', 'default_exp'}  # nbdev removes these cells from the page

def cell_hidden(cell):
    d = directives(cell)
    return bool(_HIDE & d.keys()) or _false(d.get('include', 'true'))

def code_visible(cell):
    d = directives(cell)
    return not cell_hidden(cell) and not _false(d.get('echo', 'true')) and not is_show_doc(cell)

def output_visible(cell):
    return not cell_hidden(cell) and not _false(directives(cell).get('output', 'true'))

def is_show_doc(cell):  # nbdev's `_is_showdoc`
    return cell.get('cell_type') == 'code' and bool(re.search(r'^show_doc', src(cell), re.M))

def parse_cell(cell):
    "Top-level AST statements of a code cell (magics and shell lines dropped), or []"
    code = '\n'.join('' if re.match(r'\s*[%!]', l) else l for l in src(cell).splitlines())
    try: return ast.parse(code).body
    except SyntaxError: return []

def show_doc_names(cell):
    "Displayed names of the `show_doc(...)` calls in a cell, as nbdev names them"
    res = []
    for t in parse_cell(cell):
        if isinstance(t, ast.Expr) and isinstance(t.value, ast.Call) and getattr(t.value.func, 'id', None) == 'show_doc' \
           and t.value.args: res.append(ast.unparse(t.value.args[0]))
    return res

def _last_is_show_doc(cell):
    "Whether a cell's last statement is a `show_doc(...)` call, the one expression the cell displays"
    t = parse_cell(cell)
    return bool(t) and isinstance(t[-1], ast.Expr) and isinstance(t[-1].value, ast.Call) \
        and getattr(t[-1].value.func, 'id', None) == 'show_doc'

_ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')
_IMG = ('image/png', 'image/svg+xml', 'image/jpeg', 'image/gif')
_RICH = _IMG + ('text/html', 'text/markdown', 'text/latex')

def output_texts(out):
    "(kind, text) pairs of an output that end up on the page as text"
    t = out.get('output_type')
    if t == 'stream': return [('stream', _ANSI.sub('', text(out.get('text'))))]
    if t == 'error': return [('traceback', _ANSI.sub('', '\n'.join(out.get('traceback', []))))]
    data, res = out.get('data', {}), []
    for k in ('text/html', 'text/markdown'):
        if k in data: res.append((k, text(data[k])))
    if 'text/plain' in data and not any(k in data for k in _RICH): res.append(('text/plain', text(data['text/plain'])))
    return res

def plain_lines(kind, s):
    "Lines as shown in a <pre> block (a carriage return overwrites the line, as in a terminal)"
    return [l.rsplit('\r', 1)[-1].expandtabs(8) for l in s.split('\n')] if kind in ('stream', 'text/plain') else []

def short(s, n=70):
    s = ' '.join(s.split())
    return s if len(s) <= n else s[:n - 1] + '…'

# ----------------------------------------------------------------------------------------------------
# 1. docments

def rule_docments(page, name, obj):
    "`$` or backticks in the parameter (or return) comments of `obj`"
    from fastcore.docments import docments
    try: dm = docments(obj)
    except Exception as e: return [F(page, 'docments', f'`{name}`: docments failed ({type(e).__name__}: {e})')]
    res = []
    for p, c in dm.items():
        if not c or not isinstance(c, str): continue
        bad = [ch for ch, what in (('$', '$'), ('`', 'backtick')) if ch in c]
        if bad: res.append(F(page, 'docments', f'`{name}` {p}: {" and ".join("TeX $" if b == "$" else "backticks" for b in bad)} '
                                               f'shown raw in the signature: {short(c)!r}'))
    return res

# ----------------------------------------------------------------------------------------------------
# 2. paths

def path_patterns(extra=()):
    "Regexes for things that identify the machine that ran the notebook"
    pats = [r'/root(?=[/\s\'"]|$)', r'/home/[\w.-]+', r'/Users/[\w.-]+', r'[A-Za-z]:\\+Users\\+[\w.-]+',
            r'/tmp/tmp[\w.-]*', r'/(?:private/)?var/folders/[\w/.-]*', r'/work/[\w.-]*', r'[\w./-]*(?:site|dist)-packages',
            r'(?:/[\w.+-]+)*/bin/python[\d.]*', r'\.venv\b|/venv/']
    return [re.compile(p) for p in pats] + [re.compile(re.escape(e)) for e in extra if e]

def machine_strings():
    "This machine's own identifiers, found whatever their form"
    res = set()
    try:
        h = socket.gethostname()
        if len(h) >= 4 and h not in ('localhost', 'runner'): res.add(h)
    except Exception: pass
    try:
        u = getpass.getuser()
        if len(u) >= 4 and u not in ('root', 'runner', 'user', 'jovyan'): res.add(u)
    except Exception: pass
    for p in (str(ROOT), os.environ.get('FFNN_LIT_DATA'), str(Path.home()), tempfile.gettempdir(), sys.prefix):
        if p and len(p) > 5 and p not in ('/tmp', '/usr', '/usr/local'): res.add(p)
    return sorted(res)

_URL = re.compile(r'https?://[^\s)\]"\'<>]+')

def path_hits(s, pats):
    "The machine-specific strings in `s` (a hit inside a longer hit is dropped)"
    s = _URL.sub(' ', s)
    hits = {m.group(0) for p in pats for m in p.finditer(s) if len(m.group(0).strip('/')) > 1}
    return sorted(h for h in hits if not any(h != o and h in o for o in hits))

def rule_paths_outputs(page, cells, pats):
    res = []
    for i, c in enumerate(cells):
        if c.get('cell_type') != 'code' or is_show_doc(c) or not output_visible(c): continue
        for o in c.get('outputs', []):
            for kind, s in output_texts(o):
                for h in path_hits(s, pats):
                    line = next((l for l in s.splitlines() if h in l), '')
                    res.append(F(page, 'paths', f'cell {i} {kind} output shows {h!r}: {short(line)!r}'))
    return res

def _fmt_default(o): return o.__name__ if hasattr(o, '__name__') else repr(o)  # fastcore's rendering

def rule_paths_signature(page, name, obj, pats):
    try: sig = inspect.signature(obj)
    except (TypeError, ValueError): return []
    res = []
    for p in sig.parameters.values():
        if p.default is inspect.Parameter.empty: continue
        for h in path_hits(_fmt_default(p.default), pats):
            res.append(F(page, 'paths', f'`{name}` signature: default {p.name}={short(_fmt_default(p.default), 50)!r} shows {h!r} '
                                        f'(fixed at import time on the machine that builds the docs)'))
    return res

# ----------------------------------------------------------------------------------------------------
# 3. duplicates

def _patch_name(node):
    "nbdev's `patch_name`: `Cls.meth` for `@patch def meth(self:Cls)` (and `@patch_to(Cls)`), else the name"
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        for d in node.decorator_list:
            did = getattr(d, 'id', None) or getattr(getattr(d, 'func', None), 'id', '') or ''
            if not did.startswith('patch'): continue
            if did == 'patch':
                args = node.args.args
                a = args[0].annotation if args else None
                if a is None: return node.name
                leafs = [a] if not isinstance(a, ast.BinOp) else [a.left, a.right]  # `self:A|B`
                return ','.join(f'{ast.unparse(l)}.{node.name}' for l in leafs) if isinstance(a, ast.BinOp) \
                    else f'{ast.unparse(a)}.{node.name}'
            if did == 'patch_to' and getattr(d, 'args', None): return f'{ast.unparse(d.args[0])}.{node.name}'
            return node.name
    return node.name

def _auto_doc(cell):
    d = directives(cell)
    return cell.get('cell_type') == 'code' and src(cell).strip() and bool({'export', 'exports', 'exec_doc'} & d.keys()) \
        and 'hide' not in d and not _false(d.get('include', 'true'))

def documented(cells):
    "[(name, cell index, how)] of the doc entries nbdev renders on the page, simulating `add_show_docs`"
    code = [(i, c) for i, c in enumerate(cells) if c.get('cell_type') == 'code']
    shown = {n for _, c in code for n in show_doc_names(c)}   # nbdev adds no entry for a name any show_doc names
    # a cell displays only its last expression: of several show_doc calls in one cell, only the last is an entry;
    # a show_doc in a hidden cell only keeps nbdev from adding the entry: the cell goes, and no entry is rendered
    explicit = [(show_doc_names(c)[-1], i, 'explicit') for i, c in code
                if show_doc_names(c) and _last_is_show_doc(c) and not cell_hidden(c)]
    auto = []
    for i, c in enumerate(cells):
        if not _auto_doc(c): continue
        # nbdev inserts each entry right after the cell, so a cell's entries come out in reverse order
        for t in reversed(parse_cell(c)):
            if isinstance(t, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and t.name not in shown \
               and (t.name[0] != '_' or t.name[:2] == '__'):
                auto.append((_patch_name(t), i, 'auto'))
    return sorted(explicit + auto, key=lambda o: (o[1], o[2] == 'auto'))

def _heading_text(line):
    t = re.sub(r'\{[^}]*\}\s*$', '', line.lstrip('#')).strip()
    return t.strip('`').strip() if t.count('`') <= 2 else t

def rule_duplicates(page, cells):
    docs, res = documented(cells), []
    by_name = {}
    for n, i, how in docs: by_name.setdefault(n, []).append((i, how))
    for n, where in by_name.items():
        if len(where) < 2: continue
        ex = [i for i, h in where if h == 'explicit']
        au = [i for i, h in where if h == 'auto']
        why = ''
        if ex and au:
            bare = n.rsplit('.', 1)[-1]
            why = (f'; nbdev adds its own entry after the exported cell {au[0]} and skips it only when a show_doc names the '
                   f'bare `{bare}`: delete the explicit show_doc (cell {", ".join(map(str, ex))})')
        res.append(F(page, 'duplicates', f'`{n}` documented {len(where)} times (cells '
                     f'{", ".join(f"{i} {h}" for i, h in where)}){why}'))
    names = set(by_name)
    for i, c in enumerate(cells):
        if c.get('cell_type') != 'markdown': continue
        for line in src(c).splitlines():
            if re.match(r'#{1,6}\s', line) and _heading_text(line) in names:
                res.append(F(page, 'duplicates', f'cell {i}: heading {line.strip()!r} repeats the doc entry '
                                                 f'`{_heading_text(line)}` in the page outline'))
    return res

# ----------------------------------------------------------------------------------------------------
# 4. width

def rule_width(page, cells, sigs=None, limit=88):
    "Over-long visible code lines, text output lines, and lines of rendered signatures (`sigs`: name -> code block)"
    res = []
    for i, c in enumerate(cells):
        if c.get('cell_type') != 'code': continue
        if code_visible(c):
            for j, l in enumerate(src(c).splitlines()):
                if re.match(r'\s*#\s*\|', l): continue
                n = len(l.expandtabs(4))
                if n > limit: res.append(F(page, 'width', f'cell {i} code line {j + 1}: {n} chars: {short(l, 60)!r}', n))
        if output_visible(c) and not is_show_doc(c):
            for o in c.get('outputs', []):
                for kind, s in output_texts(o):
                    for l in plain_lines(kind, s):
                        if len(l) > limit: res.append(F(page, 'width', f'cell {i} output line: {len(l)} chars: {short(l, 60)!r}', len(l)))
    for name, block in (sigs or {}).items():
        w = max((len(l) for l in block.splitlines()), default=0)
        if w > limit:
            l = max(block.splitlines(), key=len)
            res.append(F(page, 'width', f'signature of `{name}`: line of {w} chars: {short(l, 60)!r}', w))
    return res

def signature_block(md):
    "The ```python block of a show_doc Markdown output"
    m = re.search(r'```python\n(.*?)\n```', md, re.S)
    return m.group(1) if m else ''

# ----------------------------------------------------------------------------------------------------
# 5. equations

_CODE = re.compile(r'```.*?```|`[^`\n]*`', re.S)

def display_equations(md):
    "The TeX of each `$$...$$` in Markdown (code spans and fences skipped)"
    return [m.group(1) for m in re.finditer(r'\$\$(.+?)\$\$', _CODE.sub('', md), re.S)]

# Rendered width of TeX, estimated from KaTeX's glyph widths and spacing in em. KaTeX draws math at
# 1.21 x the 16 px body text, 19.4 px per em; the factor 1.085 calibrates the estimate against the
# measured render (the Z1...Y chain on Backpropagation is 960 px; with 21 px/em exactly the three
# equations seen spilling out of the 678 px column at 1280 px are over it).
PX_PER_EM = 21
_TOK = re.compile(r'\\[A-Za-z]+\*?|\\.|[{}_^&]|\s+|.', re.S)
# em widths (KaTeX, display style), rough
_SPACE = {r'\qquad': 2, r'\quad': 1, r'\,': .17, r'\:': .22, r'\;': .28, r'\ ': .33, r'\!': -.17, r'\enspace': .5}
_ZERO = {r'\left', r'\right', r'\bigl', r'\bigr', r'\Bigl', r'\Bigr', r'\biggl', r'\biggr', r'\big', r'\Big', r'\displaystyle',
         r'\textstyle', r'\limits', r'\nolimits', r'\mathbf', r'\boldsymbol', r'\bm', r'\mathcal', r'\mathbb', r'\mathrm', r'\mathit',
         r'\mathsf', r'\mathtt', r'\mathscr', r'\mathfrak', r'\hat', r'\widehat', r'\tilde', r'\widetilde', r'\bar', r'\overline',
         r'\vec', r'\dot', r'\ddot', r'\underline', r'\color', r'\label', r'\nonumber', r'\notag', r'\tag'}
_REL = {'=', '<', '>', r'\approx', r'\leftarrow', r'\rightarrow', r'\to', r'\gets', r'\le', r'\ge', r'\leq', r'\geq', r'\ne',
        r'\neq', r'\sim', r'\in', r'\equiv', r'\propto', r'\mapsto', r'\Rightarrow', r'\iff', r'\coloneqq', r'\subset'}
_BIN = {'+', '-', r'\pm', r'\cdot', r'\times', r'\ast', r'\circ', r'\otimes', r'\odot', r'\oplus', '*'}
_BOLD = {r'\mathbf', r'\boldsymbol', r'\bm'}
_ARG = {r'\mathcal', r'\mathbb', r'\mathrm', r'\mathit', r'\mathsf', r'\mathtt', r'\mathscr', r'\mathfrak', r'\hat', r'\widehat',
        r'\tilde', r'\widetilde', r'\bar', r'\overline', r'\vec', r'\dot', r'\ddot', r'\underline'}
_TEXT = {r'\text', r'\textrm', r'\textbf', r'\textit', r'\mbox', r'\operatorname'}
_FRAC = {r'\frac': 1, r'\dfrac': 1, r'\tfrac': .7, r'\cfrac': 1, r'\binom': 1}
_BIG = {r'\sum': 1.44, r'\prod': 1.28, r'\int': .56, r'\bigcup': 1.1, r'\bigcap': 1.1}

def tex_width(tex):
    "Rough rendered width of TeX in em (KaTeX display style): the widest line; `\\\\` breaks a line only inside\n    an environment (`aligned`, `gathered`, `split`, a matrix...)"
    toks = _TOK.findall(tex)
    pos = 0
    def atom():
        nonlocal pos
        while pos < len(toks) and toks[pos].isspace(): pos += 1
        if pos >= len(toks): return 0
        if toks[pos] == '{':
            pos += 1; w = seq(); pos += 1; return w
        return one()
    def raw_group():
        nonlocal pos
        while pos < len(toks) and toks[pos].isspace(): pos += 1
        if pos < len(toks) and toks[pos] == '{':
            d, out = 0, ''
            while pos < len(toks):
                t = toks[pos]; pos += 1
                if t == '{': d += 1
                elif t == '}':
                    d -= 1
                    if d == 0: break
                if d and not (t == '{' and d == 1): out += t
            return out
        t = toks[pos] if pos < len(toks) else ''; pos += 1; return t
    def one():
        nonlocal pos
        t = toks[pos]; pos += 1
        if t in _SPACE: return _SPACE[t]
        if t in _BOLD: return 1.45 * atom()
        if t in _ARG: return atom()
        if t in _ZERO: return 0
        if t in _TEXT: return .55 * len(raw_group()) + (.17 if t == r'\operatorname' else 0)
        if t in _FRAC: a = atom(); b = atom(); return _FRAC[t] * max(a, b) + .24
        if t == r'\sqrt':
            if pos < len(toks) and toks[pos] == '[':
                while pos < len(toks) and toks[pos] != ']': pos += 1
                pos += 1
            return atom() + .85
        if t == r'\begin':  # an environment is a block as wide as its widest row
            if raw_group().rstrip('*') in ('array', 'alignat', 'alignedat'): raw_group()
            return seq(in_env=True)
        if t == r'\end': raw_group(); return 0
        if t in _BIG: return _BIG[t] + .17
        if t in _REL: return 1.33
        if t in _BIN: return 1.22
        if t in ('_', '^'): return .7 * atom()
        if t in (',', ';'): return .45
        if t in ('.', "'"): return .3
        if t in ('(', ')', '[', ']', '|', r'\{', r'\}'): return .39
        if t == '&': return 0
        if t.startswith('\\'): return .8 if len(t) > 2 else .3
        return .55
    def seq(in_env=False):
        nonlocal pos
        rows, w = [], 0.
        while pos < len(toks) and toks[pos] != '}':
            t = toks[pos]
            if t.isspace(): pos += 1; continue
            if t == '{': w += atom(); continue
            if t == r'\end' and in_env: pos += 1; raw_group(); break
            if t == r'\\':  # a line break only inside an environment
                pos += 1
                if in_env: rows.append(w); w = 0.
                if pos < len(toks) and toks[pos] == '[':
                    while pos < len(toks) and toks[pos] != ']': pos += 1
                    pos += 1
                continue
            # subscript + superscript stacked: take the max, not the sum
            if t in ('_', '^') and pos + 1 < len(toks):
                pos += 1; a = .7 * atom()
                if pos < len(toks) and toks[pos] in ('_', '^') and toks[pos] != t:
                    pos += 1; a = max(a, .7 * atom())
                w += a; continue
            w += one()
        rows.append(w)
        return max(rows)
    res = 0.
    while pos < len(toks):
        res = max(res, seq()); pos += 1
    return res

def rule_equations(page, cells, column_px=750):
    "Display equations whose widest line would be wider than the text column"
    res = []
    for i, c in enumerate(cells):
        if c.get('cell_type') != 'markdown': continue
        for tex in display_equations(src(c)):
            px = round(tex_width(tex) * PX_PER_EM)
            if px > column_px:
                res.append(F(page, 'equations', f'cell {i}: about {px} px wide (column {column_px} px), {len(" ".join(tex.split()))} '
                             f'chars of TeX; break it with \\\\ inside aligned/gathered/split: {short(tex, 50)!r}', px))
    return res

# ----------------------------------------------------------------------------------------------------
# 6. alt

def rule_alt(page, cells):
    res = []
    for i, c in enumerate(cells):
        if c.get('cell_type') == 'code':
            n = sum(any(k in o.get('data', {}) for k in _IMG) for o in c.get('outputs', []))
            d = directives(c)
            if n and output_visible(c) and not (d.get('fig-alt', '').strip() or d.get('fig-cap', '').strip()):
                res.append(F(page, 'alt', f'cell {i}: {n} figure{"s" * (n > 1)} without `#| fig-alt:` (or `#| fig-cap:`): '
                                          f'{short(src(c).strip().splitlines()[-1] if src(c).strip() else "", 50)!r}'))
        elif c.get('cell_type') == 'markdown':
            s = _CODE.sub('', src(c))
            for m in re.finditer(r'!\[([^\]]*)\]\(([^)\s]*)', s):
                if not m.group(1).strip(): res.append(F(page, 'alt', f'cell {i}: Markdown image without alt text: {m.group(0)[:60]}…)'))
            for m in re.finditer(r'<img\b[^>]*>', s, re.I):
                if not re.search(r'\balt\s*=\s*["\'][^"\']+', m.group(0), re.I):
                    res.append(F(page, 'alt', f'cell {i}: <img> without alt text: {short(m.group(0), 60)!r}'))
    return res

# ----------------------------------------------------------------------------------------------------
# 7. links

_LINK = re.compile(r'(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)[^)]*\)')
_NB_NAME = re.compile(r'^\d\d[a-z]?_\w+(?:\.ipynb|\.html)?$')

def rule_links(page, cells, titles=None):
    "Links labelled with a notebook's file name; `titles`: notebook stem or output file stem -> page title"
    titles, res = titles or {}, []
    for i, c in enumerate(cells):
        if c.get('cell_type') != 'markdown': continue
        for m in _LINK.finditer(_CODE.sub(lambda k: k.group(0) if k.group(0).startswith('`') and _NB_NAME.match(k.group(0).strip('`')) else '', src(c))):
            label, target = m.group(1).strip().strip('`').strip(), m.group(2)
            stem = re.sub(r'\.(ipynb|html)$', '', target.split('#')[0].rsplit('/', 1)[-1])
            if _NB_NAME.match(label) or (stem and label in (stem, stem + '.ipynb', stem + '.html') and stem in titles):
                t = titles.get(stem)
                res.append(F(page, 'links', f'cell {i}: link labelled with a file name: [{m.group(1)}]({target})'
                                            + (f'; the page is titled {t!r}' if t else '')))
    return res

# ----------------------------------------------------------------------------------------------------
# 8. classes

def _unwrap(sym):  # fastcore's `_unwrap_sym`, what show_doc renders
    if not hasattr(sym, '__signature__'): sym = getattr(sym, '__wrapped__', sym)
    return getattr(sym, 'fget', None) or getattr(sym, 'fset', None) or sym

def rule_classes(page, name, obj):
    from fastcore.docments import docments
    sym = _unwrap(obj)
    try: dm = docments(sym, full=True)
    except Exception: return []
    dm.pop('self', None); dm.pop('return', None)
    res = []
    kinds = {p.kind for p in dm.values()}
    # an exception's signature is Python's own (its arguments become .args), so only other classes are held to this
    if inspect.isclass(sym) and not issubclass(sym, BaseException) and [(k, v.kind) for k, v in dm.items()] == [('args', inspect.Parameter.VAR_POSITIONAL),
                                                                         ('kwargs', inspect.Parameter.VAR_KEYWORD)]:
        owner = next((k for k in sym.__mro__ if '__init__' in vars(k)), object)
        res.append(F(page, 'classes', f'`{name}` renders as `def {name}(*args, **kwargs)`: its `__init__` is '
                     f'`{owner.__qualname__}.__init__`'))
    nonetype = [k for k, v in dm.items() if v.anno is type(None)]
    if nonetype:
        res.append(F(page, 'classes', f'`{name}`: {", ".join(f"{k}:NoneType=None" for k in nonetype)} '
                                      f'(no annotation, so show_doc labels the default\'s type)'))
    return res

# ----------------------------------------------------------------------------------------------------
# 9. order: one exported cell with several automatic entries renders them in reverse

def rule_order(page, cells):
    "A cell whose automatic doc entries nbdev inserts one by one after it, so they read bottom-up"
    per_cell = Counter(i for _, i, how in documented(cells) if how == 'auto')
    return [F(page, 'order', f'cell {i}: {n} doc entries rendered in reverse order of definition '
                             f'({", ".join(m for m, j, h in documented(cells) if j == i)}); follow the cell with explicit '
                             f'`show_doc` calls in reading order') for i, n in per_cell.items() if n > 1]

def rule_showdoc(page, cells):
    "A cell with several `show_doc` calls: a cell displays only its last expression, so only the last entry is shown"
    return [F(page, 'showdoc', f'cell {i}: {len(n)} show_doc calls ({", ".join(n)}); only the last is displayed: '
                               f'one show_doc per cell') for i, c in enumerate(cells)
            if c.get('cell_type') == 'code' and not cell_hidden(c) and len(n := show_doc_names(c)) > 1]

# ----------------------------------------------------------------------------------------------------
# 10. kwargs: a comment on `**kw` is never shown, or is shown as the return's

def rule_kwargs(page, name, obj):
    "fastcore's docments skips `**kw`; a comment on its line is lost, or taken for the return's when they share a line"
    f = getattr(obj, '__init__', None) if inspect.isclass(obj) else obj
    try: tree = ast.parse(textwrap.dedent(inspect.getsource(f)))
    except (OSError, TypeError, SyntaxError, IndentationError): return []
    fn = next((n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    if fn is None or fn.args.kwarg is None: return []
    lines = textwrap.dedent(inspect.getsource(f)).splitlines()
    k = fn.args.kwarg.lineno
    comment = re.search(r'#\s*(.*)$', lines[k - 1]) if k <= len(lines) else None
    if not comment: return []
    on_return = fn.returns is not None and fn.returns.lineno == k
    return [F(page, 'kwargs', f'`{name}`: the comment on `**{fn.args.kwarg.arg}` ({short(comment.group(1), 40)!r}) is '
              + ('rendered as the return\'s' if on_return else 'never rendered')
              + '; describe it in the docstring and leave that line without a comment')]

# ----------------------------------------------------------------------------------------------------
# 11. anchors: entries and headings Quarto gives the same id, so a link opens the wrong one

def _slug(s): return re.sub(r'\s+', '-', re.sub(r'[^\w\-. ]', '', s.lower()).strip())  # Pandoc's auto ids

def rule_anchors(page, cells):
    "Doc entries (or headings) whose ids differ only in case or punctuation: Quarto adds -1, links land on the first"
    seen, res = {}, []
    for n, i, _ in documented(cells): seen.setdefault(_slug(n), []).append(f'entry `{n}`')
    for i, c in enumerate(cells):
        if c.get('cell_type') != 'markdown': continue
        for line in src(c).splitlines():
            if re.match(r'#{2,6}\s', line) and not re.search(r'\{#[\w-]+\}\s*$', line):
                seen.setdefault(_slug(_heading_text(line)), []).append(f'heading {line.strip()!r}')
    for slug, who in seen.items():
        if len(who) > 1: res.append(F(page, 'anchors', f'#{slug} is claimed by {" and ".join(who)}: the second becomes '
                                                        f'#{slug}-1 and links to it open the first; rename one'))
    return res

# ----------------------------------------------------------------------------------------------------
# 12. deadlinks: backticked names nbdev links to an entry that no page renders

def rule_deadlinks(page, cells, modidx_names, rendered):
    "A backticked private name (`_as_batch`) in prose: nbdev links it (it is in `_modidx`), but it has no entry"
    res = []
    for i, c in enumerate(cells):
        if c.get('cell_type') != 'markdown': continue
        prose = re.sub(r'```.*?```', '', src(c), flags=re.S)
        for m in re.finditer(r'`([A-Za-z_][\w.]*)`', prose):
            n = m.group(1)
            if n in modidx_names and n not in rendered and n.rsplit('.', 1)[-1].startswith('_') \
               and not n.rsplit('.', 1)[-1].startswith('__'):
                res.append(F(page, 'deadlinks', f'cell {i}: `{n}` becomes a link to an entry no page shows'))
    return res

def modidx_names(lib):
    "Names nbdev turns into links: the keys of `_modidx.d['syms']` without their module prefix"
    try: d = importlib.import_module(f'{lib}._modidx').d
    except Exception: return set()
    return {k.split('.', 2)[-1] if k.count('.') >= 2 else k.split('.', 1)[-1]
            for m in d.get('syms', {}).values() for k in m}

# ----------------------------------------------------------------------------------------------------
# 13. endings: a page ends on prose that leads on, not on a test cell

def rule_endings(page, cells):
    "The last cell a reader sees must be Markdown with a link to another page"
    visible = [(i, c) for i, c in enumerate(cells) if c.get('cell_type') == 'markdown' or
               (c.get('cell_type') == 'code' and (code_visible(c) or (output_visible(c) and c.get('outputs'))))]
    if not visible: return []
    i, c = visible[-1]
    if c.get('cell_type') == 'markdown' and _LINK.search(src(c)): return []
    what = 'a code cell' if c.get('cell_type') == 'code' else 'Markdown without a link'
    return [F(page, 'endings', f'the page ends on {what} (cell {i}); end it with a paragraph that leads to the next page')]

# ----------------------------------------------------------------------------------------------------
# Collecting the pages and the API

def page_title(cells, proc_cells=None):
    for c in (proc_cells or [])[:1]:
        m = re.search(r'^title:\s*(.+)$', src(c), re.M)
        if c.get('cell_type') == 'raw' and m: return m.group(1).strip().strip('\'"')
    for c in cells:
        if c.get('cell_type') == 'markdown':
            m = re.search(r'^#\s+(.+)$', src(c), re.M)
            if m: return m.group(1).strip()
    return None

def output_file(proc_cells):
    for c in (proc_cells or [])[:1]:
        m = re.search(r'^output-file:\s*(.+)$', src(c), re.M)
        if m: return Path(m.group(1).strip()).stem
    return None

def run_proc(nbs):
    "nbdev's docs pre-processing into `_proc/` (as `tools/check_docs.py`; never `nbdev_proc_nbs`)"
    from nbdev.serve import proc_nbs
    with contextlib.redirect_stdout(sys.stderr): proc_nbs(str(nbs), n_workers=0)

def load_api(lib):
    "(module name -> module) for every module of the package, and [(qualname, obj, module)] of its public API"
    os.environ.setdefault('MPLBACKEND', 'Agg')
    sys.path.insert(0, str(ROOT))
    mods = {}
    for f in sorted((ROOT / lib).glob('*.py')):
        if f.stem.startswith('_') and f.stem != '__init__': continue
        name = lib if f.stem == '__init__' else f'{lib}.{f.stem}'
        mods[name] = importlib.import_module(name)
    api, seen = [], set()
    def add(qn, o, mod):
        key = id(getattr(o, '__func__', o))
        if key in seen: return
        seen.add(key); api.append((qn, o, mod))
    for mname, m in mods.items():
        for n in getattr(m, '__all__', []):
            o = getattr(m, n, None)
            if not (inspect.isfunction(o) or inspect.isclass(o)) or getattr(o, '__module__', None) != mname: continue
            add(n, o, mname)
            if inspect.isclass(o):
                for k, v in vars(o).items():
                    if k.startswith('_') and k != '__call__': continue
                    f = v.__func__ if isinstance(v, (staticmethod, classmethod)) else v.fget if isinstance(v, property) else v
                    if inspect.isfunction(f): add(f'{n}.{k}', f, getattr(f, '__module__', mname))
    return mods, api

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--report', action='store_true', help='print everything, never fail')
    ap.add_argument('--enforce', default=','.join(RULES), help='comma-separated rules that fail the check (default: all)')
    ap.add_argument('--no-proc', action='store_true', help='reuse the existing _proc/ instead of regenerating it')
    ap.add_argument('--width', type=int, default=88, help='widest code/output/signature line (default 88)')
    ap.add_argument('--eq-px', type=int, default=750, help='text column for display equations, px (750 at 1280 px, nbs/styles.css; ~358 on a phone)')
    ap.add_argument('--top', type=int, default=5, help='width findings printed per page, longest first (default 5)')
    ap.add_argument('--all', action='store_true', help='print every width finding')
    a = ap.parse_args(argv)
    enforced = {r.strip() for r in a.enforce.split(',') if r.strip()}
    if enforced - set(RULES): ap.error(f'unknown rules {sorted(enforced - set(RULES))}; rules are {", ".join(RULES)}')

    os.chdir(ROOT)
    from nbdev.config import get_config
    cfg = get_config()
    nbs, lib = Path(cfg.nbs_path), Path(cfg.lib_path).name
    proc = ROOT / '_proc'
    if not a.no_proc: run_proc(nbs)
    if not proc.exists(): sys.exit('no _proc/: run without --no-proc')

    def read(p): return json.loads(p.read_text())['cells'] if p.exists() else []
    pages = {p.name: (read(p), read(proc / p.relative_to(nbs))) for p in sorted(nbs.rglob('*.ipynb'))
             if not any(part.startswith(('.', '_')) or part == 'tests' for part in p.relative_to(nbs).parts)}
    titles, mod_page = {}, {}
    for name, (cells, pcells) in pages.items():
        t = page_title(cells, pcells)
        titles[Path(name).stem] = t
        if output_file(pcells): titles[output_file(pcells)] = t
        for c in cells:
            m = re.search(r'^#\s*\|\s*default_exp\s+(\S+)', src(c), re.M)
            if m: mod_page[f'{lib}.{m.group(1)}'] = name

    mods, api = load_api(lib)
    ns = {}
    for m in mods.values(): ns.update(vars(m))
    pats = path_patterns(machine_strings())
    findings = []
    shown_on = {}  # id(obj) -> (page, name) of the doc entries actually rendered
    for name, (cells, pcells) in pages.items():
        findings += rule_paths_outputs(name, cells, pats)
        findings += rule_duplicates(name, cells)
        findings += rule_equations(name, cells, a.eq_px)
        findings += rule_alt(name, cells)
        findings += rule_links(name, cells, titles)
        findings += rule_order(name, cells)
        findings += rule_showdoc(name, cells)
        findings += rule_anchors(name, cells)
        findings += rule_endings(name, cells)
        real = [n for c in pcells for n in show_doc_names(c)]
        if pcells and real != [n for n, _, _ in documented(cells)]:
            print(f'{name}: note: the doc entries in _proc/ differ from the simulation of nbdev\'s add_show_docs '
                  f'(another nbdev version?): {real}', file=sys.stderr)
        sigs, seen = {}, set()
        for c in pcells:
            for n in show_doc_names(c):
                md = next((text(o.get('data', {}).get('text/markdown')) for o in c.get('outputs', [])
                           if 'text/markdown' in o.get('data', {})), '')
                sigs[n] = signature_block(md)
                try: obj = eval(n, dict(ns))
                except Exception: continue
                shown_on.setdefault(id(_unwrap(obj)), (name, n))
                if id(_unwrap(obj)) not in seen: findings += rule_classes(name, n, obj)
                seen.add(id(_unwrap(obj)))
        findings += rule_width(name, cells, sigs, a.width)
    rendered = {n for _, (cells, _) in pages.items() for n, _, _ in documented(cells)}
    linkable = modidx_names(lib)
    for name, (cells, _) in pages.items(): findings += rule_deadlinks(name, cells, linkable, rendered)
    for qn, obj, mname in api:
        page = shown_on.get(id(_unwrap(obj)), (mod_page.get(mname, mname),))[0]
        findings += rule_docments(page, qn, obj)
        findings += rule_kwargs(page, qn, obj)
        if callable(obj): findings += rule_paths_signature(page, qn, obj, pats)

    # Report
    order = {p: k for k, p in enumerate(pages)}
    findings.sort(key=lambda f: (order.get(f.page, 99), RULES.index(f.rule), -f.size))
    n_width = Counter(f.page for f in findings if f.rule == 'width')
    shown_width = Counter()
    for f in findings:
        if f.rule == 'width' and not a.all:
            shown_width[f.page] += 1
            if shown_width[f.page] > a.top: continue
            if shown_width[f.page] == a.top and n_width[f.page] > a.top:
                print(f'{f.page}: width: {f.detail}')
                print(f'{f.page}: width: ... and {n_width[f.page] - a.top} more lines over {a.width} characters (--all lists them)')
                continue
        print(f'{f.page}: {f.rule}: {f.detail}')
    counts = Counter(f.rule for f in findings)
    print('\nfindings per rule:')
    for r in RULES: print(f'  {r:<11} {counts[r]:>4}{"" if r in enforced else "  (not enforced)"}')
    kinds = {p: Counter('signature' if 'signature' in f.detail else 'output' if 'output' in f.detail else 'code'
                        for f in findings if f.rule == 'width' and f.page == p) for p in n_width}
    if n_width: print(f'lines over {a.width} chars per page: ' + ', '.join(
        f'{p} {n} (' + ', '.join(f'{k} {v}' for k, v in sorted(kinds[p].items())) + ')' for p, n in n_width.most_common()))
    pc = Counter(f.page for f in findings)
    print('findings per page: ' + ', '.join(f'{p} {n}' for p, n in pc.most_common()))
    failing = [r for r in RULES if r in enforced and counts[r]]
    if failing and not a.report:
        print(f'FAILED: {", ".join(failing)}')
        return 1
    print('ok' if not failing else f'(--report: would fail on {", ".join(failing)})')
    return 0

if __name__ == '__main__': sys.exit(main())
