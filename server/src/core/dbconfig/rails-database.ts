// config/database.yml as Active Record reads it: one configuration per environment, or several per
// environment in the multi-database form (`production: { primary: …, queue: … }`), with `<<: *default`
// merges followed. Positions are those of the file; values are read as written (ERB included).

import type { Document, Pair } from 'yaml';
import type { ConnectionParts } from '../dbhandles/pooler';
import { yamlConnectionSource } from './ruby-values';
import { isMap, keysOf, pairOf, parseYaml, scalarText, valueOf, type YamlFile } from './yaml';

export interface DatabaseConfig {
  env: string;
  /** The database's name in the multi-database form (`primary`, `queue`), else undefined. */
  name?: string;
  doc: Document.Parsed;
  map: unknown;
}

const CONFIG_KEYS = ['adapter', 'url', 'database', 'host', 'username', 'pool', 'max_connections'];

export function databaseYml(text: string): { file: YamlFile; configs: DatabaseConfig[] } {
  const file = parseYaml(text);
  const configs: DatabaseConfig[] = [];
  const doc = file.docs[0];
  if (!doc) return { file, configs };
  for (const env of keysOf(doc.contents)) {
    const map = valueOf(doc, doc.contents, env);
    if (!isMap(map)) continue;
    const keys = keysOf(map);
    const isConfig = CONFIG_KEYS.some((k) => pairOf(doc, map, k));
    if (isConfig || keys.length === 0) {
      configs.push({ doc, env, map });
      continue;
    }
    for (const name of keys) {
      const sub = valueOf(doc, map, name);
      if (isMap(sub) && CONFIG_KEYS.some((k) => pairOf(doc, sub, k))) configs.push({ doc, env, name, map: sub });
    }
  }
  return { file, configs };
}

/** The connection a configuration names: its `url`, else its `host` and `port`; with the pairs to point at. */
export function configConnection(file: YamlFile, c: DatabaseConfig): { parts: ConnectionParts; pairs: Partial<Record<keyof ConnectionParts, Pair<unknown, unknown>>> } | undefined {
  const url = pairOf(c.doc, c.map, 'url');
  const urlSource = url ? yamlConnectionSource(scalarText(file, url.value)) : undefined;
  if (url && urlSource) return { parts: { url: urlSource }, pairs: { url } };
  const out: { parts: ConnectionParts; pairs: Partial<Record<keyof ConnectionParts, Pair<unknown, unknown>>> } = { parts: {}, pairs: {} };
  for (const key of ['host', 'port'] as const) {
    const pair = pairOf(c.doc, c.map, key);
    const s = pair ? yamlConnectionSource(scalarText(file, pair.value)) : undefined;
    if (!pair || !s) continue;
    out.parts[key] = s;
    out.pairs[key] = pair;
  }
  return out.parts.host || out.parts.port ? out : undefined;
}

/**
 * Whether migrations take Rails' advisory lock: true when `advisory_locks` is absent or literally true,
 * false when it is false, undefined when it is written some other way (an ERB expression): unknown.
 */
export function advisoryLocksOn(file: YamlFile, c: DatabaseConfig): boolean | undefined {
  const p = pairOf(c.doc, c.map, 'advisory_locks');
  if (!p) return true;
  const v = scalarText(file, p.value)?.trim();
  if (v === undefined) return undefined;
  if (/^['"]?false['"]?$/.test(v)) return false;
  return /^['"]?true['"]?$/.test(v) ? true : undefined;
}
