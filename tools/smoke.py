#!/usr/bin/env python3
"""Smoke test of an installed ffnn-lit (run by .ci/run in a clean environment without nbdev).

    python tools/smoke.py BIN_DIR     # BIN_DIR: the environment's bin/, where `ffnn_mnist` lives

Imports the package, trains XOR, round-trips a model through save/load, checks `ffnn_mnist --help`
and `--version`, and the same through `python -m ffnn_lit` and `python -m ffnn_lit.cli`; and, when
FFNN_LIT_DATA points to MNIST, runs `ffnn_mnist --epochs 10` and requires >= 0.98, then
`ffnn_mnist --load` of the saved model, which must evaluate it (no training) to the same accuracy.
"""
import os, re, subprocess, sys, tempfile
from pathlib import Path

def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what, flush=True)
    if not cond: sys.exit(1)

bin_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(sys.executable).parent
import numpy as np, fastcore
import ffnn_lit
from ffnn_lit import nn
check('nbdev' not in sys.modules, f'ffnn_lit {ffnn_lit.__version__} imports without nbdev (fastcore {fastcore.__version__})')

X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), np.array([0, 1, 1, 0])
net = nn.NN([nn.Layer(2, 8, activation=nn.ReLU), nn.Layer(8, 1, activation=nn.Sigmoid)], seed=0)
h = net.fit(X, y, epochs=500, lr=0.05, seed=0, progress=False)
check((net.predict(X) == y).all() and h['acc'][-1] == 1.0, f'XOR trained to 100% (final cost {h["loss"][-1]:.4f})')

with tempfile.TemporaryDirectory() as d:
    f = net.save(Path(d) / 'xor.npz')
    net2 = nn.NN.load(f)
    check(np.array_equal(net2.predict_proba(X), net.predict_proba(X)), 'save/load round-trips exactly')

cli = bin_dir / 'ffnn_mnist'
r = subprocess.run([str(cli), '--help'], capture_output=True, text=True)
check(r.returncode == 0 and '--epochs' in r.stdout and '--data-dir' in r.stdout, 'ffnn_mnist --help documents its options')
for cmd in ([str(cli)], [sys.executable, '-m', 'ffnn_lit'], [sys.executable, '-m', 'ffnn_lit.cli']):
    name = 'ffnn_mnist' if len(cmd) == 1 else 'python ' + ' '.join(cmd[1:])
    r = subprocess.run([*cmd, '--version'], capture_output=True, text=True)
    check((r.returncode, r.stdout, r.stderr) == (0, f'ffnn_mnist {ffnn_lit.__version__}\n', ''),
          f'{name} --version prints ffnn_mnist {ffnn_lit.__version__} (got {r.returncode}, {(r.stdout + r.stderr)[-200:]!r})')
    r = subprocess.run([*cmd, '--help'], capture_output=True, text=True)
    check(r.returncode == 0 and r.stdout.startswith('usage: ffnn_mnist') and '--threads' in r.stdout and '(default: None)' not in r.stdout,
          f'{name} --help documents its options, --threads too')

if os.environ.get('FFNN_LIT_DATA'):
    with tempfile.TemporaryDirectory() as d:
        r = subprocess.run([str(cli), '--epochs', '10', '--no-progress', '--out', f'{d}/m.npz'], capture_output=True, text=True)
        print(r.stdout[-1500:], r.stderr[-1500:])
        m = re.search(r'^test accuracy: (\d\.\d+)$', r.stdout, re.M)
        check(r.returncode == 0 and m is not None and float(m.group(1)) >= 0.98,
              f'FFNN_LIT_DATA=... ffnn_mnist --epochs 10 reaches >= 0.98 (got {m and m.group(1)})')
        pred = nn.NN.load(f'{d}/m.npz').predict(np.zeros((2, 784)))
        check(pred.shape == (2,), 'the saved MNIST model loads and predicts')
        r2 = subprocess.run([sys.executable, '-m', 'ffnn_lit', '--load', f'{d}/m.npz', '--no-progress', '--threads', '1'],
                            capture_output=True, text=True)
        m2 = re.search(r'^test accuracy: (\d\.\d+)$', r2.stdout, re.M)
        check(r2.returncode == 0 and m2 is not None and m2.group(1) == m.group(1) and not re.search(r'^(epoch|trained) ', r2.stdout, re.M),
              f'python -m ffnn_lit --load m.npz evaluates the saved model without training it ({m2 and m2.group(1)}; {r2.stderr[-300:]!r})')
else: print('skip ffnn_mnist training: FFNN_LIT_DATA is not set')
print('smoke test passed')
