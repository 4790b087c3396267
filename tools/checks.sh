# The checks of the source that nbdev_test does not make, in one list that both `tools/quick.sh` (a contributor's
# loop) and `.ci/run` (CI) run, so the two never drift apart. Sourced by bash, from the project root, with the dev
# environment's tools on PATH. Each entry: a description, a TAB, the command (run by bash -c).
#   clean/export leave no diff; README in sync; nbdev's docs step; what Quarto and Jupyter parse; what a reader of
#   the site would see wrong; the import floors; no name defined twice; each checker's own tests.
ENFORCE=docments,paths,duplicates,width,equations,alt,links,classes,order,showdoc,kwargs,anchors,deadlinks,endings
SOURCE_CHECKS=(
"notebooks are clean (nbdev_clean leaves no diff)	unchanged nbdev_clean"
"library is exported (nbdev_export leaves no diff)	unchanged nbdev_export"
"README.md is in sync with nbs/index.ipynb	python tools/readme.py --check"
"docs pre-processing succeeds (nbdev's docs step before Quarto)	python tools/check_docs.py"
"notebooks valid for Jupyter and Quarto: nbformat schema, #| options as strict YAML (tools/check_nb.py)	python tools/check_nb.py"
"the notebook checker fails on each deliberately broken notebook (tools/test_check_nb.py)	python tools/test_check_nb.py"
"the docs checker's own tests (tools/test_check_site.py)	python tools/test_check_site.py"
"the docs site as a reader sees it (tools/check_site.py)	python tools/check_site.py --no-proc --enforce $ENFORCE"
"the package's import graph: no circle, nothing imported from above (tools/check_imports.py)	python tools/check_imports.py"
"the import-graph checker fails on a circle and on an upward import (tools/test_check_imports.py)	python tools/test_check_imports.py"
"no name defined twice in the package, no forgotten #| export, each reported at its notebook cell (tools/check_names.py)	python tools/check_names.py"
"the name checker fails on a name exported twice (tools/test_check_names.py)	python tools/test_check_names.py"
"the churn checker reports a timing, a port, an image that change (tools/test_check_churn.py)	python tools/test_check_churn.py"
)

unchanged() { # run a command, then require that it changed nothing tracked or untracked in the tree
  local before after; before=$(git status --porcelain; git diff)
  "$@" >/dev/null || return 1
  after=$(git status --porcelain; git diff)
  [[ "$before" == "$after" ]] || { echo "'$*' changed the tree:"; git status --short; git diff --stat; return 1; }
}
export -f unchanged
