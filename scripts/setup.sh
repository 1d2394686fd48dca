#!/usr/bin/env bash
# One-time setup on a fresh machine: a Node >= 22 (see with-node.sh) and the locked npm dependencies.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/with-node.sh npm ci --no-audit --no-fund
scripts/with-node.sh node -e 'console.log("setup: node " + process.version + ", dependencies installed")'
