// Deterministic folds over gold documents, so that training and measuring never share a document.
// A report told twice (the "-rel" wire version of an ACLED note) falls in the same fold as its original.

export function baseId(id: string): string {
  return id.replace(/-rel$/, '');
}

/** FNV-1a hash of the base id, modulo n. */
export function foldOf(id: string, n: number): number {
  let h = 0x811c9dc5;
  const s = baseId(id);
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % n;
}

/** "0/5" → { k: 0, n: 5 } */
export function parseFold(spec: string): { k: number; n: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  if (!m) return null;
  const k = Number(m[1]);
  const n = Number(m[2]);
  return n >= 2 && k < n ? { k, n } : null;
}
