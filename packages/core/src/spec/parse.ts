import { parse as parseYaml } from 'yaml';
import { SweeplabError } from '../errors.ts';
import { type SweepSpec, validateSpec } from './validate.ts';

/** Parses YAML or JSON text (JSON is YAML) and validates it. `source` names the file in messages. */
export function parseSpec(text: string, source = 'sweep spec'): SweepSpec {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new SweeplabError('SWEEP_SPEC_UNPARSABLE', `${source} is not valid YAML or JSON: ${detail}`, {
      fix: 'correct the syntax at the line and column named above',
    });
  }
  if (raw === null || raw === undefined) {
    throw new SweeplabError('SWEEP_SPEC_UNPARSABLE', `${source} is empty.`, {
      fix: 'write at least one axis, e.g. "layers: [1, 2, 3]"',
    });
  }
  return validateSpec(raw);
}
