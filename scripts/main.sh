#!/usr/bin/env bash
# The main job on the default corpus: set up .venv (once), then `lexcop run`, which
# resolves every manifest document from ../shared/corpus (or $LEXCOP_MIRROR), checks its
# sha256, ingests it and prints a summary. Extra arguments go to `lexcop run`
# (e.g. --country ken --db /tmp/lexcop.db).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/lexcop run --mirror "${LEXCOP_MIRROR:-../shared/corpus}" "$@"
