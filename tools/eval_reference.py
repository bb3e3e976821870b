#!/usr/bin/env python3
"""Independent reference implementation of the sitrep evaluation metrics.

Written from the specification only (/work/shared/EVAL.md, section "Metrics"),
without reading the project's TypeScript scorer, so that the two can be
cross-checked.  Python 3 standard library only.

Usage:
    python3 tools/eval_reference.py GOLD.jsonl PRED.jsonl

Prints one JSON object with the metric keys of EVAL.md:
    event_type, sub_event_type, event_date, country, admin1, location,
    actor1, actor2, fatalities, injuries, geo_25km, geo_161km,
    event_type_weighted_f1, event_type_macro_f1,
    sub_event_type_weighted_f1, sub_event_type_macro_f1,
    no_event_when_none, gold_events, pred_events, extra_events,
    overgeneration, docs_missing_in_pred, n

Interpretation choices (where EVAL.md leaves room):

1. Matching.  Per document, gold events are taken in gold order; each is
   matched to the *unused* predicted event with the highest agreement
   (+2 same event_type, +2 same sub_event_type, +1 same event_date,
   +1 within 50 km, +1 same normalised location).  Ties go to the earlier
   predicted event (only a strictly higher score displaces the current best).
   There is NO minimum agreement: a predicted event with agreement 0 is still
   matched if it is the best unused one.  EVAL.md says "each to the unused
   predicted event with the highest agreement" and names no threshold, so a
   gold event is unmatched only when every predicted event of the document
   has already been used (or the document has no prediction).
2. Agreement components are only earned by real values: a null/absent gold
   or predicted value never "agrees" (null == null earns nothing).  Types and
   dates compare as exact strings; locations compare after name
   normalisation; "within 50 km" needs numeric lat/lon on both sides and means
   haversine distance <= 50 km (R = 6371 km).  Matching uses the agreement
   formula as written, independent of the document's score flags (the flags
   only decide what is *scored* afterwards).
3. Scoring.  Over gold events; a gold field that is null or absent is not
   scored for that event (not counted in n for that key).  score.date false =>
   event_date not scored for the document; score.type false => event_type and
   sub_event_type (shares and F1s) not scored for the document.  A missing
   "score" object (or key) counts as true.  An unmatched gold event is wrong
   on every scored field.
   - event_type, sub_event_type, event_date: exact string equality (dates are
     compared as the YYYY-MM-DD string as given, no parsing).
   - country, admin1, location, actor1, actor2: equality after name
     normalisation (see normalise_name).
   - fatalities, injuries: exact numeric equality; the prediction must be a
     number (bool and numeric strings are wrong); 3 == 3.0 counts as equal.
   - geo_25km / geo_161km: over gold events whose gold latitude and longitude
     are both numbers; hit if the matched prediction has numeric lat/lon and
     haversine distance <= 25 / <= 161 km.  Unmatched gold event or prediction
     without coordinates = miss.
4. F1.  Pairs are (gold label, predicted label) over the gold events scored
   for that key (non-null gold label, score.type true); a missing prediction
   (unmatched gold event) or a matched prediction without the label gives the
   predicted label "NONE".  For each label L present in gold:
   precision = #(gold==L and pred==L) / #(pred==L) over all pairs (including
   pairs whose gold label differs), recall = #(both L) / #(gold==L),
   F1 = 2PR/(P+R), 0 when P+R == 0 (P = 0 when nothing is predicted as L).
   weighted F1 = sum(support_L * F1_L) / sum(support_L); macro F1 = mean of
   F1_L over labels present in gold.  n for an F1 key = number of pairs.
5. no_event_when_none: over gold documents with zero gold events; success
   when the prediction has zero events.  A gold document with no prediction
   line is treated exactly like a prediction with an empty event list (this is
   the same treatment its gold events get: they are simply unmatched), so it
   counts as "predicted none" -- the miss is visible in docs_missing_in_pred.
6. Counts.  Only prediction lines whose id is in gold are used (if an id
   appears on several prediction lines, the last line wins).  gold_events =
   number of gold events; pred_events = number of predicted events in the
   used prediction lines; extra_events = sum over gold documents of
   max(0, predicted - gold); overgeneration = extra_events / number of gold
   documents (null if there are none); docs_missing_in_pred = gold documents
   with no prediction line.
7. Shares are unrounded floats, null when their n is 0.  `n` holds the count
   behind each share key (the ten field keys, the two geo keys, the four F1
   keys and no_event_when_none); overgeneration is a ratio over documents,
   not a share, and has no entry in n.
"""

import json
import math
import sys
import unicodedata

