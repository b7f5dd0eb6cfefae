#!/usr/bin/env bash
# Runs the test suites with RJIT_DIFFERENTIAL=1: every call of every njit function runs compiled
# and in the reference interpreter on the same inputs, and any difference in results, arrays
# written, random state or errors fails the test with both values.
# Left out: `memory` (it measures the process's memory over 10^6 calls), and the suites that call
# no kernel or only inspect compiled code (`ui`, `errors_doc`, `annotate_html`).
# The subjects are modules of the one test binary, `tests/suite`.
# Usage: scripts/differential.sh [subject …]
set -euo pipefail
cd "$(dirname "$0")/.."
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(kernels numpy arrays array_expressions views generics signatures parallel
  random errors hostile fastmath demos classic concurrency cache introspection snapshots interpreter
  safety python ports)
filters=()
for t in "${tests[@]}"; do filters+=("$t::"); done
RJIT_DIFFERENTIAL=1 cargo test --test suite -- "${filters[@]}"
