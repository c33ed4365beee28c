// `.initaudit.yml`: validation errors point at the offending line and column; the file's keys
// win over the editor's settings; package.json's settings are generated from the same schema.

import '../support/parser-backend';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseConfigText, resolveConfig } from '../../server/src/core/config/load';
import { CONFIG_KEYS, CONFIG_SCHEMA, DEFAULT_CONFIG, RULE_LEVEL_DESCRIPTIONS, RULE_LEVELS, SECRET_BACKEND_DESCRIPTIONS, SECRET_BACKENDS } from '../../server/src/core/config/schema';
import { formatSize, parseSize } from '../../server/src/core/config/sizes';
import { RULE_METAS } from '../../server/src/core/rules';
import { repoRoot } from '../support/paths';

suite('config file', () => {
  test('a valid file sets only the keys it names', () => {
    const { values, errors } = parseConfigText('rules:\n  implicit-gem-key-lookup: off\nexclude:\n  - legacy/**\nsecretBackend: chamber\n', 'c.yml');
    assert.deepEqual(errors, []);
    assert.deepEqual(values, { rules: { 'implicit-gem-key-lookup': 'off' }, exclude: ['legacy/**'], secretBackend: 'chamber' });
  });

  test('schema errors point at the offending value or key (1-based line:col) and say what is allowed in the docs\' words', () => {
    const text = 'rules:\n  env-forked-nil-secret: loud\nexclude: [ok, 3]\nmaxFileSize: 0\nsecretBackend: vault\ncolour: red\n';
    const { errors } = parseConfigText(text, 'c.yml');
    assert.deepEqual(
      errors.map((e) => `${e.line}:${e.column} ${e.message}`),
      [
        '2:26 "loud" is not a level for env-forked-nil-secret: use off, on, error, warning, info or hint.',
        '3:15 Each "exclude" entry must be a glob pattern (a non-empty string), such as legacy/**.',
        '4:14 "maxFileSize" must be a number with a unit (B, KB, KiB, MB or MiB), such as 512 KiB; 0 is not a size.',
        '5:16 "vault" is not a secret backend: use auto, chamber, credentials or env.',
        '6:1 Unknown setting "colour": the settings are rules, exclude, maxFileSize, secretBackend and baseline.',
      ],
    );
    // Nothing from the validation library's own vocabulary reaches the user.
    for (const e of errors) assert.doesNotMatch(e.message, /Invalid|expected one of|received|Too small/);
  });

  test('a misspelt key or value gets "did you mean" and the replacement of exactly its span', () => {
    const text = 'exclued:\n  - legacy\nmax_file_size: 512 KiB\nrules:\n  implicit-gem-key-lookup: warn\nsecretBackend: "chambr"\n';
    const { errors } = parseConfigText(text, 'c.yml');
    assert.deepEqual(
      errors.map((e) => [e.line, e.column, e.length, e.message, e.fix?.newText]),
      [
        [1, 1, 7, 'Unknown setting "exclued": did you mean "exclude"?', 'exclude'],
        [3, 1, 13, 'Unknown setting "max_file_size": did you mean "maxFileSize"?', 'maxFileSize'],
        [5, 28, 4, '"warn" is not a level for implicit-gem-key-lookup: did you mean "warning"?', 'warning'],
        [6, 16, 8, '"chambr" is not a secret backend: did you mean "chamber"?', 'chamber'],
      ],
    );
    assert.equal(errors[0]?.fix?.title, 'Rename "exclued" to "exclude"');
    // Replacing each span with its fix gives a valid file.
    const lines = text.split('\n');
    for (const e of [...errors].reverse()) {
      const line = lines[e.line - 1] ?? '';
      lines[e.line - 1] = line.slice(0, e.column - 1) + (e.fix?.newText ?? '') + line.slice(e.column - 1 + (e.length ?? 0));
    }
    assert.deepEqual(parseConfigText(lines.join('\n'), 'c.yml').errors, []);
  });

  test('maxFileSize is a size with a unit (or bytes), at most 1 MiB', () => {
    const size = (v: string): unknown => parseConfigText(`maxFileSize: ${v}\n`, 'c.yml').values.maxFileSize;
    assert.equal(size('512 KiB'), 512 * 1024);
    assert.equal(size('1 MiB'), 1024 * 1024);
    assert.equal(size('300kb'), 300_000);
    assert.equal(size('524288'), 524288);
    assert.deepEqual(parseConfigText('maxFileSize: 2 MiB\n', 'c.yml').errors.map((e) => e.message), ['"maxFileSize" is 2 MiB, over the limit of 1 MiB.']);
    assert.equal(parseConfigText('maxFileSize: 5 parsecs\n', 'c.yml').errors.length, 1);
    assert.equal(formatSize(1024 * 1024), '1 MiB');
    assert.equal(formatSize(1536), '1.5 KiB');
    assert.equal(formatSize(700), '700 bytes');
  });

  test('YAML syntax errors and non-mapping documents are errors with a position, never exceptions', () => {
    const syntax = parseConfigText('rules:\n  a: off\n  b: [\n', 'c.yml');
    assert.equal(syntax.errors.length > 0, true);
    assert.ok((syntax.errors[0]?.line ?? 0) >= 3, JSON.stringify(syntax.errors));
    assert.match(parseConfigText('- a\n- b\n', 'c.yml').errors[0]?.message ?? '', /must be a mapping of settings/);
    assert.deepEqual(parseConfigText('', 'c.yml'), { values: {}, errors: [] });
    assert.equal(parseConfigText('rules:\n  a: off\nrules: {}\n', 'c.yml').errors[0]?.message, '"rules" appears twice: keep one.');
  });

  test('the file wins over settings, rules merge per rule, invalid settings are dropped and reported', () => {
    const { config, settingErrors } = resolveConfig(
      { rules: { a: 'off', b: 'warning' }, exclude: 'not-a-list', secretBackend: 'env', unrelated: 1 },
      { rules: { b: 'error' }, secretBackend: 'credentials' },
    );
    assert.deepEqual(config.rules, { a: 'off', b: 'error' });
    assert.equal(config.secretBackend, 'credentials');
    assert.deepEqual(config.exclude, DEFAULT_CONFIG.exclude);
    assert.deepEqual(settingErrors, ['initaudit.exclude must be a list of glob patterns, such as "- legacy/**".']);
  });

  test('an empty baseline setting means none; a size setting reads like the Settings UI shows it', () => {
    const { config, settingErrors } = resolveConfig({ baseline: '', maxFileSize: '256 KiB' });
    assert.deepEqual(settingErrors, []);
    assert.equal(config.baseline, '');
    assert.equal(config.maxFileSize, 256 * 1024);
    assert.deepEqual(resolveConfig({ secretBackend: 'vlt' }).settingErrors, ['initaudit.secretBackend: "vlt" is not a secret backend: use auto, chamber, credentials or env.']);
  });
});

