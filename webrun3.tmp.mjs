import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const p = await b.newPage({ viewport: { width: 1280, height: 1000 } });
const errors = [];
p.on('console', m => m.type()==='error' && errors.push(m.text()));
await p.goto('http://localhost:4173/');
await p.waitForSelector('sl-spec-editor button[name=run]', { timeout: 60000 });
await p.getByRole('button', { name: 'YAML / JSON' }).click();
await p.fill('textarea[name=spec]', 'name: preview4\ndataset: mnist\nlayers: [1, 2]\nactivation: relu\nengine: [tfjs, auto]\nbudget: { epochs: 1 }\ntrainSubset: 2000\n');
await p.click('button[name=run]');
const t0 = Date.now();
while (Date.now() - t0 < 40000) { const s = await p.evaluate(() => document.querySelector('.finished-count')?.dataset.done); if (s === '4') break; await p.waitForTimeout(500); }
console.log('done', await p.evaluate(() => document.querySelector('.finished-count')?.dataset.done), (Date.now()-t0)/1000, 'errors', errors.slice(0,3));
await b.close();
