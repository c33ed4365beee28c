// YAML read with the `yaml` package, with positions: Rails config (database.yml, sidekiq.yml, read
// through ERB), GitHub workflows, docker-compose files, Kubernetes manifests. ERB tags are masked with
// characters of the same length before parsing, so every node's range is a range of the original text,
// and the original text of a scalar (with its ERB) stays available to the callers that read it.

import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export interface YamlFile {
  /** The file as written, ERB included. */
  text: string;
  docs: Document.Parsed[];
}

const cache = new Map<string, YamlFile>();

/** Parses every document of a YAML stream; documents with syntax errors are dropped. Memoised by text. */
export function parseYaml(text: string): YamlFile {
  const cached = cache.get(text);
  if (cached) return cached;
  let docs: Document.Parsed[] = [];
  try {
    const all = parseAllDocuments(maskErb(text), { uniqueKeys: false, prettyErrors: false });
    docs = (Array.isArray(all) ? all : []).filter((d) => d.errors.length === 0);
  } catch {
    docs = [];
  }
  const file: YamlFile = { text, docs };
  if (cache.size > 200) cache.clear();
  cache.set(text, file);
  return file;
}

/** `<%= … %>` becomes underscores (a plain scalar where a value stood); `<% … %>` control and comment tags become spaces. */
export function maskErb(text: string): string {
  if (!text.includes('<%')) return text;
  return text.replace(/<%(=?)[\s\S]*?%>/g, (tag, eq: string) => (eq ? tag.replace(/[^\r\n]/g, '_') : tag.replace(/[^\r\n]/g, ' ')));
}

/** The original text of a node (ERB included); empty without a range. */
export function sourceOf(file: YamlFile, node: Node | null | undefined): string {
  const r = node?.range;
  return r ? file.text.slice(r[0], r[1]) : '';
}

/** A scalar's string value as written: the original text for plain scalars (ERB included), the parsed value for quoted ones. */
export function scalarText(file: YamlFile, node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.type === 'PLAIN') return sourceOf(file, node).trim();
  const original = sourceOf(file, node);
  // A quoted scalar that held ERB: the value between the quotes as written.
  if (original.includes('<%')) return original.slice(1, -1);
  return node.value === null || node.value === undefined ? undefined : String(node.value);
}

/** The pair for a key in a map, following `<<: *alias` merge keys (explicit keys win). */
export function pairOf(doc: Document.Parsed, map: unknown, key: string, depth = 0): Pair<unknown, unknown> | undefined {
  if (!isMap(map) || depth > 8) return undefined;
  const own = (map as YAMLMap<unknown, unknown>).items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (own) return own;
  for (const p of (map as YAMLMap<unknown, unknown>).items) {
    if (!isScalar(p.key) || p.key.value !== '<<') continue;
    const targets = isSeq(p.value) ? p.value.items : [p.value];
    for (const t of targets) {
      const resolved = isAlias(t) ? t.resolve(doc) : t;
      const found = pairOf(doc, resolved, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The value node for a key (aliases resolved). */
export function valueOf(doc: Document.Parsed, map: unknown, key: string): unknown {
  const v = pairOf(doc, map, key)?.value;
  return isAlias(v) ? v.resolve(doc) : v;
}

/** A path of keys from a node. */
export function valueAt(doc: Document.Parsed, node: unknown, ...keys: string[]): unknown {
  let cur = node;
  for (const k of keys) {
    cur = valueOf(doc, cur, k);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The string keys of a map, in order. */
export function keysOf(map: unknown): string[] {
  if (!isMap(map)) return [];
  return map.items.flatMap((p) => (isScalar(p.key) && p.key.value !== '<<' ? [String(p.key.value)] : []));
}

/** Items of a sequence, or []. */
export function itemsOf(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

export { isMap, isPair, isScalar, isSeq };
