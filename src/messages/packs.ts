// Wording of the consolidation of guardloop's packs (housekeeping after a write: a warning, never a failure).

// Rolling guardloop's packs into one failed right after a write (the record is stored).
export function consolidationFailed(detail: string): string {
  return `the record is stored in refs/notes/guardloop, but consolidating guardloop's packs afterwards failed (${detail || 'git pack-objects was stopped before it finished'}); no pack was removed, and a later write tries again. If this repeats, check the repository with: git fsck`;
}

// git fast-import can't append to guardloop's list of its packs (a write would fail with it): the
// record is stored, and the packs this process writes are left to git gc until the list is fixed.
export function packRegistryUnusable(file: string, detail: string): string {
  return `the record is stored in refs/notes/guardloop, but guardloop can't add to its list of packs (${detail}), so the packs it writes now are not consolidated (git gc packs them). Give the list back to this user, or move it away (guardloop starts a new one): mv '${file}' '${file}.bad'`;
}

// A consolidation that ran in the background (git pack-objects) ended without writing its pack.
export function backgroundConsolidationFailed(detail: string): string {
  return `a background consolidation of guardloop's packs ended without a pack (${detail || 'git pack-objects was stopped before it finished'}); no pack was removed, and a later write tries again. If this repeats, check the repository with: git fsck`;
}
