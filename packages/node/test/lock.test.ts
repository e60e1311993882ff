import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockHolder, lockOutputDir } from '../src/index.ts';

const tempDir = () => mkdtemp(join(tmpdir(), 'sweeplab-lock-'));
/** On Linux the lock holds the pid and the process's start time; elsewhere the pid alone. */
const ownLock = new RegExp(`^${process.pid}( \\d+)?$`);
/** The start time /proc gives a process (field 22), as the lock records it. */
const startTicks = async (pid: number) => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
};

describe('lockOutputDir', () => {
  it('holds the folder with this pid and frees it on release, leaving no stray file', async () => {
    const dir = await tempDir();
    const release = await lockOutputDir(dir);
    expect(await readFile(join(dir, '.lock'), 'utf8')).toMatch(ownLock);
    await release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a folder a live process holds, naming it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.lock'), String(process.ppid));
    await expect(lockOutputDir(dir)).rejects.toMatchObject({
      code: 'OUTPUT_DIR_LOCKED',
      message: expect.stringContaining(`pid ${process.ppid}`),
    });
  });

  it('refuses a folder a live process holds by pid and start time', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.lock'), `${process.ppid} ${await startTicks(process.ppid)}`);
    await expect(lockOutputDir(dir)).rejects.toMatchObject({ code: 'OUTPUT_DIR_LOCKED' });
  });

  it("takes over a killed run's lock whose pid now belongs to another process", async () => {
    // The killed run's pid was reused: a live process has it, but it started at another time.
    const dir = await tempDir();
    const reusedBy = Number(await startTicks(process.ppid)) + 1;
    await writeFile(join(dir, '.lock'), `${process.ppid} ${reusedBy}`);
    const release = await lockOutputDir(dir);
    expect(await readFile(join(dir, '.lock'), 'utf8')).toMatch(ownLock);
    await release();
  });

  it('treats an unreadable lock as held rather than stale', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.lock'), '');
    await expect(lockOutputDir(dir)).rejects.toMatchObject({ code: 'OUTPUT_DIR_LOCKED' });
  });

  it('takes over the lock of a run that was killed', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, '.lock'), '999999999');
    const release = await lockOutputDir(dir);
    expect(await readFile(join(dir, '.lock'), 'utf8')).toMatch(ownLock);
    await release();
  });

  it('lets exactly one of many simultaneous takers win', async () => {
    const dir = await tempDir();
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => lockOutputDir(dir)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('lockHolder', () => {
  it('says who holds the lock and whether that process lives, leaving the lock as it was', async () => {
    const dir = await tempDir();
    expect(await lockHolder(dir)).toBeNull();
    const release = await lockOutputDir(dir);
    expect(await lockHolder(dir)).toEqual({ pid: process.pid, alive: true });
    expect(await readFile(join(dir, '.lock'), 'utf8')).toMatch(ownLock);
    await release();
    await writeFile(join(dir, '.lock'), '999999999');
    expect(await lockHolder(dir)).toEqual({ pid: 999999999, alive: false });
    expect(await readdir(dir)).toEqual(['.lock']);
  });
});
