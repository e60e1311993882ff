import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SECRET = 'top-secret-outside-the-served-roots';

/**
 * A fake built app, dataset cache and sweep folder, beside a file that must never be served (and
 * links to it from inside the served folders).
 */
export async function serveFixture(): Promise<{ appDir: string; dataDir: string; outDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'sweeplab-serve-'));
  const appDir = join(root, 'app');
  const dataDir = join(root, 'data');
  const outDir = join(root, 'out');
  await mkdir(join(appDir, 'assets'), { recursive: true });
  await mkdir(join(dataDir, 'mnist'), { recursive: true });
  await mkdir(outDir);
  await writeFile(join(root, 'secret.txt'), SECRET);
  await writeFile(join(appDir, 'index.html'), '<html><head><title>t</title></head><body></body></html>');
  await writeFile(join(appDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dataDir, 'mnist', 'manifest.json'), '{"name":"mnist"}');
  await symlink(join(root, 'secret.txt'), join(appDir, 'assets', 'link.txt'));
  await symlink(root, join(dataDir, 'escape'));
  return { appDir, dataDir, outDir };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function fetchRaw(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A request line sent as is, byte for byte: no client library normalises its `..` segments away. */
export function rawRequestLine(port: number, target: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), text }));
    socket.on('error', reject);
  });
}

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Opens the event stream and collects its events until `close` is called. */
export function openStream(
  port: number,
  headers: Record<string, string> = {},
): { events: SseEvent[]; status: Promise<number>; close: () => void } {
  const events: SseEvent[] = [];
  let statusOf: (status: number) => void = () => {};
  const status = new Promise<number>((resolve) => (statusOf = resolve));
  const req = request({ host: '127.0.0.1', port, path: '/api/sweep/events', headers }, (res) => {
    statusOf(res.statusCode ?? 0);
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        const data: string[] = [];
        for (const field of block.split('\n')) {
          const [name, ...rest] = field.split(': ');
          const value = rest.join(': ');
          if (name === 'event') event.event = value;
          else if (name === 'data') data.push(value);
          else if (name === 'id') event.id = value;
        }
        if (data.length > 0) events.push({ ...event, data: data.join('\n') });
      }
    });
    res.on('error', () => {});
  });
  req.on('error', () => {});
  req.end();
  return { events, status, close: () => req.destroy() };
}

export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
