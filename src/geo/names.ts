// Normalising place names so that spelling variants meet: diacritics, case, punctuation, and the Arabic
// article (al-/el-/ad-/ar-/as-/ash-/az-) that news copy writes, drops or hyphenates at will.

const ARTICLE = /^(?:al|el|ad|ar|as|ash|az|at|an|ath|adh) (?=\S{3})/;

export function placeKey(name: string): string {
  let key = placeKeys.get(name);
  if (key === undefined) {
    let s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    s = s.replace(/['’‘`ʼʿʾ]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
    key = s.replace(ARTICLE, '');
    remember(placeKeys, name, key);
  }
  return key;
}

// The same few thousand names are normalised again and again, report after report: keep the last ones.
const placeKeys = new Map<string, string>();
const skeletons = new Map<string, string>();
function remember(memo: Map<string, string>, name: string, key: string): void {
  if (memo.size >= 50_000) memo.clear();
  memo.set(name, key);
}

// The words that say what kind of area a name is, which GeoNames keeps in admin names and news copy and
// ACLED drop: "Kaduna State", "Sanaa Governorate", "Muhafazat Hadramaout", "Maidan Wardak Province".
const AREA_WORDS = /\b(?:province|governorate|state|region|department|district|county|municipality|prefecture|oblast|division|territory|muhafazat|wilayat|wilayah|agency|département|departement|région|ostan e|provincia de|provincia del|departamento de|departamento del|estado de|region de|local government area)\b/g;

// (the same words as written, in any case, with the hyphen of "Ostan-e")
const AREA_WORDS_AS_WRITTEN = new RegExp(AREA_WORDS.source.replace('ostan e', 'ostan-e'), 'gi');

const KIND_FIRST = /^(?:province|provincia|department|departement|département|region|région|district|municipality|city|county|prefecture|governorate)\b/i;

/** An admin area's name without the word for its kind ("Kaduna State" → "Kaduna"), as ACLED writes it. */
export function areaName(name: string): string {
  const stripped = name
    .replace(AREA_WORDS_AS_WRITTEN, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    // (and the "of" a leading kind word leaves: "Province of Samar", "City of Davao", "Province du Yagha",
    // "Département de la Ménoua"; not the "De" of "De Aar")
    .replace(KIND_FIRST.test(name) ? /^(?:City\s+)?(?:of|du|des|de la|de l['’]|de|d['’])\s*(?=\p{Lu})/u : /$^/, '');
  return stripped.length >= 3 ? stripped : name;
}

const COMPASS: Record<string, string> = { nord: 'north', norte: 'north', northern: 'north', sud: 'south', sur: 'south', southern: 'south', ouest: 'west', oeste: 'west', western: 'west', est: 'east', este: 'east', leste: 'east', eastern: 'east' };

/**
 * The consonants of a name, for transliterations that differ only in their vowels: Idleb and Idlib,
 * Al-Hasakeh and Al-Hasakah, Urozgan and Oruzgan, Ma'rib and Marib, Ghor and Ghowr. Too coarse to look
 * names up by; fine to tell whether two names of one area are the same.
 */
export function nameSkeleton(name: string): string {
  let key = skeletons.get(name);
  if (key === undefined) remember(skeletons, name, (key = skeletonOf(name)));
  return key;
}

function skeletonOf(name: string): string {
  return placeKey(areaName(name))
    .replace(AREA_WORDS, ' ')
    .split(' ')
    .filter((w) => w && !/^(?:al|el|ad|ar|as|ash|az|at|an|ath|adh)$/.test(w))
    // the compass in French, Spanish and Portuguese names, and as an adjective: Nord-Kivu is North Kivu,
    // South Darfur is Southern Darfur
    .map((w) => COMPASS[w] ?? w)
    .map((w) => w.replace(/[aeiouwy]/g, '').replace(/(.)\1+/g, '$1'))
    .filter(Boolean)
    .join(' ');
}

/** Whether two names may name the same admin area: the same consonants, or one is the other's last words ("Wardak", "Maidan Wardak"). */
export function sameAreaName(a: string, b: string): boolean {
  return sameSkeleton(nameSkeleton(a), nameSkeleton(b));
}

/** `sameAreaName` on skeletons already made. */
export function sameSkeleton(x: string, y: string): boolean {
  if (!x || !y) return false;
  if (x === y) return true;
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return short.length >= 3 && long.endsWith(` ${short}`);
}

// Letters that no Unicode decomposition takes to ASCII, as ACLED and most English copy write them
const LATIN_FOLD: Record<string, string> = { ı: 'i', İ: 'I', ǝ: 'e', Ə: 'E', ə: 'e', ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th', ð: 'd', ħ: 'h' };

/** A GeoNames name in plain Latin letters: "Diyarbakır" → "Diyarbakir", "Ağcabǝdi" → "Agcabedi". */
export function latinFold(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ıİǝƏəłŁøØđĐßæœþðħ]/g, (c) => LATIN_FOLD[c] ?? c)
    .normalize('NFC');
}

/**
 * A coarse key for the spellings that transliterations of one Arabic, Persian, Pashto or Russian name
 * take in English and French copy: Zouq and Zouk, Majdel Aanjar and Majdal Anjar, Nabatiye and Nabatieh,
 * Qamishli and Quamishli, Saadnayel and Saddnayel. Vowels are merged into a and u and i, the letters
 * that write one sound are merged, doubled letters are one and a final h is dropped. Coarse enough to
 * make false friends: only a fallback, for names the gazetteer does not hold as written.
 */
export function translitKey(name: string): string {
  return placeKey(name)
    .split(' ')
    .map((w) =>
      w
        // (the feminine endings: -iyeh, -iyah, -ieh and -eh, -ah)
        .replace(/(?:iyy?eh|iyy?ah|iyy?e|iyy?a|ieh|iah)$/, 'ia')
        .replace(/(?:eh|ah)$/, 'a')
        .replace(/qu/g, 'k')
        .replace(/([kgstdcz])h/g, '$1')
        .replace(/^c(?=[^aeiou])|c(?=[aeiou]u)/g, 's')
        .replace(/ou|oo|uo/g, 'u')
        .replace(/ee|ie|ei|ey|iy|yi/g, 'i')
        .replace(/q/g, 'k')
        .replace(/ck/g, 'k')
        .replace(/ph/g, 'f')
        .replace(/dj/g, 'j')
        .replace(/c/g, 'k')
        .replace(/y/g, 'i')
        .replace(/w/g, 'u')
        .replace(/e/g, 'a')
        .replace(/o/g, 'u')
        .replace(/(.)\1+/g, '$1')
        .replace(/(?<=.{3})h$/, ''),
    )
    .join(' ');
}
