#!/usr/bin/env bash
# Rebuild textkit/data/plotly-textkit.min.js: plotly.js with only the traces the HTML report draws
# (sankey: 施策の流れ, heatmap: 類似度, waterfall: 内訳, scatter: 達成状況), 1.3 MB instead of
# the 4.8 MB full bundle the `plotly` Python package ships, still inlined (the report works
# offline, on closed 庁内 networks: no CDN). No partial bundle on the npm registry holds sankey
# (basic/cartesian/finance… do not), hence this custom one, built as plotly.js' CUSTOM_BUNDLE.md
# describes, with esbuild, from the npm registry packages.
#
# Run after the lock moves the `plotly` Python package to another plotly.js version (the suite
# checks that the bundle's version is the one plotly.py writes figures for; a mismatch makes the
# report fall back to the full bundle). Needs node and npm; nothing else is kept.
#   bash scripts/build_plotly_bundle.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
version=$("$py" -c "from textkit.render import plotly_version; from plotly.offline import get_plotlyjs; print(plotly_version(get_plotlyjs()))")
esbuild_version=0.25.12
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y > /dev/null
npm install --no-audit --no-fund --ignore-scripts --save-exact \
  "plotly.js@$version" "esbuild@$esbuild_version" > npm.log 2>&1 || { tail -n 20 npm.log; exit 1; }
cat > entry.js <<'JS'
'use strict';
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/waterfall'),
    require('plotly.js/lib/scatter'),
]);
module.exports = Plotly;
JS
# As plotly.js' own esbuild-config.js, without its plugins (CSS and GLSL serve map and WebGL
# traces only: maplibre's CSS is left out).
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
  --target=es2016 --define:global=window --define:define.amd=false --loader:.css=empty \
  --legal-comments=eof --log-level=warning --outfile=bundle.js
out="$root/textkit/data/plotly-textkit.min.js"
{
  echo "/* plotly.js v$version (MIT License, Copyright 2012-2026 Plotly, Inc.; licences of the bundled"
  echo "   modules at the end) with the traces sankey, heatmap, waterfall, scatter only: built by"
  echo "   scripts/build_plotly_bundle.sh with esbuild $esbuild_version from the npm packages plotly.js@$version */"
  cat bundle.js
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -c < "$out") bytes, plotly.js v$version)"
