#!/usr/bin/env python3
"""Write what ffnn.js must reproduce on MNIST: Python's `predict_proba` of the page's model on the 10,000 test digits.

    FFNN_LIT_DATA=/path/to/mnist python tests/js/make_expected.py OUT.f32

OUT.f32 holds 10,000 x 10 little-endian float32 values, row-major (read by tests/js/ffnn.test.mjs via $EXPECTED).
"""
import sys
from pathlib import Path
import numpy as np
from ffnn_lit.web import load_web
from ffnn_lit.data import load_mnist

if len(sys.argv) != 2: sys.exit(__doc__)
model = load_web(Path(__file__).resolve().parents[2] / 'nbs' / 'static' / 'mnist-784-256-10.json')
X_test, y_test = load_mnist(progress=False)[1]
P = model.predict_proba(X_test)
P.astype('<f4').tofile(sys.argv[1])
print(f"{sys.argv[1]}: {P.shape[0]} x {P.shape[1]} probabilities, test accuracy {(P.argmax(1) == y_test).mean():.4f}")
