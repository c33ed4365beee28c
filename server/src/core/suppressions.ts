// Suppression directives, shared by the CLI and the editor so both silence the same findings:
//
//   Ruby, YAML:  # initaudit:disable-next-line <rule-id>[, <rule-id>] -- reason
//                # initaudit:disable-file <rule-id> -- reason
//   TS, JS:      // initaudit-disable-next-line <rule-id> -- reason
//                // initaudit-disable-file <rule-id> -- reason
//
// Either separator (`:` or `-`) is accepted in every language; edits write the language's own.
// A directive is a whole-line comment, so text inside a string on a code line never counts.
// Directives that name an unknown rule, name none, or silence nothing are reported as
// `unused-suppression` findings, with a fix that removes the stale rule id.

import { UNUSED_SUPPRESSION_ID } from './rules/unused-suppression';
import { detectEol, indentOf, LineIndex } from './text';
import type { Finding, LanguageId, Range, TextEdit } from './types';

export type DirectiveKind = 'next-line' | 'file';

export interface DirectiveRule {
  id: string;
  range: Range;
}

export interface Directive {
  kind: DirectiveKind;
  /** Zero-based line of the comment. */
  line: number;
  /** From the comment marker to the end of the line (before the line break). */
  range: Range;
  rules: DirectiveRule[];
  reason: string | undefined;
  marker: '#' | '//';
  separator: ':' | '-';
}

