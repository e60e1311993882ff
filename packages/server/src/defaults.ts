/** The server's limits and intervals (SERVE_DEFAULTS; tests shorten them). */
export interface ServeLimits {
  maxBodyBytes: number;
  maxStreams: number;
  tailPollMs: number;
  lockPollMs: number;
  keepAliveMs: number;
  chunkBytes: number;
  progressPoints: number;
  volunteerCheckMs: number;
  volunteerGraceMs: number;
}

/** Every default of `sweeplab serve`, in one place; the README's serve section mirrors it. */
export const SERVE_DEFAULTS = {
  /** Loopback only: nothing else on the network reaches the server unless --host says so. */
  host: '127.0.0.1',
  port: 8080,
  /**
   * The largest request body any route reads; larger ones get 413 before a byte is buffered. Enough
   * for a trial's result with its curves (tens of kB), the largest body the volunteer API will take.
   */
  maxBodyBytes: 1024 * 1024,
  /** Live streams open at once; more get 503 (each holds a socket and a file reader). */
  maxStreams: 64,
  /** How often the journal is stat-ed when fs.watch says nothing (network file systems, missed events). */
  tailPollMs: 1000,
  /** How often the folder's .lock is read, to tell the page whether a run is still active. */
  lockPollMs: 2000,
  /** A comment line on every idle stream this often, so proxies and browsers keep it open. */
  keepAliveMs: 15_000,
  /** Journal bytes read and sent per stream event: a long journal arrives in chunks, never at once. */
  chunkBytes: 256 * 1024,
  /** Curve points kept per running trial for a page that connects mid-trial (halved when exceeded). */
  progressPoints: 2000,
  /**
   * How often contributors are checked for silence; one silent for the lease period
   * (VOLUNTEER_DEFAULTS.leaseMs in core, 15 s) loses its trials to the queue.
   */
  volunteerCheckMs: 1000,
  /** After the run ends: how long contributing pages have to read `end` before the server stops. */
  volunteerGraceMs: 1500,
} as const satisfies ServeLimits & { host: string; port: number };
