// File sizes as people write them ("512 KiB", "1 MiB", "300 KB") and as the tool says them back.
// A bare number is bytes, as in earlier versions of `.initaudit.yml`.

const UNITS: Record<string, number> = { b: 1, byte: 1, bytes: 1, kb: 1000, kib: 1024, mb: 1000 * 1000, mib: 1024 * 1024 };

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

/** The units a size may carry, for messages and the settings' pattern. */
export const SIZE_UNITS = 'B, KB, KiB, MB or MiB';

/** Bytes, or undefined when the text is not a size (unknown unit, not a number, not whole bytes). */
export function parseSize(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const m = SIZE.exec(value);
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : UNITS[unit];
  if (factor === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * factor);
  return bytes > 0 ? bytes : undefined;
}

/** "1 MiB", "512 KiB", "1.5 MiB", "700 bytes": binary units, at most two decimals. */
export function formatSize(bytes: number): string {
  const mib = 1024 * 1024;
  if (bytes >= mib) return `${trim(bytes / mib)} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

function trim(n: number): string {
  return String(Math.round(n * 100) / 100);
}
