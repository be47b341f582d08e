#!/usr/bin/env bash
# Regenerates every golden file from R. Needs Debian's r-base-core, r-cran-survival, r-cran-jsonlite and r-cran-cmprsk.
# Every *.R script here except common.R and export-datasets.R is run (cmprsk.R exports its own datasets).
# Usage: tools/reference/regenerate.sh            (writes data/ and golden/)
#        tools/reference/regenerate.sh --check    (regenerates, then fails if anything differs from git)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
Rscript export-datasets.R
for script in *.R; do
  case "$script" in common.R|export-datasets.R) continue ;; esac
  echo "== $script"
  Rscript "$script"
done
if [ "${1:-}" = "--check" ]; then
  if ! git diff --exit-code --stat -- data golden; then
    echo "golden files differ from what the committed R scripts produce" >&2
    exit 1
  fi
  untracked=$(git ls-files --others --exclude-standard -- data golden)
  if [ -n "$untracked" ]; then
    echo "R scripts wrote files that are not committed: $untracked" >&2
    exit 1
  fi
  echo "golden files reproduce exactly"
fi
