#!/usr/bin/env bash
# TEST-ONLY: builds a local stand-in for Microsoft's Azurite image, tagged with exactly the image name
# compose.yaml uses, on a machine that reaches no container registry (so `compose up` finds it and
# does not pull). Users and CI never run this: they pull mcr.microsoft.com/azure-storage/azurite.
# The stand-in runs the npm package `azurite` at package.json's devDependency version (the one the
# npm tests use) on the Dockerfile's Node base (docs/compose.md, "Verified here").
#   usage: test/compose/support/azurite-standin.sh [engine]      (engine: podman (default) or docker)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
engine=${1:-podman}
image=$(sed -nE 's/^ *image: *(mcr\.microsoft\.com\/azure-storage\/azurite:[^ ]+) *$/\1/p' "$root/compose.yaml")
[ -n "$image" ] || { echo "azurite-standin: compose.yaml names no mcr.microsoft.com/azure-storage/azurite image" >&2; exit 2; }
version=$(node -p 'require(process.argv[1]).devDependencies.azurite' "$root/package.json")
[ "${image##*:}" = "$version" ] || {
  echo "azurite-standin: compose.yaml's $image is not package.json's azurite $version: align them" >&2
  exit 2
}
node_image=$(sed -nE 's/^ARG NODE_IMAGE=(.+)$/\1/p' "$root/runtime/Dockerfile")
if "$engine" image inspect "$image" >/dev/null 2>&1; then echo "azurite-standin: $image already present"; exit 0; fi
# --network host: npm inside the build needs the host's network where the engine's bridge has no way out.
"$engine" build --network host --build-arg "NODE_IMAGE=$node_image" --build-arg "AZURITE_VERSION=$version" \
  -t "$image" -f "$root/test/compose/support/azurite-standin.Containerfile" "$root/test/compose/support"
echo "azurite-standin: built $image (a local stand-in, azurite $version from npm)"
