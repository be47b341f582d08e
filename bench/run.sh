#!/bin/sh
# Sarcostat against R's survival on registry-like data, interleaved whole-process runs, ratio table (docs/performance.md).
#   bench/run.sh                         # n = 1e5 and 1e6, 3 runs each
#   bench/run.sh --sizes 1e5,1e6,1e7     # add 1e7 (Kaplan-Meier and log-rank; Cox up to --cox-max, default 1e6)
# Needs the .NET 10 SDK, python3, /usr/bin/time, and R with survival (installed from Debian's packages if missing;
# data.table for the fread variant). Options: python3 bench/run.py --help.
set -e
cd "$(dirname "$0")/.."
exec python3 bench/run.py "$@"
