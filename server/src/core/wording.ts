// How messages are written: one plain sentence, names quoted as ESLint quotes them, at most 160
// characters (200 when long names leave no shorter wording). Details go to `Finding.details`.

export const MESSAGE_TARGET = 160;
export const MESSAGE_LIMIT = 200;

/** A name in a message: `"Lockbox.master_key"`. */
export function quote(name: string): string {
  return `"${name}"`;
}

/** A name in Markdown details: `` `Lockbox.master_key` `` (backticks inside become quotes). */
export function code(name: string): string {
  return `\`${name.replace(/`/g, "'")}\``;
}

/** The first wording that fits the target, else the first within the limit, else the last (the shortest one offered). */
export function fit(...candidates: (string | undefined)[]): string {
  const offered = candidates.filter((c): c is string => c !== undefined);
  return offered.find((c) => c.length <= MESSAGE_TARGET) ?? offered.find((c) => c.length <= MESSAGE_LIMIT) ?? offered[offered.length - 1] ?? '';
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `a`, `a and b`, `a, b and c`. */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * A code fragment short enough to quote in a message, or undefined. Fragments with a string literal
 * are never quoted: the literal could be a value from the file.
 */
export function quotable(text: string, max = 60): string | undefined {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max && !/["'`]/.test(t) ? t : undefined;
}
