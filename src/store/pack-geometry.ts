// Which of guardloop's packs a consolidation rolls into one, as `git repack --geometric=<factor>`
// chooses (repack.c's split_pack_geometry, by bytes instead of object counts): the packs, largest
// first, should each be at least `factor` times the next; the small ones below the last place where
// that fails are rolled up, together with any larger pack the roll-up would not be `factor` times
// smaller than. So a pack is rewritten about log_factor(total / smallest) times in its life, and
// guardloop's pack count stays near log_factor of its size instead of growing with every write.
export function geometricRollup<T extends { bytes: number }>(packs: T[], factor = 2): T[] {
  if (packs.length < 2) return [];
  const sorted = [...packs].sort((a, b) => a.bytes - b.bytes);
  const weight = (p: T) => Math.max(1, p.bytes);
  let split = sorted.length - 1;
  for (; split > 0; split--) if (weight(sorted[split]) < factor * weight(sorted[split - 1])) break;
  // The pair that failed: its larger pack can't stay in the progression either.
  if (split > 0) split++;
  let total = 0;
  for (let i = 0; i < split; i++) total += weight(sorted[i]);
  while (split < sorted.length && weight(sorted[split]) < factor * total) total += weight(sorted[split++]);
  return split > 1 ? sorted.slice(0, split) : [];
}
