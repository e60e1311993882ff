/**
 * A Uint8Array backed by a SharedArrayBuffer when the runtime has one (Node; a cross-origin isolated
 * page), so worker threads read one copy of a dataset instead of one each.
 */
export function sharedBytes(source: Uint8Array): Uint8Array {
  if (typeof SharedArrayBuffer === 'undefined') return source.slice();
  const out = new Uint8Array(new SharedArrayBuffer(source.length));
  out.set(source);
  return out;
}
