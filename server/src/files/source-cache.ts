// Every file text the CLI has seen, so each file is read from disk once per run: audited files
// (read with the size/binary checks) and the files rules look up through the workspace (such as
// config/environments/test.rb). --fix also uses the cached texts to tell whether a file changed
// on disk while it was being fixed.

import { readFileSync } from 'node:fs';
import { decode, MAX_FILE_BYTES, readSourceFile, type ReadResult } from './read-source';

export class SourceCache {
  /** null: the file did not exist or could not be read when first asked for. */
  private readonly texts = new Map<string, string | null>();
  /** Files whose text came through readSourceFile, i.e. passed the size and binary checks. */
  private readonly vetted = new Set<string>();
  /** Files whose bytes are not valid UTF-8: writing their text back would corrupt them. */
  private readonly lossy = new Set<string>();

  /** For FileSystemWorkspace: a file's text, read at most once. */
  readonly lookup = (path: string): string | undefined => {
    if (!this.texts.has(path)) {
      let text: string | null = null;
      try {
        const decoded = decode(readFileSync(path));
        text = decoded.text;
        if (!decoded.lossless) this.lossy.add(path);
      } catch {
        // Absent or unreadable: the workspace reports it as missing.
      }
      this.texts.set(path, text);
    }
    return this.texts.get(path) ?? undefined;
  };

  /** An audited file's text, read with the size and binary checks unless already read that way. */
  readSource(path: string, maxBytes = MAX_FILE_BYTES): ReadResult {
    const known = this.texts.get(path);
    if (this.vetted.has(path) && typeof known === 'string' && (maxBytes >= MAX_FILE_BYTES || Buffer.byteLength(known) <= maxBytes)) {
      return { ok: true, text: known, lossless: !this.lossy.has(path) };
    }
    const read = readSourceFile(path, maxBytes);
    if (read.ok) {
      this.texts.set(path, read.text);
      this.vetted.add(path);
      if (read.lossless) this.lossy.delete(path);
      else this.lossy.add(path);
    }
    return read;
  }

  /** The text the run has been working from, without touching the disk. */
  known(path: string): { seen: boolean; text: string | undefined; lossless: boolean } {
    return { seen: this.texts.has(path), text: this.texts.get(path) ?? undefined, lossless: !this.lossy.has(path) };
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
  }
}
