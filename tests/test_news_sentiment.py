"""sentiment_news: the shipped head reproduces its recorded figures; the encoder is exact, deterministic, offline.

The full grouped cross-validation (6,504 sentences) takes minutes, so it is left to
``scripts/train_sentiment.py``; here the shipped coefficients rescore the fixed check
subset the script records (all 1,314 EmoBank news sentences and the NYT editorials
1-60, about 1,900 sentences) and must give the recorded in-sample Pearson r per data
set to within 0.005.  Embeddings of the validation sentences are computed here, not stored.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from alliance_study.errors import LexiconError
from alliance_study.metrics import news_sentiment as ns
from alliance_study.resources import packaged
from alliance_study.validity.gold import read_vader_ground_truth


@pytest.fixture(scope="module")
def head() -> dict:
    return json.loads(packaged("news_sentiment_head.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nyt(vader_dir) -> pd.DataFrame:
    gt = read_vader_ground_truth(vader_dir / "nytEditorialSnippets_GroundTruth.txt")
    return gt.assign(editorial=gt["id"].str.split("_", n=1).str[0].astype(int))


@pytest.fixture(scope="module")
def emobank(shared) -> pd.DataFrame:
    path = shared / "validation" / "emobank_news" / "emobank_news.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    return pd.read_csv(path, dtype={"text": str}, keep_default_na=False)


def test_recorded_figures_meet_the_bar_and_are_honest(head):
    f = head["figures"]
    assert f["nyt_editorials"]["n_sentences"] == 5190 and f["emobank_news"]["n_sentences"] == 1314
    for ds in ("nyt_editorials", "emobank_news"):
        # cross-validated r is below the in-sample r, and above VADER alone on the same sentences
        assert f[ds]["vader_compound_r"] < f[ds]["grouped_cv_r"] < f[ds]["in_sample_r"]
    assert f["nyt_editorials"]["grouped_cv_r"] >= 0.63
    assert head["encoder"]["reference_check"]["max_abs_diff"] <= 1e-5
    assert len(head["coef"]) == 384 + len(ns.VADER_FEATURES)


def test_shipped_head_reproduces_its_check_subset_figures(head, nyt, emobank):
    check = head["figures"]["check_subset"]
    last = int(check["what"].rsplit("1-", 1)[1])
    nyt_part = nyt[nyt["editorial"] <= last]
    assert len(nyt_part) + len(emobank) == check["n_sentences"]
    model = ns.NewsSentiment()
    got = {
        "nyt_editorials": np.corrcoef(model.score(nyt_part["text"]), nyt_part["rating"])[0, 1],
        "emobank_news": np.corrcoef(model.score(emobank["text"]), emobank["valence"])[0, 1],
    }
    for ds, r in got.items():
        assert r == pytest.approx(check["in_sample_r"][ds], abs=0.005), ds


def test_embeddings_are_deterministic_unit_vectors_independent_of_batching(nyt):
    texts = nyt["text"].iloc[:40].tolist()
    enc = ns.sentence_encoder()
    a, b = enc.encode(texts), enc.encode(texts)
    assert a.shape == (40, 384) and a.dtype == np.float32
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)
    alone = np.vstack([enc.encode([t]) for t in texts])
    reordered = enc.encode(texts[::-1])[::-1]
    mixed = enc.encode(nyt["text"].iloc[40:300].tolist() + texts + ["word " * 300, "Hi"])[260:300]
    # the same bits alone, in another order and among other sentences of every length
    assert np.array_equal(alone, a) and np.array_equal(reordered, a) and np.array_equal(mixed, a)
    # different sentences, different embeddings
    assert np.abs(a[0] - a[1]).max() > 0.01


def test_a_score_is_the_same_alone_and_in_any_batch(nyt):
    """Byte-identical sentiment_news whatever else is scored in the same call, however it is chunked."""
    model = ns.NewsSentiment()
    texts = nyt["text"].iloc[::23].tolist()            # 226 editorial sentences of all lengths
    alone = np.array([model.score([t])[0] for t in texts])
    rng = np.random.default_rng(7)
    perm = rng.permutation(len(texts))
    shuffled = np.empty(len(texts))
    shuffled[perm] = model.score([texts[i] for i in perm], batch_size=37)
    padded = model.score(["", "The war is a disaster."] + texts + ["word " * 300], batch_size=100)[2:-1]
    assert alone.tobytes() == model.score(texts).tobytes() == shuffled.tobytes() == padded.tobytes()


def test_scores_keep_order_blank_is_nan_and_tone_has_the_right_sign():
    model = ns.NewsSentiment()
    texts = ["The agreement is a welcome step toward lasting peace.", "   ",
             "The talks collapsed amid bitter recriminations."]
    out = model.score(texts, batch_size=1)
    assert out[0] > 0.1 and np.isnan(out[1]) and out[2] < -0.1
    assert out[[0, 2]].tobytes() == model.score([texts[0], texts[2]]).tobytes()
    assert ((-1 <= out[[0, 2]]) & (out[[0, 2]] <= 1)).all()


def test_vader_inputs_are_vaders_own_scores(nyt):
    """The head reads VADER's own numbers (the sentiment_compound column's source), untouched."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = nyt["text"].iloc[:200].tolist()
    ref = SentimentIntensityAnalyzer()
    want = [[ref.polarity_scores(t)[k] for k in ns.VADER_FEATURES] for t in texts]
    x = ns.features(texts)
    assert x.shape == (200, 388)
    assert x[:, 384:].tolist() == want


