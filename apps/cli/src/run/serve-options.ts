import { SERVE_DEFAULTS } from '@sweeplab/server';
import { usageError } from '../cli-errors.ts';

export interface ServeSettings {
  host: string;
  port: number;
  /** `run --serve --lease-seconds`: how long a contributing tab may stay silent. @defaultValue core's */
  leaseMs?: number;
}

/** --port and --host as `serve` and `run --serve` take them; USAGE_INVALID naming the option otherwise. */
export function serveSettings(
  values: { port?: string; host?: string; 'lease-seconds'?: string },
  command: string,
): ServeSettings {
  let port: number = SERVE_DEFAULTS.port;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (values.port.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
      throw usageError(`--port must be an integer from 0 to 65535, got "${values.port}"`, command);
  }
  const host = values.host ?? SERVE_DEFAULTS.host;
  if (host.trim() === '' || /[\s/]/.test(host))
    throw usageError(`--host must be an address such as 127.0.0.1 or 0.0.0.0, got "${host}"`, command);
  const lease = values['lease-seconds'];
  if (lease === undefined) return { host, port };
  const seconds = Number(lease);
  if (lease.trim() === '' || !Number.isFinite(seconds) || seconds < 1 || seconds > 3600)
    throw usageError(`--lease-seconds must be a number of seconds from 1 to 3600, got "${lease}"`, command);
  return { host, port, leaseMs: Math.round(seconds * 1000) };
}
