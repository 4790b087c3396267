#!/usr/bin/env python3
"""Check that no name is defined twice in the exported package, and say which notebook cells define it.

    python tools/check_names.py              # the package ffnn_lit/
    python tools/check_names.py PKG_DIR      # another package directory (the tests use this)

nbdev appends each `#| export` cell to its module in notebook order, so a helper exported twice (the same
`def _size` in two cells) silently replaces the first: the code above it that was written and tested against
the first definition now calls the second, and the failure surfaces far from the mistake. This reads every
module's top level with Python's `ast` (never importing anything) and reports:

twice    a name bound twice at a module's top level by `def`, `class`, or an assignment to a bare name
         (a module's `__all__` and names bound in `if`/`try` branches, as optional imports are, do not count)
across   a public name (one in the module's `__all__`) defined by `def` or `class` in two modules: one idea, one place
         (except the entry points settings.ini's `console_scripts` names, such as each command's `main`)
export   a notebook imports a name from a module of the package that the module does not define, while a notebook
         cell defines it without `#| export` (a forgotten export surfaces as an ImportError in every later notebook;
         this names the cell that lacks it)

Each problem is printed as `notebook cell id: rule: detail` (from the `# %% ../nbs/NB.ipynb #id` markers nbdev writes
above each exported cell), so it points at the cell to fix; exit status 1 if there is any.
Its own tests: `python tools/test_check_names.py`.
"""
import ast, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {'_modidx.py', '__init__.py'}
_CELL = re.compile(r'^# %% (\S+\.ipynb) #(\w+)')

def cells(src:str) -> list:
    "(line, 'notebook #cell') for each nbdev cell marker of a module's source, in order."
    return [(i, f"{Path(m[1]).name} #{m[2]}") for i, l in enumerate(src.splitlines(), 1) if (m := _CELL.match(l))]

def where(marks:list, line:int, path:Path) -> str:
    "The notebook cell the line comes from, or the module's file and line."
    found = [c for l, c in marks if l <= line]
    return found[-1] if found else f"{path.name}:{line}"

def bindings(tree) -> list:
    "(name, line, kind) for each name the module's top level binds unconditionally."
    out = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.append((node.name, node.lineno, 'class' if isinstance(node, ast.ClassDef) else 'def'))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name) and n.id != '__all__': out.append((n.id, node.lineno, 'assignment'))
    return out

def public(tree) -> set:
    "The names in the module's `__all__` list."
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == '__all__' for t in node.targets):
            try: return set(ast.literal_eval(node.value))
            except ValueError: return set()
    return set()

def entry_points(settings:Path) -> set:
    "(module, name) of each console script in settings.ini, e.g. ('cli', 'main')."
    if not settings.exists(): return set()
    m = re.search(r'^console_scripts\s*=(.*)$', settings.read_text(encoding='utf-8'), re.M)
    return {(t.split(':')[0].split('.')[-1], t.split(':')[1]) for t in (m[1].split() if m else []) if ':' in t}

def check(pkg_dir, entries=()) -> list:
    "Every problem found, as strings; `entries`: (module, name) pairs allowed in several modules (console scripts)."
    problems, defs = [], {}
    for path in sorted(Path(pkg_dir).glob('*.py')):
        if path.name in SKIP: continue
        src = path.read_text(encoding='utf-8')
        tree, marks = ast.parse(src, str(path)), cells(src)
        seen = {}
        for name, line, kind in bindings(tree):
            if name in seen:
                l0, k0 = seen[name]
                problems.append(f"{where(marks, line, path)}: twice: {path.stem}.{name} ({kind}) is already defined by "
                                f"the {k0} in {where(marks, l0, path)}; the second silently replaces the first "
                                f"for all code of the module: rename one, or delete the copy")
            else: seen[name] = (line, kind)
        exported = public(tree)
        for name, line, kind in bindings(tree):
            if kind != 'assignment' and name in exported and seen[name][0] == line and (path.stem, name) not in entries:
                defs.setdefault(name, []).append((path.stem, where(marks, line, path)))
    for name, places in sorted(defs.items()):
        if len(places) > 1:
            problems.append(f"{places[1][1]}: across: {name} is defined in {', '.join(m for m, _ in places)} "
                            f"({', '.join(c for _, c in places)}): keep one and import it where it is used")
    return problems

def _cell_defs(nbs) -> dict:
    "name -> 'notebook #cell' of each top-level def/class in a code cell that nbdev does not export."
    out = {}
    for nb in sorted(Path(nbs).glob('**/*.ipynb')):
        try: cells = json.loads(nb.read_text(encoding='utf-8'))['cells']
        except (OSError, ValueError, KeyError): continue
        for c in cells:
            src = ''.join(c.get('source', '')) if c.get('cell_type') == 'code' else ''
            if not src or re.search(r'^#\|\s*export', src, re.M): continue
            try: tree = ast.parse('\n'.join(l for l in src.splitlines() if not l.lstrip().startswith(('%', '!'))))
            except SyntaxError: continue
            for name, _, kind in bindings(tree):
                if kind != 'assignment': out.setdefault(name, f"{nb.name} #{c.get('id')}")
    return out

def unexported(pkg_dir, nbs) -> list:
    "Names notebooks import from the package that its modules lack, where a notebook cell defines them unexported."
    pkg, have = Path(pkg_dir), {}
    for path in pkg.glob('*.py'):
        tree = ast.parse(path.read_text(encoding='utf-8'))
        have[path.stem] = {n for n, _, _ in bindings(tree)} | {a.asname or a.name for node in ast.walk(tree)
                          if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}
    defs, problems = None, []
    for nb in sorted(Path(nbs).glob('**/*.ipynb')):
        try: cells = json.loads(nb.read_text(encoding='utf-8'))['cells']
        except (OSError, ValueError, KeyError): continue
        for c in cells:
            src = ''.join(c.get('source', '')) if c.get('cell_type') == 'code' else ''
            for m in re.finditer(rf'^\s*from {pkg.name}\.(\w+) import (?:\(([^)]*)\)|([\w ,]+)$)', src, re.M):
                mod, names = m[1], [n.split(' as ')[0].strip() for n in (m[2] or m[3]).split(',') if n.strip()]
                if mod not in have: continue
                for n in names:
                    if n in have[mod]: continue
                    defs = _cell_defs(nbs) if defs is None else defs
                    if n in defs:
                        problems.append(f"{defs[n]}: export: {n} is defined here without #| export, but "
                                        f"{nb.name} #{c.get('id')} imports it from {pkg.name}.{mod}: add #| export to the cell")
    return problems

def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    pkg = Path(argv[0]) if argv else ROOT / 'ffnn_lit'
    problems = check(pkg, entry_points(pkg.parent / 'settings.ini'))
    if (pkg.parent / 'nbs').is_dir(): problems += unexported(pkg, pkg.parent / 'nbs')
    for p in problems: print(p)
    print(f"{len(problems)} problem(s) in {pkg.name}/" if problems else f"no name defined twice in {pkg.name}/")
    return 1 if problems else 0

if __name__ == '__main__': sys.exit(main())
