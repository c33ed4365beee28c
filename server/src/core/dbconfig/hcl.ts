// Terraform (HCL) read by a small scanner, enough for the few attributes the connection budget reads:
// blocks with labels (`resource "aws_ecs_service" "web" { … }`), nested blocks (`parameter { … }`),
// and attributes with the raw text of their value and its offsets. Strings (with `${…}`), heredocs and
// the three comment styles are skipped correctly; expressions are not evaluated here.

export interface HclAttribute {
  name: string;
  start: number;
  /** The value's text as written and its offsets. */
  raw: string;
  valueStart: number;
  valueEnd: number;
}

export interface HclBlock {
  type: string;
  labels: string[];
  start: number;
  attributes: Map<string, HclAttribute>;
  blocks: HclBlock[];
}

const cache = new Map<string, HclBlock[]>();

/** The top-level blocks of a file; a file that cannot be scanned yields what was read before the problem. Memoised by text. */
export function hclBlocks(text: string): HclBlock[] {
  const cached = cache.get(text);
  if (cached) return cached;
  const s = new Scanner(text);
  const root: HclBlock = { type: '', labels: [], start: 0, attributes: new Map(), blocks: [] };
  try {
    s.body(root, false, 0);
  } catch {
    // Malformed input: keep what was read.
  }
  if (cache.size > 200) cache.clear();
  cache.set(text, root.blocks);
  return root.blocks;
}

class Scanner {
  pos = 0;
  constructor(private readonly t: string) {}

  body(into: HclBlock, nested: boolean, depth: number): void {
    if (depth > 20) throw new Error('too deep');
    for (;;) {
      this.skipSpace(true);
      if (this.pos >= this.t.length) return;
      const c = this.t[this.pos]!;
      if (c === '}') {
        if (nested) this.pos++;
        if (nested) return;
        this.pos++;
        continue;
      }
      const start = this.pos;
      const name = this.ident();
      if (!name) {
        this.skipLine();
        continue;
      }
      this.skipSpace(false);
      if (this.t[this.pos] === '=' && this.t[this.pos + 1] !== '=') {
        this.pos++;
        this.skipSpace(false);
        const valueStart = this.pos;
        this.expression();
        const valueEnd = this.trimEnd(valueStart, this.pos);
        into.attributes.set(name, { name, start, raw: this.t.slice(valueStart, valueEnd), valueStart, valueEnd });
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skipSpace(false);
        const ch = this.t[this.pos];
        if (ch === '"') labels.push(this.string());
        else if (ch !== undefined && /[A-Za-z_]/.test(ch)) labels.push(this.ident());
        else break;
      }
      if (this.t[this.pos] !== '{') {
        this.skipLine();
        continue;
      }
      this.pos++;
      const block: HclBlock = { type: name, labels, start, attributes: new Map(), blocks: [] };
      into.blocks.push(block);
      this.body(block, true, depth + 1);
    }
  }

  /** An attribute's value: up to the end of the line outside brackets, strings and heredocs. */
  private expression(): void {
    let depth = 0;
    while (this.pos < this.t.length) {
      const c = this.t[this.pos]!;
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === '<' && this.t[this.pos + 1] === '<') {
        const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(this.t.slice(this.pos, this.pos + 200));
        if (m) {
          const endRe = new RegExp(`\\n[ \\t]*${m[1]}[ \\t]*(?=\\r?\\n|$)`, 'g');
          endRe.lastIndex = this.pos;
          const end = endRe.exec(this.t);
          this.pos = end ? end.index + end[0].length : this.t.length;
          continue;
        }
      }
      if (c === '#' || (c === '/' && (this.t[this.pos + 1] === '/' || this.t[this.pos + 1] === '*'))) {
        if (depth === 0 && c !== '/') return;
        if (c === '/' && this.t[this.pos + 1] === '*') {
          const end = this.t.indexOf('*/', this.pos + 2);
          this.pos = end < 0 ? this.t.length : end + 2;
          continue;
        }
        if (depth === 0) return;
        this.skipLineContent();
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return;
        depth--;
      } else if ((c === '\n' || c === '\r') && depth === 0) return;
      this.pos++;
    }
  }

  /** A quoted string, returning its text with interpolations kept as written. */
  private string(): string {
    const start = ++this.pos;
    let depth = 0;
    while (this.pos < this.t.length) {
      const c = this.t[this.pos]!;
      if (c === '\\') this.pos += 2;
      else if (c === '$' && this.t[this.pos + 1] === '{') {
        depth++;
        this.pos += 2;
      } else if (c === '}' && depth > 0) {
        depth--;
        this.pos++;
      } else if (c === '"' && depth === 0) {
        this.pos++;
        return this.t.slice(start, this.pos - 1);
      } else if (c === '"' && depth > 0) {
        // A string inside an interpolation.
        this.string();
      } else if (c === '\n' && depth === 0) return this.t.slice(start, this.pos);
      else this.pos++;
    }
    return this.t.slice(start);
  }

  private ident(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.t.slice(this.pos, this.pos + 200));
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }

  private skipSpace(newlines: boolean): void {
    while (this.pos < this.t.length) {
      const c = this.t[this.pos]!;
      if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r' || c === ','))) this.pos++;
      else if (newlines && (c === '#' || (c === '/' && this.t[this.pos + 1] === '/'))) this.skipLineContent();
      else if (c === '/' && this.t[this.pos + 1] === '*') {
        const end = this.t.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.t.length : end + 2;
      } else return;
    }
  }

  private skipLineContent(): void {
    while (this.pos < this.t.length && this.t[this.pos] !== '\n' && this.t[this.pos] !== '\r') this.pos++;
  }

  private skipLine(): void {
    this.skipLineContent();
    this.pos++;
  }

  private trimEnd(start: number, end: number): number {
    let e = end;
    while (e > start && /\s/.test(this.t[e - 1]!)) e--;
    return e;
  }
}

/** A whole-number literal (`170`, `"170"`), or undefined. */
export function hclNumber(raw: string): number | undefined {
  const m = /^"?\s*(\d{1,7})\s*"?$/.exec(raw.trim());
  return m ? Number(m[1]) : undefined;
}

/** A plain string literal without interpolation, or undefined. */
export function hclString(raw: string): string | undefined {
  const m = /^"((?:[^"\\$]|\\.|\$(?!\{))*)"$/.exec(raw.trim());
  return m ? m[1] : undefined;
}