FIELD_KEYS = [
    "event_type", "sub_event_type", "event_date", "country", "admin1",
    "location", "actor1", "actor2", "fatalities", "injuries",
]
NAME_KEYS = {"country", "admin1", "location", "actor1", "actor2"}
NUMBER_KEYS = {"fatalities", "injuries"}
STRING_KEYS = {"event_type", "sub_event_type", "event_date"}
TYPE_KEYS = {"event_type", "sub_event_type"}
GEO_KEYS = [("geo_25km", 25.0), ("geo_161km", 161.0)]
F1_LABEL_KEYS = ["event_type", "sub_event_type"]
OUTPUT_KEYS = FIELD_KEYS + [k for k, _ in GEO_KEYS] + [
    "event_type_weighted_f1", "event_type_macro_f1",
    "sub_event_type_weighted_f1", "sub_event_type_macro_f1",
    "no_event_when_none", "gold_events", "pred_events", "extra_events",
    "overgeneration", "docs_missing_in_pred", "n",
]
SHARE_KEYS = FIELD_KEYS + [k for k, _ in GEO_KEYS] + [
    "event_type_weighted_f1", "event_type_macro_f1",
    "sub_event_type_weighted_f1", "sub_event_type_macro_f1",
    "no_event_when_none",
]

STOPWORDS = {"the", "of", "al", "el"}
# Apostrophe-like characters are deleted (so "Sana'a" == "Sanaa"); all other
# punctuation separates words (so "al-Shabaab" -> "al shabaab" -> "shabaab").
APOSTROPHES = {"'", "\u2019", "\u2018", "`", "\u02bc", "\u00b4"}
EARTH_RADIUS_KM = 6371.0
MATCH_RADIUS_KM = 50.0
NONE_LABEL = "NONE"


def _strip_parentheses(s):
    """Drop every parenthesised group together with its content (nested
    groups included).  An unbalanced ')' or '(' is dropped as punctuation;
    text after an unclosed '(' is kept."""
    out = []
    depth = 0
    pending = []  # text seen inside an open group; kept if never closed
    for ch in s:
        if ch == "(":
            depth += 1
            pending.append(" ")
        elif ch == ")":
            if depth > 0:
                depth -= 1
                if depth == 0:
                    pending = []
                    out.append(" ")
            else:
                out.append(" ")
        elif depth > 0:
            pending.append(ch)
        else:
            out.append(ch)
    if depth > 0:
        out.extend(pending)
    return "".join(out)


