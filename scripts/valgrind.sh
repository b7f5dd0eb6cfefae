#!/usr/bin/env bash
# Runs the array tests under valgrind memcheck and fails on any definite leak or memory error.
# valgrind cannot decode every instruction of recent CPUs (AVX-512), so the tests are built for a
# baseline x86-64 CPU in their own target directory, and rjit compiles kernels for it (RJIT_CPU).
# The subjects are modules of the one test binary, `tests/suite`, each run in its own valgrind.
# Usage: scripts/valgrind.sh [subject …]   (default: every suite that runs kernels; CI runs all
# but the two slowest, classic and random_programs)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (Debian: apt-get install valgrind)"; exit 1; }
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(views numpy array_expressions arrays kernels parallel hostile errors generics signatures
  random demos fastmath interpreter introspection concurrency aliasing safety classic random_programs)
# Random programs compile one by one; under valgrind a few dozen are plenty.
export RJIT_FUZZ_PROGRAMS="${RJIT_FUZZ_PROGRAMS:-40}"
export RUSTFLAGS="-C target-cpu=x86-64-v2" RJIT_CPU=x86-64-v2
dir=target/valgrind
status=0
bin=$(cargo test --quiet --target-dir "$dir" --test suite --no-run --message-format=json 2>/dev/null \
      | grep -o '"executable":"[^"]*"' | sed 's/"executable":"//; s/"$//' | tail -1)
for t in "${tests[@]}"; do
  echo "== $t"
  if valgrind --quiet --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
       --error-exitcode=9 --smc-check=all-non-file "$bin" --test-threads=1 -q "$t::" 2>&1 | tail -5; then
    echo "   no leaks, no errors"
  else
    status=1
  fi
done
exit $status
