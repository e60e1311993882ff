import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendText } from '../http.ts';
import type { Route } from '../router.ts';
import { StaticRoot } from '../static-files.ts';

/** Tells the page it was opened from `sweeplab serve`, so it shows the served sweep (apps/web main.ts). */
const SERVE_MARKER = '<meta name="sweeplab-serve" content="live">';

/**
 * The built web app: index.html (marked as served) at `/`, its files below. Vite names the files of
 * assets/ by content hash, so the browser may keep them; everything else is revalidated.
 */
export async function appRoutes(appDir: string): Promise<Route[]> {
  const root = await StaticRoot.open(appDir);
  const index = (await readFile(join(appDir, 'index.html'), 'utf8')).replace(
    '</head>',
    `  ${SERVE_MARKER}\n  </head>`,
  );
  const sendIndex: Route['handle'] = (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(index),
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : index);
  };
  return [
    { path: '/', methods: ['GET', 'HEAD'], handle: sendIndex },
    { path: '/index.html', methods: ['GET', 'HEAD'], handle: sendIndex },
    {
      path: '/',
      prefix: true,
      methods: ['GET', 'HEAD'],
      handle: (_req, res, url) => {
        const immutable = url.pathname.startsWith('/assets/');
        return root.send(res, url.pathname, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    },
  ];
}

/** The dataset cache under /datasets/, where the web app's loadDataset fetches from. */
export async function datasetRoutes(dataDir: string): Promise<Route[]> {
  const root = await StaticRoot.open(dataDir).catch(() => null);
  return [
    {
      path: '/datasets/',
      prefix: true,
      methods: ['GET', 'HEAD'],
      handle: (_req, res, url) =>
        root
          ? root.send(res, url.pathname.slice('/datasets/'.length))
          : sendText(res, 404, 'no dataset cache on this server: run `sweeplab data fetch <name>`'),
    },
  ];
}
