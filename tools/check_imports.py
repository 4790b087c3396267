#!/usr/bin/env python3
"""Check the package's import graph: no circle, and no module importing one on a higher floor.

    python tools/check_imports.py            # the package ffnn_lit/, with the floors below
    python tools/check_imports.py --graph    # ... and print every module-level import it read

The graph is read from the modules' `import` lines (Python's `ast`, never by importing anything), the way a reader
reads them top to bottom. Only imports that run when the module is imported count: statements of the module's body,
including those nested in `if`, `try`, `with` and `class` blocks (all run at import time), but not those inside a
function body (`def`, `lambda`), which run only when the function is called: that is how a method imports its
implementation from an appendix (`NN.save` reading `files`), as libraries do for optional parts. Imports under
`if TYPE_CHECKING:` never run and are skipped. `from . import x`, `from .x import y`, `import ffnn_lit.x` and
`from ffnn_lit import x` all name the module `x`.

Floors, lowest first; a module imports, at module level, only modules listed before it (lower on its own floor, or
on a lower floor):

    ground   checks, init, data              the argument checks, initialisers and registries; downloads, files, progress
    story    nn, backprop, optim, learner,   what the chapters derive, in reading order (plots draws an `NN`, imports
             plots, mnist, regularise,       only `nn`; `mnist` draws with it; `regularise` and `augment` build on the
             augment, tasks, estimators      Learner; `tasks` reads outputs by task, `estimators` wraps NN for
                                             scikit-learn, which only it imports)
    engine   fast, files, web, pytorch       the fast step, model files, the browser export, the PyTorch bridge:
                                             they may import the story, never the other way round
    tools    recipes, bench, cli             the training recipes (they load data and pick the trainer), the commands

Every problem is printed as `file:line: rule: detail`; exit status 1 if there is any. Rules:

cycle    modules that import each other, directly or through others (once per group of such modules, with a circle)
upward   a module imports one on a higher floor, or later on its own: a story module importing the engine or a tool
unknown  a module of the package that has no floor: add it to FLOORS here, and to CONTRIBUTING.md
init     `__init__.py` imports a module of the package: it runs for every `import ffnn_lit.x`, so the whole package
         is imported for its side effects; import what you use where you use it

Its own tests: `python tools/test_check_imports.py`.
"""
import argparse, ast, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = 'ffnn_lit'

FLOORS = [('ground', ['checks', 'init', 'data']),
          ('story', ['nn', 'backprop', 'optim', 'learner', 'plots', 'mnist', 'regularise', 'augment', 'tasks', 'estimators']),
          ('engine', ['fast', 'files', 'web', 'pytorch']),
          ('tools', ['recipes', 'bench', 'cli', '__main__'])]
SKIP = {'_modidx'}   # nbdev's index of names: no imports, not a module anyone imports

def _is_type_checking(test) -> bool:
    return (isinstance(test, ast.Name) and test.id == 'TYPE_CHECKING') or \
           (isinstance(test, ast.Attribute) and test.attr == 'TYPE_CHECKING')

def module_level(body):
    "The statements of `body` that run when the module is imported: into if/try/with/class blocks, not into functions."
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)): continue
        yield node
        if isinstance(node, ast.If):
            if not _is_type_checking(node.test): yield from module_level(node.body)
            yield from module_level(node.orelse)
        elif isinstance(node, (ast.Try, getattr(ast, 'TryStar', ast.Try))):
            for part in (node.body, *[h.body for h in node.handlers], node.orelse, node.finalbody):
                yield from module_level(part)
        elif isinstance(node, (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)):
            yield from module_level(node.body)
            yield from module_level(getattr(node, 'orelse', []))
        elif isinstance(node, ast.ClassDef): yield from module_level(node.body)

def imports_of(path:Path, package:str, modules:set) -> list:
    "The package's modules that the file at `path` imports at module level, as (line, module) pairs."
    tree = ast.parse(path.read_text(encoding='utf-8'), str(path))
    found = []
    for node in module_level(tree.body):
        if isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split('.')
                if parts[0] == package and len(parts) > 1: found.append((node.lineno, parts[1]))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module is not None and node.module.split('.')[0] != package: continue
            if node.level > 1: continue   # above the package: not ours
            mod = node.module if node.level else '.'.join(node.module.split('.')[1:]) or None
            if mod: found.append((node.lineno, mod.split('.')[0]))   # from .x import y / from ffnn_lit.x import y
            else: found += [(node.lineno, a.name) for a in node.names if a.name in modules]   # from . import x
    return found

