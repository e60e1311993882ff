import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLarge, readBody } from '../src/http.ts';
import { isLoopbackHost } from '../src/security.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { fetchRaw, rawRequestLine, SECRET, serveFixture } from './helpers.ts';

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(host = '127.0.0.1', maxBodyBytes = 1024): Promise<RunningServer> {
  server = await startServer({ ...(await serveFixture()), host, port: 0, limits: { maxBodyBytes } });
  return server;
}

describe('sweeplab serve: who may read what', () => {
  it('sends the isolation headers with every response, errors included', async () => {
    const { port } = await serve();
    for (const path of ['/', '/assets/app.js', '/datasets/mnist/manifest.json', '/api/sweep', '/missing']) {
      const reply = await fetchRaw(port, path);
      expect(reply.headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(reply.headers['cross-origin-embedder-policy'], path).toBe('require-corp');
    }
  });

  it('marks the app page as served and serves the dataset cache under /datasets/', async () => {
    const { port } = await serve();
    expect((await fetchRaw(port, '/')).body).toContain('<meta name="sweeplab-serve" content="live">');
    expect((await fetchRaw(port, '/datasets/mnist/manifest.json')).body).toBe('{"name":"mnist"}');
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/datasets/..%2fsecret.txt',
    '/datasets/mnist/..%2f..%2f..%2fsecret.txt',
    '/assets/link.txt',
    '/datasets/escape/secret.txt',
    '/assets/app.js%00.png',
  ])('refuses %s: nothing outside the served folders, links included', async (target) => {
    const { port } = await serve();
    const reply = await rawRequestLine(port, target);
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain(SECRET);
  });

  it('answers 413 to a body over the limit, before reading it', async () => {
    const { port } = await serve('127.0.0.1', 1024);
    const reply = await fetchRaw(port, '/api/sweep', { method: 'POST', body: Buffer.alloc(4096, 'x') });
    expect(reply.status).toBe(413);
    expect(reply.headers.connection).toBe('close');
  });

  it('reads a chunked body only up to the limit', async () => {
    const stream = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
    await expect(readBody(stream as never, 1000)).rejects.toBeInstanceOf(BodyTooLarge);
    expect((await readBody(Readable.from([Buffer.from('ok')]) as never, 1000)).toString()).toBe('ok');
  });

  it('answers 405 to a method a route does not take, and 404 to an unknown API', async () => {
    const { port } = await serve();
    const reply = await fetchRaw(port, '/api/sweep', { method: 'POST', body: Buffer.from('{}') });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD');
    expect((await fetchRaw(port, '/api/nothing')).status).toBe(404);
  });

  it('on loopback needs no token, but refuses a foreign Host header (DNS rebinding)', async () => {
    const { port, token } = await serve();
    expect(token).toBeNull();
    expect((await fetchRaw(port, '/api/sweep')).status).toBe(200);
    const rebound = await fetchRaw(port, '/api/sweep', { headers: { Host: `evil.example:${port}` } });
    expect(rebound.status).toBe(403);
  });

  it('on any other address refuses every request without the token (401), and takes it three ways', async () => {
    const { port, token, url } = await serve('0.0.0.0');
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(url).toContain(`?token=${token}`);
    for (const path of [
      '/',
      '/assets/app.js',
      '/datasets/mnist/manifest.json',
      '/api/sweep',
      '/api/sweep/events',
    ])
      expect((await fetchRaw(port, path)).status, path).toBe(401);
    expect((await fetchRaw(port, '/api/sweep?token=wrong')).status).toBe(401);
    expect((await fetchRaw(port, `/api/sweep?token=${token!.slice(0, -1)}`)).status).toBe(401);

    const withQuery = await fetchRaw(port, `/?token=${token}`);
    expect(withQuery.status).toBe(200);
    const cookie = String(withQuery.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const cookieHeader = cookie.split(';')[0]!;
    expect((await fetchRaw(port, '/assets/app.js', { headers: { Cookie: cookieHeader } })).status).toBe(200);
    const bearer = { Authorization: `Bearer ${token}` };
    expect((await fetchRaw(port, '/api/sweep', { headers: bearer })).status).toBe(200);
  });

  it('names a port in use as SERVE_PORT_IN_USE, with the way out', async () => {
    const { port } = await serve();
    const second = startServer({ ...(await serveFixture()), port });
    await expect(second).rejects.toMatchObject({
      code: 'SERVE_PORT_IN_USE',
      message: `port ${port} on 127.0.0.1 is already in use`,
      fix: expect.stringContaining('--port 0'),
    });
  });

  it('tells loopback addresses from the others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com', '10.0.0.1'])
      expect(isLoopbackHost(host)).toBe(false);
  });
});