const DIRECTIVE = /^([ \t]*)(#|\/\/)[ \t]*initaudit([:-])disable-(next-line|file)(?![\w-])(.*)$/;

/** The comment marker directives use in a language. */
export function commentMarker(lang: LanguageId): '#' | '//' {
  // HCL also accepts //, but # is what Terraform files use.
  return lang === 'ruby' || lang === 'yaml' || lang === 'hcl' ? '#' : '//';
}

/** Cheap prefilter: files without this substring have no directives. */
export const DIRECTIVE_TRIGGER = 'initaudit';

/** Every directive in a text, in line order. Comments in the wrong syntax for the language are ignored. */
export function parseDirectives(text: string, lang: LanguageId): Directive[] {
  // Bundler and npm rewrite lockfiles and take no comments: they are silenced in .initaudit.yml or a baseline.
  if (lang === 'lockfile' || !text.includes(DIRECTIVE_TRIGGER)) return [];
  const lines = new LineIndex(text);
  const marker = commentMarker(lang);
  const out: Directive[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const lineText = lines.lineText(line);
    if (!lineText.includes(DIRECTIVE_TRIGGER)) continue;
    const m = DIRECTIVE.exec(lineText);
    if (!m || m[2] !== marker) continue;
    const indent = m[1] ?? '';
    const rest = m[5] ?? '';
    const restStart = lineText.length - rest.length;
    const dashes = rest.search(/(^|[ \t])--([ \t]|$)/);
    const idsPart = dashes < 0 ? rest : rest.slice(0, dashes);
    const reason = dashes < 0 ? undefined : rest.slice(dashes).replace(/^[ \t]*--/, '').trim() || undefined;
    const rules: DirectiveRule[] = [];
    for (const id of idsPart.matchAll(/[^\s,]+/g)) {
      const start = restStart + id.index;
      rules.push({ id: id[0], range: { start: { line, character: start }, end: { line, character: start + id[0].length } } });
    }
    out.push({
      kind: m[4] as DirectiveKind,
      line,
      range: { start: { line, character: indent.length }, end: { line, character: lineText.length } },
      rules,
      reason,
      marker,
      separator: m[3] as ':' | '-',
    });
  }
  return out;
}

export interface SuppressionOptions {
  /** Rule ids a directive may name. */
  knownRuleIds: ReadonlySet<string>;
  /** Rules turned off by configuration: a directive for them is not reported as unused. */
  disabledRuleIds: ReadonlySet<string>;
  /** Whether to report unused directives at all (`unused-suppression` may be turned off). */
  reportUnused: boolean;
  severity: Finding['severity'];
}

export interface SuppressionResult {
  findings: Finding[];
  suppressed: Finding[];
}

/** Removes the findings directives silence, and adds `unused-suppression` findings for stale directives. */
export function applySuppressions(path: string, text: string, lang: LanguageId, findings: readonly Finding[], options: SuppressionOptions): SuppressionResult {
  const directives = parseDirectives(text, lang);
  if (directives.length === 0) return { findings: [...findings], suppressed: [] };
  const used = new Set<DirectiveRule>();
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    let silencedBy: DirectiveRule | undefined;
    for (const d of directives) {
      if (d.kind === 'next-line' && d.line + 1 !== f.range.start.line) continue;
      const rule = d.rules.find((r) => r.id === f.ruleId && f.ruleId !== UNUSED_SUPPRESSION_ID);
      if (rule) {
        used.add(rule);
        silencedBy ??= rule;
      }
    }
    (silencedBy ? suppressed : kept).push(f);
  }
  if (options.reportUnused) {
    const lines = new LineIndex(text);
    for (const d of directives) {
      if (d.rules.length === 0) {
        kept.push(
          unused(path, d.range, 'This initaudit directive names no rule, so it disables nothing.', removeDirective(lines, d, undefined), options, `Name the rule ids it disables, for example \`${d.marker} initaudit${d.separator}disable-${d.kind} env-forked-nil-secret -- reason\`.`),
        );
        continue;
      }
      for (const r of d.rules) {
        if (used.has(r) || options.disabledRuleIds.has(r.id)) continue;
        const fix = removeDirective(lines, d, r);
        let message: string;
        if (r.id === UNUSED_SUPPRESSION_ID) message = `Rule "${UNUSED_SUPPRESSION_ID}" cannot be disabled by a directive; turn it off in .initaudit.yml instead.`;
        else if (!options.knownRuleIds.has(r.id)) message = `Unknown rule "${r.id}" in this initaudit directive, so it disables nothing.`;
        else if (d.kind === 'next-line') message = `Unused suppression: "${r.id}" reports nothing on the next line.`;
        else message = `Unused suppression: "${r.id}" reports nothing in this file.`;
        kept.push(unused(path, r.range, message, fix, options));
      }
    }
    kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
  return { findings: kept, suppressed };
}

function unused(path: string, range: Range, message: string, edit: TextEdit, options: SuppressionOptions, details?: string): Finding {
  return {
    ruleId: UNUSED_SUPPRESSION_ID,
    severity: options.severity,
    path,
    range,
    message,
    ...(details ? { details } : {}),
    related: [],
    fixes: [{ title: 'Remove the unused suppression', isPreferred: true, changes: [{ kind: 'edit', path, edits: [edit] }] }],
  };
}

/** Removes one rule id from a directive, or the whole directive line when nothing would be left. */
function removeDirective(lines: LineIndex, d: Directive, rule: DirectiveRule | undefined): TextEdit {
  const remaining = d.rules.filter((r) => r !== rule);
  if (rule && remaining.length > 0) {
    return { range: d.range, newText: directiveText(d.marker, d.separator, d.kind, remaining.map((r) => r.id), d.reason) };
  }
  const next = d.line + 1 < lines.lineCount ? { line: d.line + 1, character: 0 } : undefined;
  if (next) return { range: { start: { line: d.line, character: 0 }, end: next }, newText: '' };
  // The last line: take the line break before it instead, if any.
  const start = d.line > 0 ? { line: d.line - 1, character: lines.lineText(d.line - 1).length } : { line: 0, character: 0 };
  return { range: { start, end: d.range.end }, newText: '' };
}

export function directiveText(marker: string, separator: string, kind: DirectiveKind, ids: readonly string[], reason: string | undefined): string {
  return `${marker} initaudit${separator}disable-${kind} ${ids.join(', ')}${reason ? ` -- ${reason}` : ''}`;
}

/** The separator written in new directives: `initaudit:` in Ruby and YAML, `initaudit-` in TS/JS (ESLint's style). */
function separatorFor(lang: LanguageId): ':' | '-' {
  return commentMarker(lang) === '#' ? ':' : '-';
}

/**
 * "Disable <rule> for this line": adds the rule to a disable-next-line directive right above the
 * finding's line, or inserts one with that line's indentation. Undefined when already disabled.
 */
export function disableForLineEdit(text: string, lang: LanguageId, ruleId: string, line: number): TextEdit | undefined {
  if (lang === 'lockfile') return undefined;
  const lines = new LineIndex(text);
  const existing = parseDirectives(text, lang).find((d) => d.kind === 'next-line' && d.line === line - 1);
  if (existing) {
    if (existing.rules.some((r) => r.id === ruleId)) return undefined;
    const ids = [...existing.rules.map((r) => r.id), ruleId];
    return { range: existing.range, newText: directiveText(existing.marker, existing.separator, 'next-line', ids, existing.reason) };
  }
  const indent = indentOf(lines.lineText(line));
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${indent}${directiveText(commentMarker(lang), separatorFor(lang), 'next-line', [ruleId], undefined)}${detectEol(text)}` };
}

/**
 * "Disable <rule> for this file": adds the rule to the first disable-file directive, or inserts
 * one after a shebang and Ruby's leading magic comments (which must stay first to keep working).
 */
export function disableForFileEdit(text: string, lang: LanguageId, ruleId: string): TextEdit | undefined {
  if (lang === 'lockfile') return undefined;
  const existing = parseDirectives(text, lang).find((d) => d.kind === 'file');
  if (existing) {
    if (existing.rules.some((r) => r.id === ruleId)) return undefined;
    const ids = [...existing.rules.map((r) => r.id), ruleId];
    return { range: existing.range, newText: directiveText(existing.marker, existing.separator, 'file', ids, existing.reason) };
  }
  const lines = new LineIndex(text);
  let line = 0;
  const leading = lang === 'ruby' ? /^(#!|#\s*(frozen_string_literal|encoding|coding|warn_indent|shareable_constant_value):|#.*-\*-)/ : /^#!/;
  while (line < lines.lineCount - 1 && leading.test(lines.lineText(line))) line++;
  // Past the last line when every line is a magic comment and the file does not end with a break.
  const eol = detectEol(text);
  const directive = directiveText(commentMarker(lang), separatorFor(lang), 'file', [ruleId], undefined);
  if (line === lines.lineCount - 1 && leading.test(lines.lineText(line)) && lines.lineText(line) !== '') {
    const end = { line, character: lines.lineText(line).length };
    return { range: { start: end, end }, newText: `${eol}${directive}` };
  }
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: `${directive}${eol}` };
}
