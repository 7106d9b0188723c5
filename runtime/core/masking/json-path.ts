/**
 * A JSON path as a persistent linked list (child -> parent), so that descending costs one small
 * object instead of copying an array: the walk stays linear in the number of nodes whatever
 * the depth.
 */
export interface PathNode {
  readonly seg: string;
  readonly parent: PathNode | null;
  readonly len: number;
}

export function child(parent: PathNode | null, seg: string): PathNode {
  return { seg, parent, len: (parent?.len ?? 0) + 1 };
}

/**
 * True when the last `segments.length` segments of `path` match `segments` (`*` matches any
 * one key or index) and the path has exactly that many segments below `root` (null = the
 * document root).
 */
export function pathMatches(path: PathNode | null, root: PathNode | null, segments: readonly string[]): boolean {
  const below = (path?.len ?? 0) - (root?.len ?? 0);
  if (below !== segments.length) return false;
  let p = path;
  for (let k = segments.length - 1; k >= 0; k--) {
    if (p === null) return false;
    if (segments[k] !== "*" && segments[k] !== p.seg) return false;
    p = p.parent;
  }
  return true;
}
