// Reading one source file, once, through the workspace's FileAccess (type, size and confinement
// checked before opening, bytes capped), then the binary check on the bytes read.

import { decodeText, type DecodedText, type FileAccess } from '../core/file-access';
import type { SkippedFile } from './skipped';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Like git and ripgrep: a NUL byte near the start means binary. */
const BINARY_SNIFF_BYTES = 8192;

export type ReadResult = ({ ok: true } & DecodedText) | { ok: false; skipped: SkippedFile };

/** `maxBytes` (the config's `maxFileSize`) can lower the limit, never raise it. */
export function readSourceFile(access: FileAccess, path: string, maxBytes = MAX_FILE_BYTES): ReadResult {
  const read = readSourceBytes(access, path, maxBytes);
  return read.ok ? { ok: true, ...decodeText(read.bytes) } : read;
}

/**
 * The same checks, without decoding: the audit prefilters the bytes and decodes only files a rule
 * wants. `transient`: the bytes are valid until the access's next transient read (FileAccess.read).
 */
export function readSourceBytes(access: FileAccess, path: string, maxBytes = MAX_FILE_BYTES, transient = false): { ok: true; bytes: Buffer } | { ok: false; skipped: SkippedFile } {
  const limit = Math.min(maxBytes, MAX_FILE_BYTES);
  const read = access.read(path, limit, transient);
  if (!read.ok) {
    const { refusal } = read;
    if (refusal.reason === 'too-large') return tooLarge(path, refusal.size ?? limit + 1, limit);
    return { ok: false, skipped: { path, reason: refusal.reason, detail: refusal.detail } };
  }
  if (read.bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, skipped: { path, reason: 'binary', detail: 'binary' } };
  return { ok: true, bytes: read.bytes };
}

/** Text of a byte buffer, without its byte order mark; `lossless` tells whether writing the text back reproduces the bytes. */
export function decode(bytes: Buffer): { ok: true } & DecodedText {
  return { ok: true, ...decodeText(bytes) };
}

function tooLarge(path: string, size: number, limit: number): { ok: false; skipped: SkippedFile } {
  const over = limit === MAX_FILE_BYTES ? '1 MiB' : `the maxFileSize of ${limit} bytes`;
  return { ok: false, skipped: { path, reason: 'too-large', detail: `over ${over}: ${size} bytes`, size } };
}
