import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendText } from '../http.ts';
import { JournalReader } from '../journal-tail.ts';
import type { Route } from '../router.ts';
import { SseStream } from '../sse.ts';
import type { SweepSource } from '../sweep-source.ts';

export interface StreamLimits {
  maxStreams: number;
  keepAliveMs: number;
  chunkBytes: number;
}

/**
 * One page's live view of the sweep, over server-sent events:
 * - `meta`: the SweepMeta (sent first, again after every reconnect);
 * - `live`: the curves so far of the trials running in this process (beside `run --serve` only);
 * - `records`: journal lines, one `data:` line each, from the start and then as the file grows; the
 *   event id is the byte offset past them, so a reconnecting EventSource (Last-Event-ID) resumes there;
 * - `synced`: everything the journal held when the stream opened has been sent (the page draws once
 *   then, not once per chunk of a long journal);
 * - `progress`: one progress event of a running trial (beside `run --serve` only);
 * - `state`: `{active}` when a run starts or stops holding the folder;
 * - `reset`: the journal shrank below what was sent (replaced): drop everything and read it again;
 * - `end`: the server is stopping (the run it ran beside ended); do not reconnect.
 */
class JournalStream {
  private queued = false;
  private synced = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly source: SweepSource,
    private readonly sse: SseStream,
    private readonly reader: JournalReader,
  ) {}

  async start(): Promise<void> {
    await this.sse.sendJson('meta', await this.source.meta());
    if (this.source.progress) {
      await this.sse.sendJson('live', this.source.progress.snapshot());
      this.unsubscribe.push(
        this.source.progress.subscribe((event) => void this.sse.sendJson('progress', event)),
      );
    }
    this.unsubscribe.push(this.source.watch.subscribe(() => void this.catchUp()));
    this.unsubscribe.push(this.source.onStateChange((active) => void this.sse.sendJson('state', { active })));
    await this.catchUp();
  }

  /** Sends every complete line not sent yet; calls made meanwhile fold into one more pass. */
  catchUp(): Promise<void> {
    if (!this.queued) {
      this.queued = true;
      this.chain = this.chain.then(() => {
        this.queued = false;
        return this.readToEnd();
      });
    }
    return this.chain;
  }

  private async readToEnd(): Promise<void> {
    try {
      while (!this.sse.isClosed) {
        const chunk = await this.reader.next();
        if (chunk.kind === 'none') {
          if (!this.synced) await this.sse.sendJson('synced', { offset: this.reader.offset });
          this.synced = true;
          return;
        }
        if (chunk.kind === 'reset') {
          this.reader.offset = 0;
          this.synced = false;
          await this.sse.sendJson('reset', { reason: 'the journal was replaced' });
          continue;
        }
        await this.sse.send('records', chunk.lines, chunk.offset);
      }
    } catch (error) {
      await this.sse.sendJson('end', { reason: `cannot read the journal: ${(error as Error).message}` });
      this.close();
    }
  }

  /** Sends what the journal holds by now, then `end`, and closes. */
  async finish(reason: string): Promise<void> {
    await this.catchUp();
    await this.sse.sendJson('end', { reason });
    this.close();
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    this.sse.end();
  }
}

/** GET /api/sweep (the meta as JSON) and GET /api/sweep/events (the live stream). */
export class SweepRoutes {
  private readonly streams = new Set<JournalStream>();

  constructor(
    private readonly source: SweepSource,
    private readonly limits: StreamLimits,
  ) {}

  routes(): Route[] {
    return [
      {
        path: '/api/sweep',
        methods: ['GET', 'HEAD'],
        handle: async (_req, res) => sendJson(res, 200, await this.source.meta()),
      },
      { path: '/api/sweep/events', methods: ['GET'], handle: (req, res) => this.open(req, res) },
    ];
  }

  private async open(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.streams.size >= this.limits.maxStreams)
      return sendText(res, 503, `too many live views open (${this.limits.maxStreams}); close one`);
    const lastId = Number(req.headers['last-event-id'] ?? 0);
    const reader = await JournalReader.at(this.source.journalPath, lastId, this.limits.chunkBytes);
    const stream = new JournalStream(this.source, new SseStream(res, this.limits.keepAliveMs), reader);
    this.streams.add(stream);
    res.on('close', () => {
      stream.close();
      this.streams.delete(stream);
    });
    await stream.start();
  }

  /** Every open stream gets the rest of the journal and an `end` event. */
  async finish(reason: string): Promise<void> {
    await Promise.all([...this.streams].map((stream) => stream.finish(reason)));
    this.streams.clear();
  }
}
