// The one way initaudit touches the disk. Every read, listing, existence probe and write of a
// workspace goes through a FileAccess, which:
// - resolves real paths and refuses anything outside the audited root (a symlink out of it,
//   a `baseline:` or setupFiles path two folders up), unless the user named that path;
// - reads only regular files, checks the size before opening, opens non-blocking (a FIFO
//   swapped in after the check cannot block) and caps the bytes read, so /dev/zero, a FIFO or a
//   socket costs nothing;
// - remembers each refusal once, so callers can say so once; a refusal names the path and the
//   reason, never the file's contents.

import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export type RefusalReason = 'outside-root' | 'not-a-file' | 'too-large' | 'unreadable' | 'vanished';

export interface Refusal {
  path: string;
  reason: RefusalReason;
  /** Shown after the path, e.g. "not a regular file: a named pipe". Never the file's contents. */
  detail: string;
  size?: number;
}

export type ReadOutcome = { ok: true; bytes: Buffer } | { ok: false; refusal: Refusal };
export type EntryKind = 'file' | 'dir' | 'link' | 'other';
export type ListOutcome = { ok: true; entries: { name: string; kind: EntryKind }[] } | { ok: false; refusal: Refusal };

/** Where the flags exist (not on Windows); 0 elsewhere, where FIFOs do not slip in this way. */
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const CHUNK = 64 * 1024;

export interface FileAccessOptions {
  /**
   * Remember each folder's real path for the life of this access (one audit run): a file's real
   * path is then its folder's plus its name once an lstat shows the name is no link, instead of a
   * realpath per file, which resolves every component again. A folder swapped for a link during the
   * run would be seen as it was when first resolved, so long-lived accesses (the editor's) leave it off.
   */
  rememberFolders?: boolean;
}

export class FileAccess {
  private realRoots: string[] | undefined;
  private lexicalRoots: string[] | undefined;
  /** Folder → its real path, with `rememberFolders`. */
  private readonly folders: Map<string, string> | undefined;
  /** The buffer transient reads fill (see `read`). */
  private scratch: Buffer | undefined;
  /** Paths the user named (--config, --baseline): allowed wherever they are, still type- and size-checked. */
  private readonly named: Set<string>;
  private readonly refused = new Map<string, Refusal>();

  /**
   * @param roots the audited root first, then any other folder reads may come from
   * @param named files the user named explicitly, allowed outside the roots
   * @param onRefusal called once per refused path (not for files that simply do not exist)
   */
  constructor(
    readonly roots: readonly string[],
    named: readonly string[] = [],
    private readonly onRefusal?: (refusal: Refusal) => void,
    options: FileAccessOptions = {},
  ) {
    this.named = new Set(named.map((p) => resolve(p)));
    if (options.rememberFolders) this.folders = new Map();
  }

  /** The options a worker's own access is made with, to resolve alike. */
  get options(): FileAccessOptions {
    return this.folders ? { rememberFolders: true } : {};
  }

  get root(): string {
    return this.roots[0] ?? '/';
  }

  /** The files the user named, for a worker's own FileAccess. */
  namedFiles(): string[] {
    return [...this.named];
  }

  /** Every path refused so far, each once, in the order refused. */
  refusals(): Refusal[] {
    return [...this.refused.values()];
  }

