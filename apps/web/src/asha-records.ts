import {
  type AshaSummary,
  ashaRungs,
  ashaSummary,
  type JournalRecordBody,
  type SchedulerSetting,
  type Trial,
} from '@sweeplab/core';

/** The journal records the rung ladder is drawn from (the sweep's and ASHA's), kept as they arrive. */
export class AshaRecords {
  private records: JournalRecordBody[] = [];

  /** From a journal read back (a reload, or another sweep shown). */
  load(records: readonly JournalRecordBody[]): void {
    this.records = records.filter((r) => r.type === 'asha' || r.type === 'sweep');
  }

  /** A run starts: what the scheduler journals first, so the ladder shows every rung before one is reached. */
  start(name: string, trials: readonly Trial[], scheduler: SchedulerSetting): void {
    if (scheduler.type !== 'asha') return;
    const rungs = ashaRungs(scheduler, trials[0]?.config.budget.epochs ?? scheduler.minEpochs);
    this.records.push({
      type: 'sweep',
      name,
      trialCount: trials.length,
      resumed: 0,
      asha: { ...scheduler, rungs },
    });
  }

  add(record: JournalRecordBody): void {
    this.records.push(record);
  }

  /** The rungs so far; null for a grid. */
  get summary(): AshaSummary | null {
    return ashaSummary(this.records);
  }
}
