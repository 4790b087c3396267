__version__ = "0.1.0"

# Not generated from a notebook: nbdev only maintains the `__version__` line above.
# Importing the modules here makes the methods that later notebooks add to `NN` with
# `@patch` (backward, fit, save, ...) available however the package is imported,
# e.g. `from ffnn_lit import nn`.
from . import init, data, nn, backprop, fast, optim, learner, plots, files, regularise  # noqa: F401
