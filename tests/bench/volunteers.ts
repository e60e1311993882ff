/**
 * `pnpm bench:volunteers`: what two contributing browser tabs add to a Node sweep. The same 16-trial
 * wasm sweep (2–3 s of training each in Node) runs twice in one go: with one local worker alone, then
 * with one local worker and two headless Chromium pages contributing one worker each (`run --serve`,
 * the pages opened once the URL is printed, so their app and MNIST loading counts against them).
 * Prints both wall times, their ratio, and how many trials the pages trained. On a machine with
 * fewer cores than trainers the pages compete with the local worker for the same cores: run it where
 * the pages' cores are idle to see what a room of laptops adds.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printedUrl, sweeplab } from '../e2e/cli-helpers.ts';
import { launchChromium, requireChromium } from '../e2e/web-helpers.ts';

const SPEC = `name: bench-volunteers
engine: wasm
layers: [1, 2]
widths: 64
learningRate: [0.05, 0.1]
activation: relu
seeds: 4
budget: { epochs: 60 }
trainSubset: 5000
testSubset: 500
validationSize: 500
`;

async function trainedByTabs(out: string): Promise<number> {
  const lines = (await readFile(join(out, 'journal.jsonl'), 'utf8')).split('\n').filter(Boolean);
  return lines
    .map((line) => JSON.parse(line) as { type: string; result?: { trainedBy?: string } })
    .filter((r) => r.type === 'finished' && r.result?.trainedBy).length;
}

async function main(): Promise<void> {
  requireChromium();
  const dir = await mkdtemp(join(tmpdir(), 'sweeplab-bench-volunteers-'));
  const spec = join(dir, 'spec.yaml');
  await writeFile(spec, SPEC);

  let start = performance.now();
  const alone = await sweeplab(['run', spec, '--out', join(dir, 'alone'), '--workers', '1']).done;
  if (alone.code !== 0) throw new Error(alone.stderr);
  const aloneSeconds = (performance.now() - start) / 1000;

  const browser = await launchChromium();
  try {
    start = performance.now();
    const out = join(dir, 'helped');
    const run = sweeplab(['run', spec, '--out', out, '--workers', '1', '--serve', '--port', '0']);
    const url = await printedUrl(run);
    const context = await browser.newContext();
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector('sl-volunteer-panel .volunteer-toggle', { timeout: 60_000 });
      await page.fill('sl-volunteer-panel input[type=number]', '1');
      await page.dispatchEvent('sl-volunteer-panel input[type=number]', 'change');
      await page.check('sl-volunteer-panel .volunteer-toggle input');
    }
    const helped = await run.done;
    if (helped.code !== 0) throw new Error(helped.stderr);
    const helpedSeconds = (performance.now() - start) / 1000;
    const byTabs = await trainedByTabs(out);
    process.stdout.write(
      [
        'volunteers: 16 trials (784-64-10 / 784-64-64-10 relu, 60 epochs of 5,000 MNIST examples, wasm)',
        `  1 local worker alone:                   ${aloneSeconds.toFixed(1)} s`,
        `  1 local worker + 2 contributing pages:  ${helpedSeconds.toFixed(1)} s (${byTabs} of 16 trials trained by the pages)`,
        `  speed-up: ${(aloneSeconds / helpedSeconds).toFixed(2)}x on this machine's cores`,
        '',
      ].join('\n'),
    );
    await context.close();
  } finally {
    await browser.close();
  }
}

await main();
