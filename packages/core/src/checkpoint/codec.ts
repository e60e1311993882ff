import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { SweeplabError } from '../errors.ts';
import { canonicalJson } from '../trial-id.ts';
import type { EngineName, Trial, TrialConfig } from '../types.ts';
import {
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointRef,
  type LoopSnapshot,
  type TrainingCheckpoint,
} from './types.ts';

/**
 * The checkpoint file format, the same in every runtime:
 *
 *   sweeplab-checkpoint\n
 *   {header JSON: version, trialId, configHash, engine, attempt, epoch, step, optimizerStep,
 *    stateBytes, arrayLengths, payloadBytes, sha256}\n
 *   payload: the loop's state as JSON (stateBytes), then the model's float32 arrays, little-endian
 *
 * The header's sha256 covers the whole payload, so a flipped bit or a truncated file is caught before
 * anything is restored; the header's own fields are checked against the lengths and the trial.
 */
const MAGIC = 'sweeplab-checkpoint\n';
const MAGIC_BYTES = utf8ToBytes(MAGIC);

/** SHA-256 of the concatenated parts, as hex. Node passes its native hash (13x faster than JS). */
export type Sha256Hex = (parts: readonly Uint8Array[]) => string;

export const jsSha256Hex: Sha256Hex = (parts) => {
  const hash = sha256.create();
  for (const part of parts) hash.update(part);
  return bytesToHex(hash.digest());
};

interface Header {
  version: number;
  trialId: string;
  configHash: string;
  engine: EngineName;
  attempt: number;
  epoch: number;
  step: number;
  optimizerStep: number;
  stateBytes: number;
  /** Floats in each model array. */
  arrayLengths: number[];
  payloadBytes: number;
  sha256: string;
}

/** SHA-256 of a trial's canonical config: a checkpoint only resumes the very config that wrote it. */
export function configHash(config: TrialConfig): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(config))));
}

// Float32Array bytes are the host's order; every runtime sweeplab targets is little-endian, as the
// format is: refuse rather than write or read a silently byte-swapped model.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new Error('checkpoints need a little-endian host');
}

// Curves and losses may hold NaN or Infinity, which JSON would turn into null.
const NON_FINITE = '$nonFinite';
const replacer = (_key: string, value: unknown) =>
  typeof value === 'number' && !Number.isFinite(value) ? { [NON_FINITE]: String(value) } : value;
const reviver = (_key: string, value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Record<string, unknown>)[NON_FINITE] === 'string'
    ? Number((value as Record<string, string>)[NON_FINITE])
    : value;

const bytesOf = (array: Float32Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** The file's bytes as parts to write in order (no copy of the model), and the payload's SHA-256. */
export function encodeCheckpoint(
  checkpoint: TrainingCheckpoint,
  hash: Sha256Hex = jsSha256Hex,
): { parts: Uint8Array[]; sha256: string; bytes: number } {
  assertLittleEndian();
  const state = utf8ToBytes(JSON.stringify(checkpoint.loop, replacer));
  const arrays = checkpoint.model.arrays.map(bytesOf);
  const payload = [state, ...arrays];
  const digest = hash(payload);
  const header: Header = {
    version: CHECKPOINT_FORMAT_VERSION,
    trialId: checkpoint.trialId,
    configHash: checkpoint.configHash,
    engine: checkpoint.engine,
    attempt: checkpoint.attempt,
    epoch: checkpoint.epoch,
    step: checkpoint.step,
    optimizerStep: checkpoint.model.optimizerStep,
    stateBytes: state.length,
    arrayLengths: checkpoint.model.arrays.map((a) => a.length),
    payloadBytes: payload.reduce((sum, p) => sum + p.length, 0),
    sha256: digest,
  };
  const headerLine = utf8ToBytes(`${JSON.stringify(header)}\n`);
  const parts = [MAGIC_BYTES, headerLine, ...payload];
  return { parts, sha256: digest, bytes: parts.reduce((sum, p) => sum + p.length, 0) };
}

/** The file's bytes in one buffer (for a store that keeps whole values: memory, Redis), and its SHA-256. */
export function encodeCheckpointBytes(
  checkpoint: TrainingCheckpoint,
  hash: Sha256Hex = jsSha256Hex,
): { bytes: Uint8Array; sha256: string } {
  const { parts, sha256, bytes: length } = encodeCheckpoint(checkpoint, hash);
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, sha256 };
}

const corrupt = (source: string, why: string) =>
  new SweeplabError('CHECKPOINT_CORRUPT', `checkpoint ${source} is corrupt: ${why}`);

