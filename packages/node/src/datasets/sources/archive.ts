import { list } from 'tar';

/**
 * Reads the named members of a (gzip) tarball into memory, keyed by their path inside the archive.
 * The archives here are at most a few hundred MB, and holding members in memory avoids unpacking a
 * second copy to disk. Members not found are simply absent from the map.
 */
export async function readTarMembers(file: string, wanted: readonly string[]): Promise<Map<string, Buffer>> {
  const want = new Set(wanted);
  const found = new Map<string, Buffer>();
  await list({
    file,
    onReadEntry: (entry) => {
      if (!want.has(entry.path)) return;
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => found.set(entry.path, Buffer.concat(chunks)));
    },
  });
  return found;
}
