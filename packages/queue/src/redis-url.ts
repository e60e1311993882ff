import { SweeplabError } from '@sweeplab/core';

/** Where a Redis server is and how to log in: parsed once from `--redis <url>`. */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** `rediss://`: TLS, with the server's certificate checked against the system's authorities. */
  tls: boolean;
  /** The URL with its password replaced by `***`: the only form that is ever printed or stored. */
  display: string;
}

/** The one command the README gives for a durable Redis bound to this machine only. */
export const REDIS_START_HINT =
  'redis-server --port 6379 --bind 127.0.0.1 --appendonly yes --appendfsync always --maxmemory-policy noeviction --dir <a folder for its data>';

/**
 * Parses `redis://[user[:password]@]host[:port][/db]` or `rediss://…` (TLS). Anything else is refused
 * here, with the URL redacted, so a typo never prints a password.
 */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(redactUrl(url), 'it is not a URL');
  }
  const display = redactUrl(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw invalid(display, `the scheme must be redis:// or rediss://, not ${parsed.protocol}//`);
  if (!parsed.hostname) throw invalid(display, 'it names no host');
  const port = parsed.port ? Number(parsed.port) : 6379;
  const path = parsed.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0) throw invalid(display, `the database "${path}" is not a number`);
  return {
    // URL keeps the brackets of an IPv6 literal; sockets want the bare address.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    db,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    tls: parsed.protocol === 'rediss:',
    display,
  };
}

/** The URL with any password replaced by `***`; text that is not a URL loses everything after `//…@`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** A bad `--redis` value is a bad command line: USAGE_INVALID, exit code 2. */
function invalid(display: string, why: string): SweeplabError {
  return new SweeplabError('USAGE_INVALID', `--redis ${display}: ${why}`, {
    fix: 'give --redis redis://[user:password@]host[:port][/db], or rediss://… for TLS',
  });
}
