"""The MiniLM encoder as an ONNX graph, in float32 or with 8-bit weights (private helper of :mod:`._encoder`).

The graph is written here, node by node, from the published weights (nothing is
converted from torch and no model file is downloaded or shipped): the embedding layer
norm, six BERT layers (fused Q/K/V projection, softmax attention, exact GELU
feed-forward, post-layer norms), mean pooling and L2 normalisation, as in
sentence-transformers.  Its input is the sum of the word, position and token-type
embeddings of one sequence, ``(1, L, 384)`` float32 (looked up in numpy by the caller);
its output the ``(1, 384)`` unit-length embedding.

With ``quantized`` (:func:`quantize`), the 24 projection matrices are 8-bit integers, run as
integer matrix products (ONNX ``DynamicQuantizeLinear`` + ``MatMulInteger``, which
onnxruntime fuses into one kernel): about 1.7 times the float graph's speed on a CPU
with AVX2, with embeddings whose cosine to the float ones is 0.97 or more (the
news-tone head is trained on these very embeddings).  The quantisation is this module's
own, fixed and documented, so the graph, and hence every score, depends only on the
published weights:

* weights: symmetric, one scale per output column, ``scale = max|w| / 63`` and
  ``q = round(w / scale)`` in [-63, 63] (7 bits: an AVX2 ``vpmaddubsw`` pair sum of
  ``255 * 63 * 2`` cannot saturate its 16-bit accumulator, so the integer products are
  exact on every x86 CPU, with or without VNNI);
* activations: ONNX ``DynamicQuantizeLinear`` (uint8, asymmetric, one scale per call);
  the caller runs one sequence per call, so a sentence's embedding does not depend on
  the other sentences scored with it.

Reference: Jacob et al. (2018), *Quantization and training of neural networks for
efficient integer-arithmetic-only inference*, CVPR (affine 8-bit quantisation).
"""
from __future__ import annotations

import hashlib
from typing import Any, Sequence

import numpy as np

#: largest magnitude of a quantised weight (7 bits, see the module docstring)
WEIGHT_QMAX = 63
#: ONNX opset of the graph (``Gelu`` and ``LayerNormalization`` are standard operators from 20)
OPSET = 20


