#!/bin/sh
# Install the SPARQL editor (YASGUI, @zazuko/yasgui from npm) into server/static/vendor/yasgui/,
# so that /editor serves it from this server (no CDN at page load). Needs node and npm.
# Also writes .gz twins that the server sends to browsers accepting gzip (page weight < 1 MB).
# Without it, /editor falls back to a plain form that posts to /sparql.
set -eu
VERSION="${YASGUI_VERSION:-4.6.2}"
HERE="$(cd "$(dirname "$0")" && pwd)"
DEST="$HERE/static/vendor/yasgui"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if ! command -v npm >/dev/null 2>&1; then
    echo "install_assets: npm not found; /editor will use its plain form" >&2
    exit 1
fi
npm install --silent --no-audit --no-fund --prefix "$WORK" "@zazuko/yasgui@$VERSION"
mkdir -p "$DEST"
for f in yasgui.min.js yasgui.min.css; do
    cp "$WORK/node_modules/@zazuko/yasgui/build/$f" "$DEST/$f"
    gzip -9 -n -c "$DEST/$f" > "$DEST/$f.gz"
done
cp "$WORK/node_modules/@zazuko/yasgui/package.json" "$DEST/package.json"
echo "install_assets: @zazuko/yasgui $VERSION in $DEST"
