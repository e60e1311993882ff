#!/usr/bin/env bash
# Builds .device/ in the repo root: everything the device machine needs to run the scaling benchmark
# of issue 9 with no Node, npm, redis-server or network there (see run.sh). Binaries are never
# committed: .device/ is ignored through .git/info/exclude. Usage: bash tests/bench/device/build.sh
set -euo pipefail
root=$(git rev-parse --show-toplevel)
dev="$root/.device"
here="$root/tests/bench/device"
mkdir -p "$dev"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Rebuilds $1 (a compressed file) only when the stamp $2 differs from the one it was built from:
# xz -9 on Node and MNIST takes minutes on this machine.
stale() { [[ ! -f $1 || "$(cat "$1.stamp" 2>/dev/null)" != "$2" ]]; }

# 1. Node, stripped of its debug info (99 -> 86 MB), then xz: about 22 MB.
node_bin=$(command -v node)
stamp="$(node --version) $(sha256sum "$node_bin" | cut -c1-16)"
if stale "$dev/node.xz" "$stamp"; then
  strip -o "$work/node" "$node_bin"
  xz -9 -T0 -c "$work/node" >"$dev/node.xz"
  echo "$stamp" >"$dev/node.xz.stamp"
fi

# 2. The CLI, the trial worker and the driver as plain JavaScript, plus piscina (a package, see
#    bundle.ts) and a package.json: ES modules, and the version `sweeplab --version` reads.
rm -rf "$dev/app"
node --import tsx "$here/bundle.ts" "$dev/app"
piscina=$(readlink -f "$root/packages/node/node_modules/piscina")
mkdir -p "$dev/app/node_modules/piscina"
cp -r "$piscina/dist" "$piscina/package.json" "$piscina/LICENSE" "$dev/app/node_modules/piscina/"
version=$(node -p "require('$root/apps/cli/package.json').version")
printf '{ "name": "sweeplab-device", "version": "%s", "private": true, "type": "module" }\n' "$version" >"$dev/package.json"

# 3. redis-server and the shared libraries it links beyond the C and C++ runtimes (which any Linux
#    with Node's own requirements has): jemalloc, lzf, systemd, OpenSSL and theirs.
redis_bin=$(readlink -f "$(command -v redis-server)")
mkdir -p "$work/redis/lib"
cp "$redis_bin" "$work/redis/redis-server"
ldd "$redis_bin" | awk '$3 ~ /^\// { print $3 }' | while read -r lib; do
  case $(basename "$lib") in
    libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | libstdc++.so.* | libgcc_s.so.*) ;;
    *) cp -L "$lib" "$work/redis/lib/" ;;
  esac
done
tar -cJf "$dev/redis.tar.xz" -C "$work" redis

# 4. MNIST from the data cache, in the layout --data-dir expects (mnist/manifest.json and its files).
data="$root/data/cache"
stamp=$(sha256sum "$data/mnist/manifest.json" | cut -c1-16)
if stale "$dev/mnist.tar.xz" "$stamp"; then
  tar -cf - -C "$data" mnist/manifest.json mnist/train-images.idx mnist/train-labels.idx \
    mnist/test-images.idx mnist/test-labels.idx | xz -9 -T0 >"$dev/mnist.tar.xz"
  echo "$stamp" >"$dev/mnist.tar.xz.stamp"
fi

cp "$here/run.sh" "$dev/run.sh"
du -sh "$dev"
ls -l "$dev"
