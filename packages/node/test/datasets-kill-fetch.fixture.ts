/**
 * Fetches the tiny test dataset and kills itself with SIGKILL at a chosen point, like a user's
 * Ctrl-\ or an OOM kill: `mid-file` while train-images.idx is half written, `between-files` right
 * after it was renamed into place. Arguments: <sourceDir> <dataDir> <mid-file|between-files>.
 */
import { fetchDataset } from '../src/datasets/index.ts';
import { tinyGreyDataset } from './datasets-helpers.ts';

const [sourceDir, dataDir, when] = process.argv.slice(2);
const { info } = await tinyGreyDataset(sourceDir!);
await fetchDataset('fashion-mnist', {
  dataDir: dataDir!,
  info,
  onProgress: (event) => {
    if (event.phase !== 'write' || event.label !== 'train-images.idx') return;
    if (when === 'mid-file' ? !event.finished && event.done < event.total! : event.finished)
      process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without being killed\n');
