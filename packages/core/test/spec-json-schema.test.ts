import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AXIS_NAMES,
  RUN_SETTING_NAMES,
  SETTING_NAMES,
  SWEEP_SCHEMA_PATH,
  sweepJsonSchema,
} from '../src/index.ts';

const ROOT = join(import.meta.dirname, '../../..');

interface JsonSchemaNode {
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  $defs?: Record<string, JsonSchemaNode>;
  pattern?: string;
}

/** Every `properties` key anywhere in the schema, with its node. */
function allProperties(node: JsonSchemaNode, path = ''): Array<[string, JsonSchemaNode]> {
  const own = Object.entries(node.properties ?? {}).flatMap(([key, child]) => [
    [`${path}${key}`, child] as [string, JsonSchemaNode],
    ...allProperties(child, `${path}${key}.`),
  ]);
  const nested = [
    ...(node.anyOf ?? []),
    ...(node.items ? [node.items] : []),
    ...Object.values(node.$defs ?? {}),
  ].flatMap((child) => allProperties(child, path));
  return [...own, ...nested];
}

describe('the sweep JSON Schema', () => {
  it(`is committed at ${SWEEP_SCHEMA_PATH} and matches the zod schema`, async () => {
    const committed = JSON.parse(await readFile(join(ROOT, SWEEP_SCHEMA_PATH), 'utf8'));
    expect(committed, `${SWEEP_SCHEMA_PATH} is out of date: run \`pnpm schema\` and commit it`).toEqual(
      sweepJsonSchema(),
    );
  });

  it('lists exactly the keys validateSpec accepts at the top level', () => {
    const schema = sweepJsonSchema() as JsonSchemaNode;
    expect(Object.keys(schema.properties!).sort()).toEqual(
      ['$schema', 'name', 'grids', ...AXIS_NAMES, ...SETTING_NAMES, ...RUN_SETTING_NAMES].sort(),
    );
    expect(Object.keys(schema.$defs!.gridBlock!.properties!).sort()).toEqual(
      [...AXIS_NAMES, ...SETTING_NAMES].sort(),
    );
  });

  it('describes every key, nested ones included', () => {
    const properties = allProperties(sweepJsonSchema() as JsonSchemaNode);
    expect(properties.map(([key]) => key)).toEqual(expect.arrayContaining(['wide', 'order', 'epochs']));
    expect(properties.filter(([, node]) => !node.description).map(([key]) => key)).toEqual([]);
  });

  it('lets an axis take one value or a list of values', () => {
    const layers = (sweepJsonSchema() as JsonSchemaNode).properties!.layers!;
    expect(layers.anyOf).toEqual([
      { $ref: '#/$defs/layersValue' },
      { type: 'array', minItems: 1, items: { $ref: '#/$defs/layersValue' } },
    ]);
  });

  it('refuses names of only dots, as validation does', () => {
    const pattern = new RegExp((sweepJsonSchema() as JsonSchemaNode).properties!.name!.pattern!);
    expect(['.', '..', '...'].filter((name) => pattern.test(name))).toEqual([]);
    expect(pattern.test('v1.2')).toBe(true);
  });
});
