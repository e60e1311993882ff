import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SweeplabError } from '@sweeplab/core';
import { SERVE_DEFAULTS, type ServeLimits } from './defaults.ts';
import { BASE_HEADERS, BodyTooLarge, declaresTooLarge, sendText } from './http.ts';
import type { LiveProgress } from './live-progress.ts';
import { matchRoute, type Route } from './router.ts';
import { appRoutes, datasetRoutes } from './routes/static.ts';
import { SweepRoutes } from './routes/sweep.ts';
import { type VolunteerDesk, volunteerRoutes } from './routes/volunteer.ts';
import { type AccessPolicy, accessPolicy, checkAccess } from './security.ts';
import { SweepSource } from './sweep-source.ts';

export interface ServeOptions {
  /** The sweep's output folder (its journal.jsonl may not exist yet beside a starting run). */
  outDir: string;
  /** The built web app (ensureWebBuild). */
  appDir: string;
  /** The dataset cache, served under /datasets/. */
  dataDir: string;
  /** @defaultValue SERVE_DEFAULTS.host (loopback) */
  host?: string;
  /** 0 for any free port. @defaultValue SERVE_DEFAULTS.port */
  port?: number;
  /** Beside a run in this process: its trials' progress, streamed to the page. */
  progress?: LiveProgress | null;
  /**
   * Beside a run in this process: the desk through which pages contribute their cores to it
   * (VolunteerDispatcher). Without it the page offers no "Contribute" switch.
   */
  volunteers?: VolunteerDesk | null;
  /** Overrides of SERVE_DEFAULTS' limits and intervals (tests shorten them). */
  limits?: Partial<ServeLimits>;
}

export interface RunningServer {
  /** The URL to open, with the token when there is one; `urls` lists one per address for 0.0.0.0. */
  url: string;
  urls: string[];
  port: number;
  /** null on a loopback bind. */
  token: string | null;
  /** Sends every open page the rest of the journal and an `end` event, then stops. */
  close(reason?: string): Promise<void>;
}

/**
 * `sweeplab serve`: the built web app (with COOP/COEP), the dataset cache and a live stream of one
 * sweep folder, on node:http. Every request passes the same gate, in order: the access policy (401
 * without the token on a non-loopback bind; 403 for a foreign Host on loopback), the body limit (413),
 * then the route table (404, 405).
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const limits: ServeLimits = { ...SERVE_DEFAULTS, ...options.limits };
  const host = options.host ?? SERVE_DEFAULTS.host;
  const volunteers = options.volunteers ?? null;
  const source = new SweepSource(options.outDir, options.progress ?? null, {
    ...limits,
    volunteers: volunteers !== null,
  });
  await source.readLock();
  const sweep = new SweepRoutes(source, limits);
  const routes: Route[] = [
    ...sweep.routes(),
    ...(volunteers ? volunteerRoutes(volunteers, limits.maxBodyBytes) : []),
    ...(await datasetRoutes(options.dataDir)),
    ...(await appRoutes(options.appDir)),
  ];
  let policy: AccessPolicy | null = null;
  const server = createServer((req, res) => {
    void handle(req, res, routes, policy!, limits.maxBodyBytes);
  });
  // SSE streams are long requests: no timeout may cut them.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  try {
    await listen(server, host, options.port ?? SERVE_DEFAULTS.port);
  } catch (error) {
    source.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  // Silent contributors lose their leases on this clock (a few checks per lease period).
  const expiry = volunteers ? setInterval(() => volunteers.expire(), limits.volunteerCheckMs) : null;
  expiry?.unref();
  policy = accessPolicy(host, port);
  const urls = addressesFor(host).map((address) => pageUrl(address, port, policy!.token));
  return {
    url: urls[0]!,
    urls,
    port,
    token: policy.token,
    async close(reason = 'the server stopped') {
      if (expiry) clearInterval(expiry);
      await sweep.finish(reason);
      // Contributing pages stop asking for trials once they read `end`; what they sent meanwhile is
      // answered, not refused.
      if (volunteers) await new Promise((resolve) => setTimeout(resolve, limits.volunteerGraceMs));
      source.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: readonly Route[],
  policy: AccessPolicy,
  maxBodyBytes: number,
): Promise<void> {
  for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://server.invalid');
  } catch {
    return sendText(res, 400, 'bad request URL');
  }
  const access = checkAccess(req, url, policy);
  if (!access.ok) return sendText(res, access.status, access.reason);
  if (access.setCookie) res.setHeader('Set-Cookie', access.setCookie);
  if (declaresTooLarge(req, maxBodyBytes)) return refuseBody(res, maxBodyBytes);
  const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
  if (!match) return sendText(res, 404, 'not found');
  if ('allow' in match) {
    res.setHeader('Allow', match.allow.join(', '));
    return sendText(res, 405, 'method not allowed');
  }
  try {
    await match.route.handle(req, res, url);
  } catch (error) {
    if (error instanceof BodyTooLarge) return refuseBody(res, maxBodyBytes);
    sendText(res, 500, `internal error: ${(error as Error).message}`);
  }
}

/** 413, and the connection closed: the rest of an oversized body is never read. */
function refuseBody(res: ServerResponse, limit: number): void {
  res.setHeader('Connection', 'close');
  sendText(res, 413, `request body over the limit of ${limit} bytes`);
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          new SweeplabError('SERVE_PORT_IN_USE', `port ${port} on ${host} is already in use`, {
            fix: 'pick another with --port N (--port 0 takes any free one)',
          }),
        );
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(
          new SweeplabError('USAGE_INVALID', `--host ${host} is not an address of this machine`, {
            fix: 'use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its addresses',
          }),
        );
      else reject(error);
    });
    server.listen(port, host, () => resolve());
  });
}

/** Where the server can be reached: the host itself, or each interface's address for 0.0.0.0 / ::. */
function addressesFor(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const found = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && (host === '::' || i.family === 'IPv4'))
    .map((i) => i!.address);
  return found.length > 0 ? found : ['127.0.0.1'];
}

function pageUrl(address: string, port: number, token: string | null): string {
  const hostPart = address.includes(':') ? `[${address}]` : address;
  return `http://${hostPart}:${port}/${token ? `?token=${token}` : ''}`;
}