def test_changed_model_files_are_refused(tmp_path):
    src = ns.sentence_encoder().folder
    dst = tmp_path / "model"
    dst.mkdir()
    (dst / "model.safetensors").symlink_to(src / "model.safetensors")
    shutil.copy(src / "config.json", dst / "config.json")
    tok = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))
    tok["truncation"]["max_length"] = 64
    (dst / "tokenizer.json").write_text(json.dumps(tok), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"tokenizer\.json: SHA-256 .* Fix:"):
        ns._encoder.MiniLMEncoder(dst)


def test_the_head_was_trained_on_this_8bit_encoder_and_another_quantisation_is_refused(head):
    enc = ns.sentence_encoder()
    # the digest of the quantised weights the head was trained with is the one computed at load
    assert head["encoder"]["sha256"][ns._encoder.INT8_KEY] == enc.hashes[ns._encoder.INT8_KEY]
    with pytest.raises(LexiconError, match=r"quantised to 8 bits: digest .* is not the 0+ .*Fix:"):
        ns._encoder.encoder({ns._encoder.INT8_KEY: "0" * 64})


def test_8bit_embeddings_stay_close_to_the_float32_model(nyt):
    """The 8-bit graph approximates the exact float32 graph (checked against sentence-transformers
    at training time): every embedding within cosine 0.95, the average within 0.985."""
    texts = nyt["text"].iloc[::52].tolist() + ["word " * 300, "Hi"]
    exact = ns._encoder.MiniLMEncoder(ns.sentence_encoder().folder, int8=False).encode(texts)
    cos = np.einsum("ij,ij->i", ns.sentence_encoder().encode(texts), exact)
    assert cos.min() > 0.95 and cos.mean() > 0.985
    assert np.allclose(np.linalg.norm(exact, axis=1), 1.0, atol=1e-6)


def test_head_file_errors_name_the_file_and_the_fix(tmp_path, head):
    bad = tmp_path / "head.json"
    bad.write_text(json.dumps({**head, "coef": head["coef"][:10]}), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"head\.json: 'coef' has 10 values.*Fix: run scripts/train_sentiment\.py"):
        ns.NewsSentiment(bad)


def test_scoring_needs_no_network_and_no_torch(tmp_path):
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse\n"
        "import sys\n"
        "from alliance_study.metrics.news_sentiment import news_sentiment\n"
        "v = news_sentiment(['Prices rose.', 'The war is a disaster.'])\n"
        "assert v[1] < 0, v\n"
        "bad = sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'huggingface_hub') if m in sys.modules)\n"
        "assert not bad, bad\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]


def test_registry_knows_the_optional_column_and_measure():
    from alliance_study.metrics import registry

    assert registry.dtypes(["sentiment_news"]) == {"sentiment_news": "float64"}
    assert "sentiment_news" not in registry.column_names([])          # written only when asked for
    m = registry.measure("mean_sentiment_news")
    assert (m.column, m.kind, registry.label("mean_sentiment_news")) == (
        "sentiment_news", "mean", ("Mean news tone", "news tone, -1 to 1"))
    out = ns.NewsSentiment().score(["The war is a disaster.", "", "Peace talks made welcome progress."])
    num, den = m.ratio_parts(pd.DataFrame({"sentiment_news": out}))
    assert den.tolist() == [1.0, 0.0, 1.0]                              # the blank sentence is left out, not zero
    assert num.sum() / den.sum() == pytest.approx((out[0] + out[2]) / 2)


@pytest.mark.parametrize("text, pieces", [
    # word pieces of the reference tokenizer (tokenizers 0.23.3 on the model's tokenizer.json)
    ("Ünïcödé naïve façade résumé", ["unicode", "naive", "facade", "resume"]),
    ("İstanbul ΣΟΦΟΣ", ["istanbul", "σ", "##ο", "##φ", "##ο", "##σ"]),
    ("中国和俄罗斯 drills", ["中", "国", "和", "[UNK]", "[UNK]", "[UNK]", "drills"]),
    ("x\x0by\u00a0u\u200bs\ufeffr", ["x", "##y", "us", "##r"]),
    ("a[SEP]b [sep]", ["a", "[SEP]", "b", "[", "sep", "]"]),
    ("$5+3 «x» – y…", ["$", "5", "+", "3", "«", "x", "»", "–", "y", "…"]),
    ("ﬁnance ＡＢＣ", ["ﬁ", "##nan", "##ce", "[UNK]"]),
])
def test_wordpiece_matches_the_reference_tokenizer(text, pieces):
    wp = ns.sentence_encoder().tokenizer
    assert wp.tokens(text) == ["[CLS]"] + pieces + ["[SEP]"]


def test_wordpiece_truncates_to_256_and_agrees_with_tokenizers_when_installed(nyt):
    enc = ns.sentence_encoder()
    ids = enc.token_ids(["word " * 400])[0]
    assert len(ids) == 256 and ids[0] == 101 and ids[-1] == 102
    try:
        from tokenizers import Tokenizer   # not a dependency: the training-time check, repeated when present
    except ImportError:
        return
    tok = Tokenizer.from_file(str(enc.folder / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(256)
    texts = nyt["text"].iloc[::10].tolist()
    assert [e.ids for e in tok.encode_batch(texts)] == enc.token_ids(texts)
