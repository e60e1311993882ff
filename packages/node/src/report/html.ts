/**
 * report.html: one self-contained file that opens offline with a double click. The dashboard elements,
 * Lit and uPlot (its CSS included) are bundled by esbuild into an inline script; the analysis is inlined
 * as JSON.
 */
import { fileURLToPath } from 'node:url';
import type { SweepAnalysis } from '@sweeplab/core';
import { build } from 'esbuild';

let bundled: Promise<string> | null = null;

/** The page script, built once per process (esbuild takes a fraction of a second). */
export function reportScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./browser-entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}

/**
 * JSON safe inside a `<script>` element: `<` becomes `\u003c`, so no `</script>` or `<!--` can end or
 * confuse the element, whatever trial names or error messages hold. JSON.parse reads it back unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function reportHtml(analysis: SweepAnalysis): Promise<string> {
  // esbuild already escapes `</script` inside strings; this also covers any in comments or regexes.
  const script = (await reportScript()).replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sweeplab report: ${escapeHtml(analysis.name)}</title>
<style>body { margin: 0; background: #fff; }</style>
</head>
<body>
<sl-sweep-report></sl-sweep-report>
<script type="application/json" id="sweep-data">${scriptSafeJson(analysis)}</script>
<script>${script}</script>
</body>
</html>
`;
}