  /**
   * Reads a regular file inside the roots, at most `maxBytes` bytes. `transient`: the bytes are a
   * view of one buffer this access reuses, valid until its next transient read, for a caller that
   * copies what it keeps (the audit's prefilter): an audit reading tens of thousands of files then
   * leaves no garbage buffers behind, which were a sixth of its peak memory.
   */
  read(path: string, maxBytes: number, transient = false): ReadOutcome {
    const where = this.locate(path);
    if ('refusal' in where) return this.fail(where.refusal);
    const pre = this.regular(path, where.real, maxBytes, where.stats);
    if (pre) return this.fail(pre);
    let fd: number | undefined;
    try {
      fd = openSync(where.real, constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
      const stats = fstatSync(fd);
      if (!stats.isFile()) return this.fail(notAFile(path, stats));
      if (transient) return this.readInto(fd, path, stats.size, maxBytes);
      const chunks: Buffer[] = [];
      let total = 0;
      // Read to EOF, never past the cap: the size can lie (a file growing, a kernel file).
      // The first read is sized by fstat (one byte more, to see a file that grew), so a typical
      // source file costs one small allocation from Buffer's pool instead of a fresh 64 KiB chunk:
      // an audit reads tens of thousands of files, and that churn was most of its peak memory.
      for (let size = Math.max(1, Math.min(stats.size + 1, CHUNK)); ; size = CHUNK) {
        const chunk = Buffer.allocUnsafe(Math.min(size, maxBytes + 1 - total));
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
        total += n;
        if (total > maxBytes) return this.fail(tooLarge(path, Math.max(total, stats.size), maxBytes));
      }
      return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
    } catch (e) {
      return this.fail({ path, ...describeFsError(e) });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** `read`'s loop into the scratch buffer, grown as needed (never past `maxBytes` + 1). */
  private readInto(fd: number, path: string, size: number, maxBytes: number): ReadOutcome {
    const limit = maxBytes + 1;
    let buffer = this.scratch;
    if (!buffer || buffer.length < Math.min(size + 1, limit)) buffer = this.scratch = Buffer.allocUnsafeSlow(Math.max(Math.min(size + 1, limit), CHUNK));
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        // The size lied (a file growing): read on, into a larger buffer.
        const larger = Buffer.allocUnsafeSlow(Math.min(limit, buffer.length * 2));
        buffer.copy(larger, 0, 0, total);
        buffer = this.scratch = larger;
      }
      const n = readSync(fd, buffer, total, Math.min(buffer.length, limit) - total, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return this.fail(tooLarge(path, Math.max(total, size), maxBytes));
    }
    return { ok: true, bytes: buffer.subarray(0, total) };
  }

  /** What is at `path`, if it exists inside the roots; refusals are recorded. */
  kind(path: string): EntryKind | undefined {
    const where = this.locate(path);
    if ('refusal' in where) {
      this.fail(where.refusal);
      return undefined;
    }
    try {
      const stats = where.stats ?? statSync(where.real);
      return stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : 'other';
    } catch {
      return undefined;
    }
  }

  /** Whether `path` is a regular file inside the roots; something else there is recorded as refused. */
  isFile(path: string): boolean {
    const kind = this.kind(path);
    if (kind === 'other') {
      try {
        this.fail(notAFile(path, statSync(path)));
      } catch {
        // Gone since: nothing to say.
      }
    }
    return kind === 'file';
  }

  /** The entries of a folder inside the roots; symbolic links are reported as links, not followed. */
  list(dir: string): ListOutcome {
    const where = this.locate(dir);
    if ('refusal' in where) return this.fail(where.refusal);
    try {
      const entries = readdirSync(where.real, { withFileTypes: true }).map((e) => ({
        name: e.name,
        kind: (e.isFile() ? 'file' : e.isDirectory() ? 'dir' : e.isSymbolicLink() ? 'link' : 'other') as EntryKind,
      }));
      if (this.folders) {
        // A folder listed here (not a link) is real below this one's real path.
        const absolute = resolve(dir);
        for (const e of entries) if (e.kind === 'dir') this.folders.set(join(absolute, e.name), join(where.real, e.name));
      }
      return { ok: true, entries };
    } catch (e) {
      return { ok: false, refusal: { path: dir, ...describeFsError(e) } };
    }
  }

  /** Why `path` must not be written, or undefined when it may be (created, with its folders, if absent). */
  unwritable(path: string): Refusal | undefined {
    const target = this.writeTarget(path);
    return 'refusal' in target ? target.refusal : undefined;
  }

  /** Writes `data` to `path`: an existing regular file inside the roots, or a new one whose nearest existing folder is inside them. */
  write(path: string, data: string | Buffer): { ok: true } | { ok: false; refusal: Refusal } {
    const target = this.writeTarget(path);
    if ('refusal' in target) return this.fail(target.refusal);
    let fd: number | undefined;
    try {
      if (target.missingDirs) mkdirSync(dirname(target.real), { recursive: true });
      fd = openSync(target.real, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | O_NOFOLLOW | O_NONBLOCK, 0o666);
      const stats = fstatSync(fd);
      if (!stats.isFile()) return this.fail(notAFile(path, stats));
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      return { ok: true };
    } catch (e) {
      return { ok: false, refusal: { path, ...describeFsError(e) } };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Whether a real path lies inside one of the roots. */
  contains(real: string): boolean {
    return this.resolvedRoots().some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep));
  }

  private resolvedRoots(): string[] {
    this.realRoots ??= this.roots.map((r) => {
      try {
        return realpathSync.native(r);
      } catch {
        return resolve(r);
      }
    });
    return this.realRoots;
  }

  /** Whether a path names a place inside the roots as written, before any link is resolved. */
  private lexicallyInside(absolute: string): boolean {
    const within = (root: string): boolean => absolute === root || absolute.startsWith(root.endsWith(sep) ? root : root + sep);
    this.lexicalRoots ??= this.roots.map((r) => resolve(r));
    return this.lexicalRoots.some(within) || this.resolvedRoots().some(within);
  }

  /**
   * The real path of an existing `path` inside the roots, or why it cannot be used; with the
   * lstat that found it when it came through a remembered folder (then it is no link).
   */
  private locate(path: string): { real: string; stats?: Stats } | { refusal: Refusal } {
    const absolute = resolve(path);
    const named = this.named.has(absolute);
    // A path that names a place outside is refused without touching it.
    if (!named && !this.lexicallyInside(absolute)) return { refusal: outside(path) };
    const known = this.folders ? this.throughFolder(absolute) : undefined;
    if (known) return this.contains(known.real) || named ? known : { refusal: outside(path, true) };
    let real: string;
    try {
      real = realpathSync.native(path);
    } catch (e) {
      const failure = describeFsError(e);
      if (failure.reason === 'vanished' && isLink(path)) return { refusal: { path, reason: 'unreadable', detail: 'unreadable: broken symbolic link' } };
      return { refusal: { path, ...failure } };
    }
    if (this.contains(real) || named) return { real };
    return { refusal: outside(path, true) };
  }

  /**
   * `absolute` through its folder's remembered real path, when its last component exists and is no
   * link; undefined otherwise (a link, a path that is not there, a folder that does not resolve),
   * for `locate` to resolve it in full and say why not.
   */
  private throughFolder(absolute: string): { real: string; stats: Stats } | undefined {
    const folders = this.folders!;
    const dir = dirname(absolute);
    // A root's own folder lies outside: not touched, as ever.
    if (dir === absolute || !this.lexicallyInside(dir)) return undefined;
    let realDir = folders.get(dir);
    if (realDir === undefined) {
      try {
        realDir = realpathSync.native(dir);
      } catch {
        return undefined;
      }
      folders.set(dir, realDir);
    }
    const real = join(realDir, basename(absolute));
    try {
      const stats = lstatSync(real);
      return stats.isSymbolicLink() ? undefined : { real, stats };
    } catch {
      return undefined;
    }
  }

  /** Checks type and size before opening, so a FIFO or a device is never opened for reading. */
  private regular(path: string, real: string, maxBytes: number, known?: Stats): Refusal | undefined {
    let stats: Stats;
    try {
      stats = known ?? statSync(real);
    } catch (e) {
      return { path, ...describeFsError(e) };
    }
    if (!stats.isFile()) return notAFile(path, stats);
    if (stats.size > maxBytes) return tooLarge(path, stats.size, maxBytes);
    return undefined;
  }

  private writeTarget(path: string): { real: string; missingDirs: boolean } | { refusal: Refusal } {
    const absolute = resolve(path);
    if (!this.lexicallyInside(absolute) && !this.named.has(absolute)) return { refusal: outside(path) };
    let link: Stats | undefined;
    try {
      link = lstatSync(absolute);
    } catch {
      link = undefined;
    }
    if (link) {
      const where = this.locate(absolute);
      if ('refusal' in where) return { refusal: { ...where.refusal, path } };
      try {
        const stats = statSync(where.real);
        if (!stats.isFile()) return { refusal: notAFile(path, stats) };
      } catch (e) {
        return { refusal: { path, ...describeFsError(e) } };
      }
      return { real: where.real, missingDirs: false };
    }
    // A new file: its nearest existing ancestor must be a real folder inside the roots.
    let dir = dirname(absolute);
    while (!exists(dir) && dirname(dir) !== dir) dir = dirname(dir);
    let realDir: string;
    try {
      realDir = realpathSync.native(dir);
    } catch (e) {
      return { refusal: { path, ...describeFsError(e) } };
    }
    const real = join(realDir, relative(dir, absolute));
    if (!this.contains(real) && !this.named.has(absolute)) return { refusal: outside(path, true) };
    return { real, missingDirs: dir !== dirname(absolute) };
  }

  private fail(refusal: Refusal): { ok: false; refusal: Refusal } {
    // Absent files are not news; everything else is said once per path.
    if (refusal.reason !== 'vanished' && !this.refused.has(refusal.path)) {
      this.refused.set(refusal.path, refusal);
      this.onRefusal?.(refusal);
    }
    return { ok: false, refusal };
  }
}

/** Whether anything is at the path, a dangling link included (never followed). */
export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function outside(path: string, viaLink = false): Refusal {
  return { path, reason: 'outside-root', detail: viaLink ? 'a symbolic link out of the audited root' : 'outside the audited root' };
}

function notAFile(path: string, stats: Stats): Refusal {
  const what = stats.isFIFO()
    ? 'a named pipe'
    : stats.isSocket()
      ? 'a socket'
      : stats.isCharacterDevice()
        ? 'a character device'
        : stats.isBlockDevice()
          ? 'a block device'
          : stats.isDirectory()
            ? 'a folder'
            : 'not a file';
  return { path, reason: 'not-a-file', detail: `not a regular file: ${what}` };
}

export function tooLarge(path: string, size: number, limit: number): Refusal {
  const over = limit === 1024 * 1024 ? '1 MiB' : `the limit of ${limit} bytes`;
  return { path, reason: 'too-large', detail: `over ${over}: ${size} bytes`, size };
}

/** File-system errors as short, user-facing reasons. */
export function describeFsError(e: unknown): { reason: 'unreadable' | 'vanished'; detail: string } {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { reason: 'vanished', detail: 'vanished during the audit' };
    case 'EACCES':
    case 'EPERM':
      return { reason: 'unreadable', detail: 'unreadable: permission denied' };
    case 'ELOOP':
      return { reason: 'unreadable', detail: 'unreadable: symbolic link loop' };
    default:
      return { reason: 'unreadable', detail: `unreadable: ${typeof code === 'string' ? code : e instanceof Error ? e.message : String(e)}` };
  }
}

/** Whether `path` is `root` or below it, lexically (no file-system access). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface DecodedText {
  /** The text without a leading byte order mark: editors do not show it, and edits must not land before it. */
  text: string;
  /** False when the bytes were not valid UTF-8 (decoding replaced some): writing the text back would corrupt them. */
  lossless: boolean;
  /** The file started with a UTF-8 byte order mark, to be written back in front of the text. */
  bom: boolean;
}

export function decodeText(bytes: Buffer): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: strictUtf8.decode(body), lossless: true, bom };
  } catch {
    return { text: body.toString('utf8'), lossless: false, bom };
  }
}

/** The bytes to write for a text read with `decodeText`. */
export function encodeText(text: string, bom: boolean): Buffer {
  return Buffer.from(bom ? `\ufeff${text}` : text, 'utf8');
}
