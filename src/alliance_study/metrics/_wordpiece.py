"""BERT's uncased WordPiece tokenizer in plain Python (private helper of :mod:`._encoder`).

A re-implementation of what the ``tokenizers`` package does with the model's
``tokenizer.json`` (BertNormalizer with clean_text, handle_chinese_chars, lowercase and
accent stripping; BertPreTokenizer; WordPiece with ``##`` continuations; ``[CLS] ... [SEP]``;
truncation), so that scoring needs no tokenizer package and no model-hub client.
``scripts/train_sentiment.py`` checks that it gives the same ids as ``tokenizers`` on every
training sentence and on a set of awkward strings.

>>> from alliance_study.metrics._encoder import model_dir
>>> wp = WordPiece.from_file(model_dir() / "tokenizer.json")
>>> wp.tokens("Lula da Silva's visit, unannounced [SEP] café")
['[CLS]', 'lu', '##la', 'da', 'silva', "'", 's', 'visit', ',', 'una', '##nn', '##oun', '##ced', '[SEP]', 'cafe', '[SEP]']
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

_CJK = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F),
        (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
_PUNCT_CATEGORIES = frozenset(("Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps"))
_CONTROL_CATEGORIES = frozenset(("Cc", "Cf", "Co", "Cs"))
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _is_cjk(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _CJK)


def _is_punct(ch: str) -> bool:
    return ch in _ASCII_PUNCT or unicodedata.category(ch) in _PUNCT_CATEGORIES


class WordPiece:
    """Token ids of texts, as the model's ``tokenizer.json`` defines them.

    Parameters
    ----------
    vocab : dict
        Word piece -> id.
    special : dict
        Special-token text -> id (``[CLS]``, ``[SEP]`` ... matched verbatim in the input, as ``tokenizers`` does).
    max_length : int
        Truncation length, special tokens included.
    """

    def __init__(self, vocab: dict[str, int], special: dict[str, int], max_length: int = 256,
                 unk: str = "[UNK]", prefix: str = "##", max_word_chars: int = 100) -> None:
        self.vocab = vocab
        self.special = special
        self.max_length = int(max_length)
        self.unk_id = vocab[unk]
        self.cls_id, self.sep_id = special["[CLS]"], special["[SEP]"]
        self.prefix = prefix
        self.max_word_chars = max_word_chars
        self._split_special = re.compile("(" + "|".join(re.escape(s) for s in sorted(special, key=len, reverse=True)) + ")")
        self._id_to_token = {i: t for t, i in vocab.items()}
        self._word_cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def from_file(cls, path: str | Path, max_length: int = 256) -> "WordPiece":
        """Read a BERT ``tokenizer.json`` (WordPiece model, BertNormalizer, BertPreTokenizer)."""
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        model = spec["model"]
        if model.get("type") != "WordPiece" or spec["normalizer"].get("type") != "BertNormalizer":
            raise ValueError(f"{path}: not a BERT WordPiece tokenizer")
        special = {t["content"]: int(t["id"]) for t in spec.get("added_tokens", []) if t.get("special")}
        return cls(dict(model["vocab"]), special, max_length, model["unk_token"],
                   model["continuing_subword_prefix"], int(model["max_input_chars_per_word"]))

    def normalize(self, text: str) -> str:
        """Clean control characters, space out CJK characters, strip accents, lower-case."""
        if text.isascii():
            out = []
            for ch in text:
                o = ord(ch)
                if ch in "\t\n\r":
                    out.append(" ")
                elif o == 0 or o < 32 or o == 127:
                    continue
                else:
                    out.append(ch)
            return "".join(out).lower()
        chars = []
        for ch in text:
            cp = ord(ch)
            if ch in "\t\n\r":
                chars.append(" ")
                continue
            cat = unicodedata.category(ch)
            if cp == 0 or cp == 0xFFFD or cat in _CONTROL_CATEGORIES:   # unassigned (Cn) kept, as tokenizers does
                continue
            if cat in ("Zs", "Zl", "Zp"):
                chars.append(" ")
            elif _is_cjk(cp):
                chars.append(f" {ch} ")
            else:
                chars.append(ch)
        s = unicodedata.normalize("NFD", "".join(chars))
        s = "".join(c for c in s if unicodedata.category(c) != "Mn")
        return "".join(c.lower() for c in s)     # per character, as the Rust normaliser (no final-sigma rule)

    def pre_tokens(self, text: str) -> list[str]:
        """Words of normalised text: split at white space, each punctuation character on its own."""
        out: list[str] = []
        for chunk in text.split():
            start = 0
            for i, ch in enumerate(chunk):
                if _is_punct(ch):
                    if i > start:
                        out.append(chunk[start:i])
                    out.append(ch)
                    start = i + 1
            if start < len(chunk):
                out.append(chunk[start:])
        return out

    def word_ids(self, word: str) -> tuple[int, ...]:
        """Greedy longest-match word pieces of one word; ``[UNK]`` for the whole word when it cannot be split."""
        hit = self._word_cache.get(word)
        if hit is not None:
            return hit
        ids: list[int] = []
        if len(word) > self.max_word_chars:
            ids = [self.unk_id]
        else:
            start = 0
            while start < len(word):
                end, found = len(word), None
                while start < end:
                    piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                    if piece in self.vocab:
                        found = self.vocab[piece]
                        break
                    end -= 1
                if found is None:
                    ids = [self.unk_id]
                    break
                ids.append(found)
                start = end
        result = tuple(ids)
        if len(self._word_cache) < 200_000:
            self._word_cache[word] = result
        return result

    def encode(self, text: str) -> list[int]:
        """``[CLS]`` + word-piece ids + ``[SEP]``, truncated to :attr:`max_length`."""
        ids: list[int] = []
        for part in self._split_special.split(text):
            if not part:
                continue
            if part in self.special:
                ids.append(self.special[part])
                continue
            for word in self.pre_tokens(self.normalize(part)):
                ids.extend(self.word_ids(word))
        return [self.cls_id] + ids[: self.max_length - 2] + [self.sep_id]

    def tokens(self, text: str) -> list[str]:
        """The word pieces of :meth:`encode`, as strings (for reading)."""
        return [self._id_to_token[i] for i in self.encode(text)]
