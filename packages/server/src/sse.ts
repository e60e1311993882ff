import type { ServerResponse } from 'node:http';

/**
 * A server-sent events stream (what the page reads with EventSource). Each `send` is one event; the
 * data may hold several lines (one `data:` field each). `write` reports backpressure, so a reader
 * sending a long journal waits for a slow client instead of buffering the file in memory.
 */
export class SseStream {
  private closed = false;
  private readonly keepAlive: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    keepAliveMs: number,
  ) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // Reconnect after 2 s when the connection drops (EventSource's default is about 3 s).
    res.write('retry: 2000\n\n');
    this.keepAlive = setInterval(() => this.comment('keep-alive'), keepAliveMs);
    this.keepAlive.unref();
    res.on('close', () => this.dispose());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves once the client took the data (at once unless its socket buffer is full). */
  send(event: string, lines: readonly string[], id?: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    let text = id === undefined ? '' : `id: ${id}\n`;
    text += `event: ${event}\n`;
    for (const line of lines) text += `data: ${line}\n`;
    return this.write(`${text}\n`);
  }

  sendJson(event: string, value: unknown): Promise<void> {
    return this.send(event, [JSON.stringify(value)]);
  }

  private comment(text: string): void {
    if (!this.closed) this.res.write(`: ${text}\n\n`);
  }

  private write(text: string): Promise<void> {
    if (this.res.write(text)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.once('drain', done);
      this.res.once('close', done);
    });
  }

  end(): void {
    if (this.closed) return;
    this.res.end();
    this.dispose();
  }

  private dispose(): void {
    this.closed = true;
    clearInterval(this.keepAlive);
  }
}
