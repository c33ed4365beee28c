// The `datasource` blocks of a Prisma schema, read by a small scanner: block structure, `//` comments,
// strings, and the attributes migration rules care about (`provider`, `url`, `directUrl`), each with
// where it comes from (a literal or `env("NAME")`) and where it is written. Models are skipped.

import { dirname, join } from 'node:path';
import type { ConnectionSource } from '../dbhandles/types';
import type { Workspace } from '../types';

export interface PrismaAttribute {
  name: string;
  /** Offsets of the attribute's line content (from its name to the end of its value). */
  start: number;
  end: number;
  /** The line's indentation, for a fix that adds a sibling line. */
  indent: string;
  /** Offset of the end of the attribute's line (before its line break). */
  lineEnd: number;
  source?: ConnectionSource;
  /** A literal string value (`provider = "postgresql"`). */
  literal?: string;
}

export interface PrismaDatasource {
  name: string;
  /** Offset of the `datasource` keyword. */
  start: number;
  attributes: Map<string, PrismaAttribute>;
}

const BLOCK = /^([ \t]*)(datasource|generator|model|enum|type|view)[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\{/;

/** Every datasource block of a schema (normally one). */
export function prismaDatasources(text: string): PrismaDatasource[] {
  const out: PrismaDatasource[] = [];
  const lines = splitLines(text);
  let current: PrismaDatasource | undefined;
  let depth = 0;
  for (const line of lines) {
    const code = stripComment(line.text);
    if (depth === 0) {
      const m = BLOCK.exec(code);
      if (m) {
        depth = 1;
        current = m[2] === 'datasource' ? { name: m[3]!, start: line.start + m[1]!.length, attributes: new Map() } : undefined;
        if (current) out.push(current);
        if (code.includes('}', m[0].length)) depth = 0;
        continue;
      }
      continue;
    }
    if (/^\s*\}/.test(code)) {
      depth = 0;
      current = undefined;
      continue;
    }
    if (!current) continue;
    const a = /^([ \t]*)([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*?)[ \t]*$/.exec(code);
    if (!a) continue;
    const value = a[3]!;
    const attr: PrismaAttribute = {
      name: a[2]!,
      start: line.start + a[1]!.length,
      end: line.start + code.trimEnd().length,
      indent: a[1]!,
      lineEnd: line.start + line.text.length,
    };
    const env = /^env\(\s*"([^"]+)"\s*\)$/.exec(value);
    const str = /^"((?:[^"\\]|\\.)*)"$/.exec(value);
    if (env) attr.source = { envVar: env[1]! };
    else if (str) {
      attr.literal = str[1]!;
      attr.source = { literal: str[1]! };
    }
    current.attributes.set(attr.name, attr);
  }
  return out;
}

interface Line {
  text: string;
  start: number;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ text: text.slice(start, m.index), start });
    start = m.index + m[0].length;
  }
  out.push({ text: text.slice(start), start });
  return out;
}

/** A line without its `//` comment; `//` inside a string is kept. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
    else if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

/** The major version of Prisma that the project's package.json asks for (`prisma` or `@prisma/client`), when it names one. */
export function prismaMajor(ws: Workspace, file: string): number | undefined {
  const dir = projectDir(ws, file);
  const text = dir ? ws.readFile(join(dir, 'package.json')) : undefined;
  if (!text) return undefined;
  try {
    const pkg = JSON.parse(text) as Record<string, Record<string, unknown> | undefined>;
    for (const deps of [pkg['dependencies'], pkg['devDependencies']]) {
      for (const name of ['prisma', '@prisma/client']) {
        const spec = deps?.[name];
        const m = typeof spec === 'string' ? /^[\^~>=v\s]*(\d+)\./.exec(spec) : undefined;
        if (m) return Number(m[1]);
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function projectDir(ws: Workspace, file: string): string | undefined {
  let dir = dirname(file);
  for (let guard = 0; guard < 30; guard++) {
    if (ws.fileExists(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir || !parent.startsWith(ws.root)) return undefined;
    dir = parent;
  }
  return undefined;
}

/**
 * Where PrismaClient's URL comes from for a file of a project: the `url` of the datasource in the
 * project's prisma/schema.prisma (or schema.prisma), the project being the nearest folder above with a
 * package.json. Undefined when there is no such schema or its url is not a literal or env("NAME").
 */
export function prismaClientUrl(ws: Workspace, file: string): ConnectionSource | undefined {
  const dir = projectDir(ws, file);
  if (!dir) return undefined;
  for (const rel of ['prisma/schema.prisma', 'schema.prisma']) {
    const text = ws.readFile(join(dir, rel));
    if (text === undefined) continue;
    const ds = prismaDatasources(text);
    return ds.length === 1 ? ds[0]!.attributes.get('url')?.source : undefined;
  }
  return undefined;
}
