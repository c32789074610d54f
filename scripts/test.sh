#!/usr/bin/env bash
# The test suite: set up .venv (once), then pytest on as many cores as there are.
# Extra arguments go to pytest (e.g. tests/test_store.py -x, or -n 0 to run serially).
# Exit code: pytest's; "no tests collected" (5) is reported as a failure, not a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit $?
.venv/bin/python -m pytest -n auto --dist loadfile -rfEs "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "scripts/test.sh: pytest collected no tests (exit code 5): this is a failure" >&2
fi
exit "$rc"
