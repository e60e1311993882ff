import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type DataSplit, initialParams } from '@sweeplab/core';
import { createWasmBackend, instantiate } from '@sweeplab/engine-wasm';
import { type Figure, median } from './common.ts';
import { loadTrainSplit, rate, trainingSteps, windowRate } from './wasm-engine.ts';

/**
 * `pnpm bench:fma`: would fused multiply-add (relaxed SIMD's f32x4.relaxed_madd) make the wasm engine
 * faster on this CPU? It builds a variant of the kernels from a copy of native/mlp.c whose MAC macro
 * (every multiply-add of the three GEMMs) and calibration loop use relaxed_madd, with clang-19
 * -mrelaxed-simd through the engine's own build script, and measures it against the committed
 * mul+add module: training examples per CPU-second on 784-100-10, 784-100x4-10 and 784-800-10 (relu,
 * SGD, batch 64, one thread), each the median of 3 alternating pairs (see pairRates), and the SIMD
 * ceiling of each.
 * The engine ships the variant only if it is at least 10% faster on some model (issue 12).
 *
 * Node 20 has relaxed SIMD behind --experimental-wasm-relaxed-simd (pnpm bench:fma passes it); Node 22
 * and Chromium 114 on have it by default.
 */
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
const SHIP_THRESHOLD = 1.1;
const MODELS = [[100], [100, 100, 100, 100], [800]];
const PAIRS = 3;
/** CPU-time windows per variant in a pair, interleaved with the other variant's. */
const WINDOWS = 5;
const NATIVE = fileURLToPath(new URL('../../packages/engine-wasm/native/', import.meta.url));
const BUILD = fileURLToPath(new URL('../../packages/engine-wasm/scripts/build.sh', import.meta.url));

/** (v128, v128, v128) -> v128 = f32x4.relaxed_madd: validates only where the runtime has relaxed SIMD. */
const RELAXED_MADD_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b,
  0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02,
  0x0b,
]);

