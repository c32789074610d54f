#!/usr/bin/env bash
# Create .venv in the repository (once) and install lexcop into it, editable, with the
# test extras. Safe to run again: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv; then
    # Debian's python3 ships venv separately
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      rm -rf .venv
      DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv </dev/null
      "$PY" -m venv .venv
    else
      echo "setup.sh: cannot create .venv; install python3-venv (Debian) and try again" >&2
      exit 1
    fi
  fi
fi

stamp=.venv/.lexcop-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test]' </dev/null
  touch "$stamp"
fi
