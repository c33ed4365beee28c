// Which project a file belongs to, for the worker pool's affinity: the nearest folder above it
// with a Gemfile or a package.json (one Rails app, one package of a monorepo), else the audit root.

import { dirname, join } from 'node:path';
import type { FileAccess } from '../core/file-access';

const MARKERS = ['Gemfile', 'package.json'];

export class ProjectFinder {
  /** Folder → its project folder; each folder is looked at once per audit. */
  private readonly byDir = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly access: FileAccess,
  ) {}

  projectOf(file: string): string {
    return this.ofDir(dirname(file));
  }

  private ofDir(dir: string): string {
    const known = this.byDir.get(dir);
    if (known !== undefined) return known;
    const parent = dirname(dir);
    const project =
      MARKERS.some((m) => this.access.kind(join(dir, m)) !== undefined) || dir === this.root || parent === dir ? dir : this.ofDir(parent);
    this.byDir.set(dir, project);
    return project;
  }
}
