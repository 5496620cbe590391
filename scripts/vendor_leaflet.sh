#!/bin/sh
# Vendor Leaflet and Leaflet-Geoman (free) into web/static/vendor from npm, so that the web app serves
# them itself (no CDN at run time). Usage: scripts/vendor_leaflet.sh [LEAFLET_VERSION [GEOMAN_VERSION]]
# Then record the versions in web/static/vendor/README.md and commit the files.
set -eu
LEAFLET_VERSION=${1:-1.9.4}
GEOMAN_VERSION=${2:-2.20.2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENDOR="$ROOT/web/static/vendor"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "leaflet@$LEAFLET_VERSION" "@geoman-io/leaflet-geoman-free@$GEOMAN_VERSION" >/dev/null
mkdir leaflet geoman
tar xzf "leaflet-$LEAFLET_VERSION.tgz" -C leaflet
tar xzf "geoman-io-leaflet-geoman-free-$GEOMAN_VERSION.tgz" -C geoman

rm -rf "$VENDOR/leaflet" "$VENDOR/leaflet-geoman"
mkdir -p "$VENDOR/leaflet/images" "$VENDOR/leaflet-geoman"
cp leaflet/package/dist/leaflet.js leaflet/package/dist/leaflet.css leaflet/package/LICENSE "$VENDOR/leaflet/"
cp leaflet/package/dist/images/*.png "$VENDOR/leaflet/images/"
cp geoman/package/dist/leaflet-geoman.min.js geoman/package/dist/leaflet-geoman.css geoman/package/LICENSE \
   "$VENDOR/leaflet-geoman/"
# Byte for byte as published (their sourceMappingURL comments name maps that are not vendored: only a
# browser's developer tools ask for them, and get a 404).

cd "$VENDOR"
sha256sum leaflet/leaflet.js leaflet/leaflet.css leaflet-geoman/leaflet-geoman.min.js leaflet-geoman/leaflet-geoman.css
echo "vendored leaflet@$LEAFLET_VERSION and @geoman-io/leaflet-geoman-free@$GEOMAN_VERSION into $VENDOR" >&2
