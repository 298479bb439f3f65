"""Export the sentence model's forward pass to ONNX once, at install time (``make`` runs it).

``python -m reader.embedding.export`` traces ``runtimes.TorchModel.hidden`` (fp32) into an ONNX
graph beside the interpreter (``<venv>/share/parallax``), or in the user's cache folder when that is
read-only, then checks it: ONNX Runtime's vectors must match torch's (cosine >= 0.99999) on a few
sentences, or the file is deleted and the app keeps the torch runtime. Running it again with the
graph in place does nothing (``--force`` rebuilds). Needs torch and the ``onnx`` package, which only
the export uses; the app then runs on ``onnxruntime`` alone.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from reader.embedding.embed import checked_model_path
from reader.embedding.runtimes import OnnxModel, TorchModel, onnx_candidates, onnx_file
from reader.errors import ParallaxError

CHECK = [
    "The river burst its banks on Tuesday night, flooding two hundred homes.",
    "Officials said the toll could rise.",
    "A magnitude 6.1 earthquake struck the mountain region before dawn, the agency said.",
]


def export(force: bool = False) -> Path:
    done = onnx_file()
    if done is not None and not force:
        return done
    import torch

    folder = checked_model_path()
    model = TorchModel(folder, bf16=False, threads=None)

    class Forward(torch.nn.Module):
        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            return model.hidden(ids, mask)

    errors = []
    for target in onnx_candidates():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".onnx.part")
            os.close(fd)
        except OSError as exc:
            errors.append(f"{target.parent}: {exc.strerror or exc}")
            continue
        try:
            ids = torch.tensor([[101, 2023, 2003, 1037, 3231, 102], [101, 7592, 102, 0, 0, 0]])
            mask = (ids != 0).long()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
                # The TorchScript exporter: the newer torch.export one needs onnxscript too, for the same graph.
                torch.onnx.export(
                    Forward(), (ids, mask), tmp, input_names=["input_ids", "attention_mask"],
                    output_names=["tokens"], opset_version=17, dynamo=False,
                    dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                  "tokens": {0: "batch", 1: "tokens"}},
                )
            optimised = f"{tmp}.opt"
            _optimise(tmp, optimised)
            _check(Path(optimised), model)
            os.replace(optimised, target)
            return target
        finally:
            for leftover in (tmp, f"{tmp}.opt"):
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
    raise ParallaxError(f"Could not write the ONNX model ({'; '.join(errors)}).")


def _optimise(source: str, target: str) -> None:
    """Save the graph with ONNX Runtime's portable fusions already made (attention, layer norm, GELU):
    each start then skips them, 0.1-0.15 s of the model's 0.3-0.4 s session set-up on 2 cores. Only the
    extended level is saved; the layout passes of the full level are machine-specific and still run at
    load, so the graph that runs is the one an unoptimised file gives (same vectors, bit for bit)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    opts.optimized_model_filepath = target
    ort.InferenceSession(source, opts, providers=["CPUExecutionProvider"])


def _check(path: Path, model: TorchModel) -> None:
    from reader.embedding.minilm import _tokenizer, pool

    tok = _tokenizer(checked_model_path(verify=False))
    encs = tok.encode_batch(CHECK)
    width = max(len(e.ids) for e in encs)
    ids = np.zeros((len(CHECK), width), dtype=np.int64)
    for r, e in enumerate(encs):
        ids[r, : len(e.ids)] = e.ids
    mask = (ids != 0).astype(np.int64)
    a = pool(OnnxModel(path, threads=None).forward(ids, mask), mask)
    b = pool(model.forward(ids, mask), mask)
    worst = float(np.min(np.sum(a * b, axis=1)))
    if worst < 0.99999:
        raise ParallaxError(f"The exported ONNX model disagrees with torch (cosine {worst:.6f}); not installed.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.embedding.export", description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if the graph is there")
    args = parser.parse_args(argv)
    try:
        print(f"ONNX model: {export(force=args.force)}")
    except ParallaxError as exc:
        print(f"export: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
