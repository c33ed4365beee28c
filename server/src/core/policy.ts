// What a project's configuration does to the engine's raw findings, in one place so the CLI, the
// editor's live diagnostics and the workspace audit agree: rules turned off or given another
// severity, suppression directives, the baseline, excluded paths and the file size limit.

import picomatch from 'picomatch';
import type { Baseline } from './baseline';
import { relativePath } from './baseline';
import type { Config, RuleLevel } from './config/schema';
import { languageOf } from './parser';
import { RULE_METAS } from './rules';
import { UNUSED_SUPPRESSION_ID } from './rules/unused-suppression';
import { applySuppressions } from './suppressions';
import type { FileResult, Finding, Severity, SourceFile } from './types';

const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(RULE_METAS.map((m) => m.id));

export class Policy {
  /** Undefined without excludes: then no path is made relative (an audit asks for every file, twice). */
  private readonly excluded: ((relative: string) => boolean) | undefined;
  private readonly disabled: ReadonlySet<string>;

  constructor(
    /** The folder relative paths (excludes, baseline) are taken from. */
    readonly root: string,
    readonly config: Config,
    readonly baseline?: Baseline,
  ) {
    // A plain folder name (`legacy`, `legacy/`) excludes everything under it, as in .gitignore.
    const patterns = config.exclude.flatMap((p) => {
      const trimmed = p.replace(/^\.\//, '').replace(/\/+$/, '');
      return picomatch.scan(trimmed).isGlob ? [trimmed] : [trimmed, `${trimmed}/**`];
    });
    this.excluded = patterns.length > 0 ? picomatch(patterns, { dot: true }) : undefined;
    this.disabled = new Set(Object.entries(config.rules).flatMap(([id, level]) => (level === 'off' ? [id] : [])));
  }

  /** Excluded by the config's globs; files outside the root never are. */
  isExcluded(path: string): boolean {
    if (!this.excluded) return false;
    const rel = relativePath(this.root, path);
    return !rel.startsWith('../') && rel !== '..' && this.excluded(rel);
  }

  /** Whether a file of this many UTF-8 bytes is over the configured limit. */
  isTooLarge(bytes: number): boolean {
    return bytes > this.config.maxFileSize;
  }

  isRuleEnabled(ruleId: string): boolean {
    return !this.disabled.has(ruleId);
  }

  /** The findings the user should see for this file. */
  apply(file: SourceFile, result: FileResult): FileResult {
    if (this.isExcluded(file.path)) return { ...result, findings: [] };
    let findings: Finding[] = [];
    for (const f of result.findings) {
      const level = this.config.rules[f.ruleId];
      if (level === 'off') continue;
      findings.push(level && level !== 'on' ? { ...f, severity: level } : f);
    }
    const lang = languageOf(file.path);
    if (lang) {
      const unusedLevel: RuleLevel = this.config.rules[UNUSED_SUPPRESSION_ID] ?? 'on';
      findings = applySuppressions(file.path, file.text, lang, findings, {
        knownRuleIds: KNOWN_RULE_IDS,
        disabledRuleIds: this.disabled,
        reportUnused: unusedLevel !== 'off',
        severity: severityOf(unusedLevel, 'warning'),
      }).findings;
    }
    if (this.baseline) findings = this.baseline.filter(this.root, file.path, file.text, findings);
    return { ...result, findings };
  }
}

function severityOf(level: RuleLevel, fallback: Severity): Severity {
  return level === 'on' || level === 'off' ? fallback : level;
}
