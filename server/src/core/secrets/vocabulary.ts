// Which names carry secrets, and how env var names derive from them.

/** Words that make a setting or key path secret-bearing. */
const SECRET_WORDS = new Set([
  'key',
  'secret',
  'token',
  'password',
  'passwd',
  'passphrase',
  'pepper',
  'salt',
  'dsn',
  'credential',
  'credentials',
  'sid',
]);

/** Names with a secret word that are not secrets (schema and cache vocabulary, public keys). */
const NOT_SECRET = new Set([
  'cache_key',
  'foreign_key',
  'primary_key',
  'key_prefix',
  'key_format',
  'sort_key',
  'partition_key',
  'key_name',
  'publishable_key',
  'public_key',
  'site_key',
  'key_id_prefix',
  'token_ttl',
  'token_expiry',
  'token_lifetime',
  'password_length',
  'password_min_length',
  'salt_rounds',
]);

/** Splits camelCase, snake_case, kebab-case and dotted names into lower-case words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function snakeCase(name: string): string {
  return words(name).join('_');
}

/** True for `master_key`, `apiKey`, `SMTP_PASSWORD`, `dsn`; false for `cache_key`, `stretches`. */
export function isSecretName(name: string): boolean {
  const w = words(name);
  if (w.length === 0) return false;
  if (NOT_SECRET.has(w.join('_'))) return false;
  // `key` alone in the middle of a name is usually structural (key_length); as the last word it is a key.
  return w.some((word, i) => SECRET_WORDS.has(word) && (word !== 'key' || i === w.length - 1 || w[i + 1] === 'base' || w[i + 1] === 'id'));
}

/** `['lockbox', 'master_key']` → `LOCKBOX_MASTER_KEY`. */
export function envVarName(parts: readonly string[]): string {
  return parts
    .flatMap((p) => words(p))
    .join('_')
    .toUpperCase();
}

/** Key strings we are willing to print: identifiers, not values that may themselves be secrets. */
export function isPrintableKey(s: string): boolean {
  if (!/^[A-Za-z_][\w.:/-]{0,63}$/.test(s)) return false;
  if (/^(sk|pk|rk|whsec)_(live|test)_/i.test(s)) return false;
  // Long tokens mixing letters and digits look like values, not names.
  return !(s.length >= 20 && /\d/.test(s) && /[a-z]/i.test(s) && !/[_.:/-]/.test(s));
}
