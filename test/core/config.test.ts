// `.initaudit.yml`: validation errors point at the offending line and column; the file's keys
// win over the editor's settings; package.json's settings are generated from the same schema.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseConfigText, resolveConfig } from '../../server/src/core/config/load';
import { CONFIG_KEYS, CONFIG_SCHEMA, DEFAULT_CONFIG } from '../../server/src/core/config/schema';
import { repoRoot } from '../support/paths';

suite('config file', () => {
  test('a valid file sets only the keys it names', () => {
    const { values, errors } = parseConfigText('rules:\n  implicit-gem-key-lookup: off\nexclude:\n  - legacy/**\nsecretBackend: chamber\n', 'c.yml');
    assert.deepEqual(errors, []);
    assert.deepEqual(values, { rules: { 'implicit-gem-key-lookup': 'off' }, exclude: ['legacy/**'], secretBackend: 'chamber' });
  });

  test('schema errors name the key and point at the offending value or key (1-based line:col)', () => {
    const text = 'rules:\n  env-forked-nil-secret: loud\nexclude: [ok, 3]\nmaxFileSize: 0\nsecretBackend: vault\ncolour: red\n';
    const { errors } = parseConfigText(text, 'c.yml');
    const at = errors.map((e) => `${e.line}:${e.column} ${e.message.split(':')[0] ?? ''}`);
    assert.deepEqual(at, ['2:26 rules.env-forked-nil-secret', '3:15 exclude.1', '4:14 maxFileSize', '5:16 secretBackend', '6:1 unknown key \'colour\' (known']);
    assert.match(errors[0]?.message ?? '', /expected one of "off"\|"on"\|"error"/);
  });

  test('YAML syntax errors and non-mapping documents are errors with a position, never exceptions', () => {
    const syntax = parseConfigText('rules:\n  a: off\n  b: [\n', 'c.yml');
    assert.equal(syntax.errors.length > 0, true);
    assert.ok((syntax.errors[0]?.line ?? 0) >= 3, JSON.stringify(syntax.errors));
    assert.match(parseConfigText('- a\n- b\n', 'c.yml').errors[0]?.message ?? '', /expected a mapping/);
    assert.deepEqual(parseConfigText('', 'c.yml'), { values: {}, errors: [] });
    assert.match(parseConfigText('rules:\n  a: off\nrules: {}\n', 'c.yml').errors[0]?.message ?? '', /unique/i);
  });

  test('the file wins over settings, rules merge per rule, invalid settings are dropped and reported', () => {
    const { config, settingErrors } = resolveConfig(
      { rules: { a: 'off', b: 'warning' }, exclude: 'not-a-list', secretBackend: 'env', unrelated: 1 },
      { rules: { b: 'error' }, secretBackend: 'credentials' },
    );
    assert.deepEqual(config.rules, { a: 'off', b: 'error' });
    assert.equal(config.secretBackend, 'credentials');
    assert.deepEqual(config.exclude, DEFAULT_CONFIG.exclude);
    assert.equal(settingErrors.length, 1);
    assert.match(settingErrors[0] ?? '', /^initaudit\.exclude: /);
  });
});

suite('settings in package.json', () => {
  // The schema is the single source of defaults; package.json must describe the same settings.
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
  };
  const properties = pkg.contributes.configuration.properties;
  const json = z.toJSONSchema(CONFIG_SCHEMA, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, Record<string, unknown>> };

  test('every config key is an `initaudit.<key>` resource setting with the schema\'s default, and nothing else is', () => {
    const declared = Object.keys(properties).filter((k) => k !== 'initaudit.trace.server');
    assert.deepEqual(declared.sort(), CONFIG_KEYS.map((k) => `initaudit.${k}`).sort());
    for (const key of CONFIG_KEYS) {
      const setting = properties[`initaudit.${key}`];
      assert.equal(setting?.['scope'], 'resource', key);
      assert.deepEqual(setting?.['default'], DEFAULT_CONFIG[key], `default of ${key}`);
    }
  });

  test('types, enums and bounds agree with the schema', () => {
    const norm = (t: unknown): string[] => (Array.isArray(t) ? (t as string[]) : [t as string]).map((x) => (x === 'integer' ? 'number' : x)).sort();
    for (const key of CONFIG_KEYS) {
      const setting = properties[`initaudit.${key}`] ?? {};
      const schema = json.properties[key] ?? {};
      const schemaType = schema['type'] ?? (schema['anyOf'] as { type: string }[] | undefined)?.map((s) => s.type);
      assert.deepEqual(norm(setting['type']), norm(schemaType), `type of ${key}`);
      for (const field of ['enum', 'maximum'] as const) assert.deepEqual(setting[field], schema[field], `${field} of ${key}`);
      const items = (schema['additionalProperties'] ?? schema['items']) as Record<string, unknown> | undefined;
      const settingItems = (setting['additionalProperties'] ?? setting['items']) as Record<string, unknown> | undefined;
      assert.deepEqual(settingItems?.['enum'], items?.['enum'], `values of ${key}`);
    }
  });
});
