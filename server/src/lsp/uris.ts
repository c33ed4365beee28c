// URI <-> path conversion without vscode-uri (not a dependency): file URIs map to real paths,
// any other scheme (untitled:, ...) gets a synthetic path so the engine can still read it.

import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Extensions by LSP language id, for documents whose name says nothing (untitled buffers). */
const EXTENSION_BY_LANGUAGE: Record<string, string> = {
  ruby: '.rb',
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
};

export function isFileUri(uri: string): boolean {
  return uri.startsWith('file:');
}

/** The file system path of a file: URI, or undefined for other schemes and malformed URIs. */
export function filePathOf(uri: string): string | undefined {
  if (!isFileUri(uri)) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function fileUriOf(path: string): string {
  return pathToFileURL(path).href;
}

/**
 * A stand-in path for a buffer that has no file (untitled:Untitled-1). It lives under `dir` so
 * rules that look for sibling files see the workspace, and ends in the extension of the
 * buffer's language so the engine picks the right grammar.
 */
export function syntheticPathOf(uri: string, languageId: string, dir: string): string {
  const ext = EXTENSION_BY_LANGUAGE[languageId] ?? '';
  let name: string;
  try {
    name = basename(decodeURIComponent(uri.slice(uri.indexOf(':') + 1)));
  } catch {
    name = uri.slice(uri.indexOf(':') + 1);
  }
  name = name.replace(/[^\w.-]+/g, '_') || 'untitled';
  return join(dir, name.endsWith(ext) ? name : name + ext);
}
