export { SERVE_DEFAULTS } from './defaults.ts';
export { LiveProgress, type LiveProgressEvent, type LiveTrialCurve } from './live-progress.ts';
export type { VolunteerDesk } from './routes/volunteer.ts';
export { isLoopbackHost } from './security.ts';
export { type RunningServer, type ServeOptions, startServer } from './server.ts';
export type { SweepMeta } from './sweep-source.ts';
export { ensureWebBuild, type WebBuild } from './web-build.ts';