suite('settings in package.json', () => {
  // The schema is the single source of defaults; package.json must describe the same settings.
  const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
  };
  const properties = pkg.contributes.configuration.properties;
  const json = z.toJSONSchema(CONFIG_SCHEMA, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, Record<string, unknown>> };
  /** Settings the Settings UI edits as text: a size is a string there ("1 MiB"), a number or a string in the file. */
  const AS_TEXT: readonly string[] = ['maxFileSize'];

  test('every config key is an `initaudit.<key>` resource setting with the schema\'s default, and nothing else is', () => {
    const declared = Object.keys(properties).filter((k) => k !== 'initaudit.trace.server');
    assert.deepEqual(declared.sort(), CONFIG_KEYS.map((k) => `initaudit.${k}`).sort());
    for (const key of CONFIG_KEYS) {
      const setting = properties[`initaudit.${key}`];
      assert.equal(setting?.['scope'], 'resource', key);
      const declaredDefault = AS_TEXT.includes(key) ? parseSize(setting?.['default'] as string) : setting?.['default'];
      assert.deepEqual(declaredDefault, DEFAULT_CONFIG[key], `default of ${key}`);
    }
  });

  test('types, enums and bounds agree with the schema, and every setting has one type the Settings UI can edit', () => {
    const norm = (t: unknown): string[] => (Array.isArray(t) ? (t as string[]) : [t as string]).map((x) => (x === 'integer' ? 'number' : x)).sort();
    for (const key of CONFIG_KEYS) {
      const setting = properties[`initaudit.${key}`] ?? {};
      assert.equal(typeof setting['type'], 'string', `${key} has a single type`);
      const schema = json.properties[key] ?? {};
      const schemaType = schema['type'] ?? (schema['anyOf'] as { type: string }[] | undefined)?.map((s) => s.type);
      if (AS_TEXT.includes(key)) assert.ok(norm(schemaType).includes('string'), `${key} accepts text`);
      else assert.deepEqual(norm(setting['type']), norm(schemaType), `type of ${key}`);
      for (const field of ['enum', 'maximum'] as const) assert.deepEqual(setting[field], schema[field], `${field} of ${key}`);
      const items = (schema['additionalProperties'] ?? schema['items']) as Record<string, unknown> | undefined;
      const settingItems = (setting['additionalProperties'] ?? setting['items']) as Record<string, unknown> | undefined;
      assert.deepEqual(settingItems?.['enum'], items?.['enum'], `values of ${key}`);
    }
  });

  test('the Settings UI offers every rule by id, with what each level and each secret backend does', () => {
    const rules = properties['initaudit.rules'] ?? {};
    const perRule = rules['properties'] as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(perRule), RULE_METAS.map((m) => m.id));
    for (const meta of RULE_METAS) {
      const rule = perRule[meta.id] ?? {};
      assert.deepEqual(rule['enum'], [...RULE_LEVELS], meta.id);
      assert.deepEqual(rule['enumDescriptions'], RULE_LEVELS.map((l) => RULE_LEVEL_DESCRIPTIONS[l]), meta.id);
      assert.match(String(rule['markdownDescription']), new RegExp(`^${meta.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(default: ${meta.defaultSeverity}\\)`), meta.id);
    }
    const additional = rules['additionalProperties'] as Record<string, unknown>;
    assert.deepEqual(additional['enumDescriptions'], RULE_LEVELS.map((l) => RULE_LEVEL_DESCRIPTIONS[l]));
    assert.deepEqual(properties['initaudit.secretBackend']?.['enumDescriptions'], SECRET_BACKENDS.map((b) => SECRET_BACKEND_DESCRIPTIONS[b]));
  });

  test('the maxFileSize pattern the Settings UI checks accepts exactly the sizes the schema reads', () => {
    const pattern = new RegExp(String(properties['initaudit.maxFileSize']?.['pattern']));
    for (const text of ['1 MiB', '512 KiB', '512KiB', '300 kb', '2.5 MB', '4096', '100 bytes', '7 B']) assert.ok(pattern.test(text) && parseSize(text) !== undefined, text);
    for (const text of ['', 'lots', '1 GiB', 'MiB', '-1 MiB', '1,5 MiB']) assert.ok(!pattern.test(text) && parseSize(text) === undefined, text);
  });
});
