// Session-level settings in SQL text: `SET statement_timeout = …`, `SET SESSION lock_timeout TO …`,
// `SET search_path …`, `set_config('statement_timeout', …, false)`. `SET LOCAL` and
// `set_config(…, true)` are transaction-scoped and not reported. Only a statement that does nothing
// but set (one or more settings) counts: with other statements in the same string, they share the
// server connection that received the SET, and what then matters is unknown.

export const SESSION_SETTINGS = ['statement_timeout', 'lock_timeout', 'search_path'] as const;
export type SessionSetting = (typeof SESSION_SETTINGS)[number];

const SET = /^set\s+(?:session\s+)?(statement_timeout|lock_timeout|search_path)\b/i;
const SET_CONFIG = /^select\s+(?:pg_catalog\.)?set_config\s*\(\s*'(statement_timeout|lock_timeout|search_path)'\s*,[^,]*,\s*false\s*\)\s*$/i;

/** The settings a SQL text sets for the session, or [] when it does anything else. */
export function sessionSettings(sql: string): SessionSetting[] {
  const statements = sql
    .split(';')
    .map((s) => s.replace(/--[^\n]*/g, '').trim())
    .filter(Boolean);
  const out: SessionSetting[] = [];
  for (const st of statements) {
    const m = SET.exec(st) ?? SET_CONFIG.exec(st);
    if (!m) return [];
    out.push(m[1]!.toLowerCase() as SessionSetting);
  }
  return out;
}

export function mentionsSessionSetting(text: string): boolean {
  return /statement_timeout|lock_timeout|search_path/i.test(text);
}
