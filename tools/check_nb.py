#!/usr/bin/env python3
"""Check the notebooks the way Jupyter and Quarto read them, since neither Quarto nor a browser-side Jupyter runs here.

    python tools/check_nb.py                    # schema + options of nbs/*.ipynb and of _proc/ (if it exists)
    python tools/check_nb.py --run              # ... and run every notebook in a real Jupyter kernel
    python tools/check_nb.py --run nbs/00_init.ipynb nbs/01_forward.ipynb   # only these notebooks

Every problem is printed as `file: rule: detail`; exit status 1 if there is any. Rules:

schema   the notebook validates against the nbformat schema (`nbformat.validate`), as Jupyter does when it opens
         a notebook and Quarto when it renders one: a cell typed `"md"`, a missing `source` or an output of an
         unknown type is refused by both, while execnb (and so `nbdev_test`) quietly skips such cells.
options  each code cell's leading `#|` lines, read as Quarto reads them: one YAML mapping, parsed strictly
         (YAML 1.2 booleans as js-yaml has them, so `yes` is a string; a key given twice is an error), whose
         values have the types Quarto's cell-option schema expects (`fig-alt` a string, `echo` a boolean...).
         An unquoted value holding ": " (`#| fig-alt: Left: the cost`) is the classic failure: YAML reads a
         second key and Quarto stops the whole site build. Checked on `_proc/` (what nbdev hands Quarto, written
         by `tools/check_docs.py`), whose `#|` lines are Quarto's only, and on the front matter nbdev writes
         there; in `nbs/` only lines of the `key: value` form that nbdev does not consume. The site's YAML
         files (`_quarto.yml`, `nbdev.yml`, `sidebar.yml`) are parsed the same strict way.
kernel   (--run) the notebook runs top to bottom in a real Jupyter kernel (nbclient + ipykernel, what Jupyter's
         "Run All" and `jupyter nbconvert --execute` use), in a copy of `nbs/`, without the cells flagged
         `#| slow` (as `nbdev_test` skips them) and without `IN_TEST` set (a reader's Jupyter does not set it).
rewrites (--run) running a notebook as a reader would leaves the notebooks' folder as it was: a notebook that
         rewrites a shipped model, fixture or result file when run is reported (result files are written by an
         explicit step, never by opening and running a notebook).
"""
import argparse, hashlib, os, re, shutil, sys, tempfile, time
from pathlib import Path
import nbformat, yaml

ROOT = Path(__file__).resolve().parent.parent
NBS = ROOT / 'nbs'

# ----------------------------------------------------------------------------------------------------
# Strict YAML: YAML 1.2 core booleans (js-yaml, which Quarto uses, reads `yes`/`no`/`on`/`off` as strings) and
# duplicate keys refused (PyYAML keeps the last silently; js-yaml throws).

class StrictLoader(yaml.SafeLoader):
    "PyYAML's safe loader with YAML 1.2 booleans and an error on a key given twice."

StrictLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != 'tag:yaml.org,2002:bool']
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
StrictLoader.add_implicit_resolver('tag:yaml.org,2002:bool', re.compile(r'^(?:true|True|TRUE|false|False|FALSE)$'),
                                   list('tTfF'))

def _mapping(loader, node, deep=False):
    seen = set()
    for k, _ in node.value:
        key = loader.construct_object(k, deep=deep)
        if key in seen: raise yaml.constructor.ConstructorError(None, None, f'duplicate key {key!r}', k.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)
StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)

def strict_yaml(text:str):
    "Parse `text` as Quarto's YAML parser would; raises `yaml.YAMLError` where it would fail."
    return yaml.load(text, Loader=StrictLoader)

# ----------------------------------------------------------------------------------------------------
# The types Quarto's schema gives the cell options this project uses (and their close relatives). A key not
# listed here is reported too: in `_proc/` it is either a typo or an option nobody checked.

STR, BOOL, NUM, LIST = str, bool, (int, float), list
OPTION_TYPES = {
    'echo': (BOOL, 'fenced'), 'eval': (BOOL, LIST), 'output': (BOOL, 'asis'), 'include': BOOL, 'warning': BOOL,
    'error': BOOL, 'code-fold': (BOOL, 'show'), 'code-summary': STR, 'code-overflow': ('wrap', 'scroll'),
    'code-line-numbers': (BOOL, STR), 'label': STR, 'fig-alt': STR, 'fig-cap': (STR, LIST), 'fig-subcap': (LIST, STR),
    'fig-align': ('default', 'left', 'right', 'center'), 'fig-width': NUM, 'fig-height': NUM, 'fig-dpi': NUM,
    'fig-column': STR, 'tbl-cap': (STR, LIST), 'tbl-colwidths': (LIST, BOOL, STR), 'column': STR,
    'layout-ncol': int, 'layout-nrow': int, 'output-location': ('default', 'fragment', 'slide', 'column',
    'column-fragment'), 'classes': STR, 'class-output': STR, 'panel': STR,
}
# nbdev's own directives: consumed by nbdev before Quarto sees the notebook (nbdev.processors).
NBDEV_DIRECTIVES = {'export', 'exports', 'exporti', 'exec_doc', 'hide', 'hide_line', 'filter_stream', 'default_exp',
                    'slow', 'notest', 'python'}

