"""The two runtimes of all-MiniLM-L6-v2's forward pass: ONNX Runtime and plain torch.

Measured on the 2-core machine (avx512_bf16), 1,000 news sentences, one thread, CPU time:
ONNX Runtime fp32 115-123 sentences/s, torch fp32 84-104, torch bf16 autocast 176-181; ready to
encode (import + load + first call) ONNX 0.6-1.1 s, torch 1.5-3.8 s (``import torch`` alone is
1.2 s when the machine is idle). Vectors against sentence-transformers fp32: ONNX and torch fp32
identical to 2e-7; torch bf16 cosine >= 0.99995.

So ONNX is the default wherever its graph is installed, the app's model process included: it is
ready 1-3 s sooner, and in the app a model process that imports torch takes CPU from the window
even when every vector comes from the cache (launch to a cached demo comparison 3.6-4.0 s with ONNX
against 4.3-4.9 s with torch, same loaded machine). Torch bf16 is 1.5x ONNX's throughput on CPUs
with native bf16, which only tells at hundreds of articles: ``PARALLAX_RUNTIME=torch`` chooses it
(``PARALLAX_RUNTIME=onnx|torch`` overrides either way). Without the graph, torch it is.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.errors import ParallaxError

if TYPE_CHECKING:  # imported where vectors are made: the command line decides on ONNX without numpy
    import numpy as np

log = logging.getLogger(__name__)

HEADS = 12
LAYERS = 6
EPS = 1e-12
ONNX_NAME = "all-MiniLM-L6-v2-{sha}.onnx"


def onnx_candidates() -> list[Path]:
    """Where the exported graph may be: beside the interpreter (what ``make`` installs, shared by
    every user of the venv), then the user's cache folder (a pip install in a read-only prefix)."""
    from reader.embedding.bundled import WEIGHTS_SHA256
    from reader.paths import cache_dir

    name = ONNX_NAME.format(sha=WEIGHTS_SHA256[:16])
    return [Path(sys.prefix) / "share" / "parallax" / name, cache_dir() / "model" / name]


def onnx_file() -> Path | None:
    return next((p for p in onnx_candidates() if p.is_file()), None)


def onnx_available() -> bool:
    return importlib.util.find_spec("onnxruntime") is not None and onnx_file() is not None


def choose_runtime() -> str:
    wanted = os.environ.get("PARALLAX_RUNTIME", "")
    if wanted in {"onnx", "torch"}:
        return wanted
    return "onnx" if onnx_available() else "torch"


def keep_torch_out_if_unused() -> bool:
    """For an entry point whose process runs the model on ONNX (the command line): make ``import torch``
    fail from here on, so libraries that import it only because it is installed (spaCy's thinc: 1.2 s
    idle) go on without it. Never from library code: a later caller in the same process may want torch.
    Returns whether torch was kept out."""
    if "torch" in sys.modules or choose_runtime() != "onnx" or not onnx_available():
        return False  # torch is there already, or the model will need it
    sys.modules["torch"] = None  # type: ignore[assignment]
    return True


def _let_torch_back() -> None:
    # keep_torch_out_if_unused() bet on ONNX; when the graph fails the model needs torch after all.
    if sys.modules.get("torch", False) is None:
        del sys.modules["torch"]


def load_runtime(name: str, folder: Path, *, bf16: bool, threads: int | None) -> Any:
    if name == "onnx":
        path = onnx_file()
        if path is not None:
            try:
                return OnnxModel(path, threads=threads)
            except Exception as exc:  # a damaged or foreign graph: the torch runtime still works
                log.warning("ONNX model %s unusable (%s); using torch", path, exc)
                _let_torch_back()
        else:
            log.warning("no exported ONNX model (run `python -m reader.embedding.export`); using torch")
            _let_torch_back()
    elif name != "torch":
        raise ParallaxError(f"Unknown model runtime {name!r} (use onnx or torch).")
    return TorchModel(folder, bf16=bf16, threads=threads)


class OnnxModel:
    name = "onnx"

    def __init__(self, path: Path, *, threads: int | None) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            opts.intra_op_num_threads = threads
        # Idle threads sleep instead of spinning: the app's window shares these cores.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import numpy as np

        out = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return np.asarray(out, dtype=np.float32)


class TorchModel:
    """BERT's encoder written out in torch functional calls (the same ops transformers' BertModel
    runs, so autocast treats them alike), weights read straight from the safetensors file."""

    name = "torch"

    def __init__(self, folder: Path, *, bf16: bool, threads: int | None) -> None:
        import torch
        from safetensors.torch import load_file

        if threads:
            torch.set_num_threads(threads)
        self.bf16 = bf16
        self.w = load_file(str(folder / "model.safetensors"))

    def hidden(self, ids: Any, mask: Any) -> Any:
        """The last layer's token vectors, a torch tensor (what the ONNX export traces)."""
        import torch.nn.functional as F

        w = self.w
        width = 384
        x = (
            F.embedding(ids, w["embeddings.word_embeddings.weight"])
            + w["embeddings.position_embeddings.weight"][: ids.shape[1]]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = F.layer_norm(x, (width,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], EPS)
        attend = mask[:, None, None, :].bool()
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def lin(h: Any, name: str, p: str = p) -> Any:
                return F.linear(h, w[p + name + ".weight"], w[p + name + ".bias"])

            def heads(h: Any) -> Any:
                return h.reshape(h.shape[0], -1, HEADS, width // HEADS).transpose(1, 2)

            q, k, v = (heads(lin(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=attend).transpose(1, 2).reshape(x.shape[0], -1, width)
            x = F.layer_norm(lin(a, "attention.output.dense") + x, (width,),
                             w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], EPS)
            h = lin(F.gelu(lin(x, "intermediate.dense")), "output.dense")
            x = F.layer_norm(h + x, (width,), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], EPS)
        return x

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            out = self.hidden(torch.from_numpy(ids), torch.from_numpy(mask))
        return out.float().numpy()
