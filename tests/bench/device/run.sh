#!/usr/bin/env bash
# The scaling benchmark of issue 9, run on the device machine from .device/ alone (tests/bench/device/
# build.sh makes it): unpacks Node, redis-server and MNIST under /tmp, runs driver.js, and leaves
# $OUT/scaling.md (the tables) and $OUT/log.txt. SMOKE=1: a short check of the path (1 and 2 processes).
# Every step is bounded, so the script ends within LIMIT_S (default 390 s) plus unpacking.
set -uo pipefail
dev=$(cd "$(dirname "$0")" && pwd)
out=${OUT:?OUT must name the folder for scaling.md and log.txt}
mkdir -p "$out"
log="$out/log.txt"
work=$(mktemp -d /tmp/sweeplab-device.XXXXXX)
trap 'rm -rf "$work"' EXIT
say() { echo "[$(date -u +%T)] $*" | tee -a "$log"; }

{
  echo "== machine"
  uname -a
  head -n 2 /etc/os-release 2>/dev/null
  echo "nproc: $(nproc)"
  lscpu 2>/dev/null | grep -E '^(Model name|Socket|Core|Thread|CPU\(s\)|NUMA node\(s\))'
  free -g 2>/dev/null | head -n 2
} >>"$log" 2>&1

# python3 is the one unpacker sure to be there (xz and tar may not be).
unpack() {
  timeout 45 python3 - "$@" <<'PY'
import lzma, shutil, sys, tarfile
src, dest = sys.argv[1], sys.argv[2]
if src.endswith('.tar.xz'):
    with tarfile.open(src) as tar:
        try:
            tar.extractall(dest, filter='data')
        except TypeError:
            tar.extractall(dest)
else:
    with lzma.open(src) as f, open(dest, 'wb') as o:
        shutil.copyfileobj(f, o)
PY
}
say "unpacking into $work"
mkdir -p "$work/bin" "$work/data"
unpack "$dev/node.xz" "$work/bin/node" && chmod +x "$work/bin/node" || { say "FAILED: unpack node"; exit 2; }
unpack "$dev/redis.tar.xz" "$work" || { say "FAILED: unpack redis"; exit 2; }
unpack "$dev/mnist.tar.xz" "$work/data" || { say "FAILED: unpack mnist"; exit 2; }
# redis-server finds the libraries it carries; the driver starts it through this wrapper.
printf '#!/bin/sh\nLD_LIBRARY_PATH=%s/redis/lib exec %s/redis/redis-server "$@"\n' "$work" "$work" >"$work/bin/redis-server"
chmod +x "$work/bin/redis-server"
say "node $("$work/bin/node" --version 2>&1), $("$work/bin/redis-server" --version 2>&1 | cut -c1-40)"

export PATH="$work/bin:$PATH"
export SWEEPLAB_REDIS_SERVER="$work/bin/redis-server"
export SWEEPLAB_DATA_DIR="$work/data"
export XDG_CACHE_HOME="$work/cache"
export NO_COLOR=1
unset NODE_PATH NODE_OPTIONS
say "driver: SMOKE=${SMOKE:-0}, limit ${LIMIT_S:-390} s"
# timeout signals the whole process group: the driver's worker processes and redis-server go too.
timeout -k 10 "${LIMIT_S:-390}" "$work/bin/node" "$dev/app/driver.js" "$out/scaling.md" 2>>"$log"
status=$?
say "driver exited $status"
echo
cat "$out/scaling.md" 2>/dev/null || echo "(no scaling.md: see the log)"
echo
echo "== last lines of log.txt"
tail -n 25 "$log"
exit "$status"
