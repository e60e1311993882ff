import type { IncomingMessage, ServerResponse } from 'node:http';
import { type TrialConfig, type TrialResult, type VolunteerDispatcher, VolunteerError } from '@sweeplab/core';
import { z } from 'zod';
import { readBody, sendJson, sendText } from '../http.ts';
import type { Route } from '../router.ts';

/** The part of VolunteerDispatcher the routes use (the desk a contributing tab talks to). */
export type VolunteerDesk = Pick<
  VolunteerDispatcher,
  'join' | 'lease' | 'heartbeat' | 'complete' | 'fail' | 'leave' | 'expire' | 'status'
>;

const id = z.string().min(1).max(100);
const num = z.number();
const numOrNull = z.number().nullable();
const curve = z.array(z.number().nullable()).max(1_000_000);

const progressSchema = z.object({
  trialId: id,
  epoch: num,
  step: num,
  fraction: num,
  examplesPerSec: num,
  loss: num,
  accuracy: num,
  valAccuracy: numOrNull,
  elapsedSeconds: num,
});

/**
 * A tab's result, checked field by field: it is untrusted input, journaled as is once accepted. Only
 * final statuses of a whole run are valid from a tab; unknown keys are dropped.
 */
const resultSchema = z.object({
  trialId: id,
  status: z.enum(['completed', 'diverged', 'failed', 'cancelled']),
  engine: z.string().min(1).max(40),
  attempt: z.number().int().min(1),
  metrics: z.object({
    trainAccuracy: numOrNull,
    trainLoss: numOrNull,
    valAccuracy: numOrNull,
    valLoss: numOrNull,
    testAccuracy: numOrNull,
    testLoss: numOrNull,
    trainExamplesPerSec: num,
    inferenceExamplesPerSec: numOrNull,
    wallSeconds: num,
    trainSeconds: num.optional(),
    timeToTargetSeconds: numOrNull,
    epochs: num,
    steps: num,
    parameters: num,
  }),
  curves: z.object({
    step: curve,
    epoch: curve,
    loss: curve,
    accuracy: curve,
    valStep: curve,
    valEpoch: curve,
    valLoss: curve,
    valAccuracy: curve,
  }),
  diagnostics: z.object({
    divergence: z.object({ step: num, epoch: num, lastFiniteLoss: numOrNull, learningRate: num }).nullable(),
    overfitGap: numOrNull,
    bestValEpoch: numOrNull,
    lastEpoch: numOrNull,
    overfitting: z.boolean(),
    deadUnitFraction: z.array(num).max(64).nullable(),
    gradNormStart: numOrNull,
    gradNormEnd: numOrNull,
  }),
  error: z.object({ code: z.string().max(64), message: z.string().max(2000) }).nullable(),
  paramsChecksum: z.string().max(128).nullable(),
  threads: z.number().int().min(1).max(1024).optional(),
  threadSeconds: num.optional(),
  startedAt: z.string().max(40),
  finishedAt: z.string().max(40),
});

const bodies = {
  join: z.object({ cores: z.number().int().min(1).max(1024), label: z.string().max(200) }),
  lease: z.object({ contributor: id }),
  heartbeat: z.object({
    contributor: id,
    progress: z.array(z.object({ leaseId: id, progress: progressSchema })).max(64),
  }),
  result: z.object({
    contributor: id,
    leaseId: id,
    config: z.record(z.string(), z.unknown()),
    result: resultSchema,
  }),
  fail: z.object({ contributor: id, leaseId: id, message: z.string().max(2000) }),
  leave: z.object({ contributor: id }),
};

const REFUSAL_STATUS: Record<VolunteerError['reason'], number> = {
  // Gone: the page joins again (it was dropped after a silence, or the sweep ended).
  'unknown-contributor': 410,
  closed: 410,
  full: 503,
  'not-leased': 409,
  mismatch: 409,
};

/**
 * The volunteer API under /api/volunteer/, for pages that contribute their cores to the sweep run
 * beside the server (`run --serve`). Every call but `status` is a JSON POST: a page elsewhere cannot
 * send one without a CORS preflight, which this server never grants, and a cross-site Origin is
 * refused outright (the loopback server has no token to stop such a request).
 */
export function volunteerRoutes(desk: VolunteerDesk, maxBodyBytes: number): Route[] {
  const post = <S extends z.ZodType>(path: string, schema: S, act: (body: z.infer<S>) => unknown): Route => ({
    path: `/api/volunteer/${path}`,
    methods: ['POST'],
    handle: async (req, res) => {
      const refused = crossSite(req);
      if (refused) return sendText(res, 403, refused);
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
        return sendText(res, 415, 'send the body as application/json');
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, maxBodyBytes)).toString('utf8'));
      } catch (error) {
        if (error instanceof SyntaxError) return sendText(res, 400, `the body is not JSON: ${error.message}`);
        throw error;
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) return sendText(res, 400, `invalid ${path} request: ${firstIssue(parsed.error)}`);
      respond(res, () => act(parsed.data));
    },
  });
  return [
    post('join', bodies.join, (b) => desk.join(b.cores, b.label)),
    post('lease', bodies.lease, (b) => ({ lease: desk.lease(b.contributor) })),
    post('heartbeat', bodies.heartbeat, (b) => ({ stop: desk.heartbeat(b.contributor, b.progress) })),
    post('result', bodies.result, (b) => ({
      outcome: desk.complete(
        b.contributor,
        b.leaseId,
        b.config as unknown as TrialConfig,
        b.result as TrialResult,
      ),
    })),
    post('fail', bodies.fail, (b) => {
      desk.fail(b.contributor, b.leaseId);
      return { ok: true };
    }),
    post('leave', bodies.leave, (b) => {
      desk.leave(b.contributor);
      return { ok: true };
    }),
    {
      path: '/api/volunteer/status',
      methods: ['GET'],
      handle: (_req, res) => sendJson(res, 200, desk.status()),
    },
  ];
}

function respond(res: ServerResponse, act: () => unknown): void {
  try {
    sendJson(res, 200, act());
  } catch (error) {
    if (!(error instanceof VolunteerError)) throw error;
    sendText(res, REFUSAL_STATUS[error.reason], error.message);
  }
}

/** Why a request from another site is refused, or null for this page's own requests. */
function crossSite(req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  try {
    if (new URL(origin).host === req.headers.host) return null;
  } catch {
    // An opaque origin ("null") is never this page.
  }
  return 'cross-site requests to the volunteer API are refused';
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'malformed';
}
