import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, makeTrial } from '../../../tests/helpers/synthetic.ts';
import {
  assertCheckpointFits,
  type CheckpointRef,
  checkpointFromRef,
  configHash,
  decodeCheckpoint,
  emptyDiagnostics,
  encodeCheckpoint,
  MemoryCheckpointStore,
  Rng,
  type TrainingCheckpoint,
} from '../src/index.ts';

const trial = makeTrial();

function checkpoint(overrides: Partial<TrainingCheckpoint> = {}): TrainingCheckpoint {
  return {
    trialId: trial.id,
    configHash: configHash(trial.config),
    engine: 'wasm-simd',
    attempt: 1,
    epoch: 2,
    step: 60,
    loop: {
      rng: new Rng(3, 2).snapshot(),
      trainSeconds: 1.25,
      wallSeconds: 2.5,
      examples: 1920,
      lastFiniteLoss: 0.3,
      lastValidation: { loss: 0.4, accuracy: 0.9, count: 200, seconds: 0.01 },
      curves: {
        // A loss that overflowed on the way: JSON alone would turn it into null.
        curves: {
          step: [30, 60],
          epoch: [1, 2],
          loss: [Number.POSITIVE_INFINITY, 0.3],
          accuracy: [0.5, 0.8],
          valStep: [30, 60],
          valEpoch: [1, 2],
          valLoss: [Number.NaN, 0.4],
          valAccuracy: [0.7, 0.9],
        },
        valSeconds: [0.6, 1.25],
        pending: { lossSum: 0.9, correct: 50, examples: 64, batches: 2 },
      },
      diagnostics: { ...emptyDiagnostics(), gradNormStart: 1.5 },
    },
    model: { optimizerStep: 60, arrays: [new Float32Array([1, -2.5, 3e-8]), new Float32Array([0.125])] },
    ...overrides,
  };
}

function fileBytes(ckpt: TrainingCheckpoint): { bytes: Uint8Array; sha256: string } {
  const { parts, sha256, bytes } = encodeCheckpoint(ckpt);
  const out = new Uint8Array(bytes);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return { bytes: out, sha256 };
}

describe('Rng snapshots', () => {
  it('continue the sequence exactly where the snapshot was taken', () => {
    const rng = new Rng(42, 2);
    for (let i = 0; i < 1000; i++) rng.next();
    const copy = Rng.restore(rng.snapshot());
    const order = new Int32Array(50).map((_, i) => i);
    expect(Array.from(copy.shuffle(order.slice()))).toEqual(Array.from(rng.shuffle(order.slice())));
    expect(copy.next()).toBe(rng.next());
  });

  it('are plain data that survive JSON, and a state that is not a 32-bit integer is refused', () => {
    const rng = new Rng(7);
    const restored = Rng.restore(JSON.parse(JSON.stringify(rng.snapshot())));
    expect(restored.next()).toBe(rng.next());
    expect(() => Rng.restore({ state: 2 ** 32 })).toThrow(RangeError);
    expect(() => Rng.restore({ state: 1.5 })).toThrow(RangeError);
  });
});

describe('the checkpoint file format', () => {
  it('round-trips the loop state (non-finite numbers included) and the model arrays bit for bit', () => {
    const original = checkpoint();
    const { bytes, sha256 } = fileBytes(original);
    const decoded = decodeCheckpoint(bytes, 'x.ckpt');
    expect(decoded.sha256).toBe(sha256);
    expect(decoded.checkpoint).toEqual(original);
    expect(new TextDecoder().decode(bytes.subarray(0, 20))).toBe('sweeplab-checkpoint\n');
  });

  it('refuses a truncated file, naming it', () => {
    const { bytes } = fileBytes(checkpoint());
    const cut = bytes.subarray(0, bytes.length - 3);
    expect(() => decodeCheckpoint(cut, 'checkpoints/a.e2.ckpt')).toThrow(
      expect.objectContaining({
        code: 'CHECKPOINT_CORRUPT',
        message: expect.stringMatching(/^checkpoint checkpoints\/a\.e2\.ckpt is corrupt: truncated/),
      }),
    );
    expect(() => decodeCheckpoint(bytes.subarray(0, 30), 'a')).toThrow(/header line is cut short/);
  });

  it('refuses a file whose payload no longer matches its SHA-256 (one flipped bit in the model)', () => {
    const { bytes } = fileBytes(checkpoint());
    bytes[bytes.length - 2]! ^= 0x10;
    expect(() => decodeCheckpoint(bytes, 'a')).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_CORRUPT', message: expect.stringContaining('SHA-256') }),
    );
  });

  it('refuses a damaged header, a file that is no checkpoint, and another format version', () => {
    const { bytes } = fileBytes(checkpoint());
    const text = new TextDecoder().decode(bytes.subarray(0, 200));
    const damaged = bytes.slice();
    damaged[text.indexOf('"step"') + 1] = 0x21;
    expect(() => decodeCheckpoint(damaged, 'a')).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_CORRUPT' }),
    );
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"type":"sweep"}\n'), 'a')).toThrow(
      /does not start with the checkpoint marker/,
    );
    const future = new TextEncoder().encode(
      new TextDecoder().decode(bytes).replace('"version":1,', '"version":9,'),
    );
    expect(() => decodeCheckpoint(future, 'a')).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_UNUSABLE', message: expect.stringContaining('version 9') }),
    );
  });

  it('reads back through a journal reference only the very checkpoint the reference names', async () => {
    const store = new MemoryCheckpointStore();
    const ref = await store.save(checkpoint());
    expect(ref).toEqual({
      trialId: trial.id,
      attempt: 1,
      epoch: 2,
      step: 60,
      file: `memory:${trial.id}.e2.ckpt`,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      trainSeconds: 1.25,
    });
    expect((await store.load(ref)).model.arrays).toEqual(checkpoint().model.arrays);
    const stale: CheckpointRef = { ...ref, sha256: '0'.repeat(64) };
    expect(() => checkpointFromRef(store.files.get(ref.file)!, stale)).toThrow(
      expect.objectContaining({ code: 'CHECKPOINT_UNUSABLE' }),
    );
    await expect(store.load({ ...ref, file: 'memory:gone' })).rejects.toMatchObject({
      code: 'CHECKPOINT_UNUSABLE',
    });
  });

  it('fits only the trial, config and engine that wrote it', () => {
    const ckpt = checkpoint();
    expect(() => assertCheckpointFits(ckpt, trial, 'wasm-simd')).not.toThrow();
    expect(() => assertCheckpointFits(ckpt, makeTrial({ seed: 9 }), 'wasm-simd')).toThrow(/belongs to trial/);
    expect(() => assertCheckpointFits(ckpt, trial, 'tfjs-wasm')).toThrow(/written by the wasm-simd engine/);
    // A legacy config read under its old id (withLegacyConfig) is another config under the same id.
    const legacy = { ...trial, config: { ...BASE_CONFIG, lastBatch: 'keep' as const } };
    expect(() => assertCheckpointFits(ckpt, legacy, 'wasm-simd')).toThrow(/another config/);
  });
});
