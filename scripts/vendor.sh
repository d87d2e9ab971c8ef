#!/usr/bin/env bash
# Fetch htmx and Apache ECharts from the npm registry and copy them into the static files.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=src/gongkai/site/static/vendor
if [ -f "$DEST/.stamp" ] && [ "$DEST/.stamp" -nt package.json ]; then exit 0; fi
npm install --no-audit --no-fund --silent >/dev/null
mkdir -p "$DEST"
cp node_modules/htmx.org/dist/htmx.min.js "$DEST/htmx.min.js"
cp node_modules/echarts/dist/echarts.min.js "$DEST/echarts.min.js"
touch "$DEST/.stamp"
