#!/usr/bin/env bash
# Rebuild dashboard/assets/plotly-partial.min.js: plotly.js with only the traces regiodash draws.
# Needs node + npm (CI does not: the bundle is committed). The plotly.js version is the one the
# installed plotly Python package ships (plotly.offline.get_plotlyjs_version), so figures built
# in Python and drawn in the browser agree.
#
#   scripts/build_plotly_bundle.sh                       # the shipped bundle
#   TRACES="bar choroplethmap scattermap" OUT=/tmp/x.js scripts/build_plotly_bundle.sh   # a variant
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=/work/main/.venv/bin/python
VERSION="$("$PYTHON" -c 'from plotly.offline import get_plotlyjs_version; print(get_plotlyjs_version())')"
ESBUILD_VERSION=0.28.2
# scatter (trend), bar (growth), choropleth + scattergeo (the SVG map: outline and label).
TRACES="${TRACES:-bar choropleth scattergeo}"
OUT="${OUT:-dashboard/assets/plotly-partial.min.js}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "plotly.js@$VERSION" "esbuild@$ESBUILD_VERSION")
{
  echo "var Plotly = require('plotly.js/lib/core');"
  echo "Plotly.register(["
  for t in $TRACES; do echo "  require('plotly.js/lib/$t'),"; done
  echo "]);"
  echo "module.exports = Plotly;"
} > "$WORK/entry.js"
# The same esbuild options as plotly.js's own dist (esbuild-config.js), minified. CSS that a
# module imports (MapLibre's) lands in a separate .css file; it is inlined below when present.
"$WORK/node_modules/.bin/esbuild" "$WORK/entry.js" --bundle --minify --format=iife --global-name=Plotly \
  --define:global=window --define:define.amd=false --target=es2016 --alias:stream=stream-browserify \
  --legal-comments=none --log-level=warning --outfile="$WORK/bundle.js"
{
  echo "/* plotly.js v$VERSION partial bundle: scatter $TRACES (MIT licence, Plotly, Inc.); built by scripts/build_plotly_bundle.sh */"
  cat "$WORK/bundle.js"
  if [ -s "$WORK/bundle.css" ] && [[ " $TRACES " == *map* ]]; then
    # MapLibre needs its stylesheet; inject it as plotly's own dist does.
    printf ';(function(){var s=document.createElement("style");s.textContent=%s;document.head.appendChild(s);})();\n' \
      "$(node -e 'process.stdout.write(JSON.stringify(require("fs").readFileSync(process.argv[1],"utf8")))' "$WORK/bundle.css")"
  fi
  # The geo map draws only our own GeoJSON (no coast or land layer), but plotly still asks for
  # a base map by name and would fetch it from cdn.plot.ly (blocked offline and by the CSP):
  # an empty topology under those names keeps every request on our own origin.
  if [[ " $TRACES " == *geo* ]]; then
    echo ';(function(){var t=window.PlotlyGeoAssets.topojson;["europe_50m","europe_110m","world_50m","world_110m"].forEach(function(n){if(!t[n])t[n]={type:"Topology",objects:{},arcs:[]};});})();'
  fi
} > "$OUT"
echo "wrote $OUT ($(wc -c < "$OUT") bytes, gzip $(gzip -9c "$OUT" | wc -c)) for plotly.js $VERSION"
