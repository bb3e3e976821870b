#!/usr/bin/env python3
"""Hand-made checks for tools/eval_reference.py (invented examples only).

Run: python3 tools/eval_reference_test.py
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_reference as er  # noqa: E402


def ev(**kw):
    return dict(kw)


def doc(doc_id, events, date=True, type_=True):
    return {"id": doc_id, "date": "2021-03-04", "text": "invented",
            "events": events, "score": {"date": date, "type": type_}}


def pred(doc_id, events):
    return {"id": doc_id, "date": "2021-03-04", "events": events, "messages": []}


class Normalisation(unittest.TestCase):
    def test_parentheses_dropped_with_content(self):
        self.assertEqual(er.normalise_name("Army of Freedonia (1999-)"),
                         er.normalise_name("army of freedonia"))
        self.assertEqual(er.normalise_name("Farmers (Ruritania)"), "farmers")

    def test_case_accents_punctuation_stopwords(self):
        self.assertEqual(er.normalise_name("Él Café-Norte"), "cafe norte")
        self.assertEqual(er.normalise_name("The Bank of the River"), "bank river")
        self.assertEqual(er.normalise_name("Al-Zebra Front"), "zebra front")
        self.assertEqual(er.normalise_name("Qal'ansa"), er.normalise_name("Qalansa"))
        self.assertEqual(er.normalise_name("  Ñandú,  Town. "), "nandu town")
        # stopwords only as whole words
        self.assertEqual(er.normalise_name("Theodora Alpine Elm"), "theodora alpine elm")

    def test_nested_parentheses(self):
        self.assertEqual(er.normalise_name("Guards (Ruritania (2001-))"), "guards")


class Geometry(unittest.TestCase):
    def test_haversine(self):
        # one degree of latitude = R * pi / 180 = 111.19 km
        self.assertAlmostEqual(er.haversine_km(0, 0, 1, 0), 111.195, places=2)
        self.assertEqual(er.haversine_km(10, 20, 10, 20), 0.0)


class Matching(unittest.TestCase):
    def test_best_agreement_wins(self):
        g = [ev(event_type="Battles", sub_event_type="Armed clash",
                event_date="2021-03-03", location="Northtown",
                latitude=1.0, longitude=1.0)]
        p = [ev(event_type="Riots", sub_event_type="Mob violence",
                event_date="2021-03-03", location="Northtown",
                latitude=1.0, longitude=1.0),              # 1+1+1 = 3
             ev(event_type="Battles", sub_event_type="Armed clash",
                event_date="2021-03-01", location="Elsewhere",
                latitude=9.0, longitude=9.0)]              # 2+2 = 4
        self.assertEqual(er.agreement(g[0], p[0]), 3)
        self.assertEqual(er.agreement(g[0], p[1]), 4)
        self.assertEqual(er.match_events(g, p), [1])

    def test_tie_goes_to_earlier_prediction(self):
        g = [ev(event_type="Protests", sub_event_type="Peaceful protest")]
        p = [ev(event_type="Protests", sub_event_type="Other thing"),
             ev(event_type="Protests", sub_event_type="Another thing")]
        self.assertEqual(er.match_events(g, p), [0])

    def test_greedy_in_gold_order_and_one_to_one(self):
        # The first gold event grabs the only good prediction even though the
        # second gold event would agree with it equally well.
        g = [ev(event_type="Riots", location="Alpha"),
             ev(event_type="Riots", location="Beta")]
        p = [ev(event_type="Riots", location="Beta"),
             ev(event_type="Battles", location="Gamma")]
        # gold 0: p0 -> 2, p1 -> 0  => p0 ; gold 1: only p1 left (score 0)
        self.assertEqual(er.match_events(g, p), [0, 1])

    def test_zero_agreement_still_matches_and_surplus_gold_unmatched(self):
        g = [ev(event_type="Battles"), ev(event_type="Riots")]
        p = [ev(event_type="Protests")]
        self.assertEqual(er.match_events(g, p), [0, None])

    def test_location_normalised_and_distance_in_agreement(self):
        g = ev(location="Port Élise (harbour)", latitude=0.0, longitude=0.0)
        p = ev(location="port elise", latitude=0.0, longitude=0.4)  # ~44.5 km
        self.assertEqual(er.agreement(g, p), 2)
        p_far = ev(location="Other", latitude=0.0, longitude=0.5)  # ~55.6 km
        self.assertEqual(er.agreement(g, p_far), 0)

    def test_nulls_never_agree(self):
        g = ev(event_type=None, location=None, event_date=None)
        p = ev(event_type=None, location=None, event_date=None)
        self.assertEqual(er.agreement(g, p), 0)


class Scoring(unittest.TestCase):
    def test_fields_geo_and_counts(self):
        gold = [
            doc("a", [ev(event_type="Battles", sub_event_type="Armed clash",
                         event_date="2021-03-03", country="Ruritania",
                         admin1="North Province", location="Northtown",
                         latitude=10.0, longitude=10.0,
                         actor1="Army of Ruritania (2010-)", actor2=None,
                         fatalities=3)]),
            doc("b", [ev(event_type="Riots", sub_event_type="Mob violence",
                         event_date="2021-03-02", country="Ruritania",
                         admin1="South", location="Southtown",
                         latitude=0.0, longitude=0.0, actor1="Rioters (Ruritania)",
                         fatalities=0, injuries=2)],
                date=False),
            doc("c", []),
            doc("d", []),
            doc("e", [ev(event_type=None, sub_event_type=None,
                         event_date="2021-03-01", country="Freedonia",
                         admin1="East", location="Easton",
                         latitude=None, longitude=None, actor1="Farmers",
                         fatalities=1)], type_=False),
        ]
        preds = [
            pred("a", [ev(event_type="Battles", sub_event_type="Armed clash",
                          event_date="2021-03-03", country="ruritania",
                          admin1="North Province", location="North-town",
                          latitude=10.0, longitude=10.1,  # ~10.9 km
                          actor1="Army of Ruritania", actor2="Someone",
                          fatalities=3.0),
                       ev(event_type="Riots", sub_event_type="Mob violence")]),
            pred("b", [ev(event_type="Riots", sub_event_type="Violent demonstration",
                          event_date="1999-01-01", country="Ruritania",
                          admin1="South", location="Southtown",
                          latitude=0.0, longitude=1.0,  # ~111 km
                          actor1="Rioters", fatalities="0", injuries=2)]),
            pred("c", [ev(event_type="Protests")]),
            # "d" and "e" missing
            pred("zzz", [ev(event_type="Battles")]),  # not in gold: ignored
        ]
        r = er.evaluate(gold, preds)
        self.assertEqual(list(r.keys()), er.OUTPUT_KEYS)
        n = r["n"]
        # event_type: docs a, b scored (e has type false) -> 2/2
        self.assertEqual(n["event_type"], 2)
        self.assertEqual(r["event_type"], 1.0)
        self.assertEqual(r["sub_event_type"], 0.5)
        # event_date: a (right), e (missing -> wrong); b has date false
        self.assertEqual(n["event_date"], 2)
        self.assertEqual(r["event_date"], 0.5)
        self.assertEqual(n["country"], 3)
        self.assertAlmostEqual(r["country"], 2 / 3)
        # location: "North-town" normalises to "north town" != "northtown"
        self.assertAlmostEqual(r["location"], 1 / 3)
        self.assertAlmostEqual(r["actor1"], 2 / 3)
        self.assertEqual(n["actor2"], 0)
        self.assertIsNone(r["actor2"])
        # fatalities: 3.0 == 3 right, "0" (string) wrong, e missing wrong
        self.assertAlmostEqual(r["fatalities"], 1 / 3)
        self.assertEqual(n["injuries"], 1)
        self.assertEqual(r["injuries"], 1.0)
        # geo: a (10.9 km) hit both, b (111 km) only 161; e has no gold coords
        self.assertEqual(n["geo_25km"], 2)
        self.assertEqual(r["geo_25km"], 0.5)
        self.assertEqual(r["geo_161km"], 1.0)
        self.assertEqual(n["no_event_when_none"], 2)
        # c predicted an event (wrong); d missing = predicted none (right)
        self.assertEqual(r["no_event_when_none"], 0.5)
        self.assertEqual(r["gold_events"], 3)
        self.assertEqual(r["pred_events"], 4)
        self.assertEqual(r["extra_events"], 2)  # a: 2-1, c: 1-0
        self.assertAlmostEqual(r["overgeneration"], 2 / 5)
        self.assertEqual(r["docs_missing_in_pred"], 2)
        self.assertEqual(set(n.keys()), set(er.SHARE_KEYS))

    def test_f1(self):
        # Four single-event docs: gold A, A, B, C ; predicted A, B, B, (none)
        gold = [doc("1", [ev(event_type="A")]), doc("2", [ev(event_type="A")]),
                doc("3", [ev(event_type="B")]), doc("4", [ev(event_type="C")])]
        preds = [pred("1", [ev(event_type="A")]), pred("2", [ev(event_type="B")]),
                 pred("3", [ev(event_type="B")]), pred("4", [])]
        r = er.evaluate(gold, preds)
        # A: P=1/1, R=1/2 -> F1 2/3 ; B: P=1/2, R=1/1 -> 2/3 ; C: P=0 -> 0
        weighted = (2 * (2 / 3) + 1 * (2 / 3) + 1 * 0) / 4
        macro = (2 / 3 + 2 / 3 + 0) / 3
        self.assertAlmostEqual(r["event_type_weighted_f1"], weighted)
        self.assertAlmostEqual(r["event_type_macro_f1"], macro)
        self.assertEqual(r["n"]["event_type_weighted_f1"], 4)
        # no gold sub_event_type anywhere -> null
        self.assertIsNone(r["sub_event_type_weighted_f1"])
        self.assertEqual(r["n"]["sub_event_type_macro_f1"], 0)

    def test_f1_precision_counts_pairs_with_other_gold_labels(self):
        # Gold X, Y ; predicted X, X.  X: P=1/2, R=1 -> 2/3 ; Y: 0.
        gold = [doc("1", [ev(event_type="X")]), doc("2", [ev(event_type="Y")])]
        preds = [pred("1", [ev(event_type="X")]), pred("2", [ev(event_type="X")])]
        r = er.evaluate(gold, preds)
        self.assertAlmostEqual(r["event_type_weighted_f1"], (2 / 3) / 2)
        self.assertAlmostEqual(r["event_type_macro_f1"], (2 / 3) / 2)

    def test_perfect_prediction(self):
        events = [ev(event_type="Protests", sub_event_type="Peaceful protest",
                     event_date="2021-02-02", country="Freedonia", admin1="West",
                     location="Westford", latitude=5.0, longitude=6.0,
                     actor1="Protesters (Freedonia)", actor2=None, fatalities=0),
                  ev(event_type="Riots", sub_event_type="Mob violence",
                     event_date="2021-02-02", country="Freedonia", admin1="West",
                     location="Lowmill", latitude=5.2, longitude=6.1,
                     actor1="Rioters (Freedonia)", actor2="Civilians (Freedonia)",
                     fatalities=1)]
        gold = [doc("p", events)]
        preds = [pred("p", list(reversed(events)))]  # order must not matter
        r = er.evaluate(gold, preds)
        for k in er.SHARE_KEYS:
            if r["n"][k]:
                self.assertEqual(r[k], 1.0, k)
        self.assertEqual(r["extra_events"], 0)


class CommandLine(unittest.TestCase):
    def test_cli_prints_json(self):
        with tempfile.TemporaryDirectory() as tmp:
            gp = os.path.join(tmp, "gold.jsonl")
            pp = os.path.join(tmp, "pred.jsonl")
            with open(gp, "w") as f:
                f.write(json.dumps(doc("q", [ev(event_type="Battles", fatalities=2)])) + "\n")
            with open(pp, "w") as f:
                f.write(json.dumps(pred("q", [ev(event_type="Battles", fatalities=2)])) + "\n")
            script = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  "eval_reference.py")
            out = subprocess.run([sys.executable, script, gp, pp], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out)
            self.assertEqual(r["event_type"], 1.0)
            self.assertEqual(r["fatalities"], 1.0)
            self.assertIsNone(r["country"])
            self.assertEqual(r["n"]["event_type"], 1)


if __name__ == "__main__":
    unittest.main(verbosity=1)
