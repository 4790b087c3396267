"""Compatibility: the names `ffnn_lit.train` held before the training chapter became `ffnn_lit.learner` (and model files `ffnn_lit.files`)."""

# Not generated from a notebook (nbdev 2 cannot export one notebook into two modules): hand-maintained, re-exports only.
# The code lives in `learner` (nbs/03_xor.ipynb) and `files` (nbs/11_files.ipynb); `from ffnn_lit.train import ...` keeps working.
from .learner import (OPTIMIZERS, SCHEDULES, Optimizer, SGD, Momentum, Adam, get_optimizer, cosine_schedule, get_schedule,
                      accuracy, History, TrainingDiverged, Learner, plot_history, plot_decision_boundary, draw_network)
from .files import FORMAT_VERSION, ModelFileError

__all__ = ['OPTIMIZERS', 'SCHEDULES', 'FORMAT_VERSION', 'Optimizer', 'SGD', 'Momentum', 'Adam', 'get_optimizer', 'accuracy', 'History',
           'cosine_schedule', 'get_schedule', 'TrainingDiverged', 'plot_history', 'plot_decision_boundary', 'draw_network', 'ModelFileError',
           'Learner']
