import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SweeplabError } from '@sweeplab/core';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dir>/.lock` for this process: two runs appending to one journal would interleave and could
 * both train a trial. A lock left by a killed run (its pid is gone) is taken over.
 */
export async function lockOutputDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, '.lock');
  for (let tries = 0; tries < 2; tries++) {
    try {
      const handle = await open(path, 'wx');
      await handle.write(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isFinite(pid) && pid !== process.pid && alive(pid)) {
        throw new SweeplabError(
          'OUTPUT_DIR_LOCKED',
          `Another sweeplab run (pid ${pid}) is writing to ${dir}. Wait for it, stop it, or choose another --out.`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}