function parseHeader(bytes: Uint8Array, source: string): { header: Header; start: number } {
  for (let i = 0; i < MAGIC_BYTES.length; i++)
    if (bytes[i] !== MAGIC_BYTES[i]) throw corrupt(source, 'it does not start with the checkpoint marker');
  const end = bytes.indexOf(0x0a, MAGIC_BYTES.length);
  if (end < 0) throw corrupt(source, 'its header line is cut short (truncated file)');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC_BYTES.length, end))) as Header;
  } catch {
    throw corrupt(source, 'its header is not valid JSON');
  }
  const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  const ok =
    typeof header === 'object' &&
    header !== null &&
    typeof header.trialId === 'string' &&
    typeof header.configHash === 'string' &&
    typeof header.engine === 'string' &&
    typeof header.sha256 === 'string' &&
    [header.version, header.attempt, header.epoch, header.step, header.optimizerStep].every(count) &&
    count(header.stateBytes) &&
    count(header.payloadBytes) &&
    Array.isArray(header.arrayLengths) &&
    header.arrayLengths.every(count);
  if (!ok) throw corrupt(source, 'its header lacks a field or has one of the wrong type');
  return { header, start: end + 1 };
}

/**
 * Reads a checkpoint file's bytes, verifying its length and SHA-256 before anything is used:
 * CHECKPOINT_CORRUPT (a truncated or damaged file), CHECKPOINT_UNUSABLE (another format version).
 * `source` names the file in messages.
 */
export function decodeCheckpoint(
  bytes: Uint8Array,
  source: string,
  hash: Sha256Hex = jsSha256Hex,
): { checkpoint: TrainingCheckpoint; sha256: string } {
  assertLittleEndian();
  const { header, start } = parseHeader(bytes, source);
  if (header.version !== CHECKPOINT_FORMAT_VERSION)
    throw new SweeplabError(
      'CHECKPOINT_UNUSABLE',
      `checkpoint ${source} has format version ${header.version}; this sweeplab reads version ${CHECKPOINT_FORMAT_VERSION}`,
    );
  const floats = header.arrayLengths.reduce((sum, n) => sum + n, 0);
  if (header.payloadBytes !== header.stateBytes + floats * 4)
    throw corrupt(source, 'its header lengths do not add up');
  const have = bytes.length - start;
  if (have < header.payloadBytes)
    throw corrupt(source, `truncated: ${have} of ${header.payloadBytes} payload bytes`);
  if (have > header.payloadBytes)
    throw corrupt(source, `${have - header.payloadBytes} bytes after the end of its payload`);
  const payload = bytes.subarray(start);
  const digest = hash([payload]);
  if (digest !== header.sha256)
    throw corrupt(source, `its SHA-256 is ${digest}, its header says ${header.sha256}`);
  let loop: LoopSnapshot;
  try {
    loop = JSON.parse(
      new TextDecoder().decode(payload.subarray(0, header.stateBytes)),
      reviver,
    ) as LoopSnapshot;
  } catch {
    throw corrupt(source, 'its loop state is not valid JSON');
  }
  let at = header.stateBytes;
  const arrays = header.arrayLengths.map((length) => {
    // A copy: the file's bytes need not sit at a 4-byte boundary.
    const array = new Float32Array(length);
    bytesOf(array).set(payload.subarray(at, at + length * 4));
    at += length * 4;
    return array;
  });
  const checkpoint: TrainingCheckpoint = {
    trialId: header.trialId,
    configHash: header.configHash,
    engine: header.engine,
    attempt: header.attempt,
    epoch: header.epoch,
    step: header.step,
    loop,
    model: { optimizerStep: header.optimizerStep, arrays },
  };
  return { checkpoint, sha256: digest };
}

/**
 * Decodes the bytes a journal reference names, and checks they are that very checkpoint: a file
 * replaced since the journal recorded it is CHECKPOINT_UNUSABLE, a damaged one CHECKPOINT_CORRUPT.
 */
export function checkpointFromRef(
  bytes: Uint8Array,
  ref: CheckpointRef,
  hash: Sha256Hex = jsSha256Hex,
): TrainingCheckpoint {
  const { checkpoint, sha256 } = decodeCheckpoint(bytes, ref.file, hash);
  if (sha256 !== ref.sha256 || checkpoint.trialId !== ref.trialId || checkpoint.step !== ref.step)
    throw new SweeplabError(
      'CHECKPOINT_UNUSABLE',
      `checkpoint ${ref.file} is not the one the journal recorded (trial ${ref.trialId}, step ${ref.step}, SHA-256 ${ref.sha256})`,
    );
  return checkpoint;
}

/** Throws CHECKPOINT_UNUSABLE unless the checkpoint was written by this trial's config on this engine. */
export function assertCheckpointFits(checkpoint: TrainingCheckpoint, trial: Trial, engine: EngineName): void {
  const why =
    checkpoint.trialId !== trial.id
      ? `it belongs to trial ${checkpoint.trialId}`
      : checkpoint.configHash !== configHash(trial.config)
        ? 'it was written by another config under this trial id'
        : checkpoint.engine !== engine
          ? `it was written by the ${checkpoint.engine} engine, and the trial now runs on ${engine}`
          : null;
  if (why)
    throw new SweeplabError(
      'CHECKPOINT_UNUSABLE',
      `the checkpoint at epoch ${checkpoint.epoch} cannot resume trial ${trial.id}: ${why}`,
    );
}
