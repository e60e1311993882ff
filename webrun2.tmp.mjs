import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const p = await b.newPage({ viewport: { width: 1280, height: 1000 } });
const errors = []; p.on('pageerror', e => errors.push(String(e))); p.on('console', m => m.type()==='error' && errors.push(m.text()));
await p.goto('http://localhost:4173/');
await p.waitForSelector('sl-spec-editor button[name=run]', { timeout: 60000 });
await p.getByRole('button', { name: 'YAML / JSON' }).click();
await p.fill('textarea[name=spec]', 'name: preview2\ndataset: mnist\nlayers: [1, 2]\nactivation: relu\nengine: [tfjs]\nbudget: { epochs: 1 }\ntrainSubset: 5000\n');
await p.click('button[name=run]');
const t0 = Date.now();
while (Date.now() - t0 < 40000) { const s = await p.evaluate(() => document.querySelector('.finished-count')?.dataset.done); if (s === '2') break; await p.waitForTimeout(500); }
console.log('finished after', (Date.now()-t0)/1000, 's', await p.evaluate(() => document.querySelector('.finished-count')?.dataset.done));
console.log('errors', errors.slice(0,3));
await b.close();