def _type_ok(value, want) -> bool:
    "Whether `value` is one of `want`: a literal string, a type, or a tuple of those (bool is no number here)."
    if isinstance(want, tuple): return any(_type_ok(value, w) for w in want)
    if isinstance(want, str): return value == want
    if isinstance(value, bool): return want is bool
    return isinstance(value, want)

def _describe(want) -> str:
    if isinstance(want, tuple): return ' or '.join(_describe(w) for w in want)
    if isinstance(want, str): return repr(want)
    return {str: 'a string', bool: 'true or false', list: 'a list', int: 'an integer', float: 'a number'}[want]

def option_lines(source:str) -> list:
    "The leading `#|` lines of a code cell, without the `#|` (Quarto reads only those before the first code line)."
    res = []
    for line in source.splitlines():
        if not line.startswith('#|'): break
        res.append(line[2:].lstrip(' ') if line[2:3] == ' ' else line[2:])
    return res

def check_options(lines:list, quarto_only:bool) -> list:
    """Problems with one cell's option lines. `quarto_only`: the lines are all Quarto's (a `_proc/` notebook);
    otherwise (a source notebook) nbdev's bare directives (`export`, `hide`, `slow`) are skipped and only
    `key: value` lines are parsed."""
    if not quarto_only:
        lines = [l for l in lines if re.match(r'\s*[\w-]+\s*:\s*\S', l)]
    if not lines: return []
    text = '\n'.join(lines)
    try: opts = strict_yaml(text)
    except yaml.YAMLError as e:
        return [f'the #| lines are not valid YAML ({" ".join(str(e).split())}); quote a value that holds ": " '
                f'or starts with a YAML character, e.g. #| fig-alt: "Left: ..."']
    if not isinstance(opts, dict): return [f'the #| lines are not a YAML mapping of options: {text!r}']
    out = []
    for k, v in opts.items():
        if k not in OPTION_TYPES:
            if quarto_only or k not in NBDEV_DIRECTIVES:
                out.append(f'unknown cell option {k!r} (Quarto options: {", ".join(sorted(OPTION_TYPES))})')
        elif not _type_ok(v, OPTION_TYPES[k]):
            out.append(f'#| {k}: {v!r} is {type(v).__name__}; Quarto expects {_describe(OPTION_TYPES[k])}')
    return out

def check_front_matter(source:str) -> list:
    "A raw front-matter cell (`---` YAML `---`) must parse strictly into a mapping whose title/description are strings."
    body = source.strip()
    if not body.startswith('---'): return []
    body = body[3:]
    body = body[:body.rfind('---')] if body.rstrip().endswith('---') else body
    try: fm = strict_yaml(body)
    except yaml.YAMLError as e: return [f'front matter is not valid YAML ({" ".join(str(e).split())})']
    if fm is None: return []
    if not isinstance(fm, dict): return ['front matter is not a YAML mapping']
    return [f'front matter {k!r} is {type(fm[k]).__name__}, not a string' for k in ('title', 'description', 'subtitle')
            if k in fm and not isinstance(fm[k], str)]

def check_notebook(path:Path, quarto_only:bool) -> list:
    "(rule, detail) problems of one notebook file: schema, then options."
    try: nb = nbformat.read(str(path), as_version=nbformat.NO_CONVERT)
    except Exception as e: return [('schema', f'not a readable notebook: {e}')]
    out = []
    if quarto_only: # nbdev leaves its own bookkeeping keys on cells, which Quarto ignores; it reads the cell types
        out += [('schema', f'cell {i}: cell_type {c.get("cell_type")!r} (Quarto: "Unexpected cell type")')
                for i, c in enumerate(nb.get('cells', [])) if c.get('cell_type') not in ('code', 'markdown', 'raw')]
    else:
        from nbformat.validator import iter_validate
        for e in iter_validate(nb): # every error, not only the first that nbformat.validate raises
            out.append(('schema', f'{" ".join(str(e.message).split())[:200]} (nbformat.validate: Jupyter refuses it)'))
    for i, cell in enumerate(nb.get('cells', [])):
        src = cell.get('source', '')
        src = ''.join(src) if isinstance(src, list) else src
        where = f'cell {i} ({cell.get("id", "no id")})'
        if cell.get('cell_type') == 'code':
            out += [('options', f'{where}: {p}') for p in check_options(option_lines(src), quarto_only)]
        elif cell.get('cell_type') == 'raw':
            out += [('options', f'{where}: {p}') for p in check_front_matter(src)]
    return out

