import { randomUUID } from 'node:crypto';
import { type Executor, type Trial, trialId, VolunteerDispatcher } from '@sweeplab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_CONFIG, completedResult } from '../../../tests/helpers/synthetic.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { fetchRaw, serveFixture } from './helpers.ts';

const trials: Trial[] = [0, 1, 2].map((seed) => {
  const config = { ...BASE_CONFIG, seed };
  return { id: trialId(config), index: seed, config };
});

/** One local worker that never finishes: every other trial waits for a contributor. */
const busyLocal: Executor = {
  concurrency: 1,
  run: () => new Promise(() => {}),
  close: async () => {},
};

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serveDesk(host = '127.0.0.1') {
  const desk = new VolunteerDispatcher({ local: busyLocal, newId: randomUUID });
  server = await startServer({
    ...(await serveFixture()),
    host,
    port: 0,
    volunteers: desk,
    limits: { maxBodyBytes: 64 * 1024 },
  });
  const results = trials.map((t) => desk.run(t));
  const { port, token } = server;
  const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const reply = await fetchRaw(port, `/api/volunteer/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...auth, ...headers },
      body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    });
    return {
      status: reply.status,
      body: reply.body,
      json: () => JSON.parse(reply.body) as Record<string, unknown>,
    };
  };
  return { desk, port, post, results };
}

describe('the volunteer API', () => {
  it('leases a trial to a joined tab and journals its result once; a second copy is late', async () => {
    const { post, results, port } = await serveDesk();
    expect(JSON.parse((await fetchRaw(port, '/api/sweep')).body).volunteers).toBe(true);
    const joined = (await post('join', { cores: 1, label: 'Chrome on Linux' })).json();
    const { lease } = (await post('lease', { contributor: joined.id })).json() as {
      lease: { leaseId: string; trial: Trial };
    };
    expect(lease.trial.id).toBe(trials[1]!.id);
    const body = {
      contributor: joined.id,
      leaseId: lease.leaseId,
      config: lease.trial.config,
      result: completedResult(lease.trial),
    };
    expect((await post('result', body)).json()).toEqual({ outcome: 'accepted' });
    expect((await results[1])?.trainedBy).toMatch(/^tab Chrome on Linux \(/);
    expect((await post('result', body)).json()).toEqual({ outcome: 'late' });
    const status = JSON.parse((await fetchRaw(port, '/api/volunteer/status')).body);
    expect(status).toMatchObject({ accepted: 1, late: 1, queued: 1 });
  });

  it('rejects a result for a trial the tab does not lease, or that fails the schema', async () => {
    const { post } = await serveDesk();
    const a = (await post('join', { cores: 1, label: 'a' })).json();
    const b = (await post('join', { cores: 1, label: 'b' })).json();
    const { lease } = (await post('lease', { contributor: a.id })).json() as {
      lease: { leaseId: string; trial: Trial };
    };
    const result = completedResult(lease.trial);
    // b never held this lease.
    const stolen = await post('result', {
      contributor: b.id,
      leaseId: lease.leaseId,
      config: lease.trial.config,
      result,
    });
    expect(stolen.status).toBe(409);
    // a holds it, but sends another trial's result, or another config.
    const other = await post('result', {
      contributor: a.id,
      leaseId: lease.leaseId,
      config: lease.trial.config,
      result: completedResult(trials[2]!),
    });
    expect(other.status).toBe(409);
    const forged = await post('result', {
      contributor: a.id,
      leaseId: lease.leaseId,
      config: { ...lease.trial.config, learningRate: 1 },
      result,
    });
    expect(forged.status).toBe(409);
    const malformed = await post('result', {
      contributor: a.id,
      leaseId: lease.leaseId,
      config: lease.trial.config,
      result: { ...result, metrics: { testAccuracy: '<img src=x>' } },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatch(/^invalid result request: result\.metrics/);
    expect((await post('lease', { contributor: 'forged-id' })).status).toBe(410);
    expect((await post('join', 'not json')).status).toBe(400);
  });

  it('answers 413 to an oversized body, 415 to a form post and 403 to another site', async () => {
    const { post } = await serveDesk();
    const big = await post('heartbeat', { contributor: 'x', progress: [], pad: 'x'.repeat(100 * 1024) });
    expect(big.status).toBe(413);
    expect((await post('join', { cores: 1, label: 'a' }, { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post('join', { cores: 1, label: 'a' }, { Origin: 'https://evil.example' })).status).toBe(
      403,
    );
  });

  it('needs the token on a network bind: 401 without it', async () => {
    const { port, post } = await serveDesk('0.0.0.0');
    const bare = await fetchRaw(port, '/api/volunteer/join', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: Buffer.from('{"cores":1,"label":"a"}'),
    });
    expect(bare.status).toBe(401);
    expect((await fetchRaw(port, '/api/volunteer/status')).status).toBe(401);
    expect((await post('join', { cores: 1, label: 'a' })).status).toBe(200);
  });
});
