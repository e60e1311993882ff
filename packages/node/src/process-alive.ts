import { readFileSync } from 'node:fs';

/**
 * What `/proc/<pid>/stat` says of a process on Linux: its state letter and its start time (clock ticks
 * since boot). Null elsewhere, or when the process is gone. The command name (field 2) may hold spaces
 * and parentheses, so the fields are counted from its last `)`.
 */
function procStat(pid: number): { state: string; startTicks: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); the start time is field 22.
  const state = fields[0];
  const startTicks = fields[19];
  return state && startTicks ? { state, startTicks } : null;
}

/**
 * This process's identity for a lock file: its pid, and on Linux its start time. A pid alone is
 * reused: in a container that runs many short processes, a killed run's pid can belong to another
 * process by the time the run is resumed, and the lock would look held forever.
 */
export function processIdentity(): string {
  const stat = procStat(process.pid);
  return stat ? `${process.pid} ${stat.startTicks}` : String(process.pid);
}

/**
 * Whether the process that wrote `identity` (see processIdentity; a bare pid is accepted) still runs.
 * A zombie (killed, not yet reaped by its parent) does not; nor does a live process with that pid whose
 * start time differs (the pid was reused). Where /proc is missing, signal 0 decides.
 */
export function identityAlive(identity: string): boolean {
  const [pidText, startTicks] = identity.trim().split(/\s+/);
  const pid = Number.parseInt(pidText ?? '', 10);
  if (!Number.isFinite(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return true;
  if (stat.state === 'Z') return false;
  return startTicks === undefined || startTicks === stat.startTicks;
}
