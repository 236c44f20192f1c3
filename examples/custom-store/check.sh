#!/usr/bin/env bash
# Packs @digests/core and @digests/conformance as they would be published,
# installs the tarballs here (outside the workspace, no links into it),
# type-checks this store strictly and runs the conformance kit against it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/.tarballs"
(cd "$root" && npm pack --silent -w packages/core -w packages/conformance --pack-destination "$work/.tarballs" >/dev/null)
cp -r "$here/package.json" "$here/tsconfig.json" "$here/vitest.config.ts" "$here/src" "$here/test" "$work/"
cd "$work"
npm install --no-audit --no-fund --prefer-offline --no-package-lock --loglevel=error
npx tsc -p tsconfig.json
npx vitest run
