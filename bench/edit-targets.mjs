// The two large files the edit-latency benchmark types into: a Rails initializer and a
// TypeScript job of about `lines` lines, with a few env-forked secrets among ordinary settings
// and comment lines to edit.

export function bigRubyInitializer(lines) {
  const out = ['Rails.application.configure do'];
  for (let i = 0; out.length < lines - 1; i++) {
    out.push(`  # Setting ${i}: tuned for the nightly import`);
    if (i % 50 === 0) out.push(`  config.x.partner_${i}_api_key = Rails.env.test? ? nil : Chamber.dig(:partner_${i}, :api_key)`);
    else if (i % 7 === 0) out.push(`  config.x.batch_${i}_size = Rails.env.production? ? ${i * 10} : ${i}`);
    else out.push(`  config.x.feature_${i}_enabled = ${i % 3 === 0 ? 'true' : 'false'}`);
  }
  out.push('end');
  return `${out.join('\n')}\n`;
}

export function bigTsJob(lines) {
  const out = ['import { secrets } from "../secrets";', 'import { db } from "../db";', ''];
  for (let i = 0; out.length < lines; i++) {
    out.push(`// Step ${i}: copies one batch of rows`);
    if (i % 50 === 0) out.push(`export const partner${i}Key = process.env.NODE_ENV === "test" ? undefined : secrets.get("partner_${i}");`);
    else out.push(`export async function step${i}(limit = ${i + 1}): Promise<number> {`, `  const rows = await db.select("batch_${i}", { limit });`, '  return rows.length;', '}');
  }
  return `${out.join('\n')}\n`;
}