/** Each pattern and its fused form; the probe fails, naming the line, when mlp.c no longer has one. */
const FUSED: Array<[RegExp, string]> = [
  [/^#define MAC\(acc, a, b\) .*$/m, '#define MAC(acc, a, b) acc = wasm_f32x4_relaxed_madd(a, b, acc)'],
  [/^#define STEP\(a\) .*$/m, '#define STEP(a) a = wasm_f32x4_relaxed_madd(a, m, c)'],
];

/** The FMA variant's wasm bytes, built from a patched copy of native/ in a temporary folder. */
function buildFmaVariant(): Uint8Array<ArrayBuffer> {
  const dir = mkdtempSync(join(tmpdir(), 'sweeplab-fma-'));
  try {
    cpSync(NATIVE, dir, { recursive: true });
    let source = readFileSync(join(dir, 'mlp.c'), 'utf8');
    for (const [pattern, fused] of FUSED) {
      if (!pattern.test(source)) throw new Error(`fma probe: native/mlp.c has no line matching ${pattern}`);
      source = source.replace(pattern, fused);
    }
    writeFileSync(join(dir, 'mlp.c'), source);
    const built = spawnSync(BUILD, {
      env: { ...process.env, SRC: join(dir, 'mlp.c'), OUT_DIR: dir, EXTRA_CFLAGS: '-mrelaxed-simd' },
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`fma probe: building the variant failed: ${built.stderr}`);
    const generated = readFileSync(join(dir, 'mlp-wasm.generated.ts'), 'utf8');
    // The single-thread module only: the file holds the threaded build after it.
    const single = generated.slice(0, generated.indexOf('MLP_THREADS_WASM_BASE64'));
    const base64 = [...single.matchAll(/'([A-Za-z0-9+/=]+)'/g)].map((m) => m[1]).join('');
    return new Uint8Array(Buffer.from(base64, 'base64'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Largest |a - b| over every weight and bias of the two modules after `steps` identical SGD steps. */
async function weightDrift(split: DataSplit, fma: WebAssembly.Module, steps: number): Promise<number> {
  const spec = {
    inputSize: 784,
    hiddenWidths: [100],
    numClasses: 10,
    activation: 'relu' as const,
    optimizer: 'sgd' as const,
    learningRate: 0.05,
    maxBatchSize: 64,
    init: initialParams(784, [100], 10, 'relu', 1),
  };
  const trained = async (module?: WebAssembly.Module) => {
    const backend = await createWasmBackend(spec, { module });
    for (let s = 0; s < steps; s++)
      backend.trainStepRows({ split, featureSize: 784, indices: null, from: s * 64, count: 64 }, false);
    const params = backend.readParams();
    backend.dispose();
    return params.flatMap((p) => [...p.weights, ...p.bias]);
  };
  const [a, b] = [await trained(), await trained(fma)];
  return a.reduce((worst, x, i) => Math.max(worst, Math.abs(x - b[i]!)), 0);
}

/**
 * One pair: examples per CPU-second of the mul+add and the FMA kernels on one model, each the median
 * of WINDOWS windows taken in turns (mul+add first, or FMA first when `fmaFirst`), so that both
 * variants see the same moments of a shared machine's load.
 */
async function pairRates(
  split: DataSplit,
  widths: number[],
  fma: WebAssembly.Module,
  fmaFirst: boolean,
): Promise<[number, number]> {
  const variants = [
    await trainingSteps(split, widths, 'sgd', 64),
    await trainingSteps(split, widths, 'sgd', 64, fma),
  ];
  const rates: [number[], number[]] = [[], []];
  // Warm-up: V8 tiers the kernels up from Liftoff to TurboFan.
  for (const { step } of variants) windowRate(step, 64, 0.3);
  for (let w = 0; w < WINDOWS; w++) {
    const order = (w % 2 === 1) !== fmaFirst ? [1, 0] : [0, 1];
    for (const v of order) rates[v]!.push(windowRate(variants[v]!.step, 64, 0.3));
  }
  for (const { dispose } of variants) dispose();
  return [median(rates[0]), median(rates[1])];
}

/** SIMD ceiling (GFLOP/s per CPU-second) of a module's calibration loop: 12 independent chains. */
async function ceiling(module?: WebAssembly.Module): Promise<number> {
  const { kernels } = await instantiate(1024, { module });
  const ITERS = 200_000;
  return rate(() => kernels.simd_peak(ITERS, 1), 96 * ITERS) / 1e9;
}

export async function benchFmaProbe(): Promise<Figure[]> {
  const fma = await WebAssembly.compile(buildFmaVariant());
  const split = loadTrainSplit();
  const figures: Figure[] = [];
  let best = 0;
  for (const widths of MODELS) {
    const name = `784-${widths.length > 1 ? `${widths[0]}x${widths.length}` : widths[0]}-10`;
    const plain: number[] = [];
    const fused: number[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const [p, f] = await pairRates(split, widths, fma, pair % 2 === 1);
      plain.push(p);
      fused.push(f);
    }
    const ratio = median(fused) / median(plain);
    best = Math.max(best, ratio);
    const pairs = fused.map((f, i) => (f / plain[i]!).toFixed(3)).join(', ');
    figures.push(
      { name: `fma probe ${name} sgd b64, mul+add (today)`, value: median(plain), unit: 'examples/s' },
      { name: `fma probe ${name} sgd b64, relaxed_madd`, value: median(fused), unit: 'examples/s' },
      { name: `fma probe ${name} relaxed_madd / mul+add`, value: ratio, unit: `x (each pair: ${pairs})` },
    );
  }
  figures.push(
    { name: 'fma probe SIMD ceiling, mul+add', value: await ceiling(), unit: 'GFLOP/s' },
    { name: 'fma probe SIMD ceiling, relaxed_madd', value: await ceiling(fma), unit: 'GFLOP/s' },
    {
      name: 'fma probe 784-100-10 weights after 50 steps, max |fma - mul+add|',
      value: await weightDrift(split, fma, 50),
      unit: '',
    },
    { name: `fma probe best speed-up (ships at >= ${SHIP_THRESHOLD})`, value: best, unit: 'x' },
  );
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!WebAssembly.validate(RELAXED_MADD_MODULE))
    throw new Error(
      `fma probe: this runtime has no relaxed SIMD; on Node 20 run it with ${RELAXED_FLAG} (pnpm bench:fma)`,
    );
  console.log(`fma probe on ${process.version} (relaxed SIMD: yes)`);
  for (const { name, value, unit } of await benchFmaProbe()) {
    const shown = value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(4);
    console.log(`${name.padEnd(72)} ${shown.padStart(10)} ${unit}`);
  }
}
