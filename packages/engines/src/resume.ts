import {
  assertCheckpointFits,
  type CheckpointRef,
  type CheckpointSource,
  type EngineName,
  type TrainingCheckpoint,
  type Trial,
} from '@sweeplab/core';

/** A checkpoint to continue a trial from, as the journal names it, and where to read it. */
export interface ResumeRequest {
  ref: CheckpointRef;
  source: CheckpointSource;
}

/**
 * Reads and verifies the checkpoint a trial should continue from. Whatever is wrong with it (missing,
 * truncated, failing its SHA-256, written by another config or engine), the trial is not lost: it
 * starts from scratch, and `warn` says why, naming the file.
 */
export async function loadResume(
  request: ResumeRequest,
  trial: Trial,
  engine: EngineName,
  warn: (message: string) => void,
): Promise<TrainingCheckpoint | undefined> {
  try {
    const checkpoint = await request.source.load(request.ref);
    assertCheckpointFits(checkpoint, trial, engine);
    return checkpoint;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    warn(
      `trial ${trial.id} restarts from scratch: its checkpoint ${request.ref.file} (epoch ${request.ref.epoch}) cannot be used: ${detail}`,
    );
    return undefined;
  }
}
