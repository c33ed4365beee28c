// Every file text the CLI has seen, so each file is read from disk once per run: audited files
// (read with the size/binary checks) and the files rules look up through the workspace (such as
// config/environments/test.rb). --fix also uses the cached texts to tell whether a file changed
// on disk while it was being fixed. All reads go through the run's FileAccess.

import { decodeText, type FileAccess } from '../core/file-access';
import { MAX_FILE_BYTES, readSourceBytes, readSourceFile, type ReadResult } from './read-source';
import type { SkippedFile } from './skipped';

export class SourceCache {
  /** null: the file did not exist or could not be read when first asked for. */
  private readonly texts = new Map<string, string | null>();
  /** Files whose text came through readSourceFile, i.e. passed the size and binary checks. */
  private readonly vetted = new Set<string>();
  /** Files whose bytes are not valid UTF-8: writing their text back would corrupt them. */
  private readonly lossy = new Set<string>();
  /** Files that start with a byte order mark, which the texts here do not include. */
  private readonly boms = new Set<string>();

  /**
   * @param maxTexts keep at most this many texts, the least recently used going first: an audit
   *   worker looks up every model of every app it builds a model of (once each), and only a few
   *   files (Gemfile.lock, test.rb) again and again. Unbounded by default: the CLI's own cache must
   *   remember every text it read (--fix compares them with the disk).
   */
  constructor(
    readonly access: FileAccess,
    private readonly maxTexts = Infinity,
  ) {}

  /** For FileSystemWorkspace: a file's text, read at most once (while kept); null when it is absent or refused. */
  readonly lookup = (path: string): string | null => {
    if (this.texts.has(path)) {
      if (this.maxTexts !== Infinity) {
        // Most recently used last.
        const text = this.texts.get(path)!;
        this.texts.delete(path);
        this.texts.set(path, text);
      }
    } else {
      if (this.texts.size >= this.maxTexts) {
        const oldest = this.texts.keys().next().value;
        if (oldest !== undefined) this.forget(oldest);
      }
      let text: string | null = null;
      // Looked-up files (Gemfile.lock, test.rb) get the same cap as audited ones. Decoding copies
      // the bytes, so they can be a transient read's.
      const read = this.access.read(path, MAX_FILE_BYTES, true);
      if (read.ok) {
        const decoded = decodeText(read.bytes);
        text = decoded.text;
        this.mark(path, decoded.lossless, decoded.bom);
      }
      this.texts.set(path, text);
    }
    return this.texts.get(path) ?? null;
  };

  /** An audited file's text, read with the size and binary checks unless already read that way. */
  readSource(path: string, maxBytes = MAX_FILE_BYTES): ReadResult {
    const known = this.texts.get(path);
    if (this.vetted.has(path) && typeof known === 'string' && (maxBytes >= MAX_FILE_BYTES || Buffer.byteLength(known) <= maxBytes)) {
      return { ok: true, text: known, lossless: !this.lossy.has(path), bom: this.boms.has(path) };
    }
    const read = readSourceFile(this.access, path, maxBytes);
    if (read.ok) {
      this.texts.set(path, read.text);
      this.vetted.add(path);
      this.mark(path, read.lossless, read.bom);
    }
    return read;
  }

  /**
   * An audited file's bytes, with readSource's checks, neither decoded nor kept: the audit's
   * prefilter looks at these and `adopt`s the few files a rule wants. Already-read texts are
   * returned as they are. The bytes are valid until the next call (a buffer the access reuses):
   * copy what is kept, as `adopt` does.
   */
  readSourceBytes(path: string, maxBytes = MAX_FILE_BYTES): { ok: true; bytes: Buffer; text?: string } | { ok: false; skipped: SkippedFile } {
    const known = this.texts.get(path);
    if (this.vetted.has(path) && typeof known === 'string') {
      const read = this.readSource(path, maxBytes);
      return read.ok ? { ok: true, bytes: Buffer.from(read.text, 'utf8'), text: read.text } : read;
    }
    return readSourceBytes(this.access, path, maxBytes, true);
  }

  /** Decodes and keeps bytes from `readSourceBytes`, as readSource would have. */
  adopt(path: string, bytes: Buffer): ReadResult & { ok: true } {
    const decoded = decodeText(bytes);
    this.texts.set(path, decoded.text);
    this.vetted.add(path);
    this.mark(path, decoded.lossless, decoded.bom);
    return { ok: true, ...decoded };
  }

  /** The text the run has been working from, without touching the disk. */
  known(path: string): { seen: boolean; text: string | undefined; lossless: boolean; bom: boolean } {
    return { seen: this.texts.has(path), text: this.texts.get(path) ?? undefined, lossless: !this.lossy.has(path), bom: this.boms.has(path) };
  }

  /** Records a text the run has just written to disk; fixes produce text, so it counts as vetted. */
  wrote(path: string, text: string): void {
    this.texts.set(path, text);
    this.vetted.add(path);
    this.lossy.delete(path);
  }

  /** Forgets a file so it is read again (after a failed write its disk state is unknown). */
  forget(path: string): void {
    this.texts.delete(path);
    this.vetted.delete(path);
    this.lossy.delete(path);
    this.boms.delete(path);
  }

  private mark(path: string, lossless: boolean, bom: boolean): void {
    if (lossless) this.lossy.delete(path);
    else this.lossy.add(path);
    if (bom) this.boms.add(path);
    else this.boms.delete(path);
  }
}
