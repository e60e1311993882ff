import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = process.env.SWEEPLAB_REDIS_SERVER ?? 'redis-server';

/**
 * A private redis-server for one test file: a free port on 127.0.0.1, its data in a temp folder, the
 * append-only file fsynced on every write (what the README tells users to run). `kill()` is SIGKILL;
 * `start()` again reloads the same data on the same port, as a restarted server would.
 */
export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** Server pid while it runs. */
  pid(): number | undefined;
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Tests that need Redis fail, never skip, when it is missing: the fix is one command. */
function requireRedisServer(): void {
  const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new Error(
      `${BINARY} is not installed, and these tests need a real Redis: run \`bash .ci/prepare\` (it installs redis-server) or set SWEEPLAB_REDIS_SERVER to its path.`,
    );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      reply += data;
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(reply.startsWith('+PONG')));
  });
}

/** A server certificate, its key and the authority that signed it (PEM files), for a TLS-only server. */
export interface TestTls {
  cert: string;
  key: string;
  ca: string;
}

export async function startTestRedis(options: { password?: string; tls?: TestTls } = {}): Promise<TestRedis> {
  requireRedisServer();
  const dir = await mkdtemp(join(tmpdir(), 'sweeplab-redis-'));
  let port = await freePort();
  let child: ChildProcess | null = null;
  let log = '';

  const launch = async (): Promise<boolean> => {
    log = '';
    // With TLS the plain port is closed (0): every client must speak TLS.
    const ports = options.tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no']
      : ['--port', String(port)];
    const tls = options.tls
      ? [
          '--tls-cert-file',
          options.tls.cert,
          '--tls-key-file',
          options.tls.key,
          '--tls-ca-cert-file',
          options.tls.ca,
        ]
      : [];
    const args = [
      ...ports,
      ...tls,
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      ...(options.password ? ['--requirepass', options.password] : []),
    ];
    const proc = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout!.on('data', (d) => (log += d));
    proc.stderr!.on('data', (d) => (log += d));
    const exited = new Promise<false>((resolve) => proc.once('exit', () => resolve(false)));
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      if (log.includes('Ready to accept connections')) return true;
      if ((await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 50))])) === false)
        return false;
    }
    return !options.tls && ping(port);
  };

  let started = false;
  const start = async () => {
    // The port was free a moment ago; if something took it since, the first start moves on. A restart
    // keeps its port: clients reconnect to the address they know.
    for (let tries = 0; tries < 3; tries++) {
      if (await launch()) {
        started = true;
        return;
      }
      if (started || !log.includes('Address already in use')) break;
      port = await freePort();
    }
    throw new Error(`redis-server did not start on port ${port}:\n${log}`);
  };

  const waitExit = (signal: NodeJS.Signals) => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  };

  await start();
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    get url() {
      return `${options.tls ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dir,
    pid: () => child?.pid,
    start,
    kill: () => waitExit('SIGKILL'),
    stop: async () => {
      await waitExit('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
