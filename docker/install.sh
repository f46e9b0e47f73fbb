#!/bin/sh
# Installs commune-feed for production into a folder: the package (a tarball made by
# `npm pack`, or `commune-feed@<version>` from a registry) with its runtime dependencies
# only, better-sqlite3's native addon built for this machine, then checks that it loads.
# The Dockerfile runs it; test/e2e/package.test.ts runs it in a clean folder. Start the
# server afterwards with `<folder>/node_modules/.bin/commune-feed` (the image's CMD).
#
#   docker/install.sh commune-feed-0.1.0.tgz /opt/commune-feed
set -eu

package=${1:?usage: install.sh <commune-feed-x.y.z.tgz | commune-feed@x.y.z> [folder, default /app]}
folder=${2:-/app}

# A tarball is given by path: make it absolute before leaving this folder.
case $package in
*.tgz) package=$(cd "$(dirname "$package")" && pwd)/$(basename "$package") ;;
esac

mkdir -p "$folder"
cd "$folder"
[ -f package.json ] || printf '{ "name": "commune-feed-site", "private": true }\n' >package.json

# better-sqlite3 compiles with node-gyp when no prebuilt binary is reachable: that needs
# python3, make and g++ (and npm_config_nodedir pointing at Node's headers when offline).
npm install --omit=dev --no-audit --no-fund --prefer-offline "$package"

# Fail here rather than at the first start: the command runs and the addon loads.
./node_modules/.bin/commune-feed --version
node -e "require('better-sqlite3')(':memory:').close()"
echo "commune-feed installed in $folder: start it with $folder/node_modules/.bin/commune-feed"
