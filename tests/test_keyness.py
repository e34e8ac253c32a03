"""keyness: the Monroe, Colaresi & Quinn (2008) weighted log-odds, worked by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from alliance_study.compare import keyness, load_stopwords


@pytest.fixture()
def tiny():
    s = pd.DataFrame({
        "article_id": [1, 1, 2, 2, 3],
        "sent_id": [0, 1, 0, 1, 0],
        "role": ["headline", "body", "body", "body", "boilerplate"],
        "text": ["Alliance alliance talks", "The alliance.", "Trade talks", "trade, TRADE 2020", "alliance cookie"],
    })
    a = pd.DataFrame({"article_id": [1, 2, 3], "side": ["X", "Y", "Y"]})
    return s, a


def row(k, group, term):
    r = k[(k["group"] == group) & (k["term"] == term)]
    assert len(r) == 1
    return r.iloc[0]


def test_informative_prior_matches_hand_computation(tiny):
    s, a = tiny
    k = keyness(s, a, group_by="side", min_count=1)
    # counted (stopword "the", the number and the boilerplate sentence dropped):
    #   X: alliance 3, talks 1 (n_X = 4);  Y: trade 3, talks 1 (n_Y = 4);  corpus n = 8
    # informative prior with alpha0 = n = 8: a_w = 8 * y_w / 8 = y_w -> alliance 3, talks 2, trade 3
    # eq. 16 for "alliance", X against the rest (Y):
    d = math.log((3 + 3) / (4 + 8 - 3 - 3)) - math.log((0 + 3) / (4 + 8 - 0 - 3))
    v = 1 / (3 + 3) + 1 / (0 + 3)
    r = row(k, "X", "alliance")
    assert (r["count"], r["count_rest"]) == (3, 0)
    assert r["log_odds"] == pytest.approx(d) == pytest.approx(math.log(3))
    assert r["variance"] == pytest.approx(v) == pytest.approx(0.5)
    assert r["log_odds_z"] == pytest.approx(d / math.sqrt(v))
    # "talks" is used once by each side: no difference at all
    assert row(k, "X", "talks")["log_odds"] == pytest.approx(0.0)
    # with two groups, "the rest" of X is Y: the z of Y is minus the z of X
    assert row(k, "Y", "alliance")["log_odds_z"] == pytest.approx(-r["log_odds_z"])
    assert set(k["term"]) == {"alliance", "talks", "trade"}


def test_flat_prior_and_explicit_alpha0(tiny):
    s, a = tiny
    k = keyness(s, a, group_by="side", min_count=1, prior=0.5)
    # a_w = 0.5 for each of the 3 words, a0 = 1.5
    d = math.log((3 + .5) / (4 + 1.5 - 3 - .5)) - math.log((0 + .5) / (4 + 1.5 - 0 - .5))
    assert row(k, "X", "alliance")["log_odds"] == pytest.approx(d)
    assert row(k, "X", "alliance")["variance"] == pytest.approx(1 / 3.5 + 1 / 0.5)
    k2 = keyness(s, a, group_by="side", min_count=1, alpha0=80)
    # a_w = 80 * y_w / 8 = 10 y_w -> alliance 30, a0 = 80
    d2 = math.log((3 + 30) / (4 + 80 - 3 - 30)) - math.log((0 + 30) / (4 + 80 - 0 - 30))
    assert row(k2, "X", "alliance")["log_odds"] == pytest.approx(d2)
    assert abs(d2) < abs(row(keyness(s, a, group_by="side", min_count=1), "X", "alliance")["log_odds"])


def test_ordering_min_count_roles_and_stopwords(tiny):
    s, a = tiny
    k = keyness(s, a, group_by="side", min_count=1)
    assert k["group"].tolist() == sorted(k["group"])
    for _, g in k.groupby("group"):
        z = g["log_odds_z"].to_numpy()
        assert (z[:-1] >= z[1:]).all()
    assert k.groupby("group").head(1)["term"].tolist() == ["alliance", "trade"]
    assert "talks" not in set(keyness(s, a, group_by="side", min_count=3)["term"])
    assert "cookie" in set(keyness(s, a, group_by="side", min_count=1, roles=None)["term"])
    assert "the" in set(keyness(s, a, group_by="side", min_count=1, stopwords=False)["term"])
    assert len(keyness(s, a, group_by="side", min_count=1, top=1)) == 2
    sw = load_stopwords()
    assert len(sw) == 179 and {"the", "won't", "of"} <= sw


def test_missing_stopword_file_is_a_clear_error_naming_it(tiny, tmp_path):
    """A stopword file that does not exist is a LexiconError (a user error: file, reason, fix),
    not an internal error; a path is read as a file, never as a string's characters."""
    from alliance_study.errors import LexiconError
    s, a = tiny
    missing = tmp_path / "my_stopwords.txt"
    for given in (missing, str(missing)):
        with pytest.raises(LexiconError, match="my_stopwords.txt") as err:
            keyness(s, a, group_by="side", min_count=1, stopwords=given)
        assert "not found" in str(err.value) and "Fix:" in str(err.value)
    with pytest.raises(LexiconError, match="my_stopwords.txt"):
        load_stopwords(missing)
    missing.write_text("# my list\nalliance\ntalks  # inline comment\n", encoding="utf-8")
    for given in (missing, str(missing)):
        terms = set(keyness(s, a, group_by="side", min_count=1, stopwords=given)["term"])
        assert terms == {"the", "trade"}  # the file's words dropped, NLTK's list not used


