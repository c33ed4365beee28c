// Reading one source file, once: size and binary checks on the same open descriptor, so a file
// that changes between the check and the read cannot slip past them.

import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { describeFsError } from './fs-errors';
import type { SkippedFile } from './skipped';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Like git and ripgrep: a NUL byte near the start means binary. */
const BINARY_SNIFF_BYTES = 8192;

export type ReadResult =
  | { ok: true; text: string; /** False when the bytes were not valid UTF-8 (decoding replaced some). */ lossless: boolean }
  | { ok: false; skipped: SkippedFile };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `maxBytes` (the config's `maxFileSize`) can lower the limit, never raise it. */
export function readSourceFile(path: string, maxBytes = MAX_FILE_BYTES): ReadResult {
  const limit = Math.min(maxBytes, MAX_FILE_BYTES);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const { size } = fstatSync(fd);
    if (size > limit) return tooLarge(path, size, limit);
    const bytes = readFileSync(fd);
    // The file may have grown since fstat.
    if (bytes.length > limit) return tooLarge(path, bytes.length, limit);
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, skipped: { path, reason: 'binary', detail: 'binary' } };
    return decode(bytes);
  } catch (e) {
    return { ok: false, skipped: { path, ...describeFsError(e) } };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Text of a byte buffer; `lossless` tells whether writing the text back reproduces the bytes. */
export function decode(bytes: Buffer): { ok: true; text: string; lossless: boolean } {
  try {
    return { ok: true, text: strictUtf8.decode(bytes), lossless: true };
  } catch {
    return { ok: true, text: bytes.toString('utf8'), lossless: false };
  }
}

function tooLarge(path: string, size: number, limit: number): ReadResult {
  const over = limit === MAX_FILE_BYTES ? '1 MiB' : `the maxFileSize of ${limit} bytes`;
  return { ok: false, skipped: { path, reason: 'too-large', detail: `over ${over}: ${size} bytes`, size } };
}