def read_graph(pkg_dir:Path, package:str=None) -> dict:
    "{module: [(line, imported module), ...]} for every .py file of the package (`__init__` included)."
    pkg_dir = Path(pkg_dir); package = package or pkg_dir.name
    files = {p.stem: p for p in sorted(pkg_dir.glob('*.py')) if p.stem not in SKIP}
    modules = set(files) - {'__init__'}
    return {m: [(ln, t) for ln, t in imports_of(p, package, modules) if t in modules] for m, p in files.items()}

def cycles(graph:dict) -> list:
    "Each circle of the graph once, as a list of modules [a, b, ..., a], from its strongly connected components."
    edges = {m: sorted({t for _, t in deps}) for m, deps in graph.items()}
    index, low, stack, on, comps, n = {}, {}, [], set(), [], [0]
    def visit(v):   # Tarjan's algorithm
        index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
        for w in edges.get(v, []):
            if w not in index: visit(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1 or v in edges.get(v, []): comps.append(set(comp))
    for v in sorted(edges):
        if v not in index: visit(v)
    return [_circle(edges, comp) for comp in comps]

def _circle(edges:dict, comp:set) -> list:
    "The shortest circle through the first module of `comp`, by a breadth-first search inside it."
    start = min(comp); prev, todo = {start: None}, [start]
    for v in todo:
        for w in edges[v]:
            if w == start:
                path = [v]
                while prev[path[-1]] is not None: path.append(prev[path[-1]])
                return path[::-1] + [start]
            if w in comp and w not in prev: prev[w] = v; todo.append(w)

def check(pkg_dir, floors=FLOORS, package:str=None) -> list:
    "Every problem of the package's import graph, as (file, line, rule, detail)."
    pkg_dir = Path(pkg_dir); graph = read_graph(pkg_dir, package)
    rank, floor_of = {}, {}
    for f, mods in floors:
        for m in mods: rank[m] = len(rank); floor_of[m] = f
    file = lambda m: f"{pkg_dir.name}/{m}.py"
    probs = []
    for m in sorted(graph):
        if m == '__init__':
            by_line = {}
            for ln, t in graph[m]: by_line.setdefault(ln, []).append(t)
            for ln, ts in by_line.items():
                probs.append((file(m), ln, 'init', f"the package's __init__ imports {', '.join(ts)} for their side "
                              f"effects, so every `import {pkg_dir.name}.x` imports them too: import each where it is used"))
            continue
        if m not in rank:
            probs.append((file(m), 1, 'unknown', f"module {m} has no floor: add it to FLOORS in tools/check_imports.py "
                          f"(and to the floors in CONTRIBUTING.md)"))
            continue
        for ln, t in graph[m]:
            if t in rank and rank[t] >= rank[m]:
                where = ('a higher floor' if floor_of[t] != floor_of[m] else 'itself' if t == m else
                         f"a module after it on its own floor")
                probs.append((file(m), ln, 'upward', f"{m} ({floor_of[m]}) imports {t} ({floor_of[t]}), {where}, at "
                              f"module level: move the import into the function that uses it, or what it "
                              f"imports below {m}"))
    for c in cycles({m: d for m, d in graph.items() if m != '__init__'}):
        ln = next(ln for ln, t in graph[c[0]] if t == c[1])
        probs.append((file(c[0]), ln, 'cycle', f"import circle {' -> '.join(c)}"))
    return probs

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--package', type=Path, default=ROOT / PACKAGE, help='the package folder (default: ffnn_lit/)')
    ap.add_argument('--graph', action='store_true', help='also print every module-level import read')
    args = ap.parse_args(argv)
    graph = read_graph(args.package)
    if args.graph:
        for m in sorted(graph): print(f"{m}: {', '.join(sorted({t for _, t in graph[m]})) or '-'}")
    probs = check(args.package)
    for f, ln, rule, detail in probs: print(f"{f}:{ln}: {rule}: {detail}")
    n = sum(len(d) for d in graph.values())
    print(f"{len(graph)} modules, {n} module-level imports within the package: "
          + (f"{len(probs)} problem{'s' * (len(probs) != 1)}" if probs else "no circle, none upward"))
    return 1 if probs else 0

if __name__ == '__main__': sys.exit(main())
