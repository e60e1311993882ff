#!/usr/bin/env bash
# Builds native/mlp.c into WebAssembly (SIMD128, no libc) and writes the module as base64 in
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
"$clang" --target=wasm32 -msimd128 -nostdlib -O3 -ffreestanding -fno-builtin \
  -Wall -Wextra -Werror ${EXTRA_CFLAGS:-} -c -o "$tmp/mlp.o" "${SRC:-$here/native/mlp.c}"
"${WASM_LD:-wasm-ld-19}" --no-entry --import-memory --stack-first -z stack-size=65536 \
  --export=__heap_base --strip-all -o "$tmp/mlp.wasm" "$tmp/mlp.o"

node "$here/scripts/emit-generated.mjs" "$tmp/mlp.wasm" "$out_dir/mlp-wasm.generated.ts"
