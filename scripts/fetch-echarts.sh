#!/bin/sh
# fetch-echarts.sh [VERSION [SHA256]]: fetch Apache ECharts from the npm
# registry with `npm pack`, check the tarball against a pinned sha256 and copy
# dist/echarts.min.js and i18n/langVI.js into dashboards/assets/. The files
# are third-party code and are not committed (see .gitignore); the dashboards
# embed them at build time.
#
# The default is the last 5.x, 5.6.0, not the 5.4.3 go-echarts v2.6.7 names:
# 5.4.3 predates the 5.5.1 fix for tooltip XSS through HTML legend names
# (SNYK-JS-ECHARTS-7300340). The golden and browser tests of dashboards/
# check that go-echarts' options render the same with it. The sha256 is of
# the npm tarball, whose sha1 and sha512 match the registry's dist.shasum and
# dist.integrity. The Makefile refetches when this file changes, and the
# dashboards tests fail when the embedded script is not this version.
set -eu

VERSION=${1:-5.6.0}
SHA256=${2:-e1b82487dd7f8d9f0438eec1f1433051148e0095ac7a15d4db890afda45cf610}

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/dashboards/assets"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! command -v npm >/dev/null 2>&1; then
	echo "fetch-echarts: npm is not installed; install Node.js/npm and retry" >&2
	exit 1
fi

(cd "$tmp" && npm pack --silent "echarts@$VERSION" >/dev/null)
tgz="$tmp/echarts-$VERSION.tgz"
if [ ! -f "$tgz" ]; then
	echo "fetch-echarts: npm pack echarts@$VERSION produced no $tgz" >&2
	exit 1
fi
got=$(sha256sum "$tgz" | cut -d' ' -f1)
if [ "$got" != "$SHA256" ]; then
	echo "fetch-echarts: SHA256 MISMATCH for echarts@$VERSION" >&2
	echo "  want $SHA256" >&2
	echo "  got  $got" >&2
	echo "  refusing to install it" >&2
	exit 1
fi
tar -xzf "$tgz" -C "$tmp" package/dist/echarts.min.js package/i18n/langVI.js
mkdir -p "$dest"
cp "$tmp/package/dist/echarts.min.js" "$dest/echarts.min.js"
cp "$tmp/package/i18n/langVI.js" "$dest/langVI.js"
echo "fetch-echarts: echarts@$VERSION (sha256 $got) -> $dest"
