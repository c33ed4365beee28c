// SARIF 2.1.0 for code-scanning uploads. Locations are relative to %SRCROOT% (the audited root),
// regions 1-based with columns counted in UTF-16 code units (declared by run.columnKind), and
// endColumn exclusive as SARIF defines it. Only messages are emitted, never source snippets,
// so no secret value can reach the log.

import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import { claimsFor, claimsTable } from '../core/knowledge/claims';
import { RULE_METAS } from '../core/rules';
import type { Range, RuleMeta, Severity } from '../core/types';
import { portableRelative, type Report } from './model';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

export function toSarif(report: Report): sarif.Log {
  const ruleIndex = new Map(RULE_METAS.map((m, i) => [m.id, i]));
  const artifact = (path: string): sarif.ArtifactLocation => {
    const rel = portableRelative(report.root, path);
    return rel.inside ? { uri: rel.path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT } : { uri: pathToFileURL(path).href };
  };
  const location = (path: string, range: Range, message?: string, id?: number): sarif.Location => ({
    ...(id !== undefined ? { id } : {}),
    physicalLocation: { artifactLocation: artifact(path), region: region(range) },
    ...(message !== undefined ? { message: { text: message } } : {}),
  });

  const results = report.audit.findings.map((f): sarif.Result => {
    const index = ruleIndex.get(f.ruleId);
    return {
      ruleId: f.ruleId,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: level(f.severity),
      message: { text: f.message },
      ...(f.details ? { properties: { details: f.details } } : {}),
      locations: [location(f.path, f.range)],
      ...(f.related.length > 0 ? { relatedLocations: f.related.map((r, i) => location(r.path, r.range, r.message, i)) } : {}),
    };
  });

  const errors = [...report.audit.errors, ...(report.fix?.errors ?? [])];
  const notifications: sarif.Notification[] = [
    ...report.audit.skipped.map(
      (s): sarif.Notification => ({
        level: 'note',
        message: { text: `Skipped (${s.detail})` },
        locations: [{ physicalLocation: { artifactLocation: artifact(s.path) } }],
      }),
    ),
    ...report.audit.warnings.map(
      (w): sarif.Notification => ({
        level: 'warning',
        message: { text: w.detail },
        locations: [{ physicalLocation: { artifactLocation: artifact(w.path) } }],
      }),
    ),
    ...errors.map(
      (e): sarif.Notification => ({
        level: 'error',
        message: { text: e.message },
        locations: [{ physicalLocation: { artifactLocation: artifact(e.path) } }],
      }),
    ),
  ];

  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'initaudit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: report.tool.informationUri,
            rules: RULE_METAS.map(
              (m): sarif.ReportingDescriptor => ({
                id: m.id,
                name: pascalCase(m.id),
                shortDescription: { text: m.title },
                fullDescription: { text: m.description },
                helpUri: m.docsUrl,
                help: { text: `${m.description}\n\nSee ${m.docsUrl}`, markdown: helpMarkdown(m) },
                defaultConfiguration: { level: level(m.defaultSeverity) },
              }),
            ),
          },
        },
        // Code scanning keeps one analysis per category: each shard is its own, so uploads of the
        // n shards sit side by side instead of replacing one another.
        ...(report.shard ? { automationDetails: { id: `initaudit/shard-${report.shard.index}-of-${report.shard.count}/` } } : {}),
        originalUriBaseIds: { [SRCROOT]: { uri: dirUri(report.root) } },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: errors.length === 0, toolExecutionNotifications: notifications }],
        results,
        // With --since the results are only what the change introduced: say so, since a dashboard cannot tell.
        ...(report.since ? { properties: { since: { revision: report.since.revision, commit: report.since.commit } } } : {}),
      },
    ],
  };
}

export function formatSarif(report: Report): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}

function region(range: Range): sarif.Region {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function level(severity: Severity): sarif.Result.level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** SARIF wants the base URI of a directory to end with a slash. */
function dirUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** "env-forked-nil-secret" → "EnvForkedNilSecret", the conventional SARIF rule name. */
function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
}

/** The rule's description, its claims with their sources, and the documentation link. */
function helpMarkdown(m: RuleMeta): string {
  const claims = claimsFor(m.id).length > 0 ? `\n\n${claimsTable(m.id)}` : '';
  return `${m.description}${claims}\n\n[Documentation](${m.docsUrl})`;
}