def test_missing_stopword_file_through_the_command_line(raw_dir, tmp_path, monkeypatch, capsys):
    """``alliance-study build`` reaches keyness with the packaged list; when that file is
    missing the command prints one message naming it (no 'internal error') and exits 2."""
    from alliance_study import cli, resources
    packaged = resources.packaged
    monkeypatch.setattr(resources, "packaged",
                        lambda name: tmp_path / name if name == "stopwords_en.txt" else packaged(name))
    rc = cli.main(["build", "--raw-dir", str(raw_dir), "--processed-dir", str(tmp_path / "processed"),
                   "--output-dir", str(tmp_path / "reports")])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "stopwords_en: stopword list not found" in err and "Fix:" in err
    assert "internal error" not in err and "This is a bug" not in err
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_bad_prior_is_refused(tiny):
    s, a = tiny
    from alliance_study.errors import InputError
    with pytest.raises(InputError):
        keyness(s, a, group_by="side", prior="flat")
    with pytest.raises(InputError):
        keyness(s, a, group_by="side", prior=0)


def test_stopwords_match_curly_apostrophes_and_numbers_are_not_terms(tmp_path):
    """A stopword typed with a curly apostrophe drops the token written either way; numbers never count."""
    s = pd.DataFrame({"article_id": [1, 1, 2, 2], "role": "body",
                      "text": ["It’s a deal, it's signed in 2020.", "The deal holds.",
                               "It's over: 1.5 million protest.", "The protest grows."]})
    a = pd.DataFrame({"article_id": [1, 2], "side": ["x", "y"]})
    k = keyness(s, a, group_by="side", min_count=1, stopwords=["The", "It’s", "A"])
    terms = set(k["term"])
    assert not terms & {"the", "it's", "it’s", "a"}
    assert {"deal", "protest", "signed", "million"} <= terms
    assert not terms & {"2020", "1.5"}
    # totals leave out stopwords and numbers: x has deal x2, signed, in, holds
    x = k[k["group"] == "x"]
    assert int(x["count"].sum()) == 5
    path = tmp_path / "stop.txt"
    path.write_text("it’s\nthe\n", encoding="utf-8")
    assert "it's" not in set(keyness(s, a, group_by="side", min_count=1, stopwords=path)["term"])
