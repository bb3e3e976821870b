// Normalising place names so that spelling variants meet: diacritics, case, punctuation, and the Arabic
// article (al-/el-/ad-/ar-/as-/ash-/az-) that news copy writes, drops or hyphenates at will.

const ARTICLE = /^(?:al|el|ad|ar|as|ash|az|at|an|ath|adh) (?=\S{3})/;

export function placeKey(name: string): string {
  let s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  s = s.replace(/['’‘`ʼʿʾ]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
  return s.replace(ARTICLE, '');
}
