#!/usr/bin/env bash
# Install what the browser test needs: Debian's chromium and Playwright for Python (which
# drives that chromium; `playwright install` is never run, it would download its own build).
# Idempotent: each step is skipped when its piece is already there.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
if ! python -c "import playwright" 2>/dev/null; then
  python -m pip install --quiet playwright
fi
