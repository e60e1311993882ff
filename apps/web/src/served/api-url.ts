/**
 * A URL of the server's API with the token of the page's own URL, when it has one (a non-loopback
 * `sweeplab serve` prints it there): every API call and the live stream carry it.
 */
export function apiUrl(path: string, token: string | null): string {
  return token ? `${path}?token=${encodeURIComponent(token)}` : path;
}