def normalise_name(s):
    """Name normalisation of EVAL.md: ignore parentheses (with their content),
    case, accents, punctuation and the words the/of/al/el.

    Steps: drop parenthesised groups; Unicode NFKD and drop combining marks;
    casefold; delete apostrophes; every other non-alphanumeric character
    becomes a space; split on whitespace; drop the/of/al/el; join with one
    space."""
    if s is None:
        return None
    s = str(s)
    s = _strip_parentheses(s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.casefold()
    chars = []
    for ch in s:
        if ch in APOSTROPHES:
            continue
        chars.append(ch if ch.isalnum() else " ")
    words = [w for w in "".join(chars).split() if w not in STOPWORDS]
    return " ".join(words)


def _is_number(x):
    return (isinstance(x, (int, float)) and not isinstance(x, bool)
            and not (isinstance(x, float) and (math.isnan(x) or math.isinf(x))))


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    a = min(1.0, max(0.0, a))
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_km(gold, pred):
    """Distance between two events, or None if either lacks numeric lat/lon."""
    if pred is None:
        return None
    g_lat, g_lon = gold.get("latitude"), gold.get("longitude")
    p_lat, p_lon = pred.get("latitude"), pred.get("longitude")
    if not all(_is_number(v) for v in (g_lat, g_lon, p_lat, p_lon)):
        return None
    return haversine_km(g_lat, g_lon, p_lat, p_lon)


def _same_string(g, p):
    return isinstance(g, str) and isinstance(p, str) and g == p


def _same_name(g, p):
    if g is None or p is None:
        return False
    return normalise_name(g) == normalise_name(p)


def _same_number(g, p):
    return _is_number(g) and _is_number(p) and g == p


def agreement(gold, pred):
    score = 0
    if _same_string(gold.get("event_type"), pred.get("event_type")):
        score += 2
    if _same_string(gold.get("sub_event_type"), pred.get("sub_event_type")):
        score += 2
    if _same_string(gold.get("event_date"), pred.get("event_date")):
        score += 1
    d = distance_km(gold, pred)
    if d is not None and d <= MATCH_RADIUS_KM:
        score += 1
    if _same_name(gold.get("location"), pred.get("location")):
        score += 1
    return score


def match_events(gold_events, pred_events):
    """Greedy one-to-one matching in gold order.  Returns a list, parallel to
    gold_events, holding the index of the matched predicted event or None."""
    used = [False] * len(pred_events)
    result = []
    for g in gold_events:
        best_i, best_s = None, None
        for i, p in enumerate(pred_events):
            if used[i]:
                continue
            s = agreement(g, p)
            if best_s is None or s > best_s:  # strict: ties keep the earlier one
                best_i, best_s = i, s
        if best_i is not None:
            used[best_i] = True
        result.append(best_i)
    return result


def field_correct(key, g_value, pred):
    if pred is None:
        return False
    p_value = pred.get(key)
    if key in NAME_KEYS:
        return _same_name(g_value, p_value)
    if key in NUMBER_KEYS:
        return _same_number(g_value, p_value)
    return _same_string(g_value, p_value)


def _f1_scores(pairs):
    """pairs: list of (gold_label, pred_label).  Returns (weighted, macro)."""
    if not pairs:
        return None, None
    support = {}
    predicted = {}
    both = {}
    for g, p in pairs:
        support[g] = support.get(g, 0) + 1
        predicted[p] = predicted.get(p, 0) + 1
        if g == p:
            both[g] = both.get(g, 0) + 1
    f1 = {}
    for label, sup in support.items():
        tp = both.get(label, 0)
        n_pred = predicted.get(label, 0)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / sup
        f1[label] = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
    total = sum(support.values())
    weighted = sum(support[l] * f1[l] for l in support) / total
    macro = sum(f1.values()) / len(f1)
    return weighted, macro


def _events_of(doc):
    events = doc.get("events") if isinstance(doc, dict) else None
    if not isinstance(events, list):
        return []
    return [e if isinstance(e, dict) else {} for e in events]


def evaluate(gold_docs, pred_docs):
    """gold_docs, pred_docs: lists of parsed JSON documents."""
    gold_ids = set(d.get("id") for d in gold_docs)
    preds = {}
    for d in pred_docs:
        if isinstance(d, dict) and d.get("id") in gold_ids:
            preds[d.get("id")] = d  # last line wins

    right = {k: 0 for k in FIELD_KEYS}
    count = {k: 0 for k in FIELD_KEYS}
    geo_right = {k: 0 for k, _ in GEO_KEYS}
    geo_count = 0
    pairs = {k: [] for k in F1_LABEL_KEYS}
    none_docs = 0
    none_right = 0
    gold_events_total = 0
    pred_events_total = 0
    extra = 0
    missing = 0

    for doc in gold_docs:
        g_events = _events_of(doc)
        pdoc = preds.get(doc.get("id"))
        if pdoc is None:
            missing += 1
            p_events = []
        else:
            p_events = _events_of(pdoc)
        gold_events_total += len(g_events)
        pred_events_total += len(p_events)
        extra += max(0, len(p_events) - len(g_events))
        if not g_events:
            none_docs += 1
            if not p_events:
                none_right += 1
            continue

        score = doc.get("score") if isinstance(doc.get("score"), dict) else {}
        score_date = score.get("date", True) is not False
        score_type = score.get("type", True) is not False

        matches = match_events(g_events, p_events)
        for g, mi in zip(g_events, matches):
            pred = p_events[mi] if mi is not None else None
            for key in FIELD_KEYS:
                if key == "event_date" and not score_date:
                    continue
                if key in TYPE_KEYS and not score_type:
                    continue
                g_value = g.get(key)
                if g_value is None:
                    continue
                count[key] += 1
                if field_correct(key, g_value, pred):
                    right[key] += 1
                if key in TYPE_KEYS:
                    p_label = pred.get(key) if pred is not None else None
                    if not isinstance(p_label, str):
                        p_label = NONE_LABEL
                    pairs[key].append((g_value, p_label))
            if _is_number(g.get("latitude")) and _is_number(g.get("longitude")):
                geo_count += 1
                d = distance_km(g, pred)
                for key, radius in GEO_KEYS:
                    if d is not None and d <= radius:
                        geo_right[key] += 1

    out = {}
    n = {}
    for key in FIELD_KEYS:
        n[key] = count[key]
        out[key] = right[key] / count[key] if count[key] else None
    for key, _ in GEO_KEYS:
        n[key] = geo_count
        out[key] = geo_right[key] / geo_count if geo_count else None
    for key in F1_LABEL_KEYS:
        weighted, macro = _f1_scores(pairs[key])
        out[key + "_weighted_f1"] = weighted
        out[key + "_macro_f1"] = macro
        n[key + "_weighted_f1"] = len(pairs[key])
        n[key + "_macro_f1"] = len(pairs[key])
    n["no_event_when_none"] = none_docs
    out["no_event_when_none"] = none_right / none_docs if none_docs else None
    out["gold_events"] = gold_events_total
    out["pred_events"] = pred_events_total
    out["extra_events"] = extra
    out["overgeneration"] = extra / len(gold_docs) if gold_docs else None
    out["docs_missing_in_pred"] = missing
    out["n"] = {k: n[k] for k in SHARE_KEYS}
    return {k: out[k] for k in OUTPUT_KEYS}


def read_jsonl(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                docs.append(json.loads(line))
    return docs


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: python3 tools/eval_reference.py GOLD.jsonl PRED.jsonl\n")
        return 2
    result = evaluate(read_jsonl(argv[1]), read_jsonl(argv[2]))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