def check_yaml_file(path:Path) -> list:
    try: strict_yaml(path.read_text())
    except yaml.YAMLError as e: return [('options', f'not valid YAML ({" ".join(str(e).split())})')]
    return []

# ----------------------------------------------------------------------------------------------------
# A real Jupyter kernel

def is_slow(source:str) -> bool:
    return any(re.fullmatch(r'\s*slow\s*', l) for l in option_lines(source))

def _tree_digest(folder:Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob('*')) if p.is_file() and '.ipynb_checkpoints' not in p.parts}

def run_in_kernel(paths:list, timeout:int=900) -> list:
    """Run each notebook (slow cells left out) in a fresh Jupyter kernel, inside a copy of its folder.
    Returns (path, rule, detail) problems: a failing cell (`kernel`) or files changed by the run (`rewrites`)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            path = Path(path).resolve()
            # a copy of the project as a reader has it (the last cell, nbdev_export(), needs settings.ini above it)
            proj = Path(tmp) / 'project'
            if proj.exists(): shutil.rmtree(proj)
            src_root = next((d for d in path.parents if (d / 'settings.ini').exists()), path.parent)
            ignore = shutil.ignore_patterns('.ipynb_checkpoints', '_proc', '_docs', '__pycache__')
            proj.mkdir(parents=True)
            for item in ('settings.ini', 'ffnn_lit', 'tests', 'nbs', 'CONTRIBUTING.md', 'README.md'):   # a reader's checkout
                if (src_root / item).is_file(): shutil.copy2(src_root / item, proj / item)
                elif (src_root / item).is_dir(): shutil.copytree(src_root / item, proj / item, ignore=ignore)
            copy = proj / path.parent.relative_to(src_root) if path.parent != src_root else proj
            shutil.copytree(path.parent, copy, ignore=ignore, dirs_exist_ok=True)
            try: nb = nbformat.read(str(copy / path.name), as_version=4)
            except Exception as e: out.append((path, 'kernel', f'Jupyter cannot read it: {e}')); continue
            try: nbformat.validate(nb) # as `jupyter nbconvert --execute` does before the first cell
            except nbformat.ValidationError as e:
                out.append((path, 'kernel', f'Jupyter refuses to run it ({" ".join(str(e.message).split())[:150]})'))
                continue
            nb.cells = [c for c in nb.cells if not (c.cell_type == 'code' and is_slow(c.source))]
            before = _tree_digest(proj)
            env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}
            old_env = dict(os.environ); os.environ.clear(); os.environ.update(env)
            t0 = time.time()
            try:
                NotebookClient(nb, timeout=timeout, kernel_name='python3', allow_errors=False,
                               resources={'metadata': {'path': str(copy)}}).execute()
                print(f'{path.name}: ran in a Jupyter kernel in {time.time() - t0:.0f}s', flush=True)
            except CellExecutionError as e:
                lines = [l for l in re.sub(r'\x1b\[[0-9;]*m', '', str(e)).splitlines() if l.strip()]
                out.append((path, 'kernel', 'a cell failed in a Jupyter kernel: ' + ' | '.join(lines[-3:])[:400]))
            except Exception as e:
                out.append((path, 'kernel', f'{type(e).__name__}: {e}'[:400]))
            finally: os.environ.clear(); os.environ.update(old_env)
            after = _tree_digest(proj)
            changed = sorted(k for k in before if k in after and before[k] != after[k])
            if changed: out.append((path, 'rewrites', f'running it rewrote {", ".join(changed)}'))
    return out

# ----------------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='*', help='notebooks to check (default: nbs/*.ipynb)')
    ap.add_argument('--run', action='store_true', help='also run them in a real Jupyter kernel')
    ap.add_argument('--proc', default=str(ROOT / '_proc'), help="nbdev's processed notebooks, if present")
    a = ap.parse_args(argv)
    paths = [Path(p) for p in a.notebooks] or sorted(NBS.glob('*.ipynb')) + sorted((NBS / 'tests').glob('*.ipynb'))
    problems = []
    for p in paths: problems += [(p, r, d) for r, d in check_notebook(p, quarto_only=False)]
    proc = Path(a.proc)
    if not a.notebooks:
        for y in sorted(NBS.glob('*.yml')): problems += [(y, r, d) for r, d in check_yaml_file(y)]
        if proc.is_dir():
            for p in sorted(proc.glob('*.ipynb')): problems += [(p, r, d) for r, d in check_notebook(p, quarto_only=True)]
    if a.run: problems += run_in_kernel(paths)
    for p, r, d in problems:
        try: name = Path(p).resolve().relative_to(ROOT)
        except ValueError: name = p
        print(f'{name}: {r}: {d}')
    n = len(paths)
    print(f'{n} notebooks checked ({"schema, options" + (", kernel, rewrites" if a.run else "")}): '
          f'{len(problems)} problems')
    return 1 if problems else 0

if __name__ == '__main__': sys.exit(main())
