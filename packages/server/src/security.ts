import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Who may talk to the server. On a loopback bind only this machine can connect, so no token is asked;
 * the Host header is still checked, so a web page elsewhere cannot reach the server by pointing a
 * DNS name of its own at 127.0.0.1 (DNS rebinding). On any other bind every request needs the token:
 * in `?token=`, an `Authorization: Bearer` header, or the cookie set when a page first opens the URL
 * with the token (which lets the page's scripts, workers and dataset requests through).
 */
export interface AccessPolicy {
  /** null on a loopback bind. */
  token: string | null;
  /** Host header values accepted on a loopback bind (`127.0.0.1:8080`, `localhost:8080`, `[::1]:8080`). */
  loopbackHosts: ReadonlySet<string> | null;
  /** Cookie carrying the token; per port, so two servers on one machine keep their own. */
  cookieName: string;
}

export type AccessDecision =
  | { ok: true; setCookie: string | null }
  | { ok: false; status: 401 | 403; reason: string };

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost']);

/** 127.0.0.0/8, ::1 and localhost: binds only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (LOOPBACK_NAMES.has(bare.toLowerCase())) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

/** 32 random bytes, URL-safe: long enough that guessing it over HTTP is hopeless. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function accessPolicy(host: string, port: number, token: string | null = null): AccessPolicy {
  const loopback = isLoopbackHost(host);
  return {
    token: loopback ? token : (token ?? newToken()),
    loopbackHosts: loopback
      ? new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`])
      : null,
    cookieName: `sweeplab_token_${port}`,
  };
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  // Constant time, so the response time says nothing about how much of a guess was right.
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/** Whether a request may be served, and the cookie to set when it brought the token in its URL. */
export function checkAccess(req: IncomingMessage, url: URL, policy: AccessPolicy): AccessDecision {
  if (policy.loopbackHosts && !policy.loopbackHosts.has((req.headers.host ?? '').toLowerCase()))
    return { ok: false, status: 403, reason: 'unexpected Host header for a loopback server' };
  if (policy.token === null) return { ok: true, setCookie: null };
  const fromQuery = url.searchParams.get('token');
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
  const fromCookie = cookieValue(req, policy.cookieName);
  for (const given of [fromQuery, bearer, fromCookie]) {
    if (given !== null && sameToken(given, policy.token)) {
      const setCookie =
        given === fromQuery && given !== fromCookie
          ? `${policy.cookieName}=${policy.token}; Path=/; HttpOnly; SameSite=Strict`
          : null;
      return { ok: true, setCookie };
    }
  }
  return { ok: false, status: 401, reason: 'this server needs the token from the URL it printed' };
}
