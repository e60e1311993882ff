import { bestTrial, RANKING_METRICS, type SweepStatus, sweepStatus } from '@sweeplab/core';
import { lockHolder } from '@sweeplab/node';
import { COMMON_OPTIONS_HELP, parseCommandArgs } from '../args.ts';
import { usageError } from '../cli-errors.ts';
import { readSweepFolder } from '../inspect/folder.ts';
import { duration, percent, trialLabel } from '../run/describe.ts';
import { shown, userPath } from '../run/options.ts';

const USAGE = `Usage: sweeplab status <out-dir> [--json]

How a sweep stands: trials done (pruned ones included), running, paused at an ASHA rung, failed and
pending, the ETA while a run is active, and the best trial so far by validation accuracy. Read-only:
it takes no lock and writes nothing, so it is safe while a run writes to the folder. Trials that were
running when a run died show as interrupted.

Options:
  --json         the same as JSON, for scripts
${COMMON_OPTIONS_HELP}

Examples:
  sweeplab status sweeps/quick-mnist           how the built-in sweep stands, also while it runs
  sweeplab status sweeps/my-sweep --json       the same for a script (counts, ETA, best, every trial)`;

/** `sweeplab status <out-dir> [--json]`: 0 ok; errors (usage, not a sweep folder) go to main. */
export async function statusCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('status', argv, {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw usageError('expected one output folder', 'status');
  const outDir = userPath(positionals[0]!);
  const folder = await readSweepFolder(outDir);
  const holder = await lockHolder(outDir);
  const active = holder?.alive === true;
  const status = sweepStatus(folder.trials, folder.records, { active, now: new Date() });
  const best = bestTrial(folder.trials, folder.results);

  if (values.json) {
    const json = {
      outDir,
      name: folder.name,
      active,
      pid: holder?.pid ?? null,
      total: status.total,
      counts: status.counts,
      eta: status.eta,
      best: best && {
        trialId: best.trial.id,
        metric: best.metric,
        value: best.value,
        testAccuracy: best.result.metrics.testAccuracy,
        config: best.trial.config,
      },
      trials: status.trials.map((e) => ({
        id: e.trial.id,
        index: e.trial.index,
        state: e.state,
        status: e.result?.status ?? null,
        attempt: e.attempt,
        since: e.since,
        error: e.state === 'failed' ? e.result?.error : null,
      })),
    };
    process.stdout.write(`${JSON.stringify(json, null, 1)}\n`);
    return 0;
  }

  const lines = [`sweep ${folder.name} in ${shown(outDir)}: ${runLine(holder)}`, countsLine(status)];
  if (active)
    lines.push(
      status.eta
        ? `ETA: about ${duration(status.eta.seconds)} (${status.eta.basis === 'pace' ? "this run's pace" : 'reference speeds; nothing finished in this run yet'})`
        : 'ETA: -',
    );
  lines.push(
    best
      ? `best so far by ${RANKING_METRICS.valAccuracy.label}: ${best.trial.id} ${trialLabel(best.trial)}  val ${percent(best.value)} test ${percent(best.result.metrics.testAccuracy)}`
      : 'best so far: none (no trial completed yet)',
  );
  const section = (title: string, state: string, detail: (e: SweepStatus['trials'][number]) => string) => {
    const entries = status.trials.filter((e) => e.state === state);
    if (entries.length === 0) return;
    lines.push(`${title}:`);
    for (const e of entries.slice(0, 20)) lines.push(`  ${e.trial.id} ${trialLabel(e.trial)}  ${detail(e)}`);
    if (entries.length > 20) lines.push(`  (${entries.length - 20} more: --json lists them all)`);
  };
  const since = (e: SweepStatus['trials'][number]) =>
    `attempt ${e.attempt}, started ${duration((Date.now() - Date.parse(e.since!)) / 1000)} ago`;
  section('running', 'running', since);
  section('interrupted (running when the last run stopped)', 'interrupted', since);
  section(
    'failed (tried again by the next run)',
    'failed',
    (e) => `${e.result?.error?.code}: ${e.result?.error?.message}`,
  );
  if (!active && status.counts.done < status.total)
    lines.push(`Run the same \`sweeplab run\` command (same spec, --out ${shown(outDir)}) to finish it.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function runLine(holder: { pid: number | null; alive: boolean } | null): string {
  if (holder?.alive) return `a run is active${holder.pid ? ` (pid ${holder.pid})` : ''}`;
  if (holder)
    return `no run is active (the process in .lock, pid ${holder.pid}, is gone: the run was killed)`;
  return 'no run is active';
}

function countsLine({ total, counts }: SweepStatus): string {
  const within = [
    counts.diverged ? `${counts.diverged} diverged` : '',
    counts.pruned ? `${counts.pruned} pruned by ASHA` : '',
  ].filter(Boolean);
  const parts = [
    `${counts.done} done${within.length > 0 ? ` (${within.join(', ')})` : ''}`,
    `${counts.running} running`,
  ];
  if (counts.interrupted) parts.push(`${counts.interrupted} interrupted`);
  if (counts.paused) parts.push(`${counts.paused} paused at a rung`);
  parts.push(`${counts.failed} failed`, `${counts.pending} pending`);
  return `${total} trials: ${parts.join(', ')}`;
}
