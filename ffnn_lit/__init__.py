__version__ = "0.1.0"

# Not generated from a notebook: nbdev only maintains the `__version__` line above. Nothing is imported here:
# each module imports what it uses (NN's methods derived in later chapters import their implementation when
# first called), so `import ffnn_lit.nn` loads the forward pass and nothing else.
