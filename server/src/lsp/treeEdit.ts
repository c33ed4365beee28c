// Editor changes become tree-sitter edits with the core's helpers (the engine uses them too,
// to check a fix with an incremental reparse).

export { advance, pointAt, treeEditFor } from '../core/tree-edit';
