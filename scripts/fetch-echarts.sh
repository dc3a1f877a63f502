#!/bin/sh
# fetch-echarts.sh [VERSION [SHA256]]: fetch Apache ECharts and fflate from
# the npm registry with `npm pack`, check each tarball against a pinned sha256
# and copy ECharts' dist/echarts.min.js and i18n/langVI.js and fflate's
# umd/index.js (as fflate.min.js) into dashboards/assets/. The files are
# third-party code and are not committed (see .gitignore); the dashboards
# embed them at build time. VERSION and SHA256 are ECharts'.
#
# The default is the last 5.x, 5.6.0, not the 5.4.3 go-echarts v2.6.7 names:
# 5.4.3 predates the 5.5.1 fix for tooltip XSS through HTML legend names
# (SNYK-JS-ECHARTS-7300340). The golden and browser tests of dashboards/
# check that go-echarts' options render the same with it. The sha256 is of
# the npm tarball, whose sha1 and sha512 match the registry's dist.shasum and
# dist.integrity. The Makefile refetches when this file changes, and the
# dashboards tests fail when the embedded script is not this version.
#
# fflate (MIT, no eval, ES5, 33 kB) inflates the site's packed period data
# where the browser has no DecompressionStream (Safari before 16.4, Firefox
# before 113, Chrome before 80); the dashboards test that both give the same
# data. Its pin is FFLATE_VERSION and the sha256 of its npm tarball (whose
# sha1 and sha512 match the registry's dist.shasum and dist.integrity).
set -eu

VERSION=${1:-5.6.0}
SHA256=${2:-e1b82487dd7f8d9f0438eec1f1433051148e0095ac7a15d4db890afda45cf610}
FFLATE_VERSION=0.8.2
FFLATE_SHA256=61fd5061e2fc8e5e3e3129f7f2fec7bd78a313e1bf4becbf1cc1cc9998d141dc

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/dashboards/assets"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

if ! command -v npm >/dev/null 2>&1; then
	echo "fetch-echarts: npm is not installed; install Node.js/npm and retry" >&2
	exit 1
fi

# fetch NAME VERSION SHA256 FILE...: npm pack NAME@VERSION into $tmp, check
# its sha256 and unpack its FILEs (package/...) into $tmp/NAME.
fetch() {
	(cd "$tmp" && npm pack --silent "$1@$2" >/dev/null)
	tgz="$tmp/$1-$2.tgz"
	if [ ! -f "$tgz" ]; then
		echo "fetch-echarts: npm pack $1@$2 produced no $tgz" >&2
		exit 1
	fi
	got=$(sha256sum "$tgz" | cut -d' ' -f1)
	if [ "$got" != "$3" ]; then
		echo "fetch-echarts: SHA256 MISMATCH for $1@$2" >&2
		echo "  want $3" >&2
		echo "  got  $got" >&2
		echo "  refusing to install it" >&2
		exit 1
	fi
	name=$1 version=$2
	shift 3
	mkdir -p "$tmp/$name"
	tar -xzf "$tgz" -C "$tmp/$name" "$@"
	echo "fetch-echarts: $name@$version (sha256 $got) -> $dest"
}

fetch echarts "$VERSION" "$SHA256" package/dist/echarts.min.js package/i18n/langVI.js
fetch fflate "$FFLATE_VERSION" "$FFLATE_SHA256" package/umd/index.js
mkdir -p "$dest"
cp "$tmp/echarts/package/dist/echarts.min.js" "$dest/echarts.min.js"
cp "$tmp/echarts/package/i18n/langVI.js" "$dest/langVI.js"
cp "$tmp/fflate/package/umd/index.js" "$dest/fflate.min.js"
