"""Hedges and boosters on real sentences: the seed articles, NYT editorial snippets
(VADER ground truth) and the context rules (May the month, "about" a topic,
past-ability "could", "will", negated boosters, multiword hedges)."""
from __future__ import annotations

import re

import pytest

from alliance_study import explain, score
from alliance_study.metrics import Scorer, default_scorer
from alliance_study.validity.gold import read_vader_ground_truth


def hedge_cues(text):
    return [(c.text.lower(), c.category) for c in default_scorer().hedges.find(text)]


def booster_cues(text):
    return [c.text.lower() for c in default_scorer().boosters.find(text)]


def raw_sentence(raw_dir, prefix, start, end):
    """The exact sentence of a seed article, from ``start`` through ``end`` (read from the file)."""
    (path,) = sorted(raw_dir.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    i = text.index(start)
    j = text.index(end, i) + len(end)
    return text[i:j]


@pytest.fixture(scope="module")
def nyt(vader_dir):
    return list(read_vader_ground_truth(vader_dir / "nytEditorialSnippets_GroundTruth.txt")["text"])


def nyt_with(nyt, pattern, flags=0):
    hits = [t for t in nyt if re.search(pattern, t, flags)]
    assert hits, pattern
    return hits


# ------------------------------------------------------------------ seed sentences
def test_putin_time_will_tell_sentence_is_hedged(raw_dir):
    s = raw_sentence(raw_dir, "002", "Time will tell", "such a possibility.")
    row = score([s]).iloc[0]
    assert row["hedged"] and row["hedged_lexicon"]      # the learned decision and the lexicon's
    cues = row["hedge_cues"].split(";")
    for cue in ("time will tell", "in principle", "do not exclude", "possibility"):
        assert cue in cues
    assert row["booster_count"] == 0
    table = explain(s)
    hedges = table[table["measure"] == "hedge"]
    assert {"in principle", "do not exclude", "possibility", "time will tell"} <= set(hedges["text"].str.lower())
    for r in hedges.itertuples():
        assert s[r.start:r.end] == r.text
    assert "not_ruled_out" in set(hedges["category"])


def test_absolutely_not_carries_a_booster(raw_dir):
    s = raw_sentence(raw_dir, "000", "Absolutely not", ".")
    assert s == "Absolutely not."
    row = score([s]).iloc[0]
    assert row["booster_count"] == 1 and row["booster_cues"] == "absolutely"
    assert not row["hedged"] and not row["hedged_lexicon"]
    table = explain(s)
    assert table.loc[table["measure"] == "booster", "text"].tolist() == ["Absolutely"]


def test_seed_observers_noted_is_a_weasel(raw_dir):
    s = raw_sentence(raw_dir, "002", "servers noted that", ".")
    row = score(["Ob" + s]).iloc[0]
    assert row["weasel_count"] >= 1
    assert "unlikely" in row["hedge_cues"].split(";")


# ------------------------------------------------------------------ May
def test_may_the_month_is_not_a_hedge(nyt):
    for t in nyt_with(nyt, r"\bMay \d|\bin May\b"):
        assert ("may", "epistemic_modal") not in hedge_cues(t), t


def test_may_the_modal_is_a_hedge(nyt):
    for t in nyt_with(nyt, r"\bmay have\b")[:20]:
        assert ("may", "marked_modal") in hedge_cues(t), t
    assert hedge_cues("Russia and China may form an alliance in May 2025.") == [("may", "epistemic_modal")]
    assert hedge_cues("May 9 is Victory Day.") == []


# ------------------------------------------------------------------ about
def test_about_concerning_is_not_an_approximator(nyt):
    for t in nyt_with(nyt, r"\babout (?:the|this|his|her|their|it)\b")[:30]:
        assert all(c != "about" for c, _ in hedge_cues(t)), t


def test_about_before_a_number_is_a_rounder_counted_apart(nyt):
    for t in nyt_with(nyt, r"\babout \d")[:20]:
        assert ("about", "rounder") in hedge_cues(t), t
    assert ("about", "rounder") in hedge_cues("It costs about a third of the budget.")
    # a rounder is shown by explain() and counted in rounder_count, but alone does
    # not make the sentence hedged (it blurs a number, not the writer's commitment)
    row = score(["Some 300 troops and about 40 ships took part."]).iloc[0]
    assert (row["rounder_count"], row["hedge_count"], row["hedged"], row["hedge_cues"]) == (2, 0, False, "")
    table = explain("Some 300 troops and about 40 ships took part.", sentiment=False)
    assert table.loc[table["measure"] != "frame", "measure"].tolist() == ["rounder", "rounder"]
    row = score(["About 40 ships may have sailed, some experts say."]).iloc[0]
    assert (row["rounder_count"], row["hedge_count"], row["weasel_count"]) == (1, 2, 1)


def test_time_and_measure_phrases_are_not_vague_quantifiers():
    for t in ("The two navies have held joint drills for many years.",
              "Putin and Xi have met several times since 2013.",
              "The border runs for some hundred kilometres along the Amur."):
        assert score([t]).loc[0, "hedged"] == False, t  # noqa: E712
    for t in ("Some analysts in Beijing reject the idea.", "Many countries watched the drills."):
        assert score([t]).loc[0, "hedged"], t


# ------------------------------------------------------------------ could, will
def test_past_ability_could_is_dropped_but_epistemic_could_kept():
    assert hedge_cues("He could not repeat his time in the final.") == []
    assert hedge_cues("From the hill we could see the border.") == []
    assert hedge_cues("He could only watch.") == []
    for t in ("The alliance could change the balance of power.", "Moscow could have known.",
              "They could create an alliance."):
        assert ("could", "epistemic_modal") in hedge_cues(t), t


def test_generic_may_is_root_but_specific_may_is_epistemic():
    assert hedge_cues("Plants may die in severe cases.") == []
    assert hedge_cues("Athletes may compete with an assistant.") == []
    for t in ("It may be too early to speak of an alliance.", "Beijing and Moscow may sign a treaty.",
              "There may be no alliance at all."):
        assert ("may", "epistemic_modal") in hedge_cues(t), t
    # a definite noun phrase is a specific subject too ("the X may" is as often labelled uncertain in
    # CoNLL-2010 Wikipedia as "may" after a name); a bare plural before it stays generic
    for t in ("The government may call an early election.", "The ceasefire may collapse within days.",
              "Its central bank may raise rates again."):
        assert ("may", "epistemic_modal") in hedge_cues(t), t
    assert hedge_cues("Visitors to museums may not bring large bags.") == []
    # with an epistemic mark after it, "may" is a marked modal (always hedged)
    assert ("may", "marked_modal") in hedge_cues("The treaty may have been signed.")
    assert ("may well", "marked_modal") in hedge_cues("The treaty may well be signed.")


def test_possible_of_ability_is_not_a_hedge():
    for t in ("Come as soon as possible.", "It is possible to drive there.", "That made the treaty possible."):
        assert hedge_cues(t) == [], t
    for t in ("It is possible that the talks failed.", "Analysts discussed a possible alliance.",
              "A military conflict is possible."):
        assert ("possible", "possibility") in hedge_cues(t), t


def test_could_not_have_is_epistemic(nyt):
    for t in nyt_with(nyt, r"\bcould not have been\b"):
        assert ("could", "epistemic_modal") in hedge_cues(t), t


def test_will_is_not_a_hedge(nyt):
    plain = [t for t in nyt_with(nyt, r"\bwill\b") if not default_scorer().hedges.find(t)]
    assert len(plain) > 50  # many "will" sentences carry no hedge at all
    assert hedge_cues("The talks will start on Monday.") == []


# ------------------------------------------------------------------ boosters and negation
@pytest.mark.parametrize("text, boosters, hedges", [
    ("This is clearly a threat.", ["clearly"], []),
    ("It is not clearly a threat.", [], []),
    ("It is certain that they will sign.", ["certain"], []),
    ("It is not certain that they will sign.", [], ["not certain"]),
    ("They will not necessarily join.", [], ["not necessarily"]),
    ("This is by no means an alliance.", ["by no means"], []),
    ("There is no doubt about it.", ["there is no doubt"], []),
    ("He never really agreed.", ["never"], []),
    ("Certain countries object.", [], []),
    ("Of course they did.", ["of course"], []),
    ("The data show that it works.", ["show"], []),
    ("The show was long.", [], []),
])
def test_boosters_and_negation(text, boosters, hedges):
    assert booster_cues(text) == boosters
    assert [c for c, _ in hedge_cues(text)] == hedges


def test_negated_boosters_in_real_text(nyt):
    assert booster_cues("the reason is not clearly known.") == []
    for t in nyt_with(nyt, r"\bclearly\b")[:30]:
        expected = not re.search(r"(?:\bnot|n't)\s+(?:\w+\s+)?clearly\b", t, re.I)
        assert ("clearly" in booster_cues(t)) == expected, t


# ------------------------------------------------------------------ multiword hedges
@pytest.mark.parametrize("text, cue", [
    ("It remains to be seen whether the treaty holds.", "it remains to be seen"),
    ("To some extent the two armies are already integrated.", "to some extent"),
    ("In a sense, the partnership is an alliance.", "in a sense"),
    ("The two positions are more or less the same.", "more or less"),
    ("A military alliance is a theoretical possibility.", "theoretical possibility"),
    ("A new war cannot be ruled out.", "cannot be ruled out"),
    ("There is no guarantee that it will last.", "no guarantee"),
])
def test_multiword_hedges(text, cue):
    assert cue in [c for c, _ in hedge_cues(text)]


def test_weasels_are_counted_as_weasels():
    row = score(["Some experts say it is widely believed that the deal is dead."]).iloc[0]
    assert row["weasel_count"] >= 2
    row = score(["Mr. Lavrov said the deal is dead."]).iloc[0]
    assert row["weasel_count"] == 0 and not row["hedged"]


# ------------------------------------------------------------------ the learned decision
def test_model_and_lexicon_decisions_on_seed_sentences(raw_dir):
    """``hedged`` (model) is computed from the cues and words; it mostly agrees with the lexicon
    on the seed articles but is its own column, and the lexicon-only decision stays available."""
    from alliance_study.corpus import load_corpus

    sents = load_corpus(raw_dir).sentences
    df = score(sents["text"])
    assert (df["hedged_lexicon"] == df["hedge_cues"].ne("")).all()
    assert (df["hedged"] == df["hedged_lexicon"]).mean() > 0.8
    lexicon_only = score(sents["text"], Scorer(hedge_model=None))
    assert (lexicon_only["hedged"] == lexicon_only["hedged_lexicon"]).all()
    assert (lexicon_only["hedged_lexicon"] == df["hedged_lexicon"]).all()


def test_model_decision_equals_its_probability_threshold():
    from alliance_study.metrics.hedging import features
    from alliance_study.text import tokenize

    sc = default_scorer()
    model = sc.hedge_model
    texts = ["Some observers believe the treaty may collapse.", "The treaty was signed in 2001.",
             "It is widely believed that the alliance is a myth.", "Troops arrived on Monday."]
    got = score(texts)["hedged"].tolist()
    for t, g in zip(texts, got):
        toks = tokenize(t)
        f = features([x[3] for x in toks], sc.hedges.find(t, toks), sc.boosters.find(t, toks),
                     sc.rounder_categories, sc.weasel_categories)
        forced = any(f.get(f"cat:{c}", 0) for c in model.always)
        assert g == (forced or model.probability(f) >= model.threshold), t
    assert got[0] and not got[1]


def test_an_epistemic_cue_makes_a_long_news_sentence_hedged():
    """The model alone, trained on Wikipedia's weasel labels, overruled one modal or possibility cue
    in a long sentence; a cue of the model file's always_hedged categories now always counts."""
    model = default_scorer().hedge_model
    assert set(model.always) == {"marked_modal", "epistemic_adverb", "not_ruled_out"}
    hedged = ["Officials at the finance ministry told reporters on Wednesday that the government might "
              "extend the subsidy for heating oil into the spring if prices stayed high.",
              "The regional prosecutor did not rule out further arrests in the bribery case, which "
              "involves three former mayors and a construction company based in the south.",
              "The shipping company will possibly suspend its route through the strait for the rest "
              "of the month while insurers review the risk to vessels and their crews.",
              "It is not clear whether the new coalition, formed after weeks of talks between four "
              "parties, has enough votes to pass the budget before the end of the year."]
    plain = ["Officials at the finance ministry told reporters on Wednesday that the government will "
             "extend the subsidy for heating oil into the spring because prices stayed high.",
             "The regional prosecutor announced two further arrests in the bribery case, which "
             "involves three former mayors and a construction company based in the south."]
    d = score(hedged + plain)
    assert d["hedged"].tolist() == [True] * 4 + [False] * 2
    # the model alone would not have called every one of them hedged
    from alliance_study.metrics.hedging import HedgeModel, features
    from alliance_study.text import tokenize

    sc = default_scorer()
    alone = HedgeModel(model.weights, model.intercept, model.threshold, normalize=model.normalize)
    decisions = []
    for t in hedged:
        toks = tokenize(t)
        decisions.append(alone.decide(features([x[3] for x in toks], sc.hedges.find(t, toks),
                                               sc.boosters.find(t, toks), sc.rounder_categories,
                                               sc.weasel_categories)))
    assert not all(decisions)


def test_always_hedged_must_be_a_list_of_names(tmp_path):
    import json

    from alliance_study.errors import LexiconError
    from alliance_study.metrics.hedging import load_hedge_model
    from alliance_study.resources import packaged

    data = json.loads(packaged("hedging_model.json").read_text(encoding="utf-8"))
    data["always_hedged"] = "epistemic_modal"
    bad = tmp_path / "model.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(LexiconError, match="always_hedged.*Fix"):
        load_hedge_model(bad)


@pytest.mark.parametrize("text, hedges", [
    ("The suspect was arrested at the airport on Monday.", []),
    ("Two murder suspects fled the city.", []),
    ("Police suspect the fire was started deliberately.", ["suspect"]),
    ("She assumed office in January after a disputed vote.", []),
    ("The general assumed command of the northern front.", []),
    ("Military might alone will not end the war.", []),
    ("The might of the navy was on display.", []),
    ("The country's might has grown.", []),
    ("It might of course fail.", ["might"]),
    ("It isn't clear why the talks collapsed.", ["isn't clear"]),
    ("It wasn’t certain that the vote would pass.", ["wasn’t certain"]),
    ("It is not at all clear who will lead the party.", ["not at all clear"]),
    ("The outcome is by no means certain.", ["by no means certain"]),
    ("He couldn't have known about the plan.", ["couldn't"]),
    ("He couldn't swim.", []),
    ("He may resign before the summer.", ["may"]),
    ("Experts said the bridge was unsafe.", ["experts said"]),
    ("Her conduct was hardly seemly.", []),
    ("There is little doubt that the vote was rigged.", []),
    ("May was the wettest month on record.", []),
    ("May and June were unusually dry.", []),
    ("It has been three years since the war ended.", []),
    ("It has been suggested that the letter was forged.", ["it has been suggested"]),
])
def test_hedge_senses_in_news_sentences(text, hedges):
    assert [c for c, _ in hedge_cues(text)] == [h.lower() for h in hedges]


def test_little_doubt_and_by_no_means_as_boosters():
    assert booster_cues("There is little doubt that the vote was rigged.") == ["little doubt"]
    assert booster_cues("The outcome is by no means certain.") == []
    assert booster_cues("It was by no means a small victory.") == ["by no means"]


def test_custom_hedge_lexicon_falls_back_to_the_lexicon_decision(tmp_path):
    lex = tmp_path / "my_hedges.yaml"
    lex.write_text("name: hedges\ncategories:\n  modal:\n    cues: [perhaps]\n", encoding="utf-8")
    sc = Scorer(hedges=lex)
    assert sc.hedge_model is None
    row = sc.score_one("Perhaps they will sign.")
    assert row["hedged"] and row["hedged_lexicon"] and row["hedge_cues"] == "perhaps"


def test_model_follows_the_lexicon_cues_not_its_comments(tmp_path):
    from alliance_study.resources import packaged

    text = packaged("hedges.yaml").read_text(encoding="utf-8")
    commented = tmp_path / "hedges_commented.yaml"
    commented.write_text("# a note added by a reader\n" + text, encoding="utf-8")
    assert Scorer(hedges=commented).hedge_model is not None        # same cues: the model applies
    changed = tmp_path / "hedges_changed.yaml"
    changed.write_text(text.replace("      - perhaps\n", "", 1), encoding="utf-8")
    assert changed.read_text(encoding="utf-8") != text
    assert Scorer(hedges=changed).hedge_model is None              # other cues: the lexicon decision


# ------------------------------------------------------------------ weasel-wording patterns
def test_weasel_patterns_fire_on_wikipedia_weasel_sentences(wikiweasel_csv):
    """Each pattern of the learned layer fires on real CoNLL-2010 sentences, and the ones named after
    vague attribution fire more often on sentences the annotators marked uncertain."""
    from alliance_study.metrics.hedging import PATTERNS, features
    from alliance_study.text import tokenize
    from alliance_study.validity.gold import read_wikiweasel

    df = read_wikiweasel(wikiweasel_csv)
    fired = {k: [0, 0] for k in PATTERNS}
    for text, label in zip(df["text"], df["label"]):
        f = features([t[3] for t in tokenize(text)], [], [])
        for k in PATTERNS:
            if f.get("re:" + k):
                fired[k][int(label)] += 1
    n_pos, n_neg = int(df["label"].sum()), int((df["label"] == 0).sum())
    for k, (neg, pos) in fired.items():
        assert neg + pos > 0, k
    # vague attribution and passive reporting: at least three times as frequent among uncertain sentences
    for k in ("vague_subject", "it_is_reported", "passive_reported", "reported_to_be", "by_vague", "has_been_described"):
        neg, pos = fired[k]
        assert pos / n_pos > 3 * neg / n_neg, (k, fired[k])


def test_pattern_gates_only_save_time(nyt):
    """The word gates are necessary conditions of the regexes: gated and ungated features agree."""
    import re as _re

    from alliance_study.metrics.hedging import PATTERNS, features
    from alliance_study.text import tokenize

    for t in nyt:
        words = [x[3] for x in tokenize(t)]
        got = {k for k in features(words, [], []) if k.startswith("re:")}
        joined = " ".join(words)
        want = set()
        for name, (gates, rx) in PATTERNS.items():
            if rx is None:
                if set(words) & set(gates[0]):
                    want.add("re:" + name)
            elif _re.search(rx, joined):
                want.add("re:" + name)
        assert got == want, t


def test_shipped_model_matches_the_feature_code():
    """A pattern or length-bin edit without retraining fails here: retrain with scripts/train_hedging.py."""
    from alliance_study.metrics.hedging import LENGTH_BINS, PATTERNS, load_hedge_model

    model = load_hedge_model()
    rec = model.meta["training"]["feature_settings"]
    assert rec["length_bins"] == list(LENGTH_BINS)
    assert rec["patterns"] == {k: {"gates": [list(g) for g in gates], "regex": rx}
                               for k, (gates, rx) in PATTERNS.items()}
    assert rec["normalize"] == model.normalize
    assert any(k.startswith("re:") for k in model.weights)


def test_normalized_margin_divides_the_weighted_sum_by_the_norm():
    import math

    from alliance_study.metrics.hedging import HedgeModel

    f = {"w:some": 1.0, "w:critics": 1.0, "len:log": math.log1p(2), "w:unknown": 1.0}
    m = HedgeModel({"w:some": 0.5, "w:critics": 1.5, "len:log": -0.25}, -0.75, 0.4, normalize=True)
    dot = 0.5 + 1.5 - 0.25 * math.log1p(2)
    norm = math.sqrt(3 + math.log1p(2) ** 2)
    assert m.margin(f) == pytest.approx(-0.75 + dot / norm)
    assert HedgeModel(m.weights, -0.75, 0.4).margin(f) == pytest.approx(-0.75 + dot)


def test_fast_margin_is_bit_identical_to_the_feature_reference(wikiweasel_csv, nyt):
    """Scorer's path (hedging_margin.SentenceMargin, no feature names) against margin(features(...)):
    the same float, bit for bit, and the same decision, on every Wikipedia dev and NYT sentence."""
    import struct

    from alliance_study.metrics.hedging import features
    from alliance_study.metrics.hedging_margin import sentence_margin_for
    from alliance_study.metrics.lexicon import Tokens
    from alliance_study.text import normalised_tokens
    from alliance_study.validity.gold import read_wikiweasel

    sc = default_scorer()
    model, match = sc.hedge_model, sc._cue_set().match
    assert model is not None and model.normalize
    fast_path = sentence_margin_for(model)
    texts = list(read_wikiweasel(wikiweasel_csv)["text"]) + nyt
    differ, hedged = [], 0
    for t in texts:
        w = normalised_tokens(t)
        found, boosters, _, _ = match(Tokens(t, w))
        f = features(w, found, boosters, sc.rounder_categories, sc.weasel_categories)
        fast = fast_path.margin(w, found, boosters, sc.rounder_categories, sc.weasel_categories)
        if struct.pack("<d", fast) != struct.pack("<d", model.margin(f)):
            differ.append(t)
        decision = fast_path.decide(w, found, boosters, sc.rounder_categories, sc.weasel_categories)
        assert decision == model.decide(f), t
        hedged += decision
    assert differ == []
    assert 0 < hedged < len(texts)
    # repeated words and bigrams, numbers and an empty sentence take the same path
    for w in (["the", "the", "the"], "of the war of the roses of the".split(), ["about", "40", "ships", "40"], []):
        assert fast_path.margin(w, [], []) == model.margin(features(w, [], [])), w


def test_explain_hedged_gives_the_reasons_the_scorer_used(nyt):
    """explain_hedged agrees with score's hedged column on real sentences, names the rule's cues, and its
    listed contributions are the model's weighted, scaled feature values."""
    from alliance_study.metrics import explain_hedged

    texts = nyt[:300]
    got = score(texts)["hedged"].tolist()
    model = default_scorer().hedge_model
    for t, g in zip(texts, got):
        d = explain_hedged(t)
        assert d.hedged == g, t
        if d.rule_cues:
            assert d.hedged
        else:
            assert d.hedged == (d.probability >= d.threshold), t
        c = d.contributions
        assert (c["contribution"].abs().diff().dropna() <= 1e-12).all()  # largest first
        assert all(model.weights[f] == w for f, w in zip(c["feature"], c["weight"]))
    import math

    d = explain_hedged("The ministry said it was largely satisfied with the outcome of the talks on Monday.", top=10_000)
    assert d.hedged_lexicon and not d.hedged and not d.rule_cues
    # all contributions and the intercept add up to the model's log-odds
    margin = model.intercept + d.contributions["contribution"].sum()
    assert margin == pytest.approx(math.log(d.probability / (1 - d.probability)), abs=1e-9)


@pytest.mark.parametrize("text", [
    "Under the agreement, Ukraine may buy up to 40 of the aircraft.",
    "The old stadium could hold 50,000 fans.",
    "The minister condemned the attack in the strongest possible terms.",
    "Reporters asked whether the president would attend.",
    "A poll of 1,200 likely voters was published on Sunday.",
    "The harbour was not clear of ice until March.",
    "China's technological might has grown fast.",
    "Try as they might, the rescuers could not reach the village.",
])
def test_ambiguous_cues_are_left_to_the_model(text):
    """Cues that also state permission, ability, a topic or a plain fact never force 'hedged' (the rule takes
    only cues that hedge wherever they occur); the model decides them."""
    from alliance_study.metrics import explain_hedged

    assert explain_hedged(text).rule_cues == ()


def test_phrase_alternatives_of_other_lengths_are_entries_of_their_own():
    # "|" gives one word's alternatives: "as far as i|we know|can tell" matched "as far as we can tell"
    # but never "as far as I know"
    for t, cue in (("As far as I know, the talks continue.", "As far as I know"),
                   ("As far as we can tell, the talks continue.", "As far as we can tell"),
                   ("From my perspective, the talks failed.", "From my perspective"),
                   ("From our point of view, the talks failed.", "From our point of view")):
        assert (cue.lower(), "multiword_hedge") in hedge_cues(t), t


def test_superlative_possible_and_may_before_a_name_are_no_hedges():
    for t in ("The ministry condemned the attack in the strongest possible terms.",
              "Talks will resume at the earliest possible date.", "It was the worst possible outcome.",
              "May Wilson, 34, was named the new chair.", "May God bless this country."):
        assert hedge_cues(t) == [], t
    assert ("possible", "possibility") in hedge_cues("A possible deal was discussed.")
    assert ("may", "epistemic_modal") in hedge_cues("May the talks fail, the region would suffer.")
