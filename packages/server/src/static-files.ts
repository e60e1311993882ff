import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { sendText } from './http.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * A folder served read-only. A path is confined to it twice: lexically (after decoding, `..` segments
 * and encoded slashes cannot climb out) and on disk (the real path, links resolved, must still be
 * inside the folder's real path), so neither `/%2e%2e/` nor a symbolic link leads elsewhere.
 */
export class StaticRoot {
  private constructor(private readonly real: string) {}

  static async open(dir: string): Promise<StaticRoot> {
    return new StaticRoot(await realpath(dir));
  }

  /** The file `relative` names inside the folder, or null when it is outside, missing or not a file. */
  async resolve(relative: string): Promise<string | null> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(relative);
    } catch {
      return null;
    }
    if (decoded.includes('\0')) return null;
    const lexical = resolve(this.real, `.${sep}${decoded}`);
    if (!this.inside(lexical)) return null;
    try {
      const real = await realpath(lexical);
      if (!this.inside(real) || !(await stat(real)).isFile()) return null;
      return real;
    } catch {
      return null;
    }
  }

  private inside(path: string): boolean {
    return path.startsWith(this.real + sep);
  }

  /** Streams the file, 404 when `resolve` refuses it. `cache`: the Cache-Control value. */
  async send(res: ServerResponse, relative: string, cache = 'no-cache'): Promise<void> {
    const file = await this.resolve(relative);
    if (!file) return sendText(res, 404, 'not found');
    const { size } = await stat(file);
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': cache,
    });
    if (res.req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  }
}
