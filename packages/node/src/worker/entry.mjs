// Worker threads do not inherit a loader registered through the API, so each worker registers tsx
// itself before importing the TypeScript task module.
import { register } from 'tsx/esm/api';

register();
const { default: runTrialTask } = await import('./trial-worker.ts');
export default runTrialTask;
