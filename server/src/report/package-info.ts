// The tool's name, version and home page, read from the extension's package.json. The bundle
// runs from <root>/server/out and compiled sources from <root>/build/server/...; both find it
// by walking up, so the version can never drift from the manifest.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface PackageInfo {
  name: string;
  version: string;
  informationUri: string;
}

const FALLBACK: PackageInfo = { name: 'initaudit', version: '0.0.0', informationUri: 'https://github.com/initaudit/initaudit' };

let cached: PackageInfo | undefined;

export function packageInfo(): PackageInfo {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest?.name === 'initaudit') {
      const repo = typeof manifest.repository === 'object' ? manifest.repository?.url : manifest.repository;
      return (cached = {
        name: manifest.name,
        version: manifest.version ?? FALLBACK.version,
        informationUri: manifest.homepage ?? normaliseRepoUrl(repo) ?? FALLBACK.informationUri,
      });
    }
    if (dirname(dir) === dir) return (cached = FALLBACK);
  }
}

interface Manifest {
  name?: string;
  version?: string;
  homepage?: string;
  repository?: string | { url?: string };
}

function readManifest(path: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** "git+https://github.com/o/r.git" → "https://github.com/o/r". */
function normaliseRepoUrl(url: string | undefined): string | undefined {
  if (!url || !/^(git\+)?https?:/.test(url)) return undefined;
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}
