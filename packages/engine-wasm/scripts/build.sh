#!/usr/bin/env bash
# Builds native/mlp.c into WebAssembly (SIMD128, no libc), once for one thread and once for threads
# sharing a memory, and writes both modules as base64 in
# src/mlp-wasm.generated.ts, or in OUT_DIR/mlp-wasm.generated.ts when OUT_DIR is set (the
# reproducibility test builds there and compares). SRC builds another copy of the source and
# EXTRA_CFLAGS adds compiler flags (the FMA probe, tests/bench/fma-probe.ts, builds a variant so).
# Needs Debian's clang-19 and wasm-ld-19 (lld-19).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out_dir="${OUT_DIR:-$here/src}"
clang="${CLANG:-clang-19}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# -fno-builtin: clang must not turn loops into memset/memcpy calls, which do not exist without libc.
# --import-memory: the backend creates a memory of exactly the size the model needs.
# --stack-first: a stack overflow traps at address 0 instead of overwriting the model.
cflags=(--target=wasm32 -msimd128 -nostdlib -O3 -ffreestanding -fno-builtin -Wall -Wextra -Werror ${EXTRA_CFLAGS:-})
ldflags=(--no-entry --import-memory --stack-first -z stack-size=65536 --export=__heap_base --strip-all)
"$clang" "${cflags[@]}" -c -o "$tmp/mlp.o" "${SRC:-$here/native/mlp.c}"
"${WASM_LD:-wasm-ld-19}" "${ldflags[@]}" -o "$tmp/mlp.wasm" "$tmp/mlp.o"

# The same kernels for threads sharing one memory (src/threads/): a shared memory needs the atomics
# and bulk-memory features; the 4 GiB maximum only bounds what the backend may ask for (wasm32's
# limit). Each helper thread's instance gets its own stack through the exported __stack_pointer.
"$clang" "${cflags[@]}" -matomics -mbulk-memory -c -o "$tmp/mlp-threads.o" "${SRC:-$here/native/mlp.c}"
"${WASM_LD:-wasm-ld-19}" "${ldflags[@]}" --shared-memory --max-memory=4294967296 --export=__stack_pointer \
  -o "$tmp/mlp-threads.wasm" "$tmp/mlp-threads.o"

node "$here/scripts/emit-generated.mjs" "$tmp/mlp.wasm" "$tmp/mlp-threads.wasm" "$out_dir/mlp-wasm.generated.ts"