def quantize_columns(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-column 8-bit quantisation of a ``(k, n)`` weight matrix: ``(q int8, scale float32 (n,))``.

    ``q * scale`` approximates ``w`` to within half a step of each column.

    >>> w = np.array([[0.5, -2.0], [-0.25, 1.0]], dtype=np.float32)
    >>> q, s = quantize_columns(w)
    >>> q.tolist(), [round(float(v), 5) for v in s]
    ([[63, -63], [-31, 31]], [0.00794, 0.03175])
    """
    w = np.asarray(w, dtype=np.float32)
    scale = np.abs(w).max(axis=0) / np.float32(WEIGHT_QMAX)
    scale = np.where(scale > 0, scale, np.float32(1.0)).astype(np.float32)
    q = np.clip(np.rint(w / scale), -WEIGHT_QMAX, WEIGHT_QMAX).astype(np.int8)
    return q, scale


#: the projection matrices of a layer, in the order they are quantised and hashed
PROJECTIONS = ("wqkv", "wo", "wi", "wout")


def quantize(layers: Sequence[Any]) -> list[dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Per layer, :func:`quantize_columns` of each projection matrix (:data:`PROJECTIONS`): ``{name: (q, scale)}``."""
    return [{name: quantize_columns(getattr(layer, name)) for name in PROJECTIONS} for layer in layers]


def quantized_digest(quantized: Sequence[dict[str, tuple[np.ndarray, np.ndarray]]]) -> str:
    """SHA-256 of quantised projection weights and scales (:func:`quantize`; what the head was trained on).

    >>> from types import SimpleNamespace as NS
    >>> one = np.eye(2, dtype=np.float32)
    >>> len(quantized_digest(quantize([NS(wqkv=one, wo=one, wi=one, wout=one)])))
    64
    """
    h = hashlib.sha256()
    for layer in quantized:
        for name in PROJECTIONS:
            q, scale = layer[name]
            h.update(q.tobytes())
            h.update(scale.astype("<f4").tobytes())
    return h.hexdigest()


def build_graph(layers: Sequence[Any], ln0: tuple[np.ndarray, np.ndarray], *, n_heads: int, eps: float,
                quantized: Sequence[dict[str, tuple[np.ndarray, np.ndarray]]] | None = None) -> bytes:
    """The serialised ONNX model of the encoder after the embedding lookup.

    Parameters
    ----------
    layers : sequence
        Per transformer layer, an object with the weights transposed to ``x @ w`` (``wqkv``
        Q, K and V side by side, ``bqkv``, ``wo``, ``bo``, ``ln1_g``, ``ln1_b``, ``wi``,
        ``bi``, ``wout``, ``bout``, ``ln2_g``, ``ln2_b``), as :class:`._encoder.MiniLMEncoder` holds them.
    ln0 : (gamma, beta)
        The embedding layer norm.
    n_heads, eps : int, float
        Attention heads and the layer norms' epsilon (the model's ``config.json``).
    quantized : list or None
        :func:`quantize` of ``layers``: the graph runs 8-bit projections with these weights
        (see the module docstring); None: float32 projections.

    Returns
    -------
    bytes
        An ONNX model with input ``emb`` ``(1, L, width)`` float32 and output ``out``
        ``(1, width)`` float32, for ``onnxruntime.InferenceSession``.
    """
    from onnx import TensorProto, helper, numpy_helper   # imported when the model is first needed

    inits: list = []
    nodes: list = []
    count = [0]

    def const(name: str, value: Any) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], n_out: int = 1, **attrs: Any) -> Any:
        count[0] += 1
        outs = [f"t{count[0]}_{i}" for i in range(n_out)]
        nodes.append(helper.make_node(op, inputs, outs, name=f"{op}{count[0]}", **attrs))
        return outs[0] if n_out == 1 else outs

    def project(x: str, i: int, w: str, b: np.ndarray, name: str) -> str:
        if quantized is None:
            return node("Add", [node("MatMul", [x, const(name, np.asarray(getattr(layers[i], w), np.float32))]),
                                const(name + "_b", b)])
        q, scale = quantized[i][w]
        xq, xs, xzp = node("DynamicQuantizeLinear", [x], n_out=3)
        acc = node("MatMulInteger", [xq, const(name + "_q", q), xzp])
        y = node("Mul", [node("Cast", [acc], to=TensorProto.FLOAT), node("Mul", [xs, const(name + "_s", scale)])])
        return node("Add", [y, const(name + "_b", b)])

    def layer_norm(x: str, g: np.ndarray, b: np.ndarray, name: str) -> str:
        return node("LayerNormalization", [x, const(name + "_g", g), const(name + "_b", b)], axis=-1, epsilon=eps)

    width = int(np.asarray(ln0[0]).shape[0])
    d = width // n_heads
    split = const("shape_qkv", np.array([0, 0, 3, n_heads, d], np.int64))
    merge = const("shape_ctx", np.array([0, 0, width], np.int64))
    scale = const("attn_scale", np.array(1.0 / np.sqrt(d), np.float32))
    which = [const(f"qkv_{i}", np.array(i, np.int64)) for i in range(3)]
    h = layer_norm("emb", ln0[0], ln0[1], "ln0")
    for i, L in enumerate(layers):
        p = f"l{i}_"
        qkv = node("Transpose", [node("Reshape", [project(h, i, "wqkv", L.bqkv, p + "qkv"), split])],
                   perm=[2, 0, 3, 1, 4])                                   # (3, 1, heads, L, d)
        q, k, v = (node("Gather", [qkv, w], axis=0) for w in which)
        scores = node("Mul", [node("MatMul", [q, node("Transpose", [k], perm=[0, 1, 3, 2])]), scale])
        ctx = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        ctx = node("Reshape", [node("Transpose", [ctx], perm=[0, 2, 1, 3]), merge])
        h = layer_norm(node("Add", [project(ctx, i, "wo", L.bo, p + "o"), h]), L.ln1_g, L.ln1_b, p + "ln1")
        inner = node("Gelu", [project(h, i, "wi", L.bi, p + "i")], approximate="none")
        h = layer_norm(node("Add", [project(inner, i, "wout", L.bout, p + "out"), h]), L.ln2_g, L.ln2_b, p + "ln2")
    pooled = node("ReduceMean", [h, const("axis_tokens", np.array([1], np.int64))], keepdims=0)
    nodes.append(helper.make_node("LpNormalization", [pooled], ["out"], name="l2", axis=-1, p=2))
    graph = helper.make_graph(
        nodes, "all-MiniLM-L6-v2" + (" int8" if quantized is not None else ""),
        [helper.make_tensor_value_info("emb", TensorProto.FLOAT, [1, "L", width])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, width])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="alliance_study.metrics._onnx_graph")
    model.ir_version = 10
    return bytes(model.SerializeToString())
