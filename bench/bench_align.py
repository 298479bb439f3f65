"""Alignment bench: quality on the answer keys, model throughput, pipeline cost as ratios, scaling.

The quality lines are ``bench.evalrun.report``'s, made by its scorer and its embedder (the
product's runtime), so ``make bench`` and ``python -m bench.evalrun`` print the same figures.
Every figure that depends on machine speed is printed as a ratio against plain
sentence-transformers measured in the same run, so the figures travel; the scaling
rows (``python -m bench.bench_align scaling`` runs them alone, without the model) print
CPU time beside wall time, since the cores are shared.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Sequence

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench import evalrun
from bench.corpus import fake_embeddings, generated_corpus, load_articles, story_paths
from bench.evalkey import load_key
from bench.evalrun import Case
from reader.align.features import pair_table
from reader.align.grouping import cluster, group, prepare
from reader.embedding.embed import ModelEmbedder, cpu_has_native_bf16
from reader.model import Group


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _embedders() -> tuple[ModelEmbedder, ModelEmbedder]:
    fp32 = ModelEmbedder(bf16=False)
    model = fp32._load()
    fp32.bf16 = False
    bf16 = ModelEmbedder(bf16=True)
    bf16._model, bf16.bf16 = model, True
    return fp32, bf16


def bench_quality() -> list[Case]:
    """The alignment-quality figures: ``bench.evalrun``'s own lines, never a second scorer or embedder."""
    print("\n-- alignment quality on the answer keys (tests/data/eval), as `python -m bench.evalrun` prints it --")
    embedder, cases = evalrun.quality_cases()
    for line in evalrun.report(embedder, cases):
        print(line)
    return cases


def bench_bf16_alignment(cases: list[Case]) -> None:
    """Whether torch's bf16 autocast (the app's runtime without the ONNX graph, on CPUs with native bf16)
    groups the keys' stories as the measured runtime does: a check that the figures above hold there too,
    not a second set of figures."""
    from reader.embedding.minilm import MiniLMEmbedder

    if not cpu_has_native_bf16():
        print("bf16 alignment check skipped: this CPU has no native bf16, so the app never uses it")
        return
    bf16 = MiniLMEmbedder(runtime="torch", bf16=True)
    stories = {c.key.story: c for c in cases}  # two keys may share a story (the demo)
    same, moved, total = 0, 0, 0
    for case in stories.values():
        ours = _partners(group(case.basis, 0.5))
        theirs = _partners(group(prepare(case.articles, bf16), 0.5))
        differ = sum(ours[sid] != theirs[sid] for sid in ours)
        same += differ == 0
        moved += differ
        total += len(ours)
    print(f"bf16 (torch autocast) at s=0.50: groups identical to the measured runtime's on {same} of {len(stories)} "
          f"stories; {moved} of {total} sentences have other group-mates")


def _partners(groups: Sequence[Group]) -> dict[str, frozenset[str]]:
    return {sid: frozenset(g.sentences) for g in groups for sid in g.sentences}


def bench_throughput(fp32: ModelEmbedder, bf16: ModelEmbedder) -> None:
    print("\n-- model throughput, news-like sentences (1,000; best of 3 alternating rounds: the cores are shared) --")
    texts = [s.text for a in generated_corpus(25, seed=11) for s in a.sentences]
    fp32.encode(texts[:64])
    bf16.encode(texts[:64])  # warm both paths
    t32 = t16 = float("inf")
    for _ in range(3):
        t, e32 = _timed(lambda: fp32.encode(texts))
        t32 = min(t32, t)
        t, e16 = _timed(lambda: bf16.encode(texts))
        t16 = min(t16, t)
    stories = sorted({load_key(p).story for p in evalrun.key_paths()})
    real = [s.text for story in stories for a in load_articles(story_paths(story)) for s in a.sentences]
    cos_real = np.sum(fp32.encode(real) * bf16.encode(real), axis=1)
    cos = np.sum(np.asarray(e32) * np.asarray(e16), axis=1)
    print(f"throughput fp32  {len(texts) / t32:7.0f} sentences/s")
    print(f"throughput bf16  {len(texts) / t16:7.0f} sentences/s   speed-up x{t32 / t16:.2f}")
    print(f"bf16 vs fp32 cosine: generated min {cos.min():.5f}; real story sentences min {cos_real.min():.5f} "
          f"mean {cos_real.mean():.5f}")
    print(f"CPU has native bf16: {cpu_has_native_bf16()} (the app uses bf16 only then)")


def bench_pipeline(fp32: ModelEmbedder, bf16: ModelEmbedder) -> None:
    from sentence_transformers import util

    model = fp32._load()
    app = bf16 if cpu_has_native_bf16() else fp32
    print(f"\n-- pipeline (prepare+group, {'bf16' if app.bf16 else 'fp32'}) vs plain SentenceTransformer.encode "
          "vs util.paraphrase_mining, same sentences, one run --")
    warm = [s.text for a in generated_corpus(2, seed=5) for s in a.sentences]
    model.encode(warm, show_progress_bar=False)  # first-call costs are not what we compare
    app.encode(warm)
    for n_articles in (5, 50, 200):
        articles = generated_corpus(n_articles)
        texts = [s.text for a in articles for s in a.sentences]
        gc.collect()
        t_plain, _ = _timed(lambda texts=texts: model.encode(texts, batch_size=32, show_progress_bar=False))
        t_mine, _ = _timed(lambda texts=texts: util.paraphrase_mining(model, texts, show_progress_bar=False))
        t_prep, basis = _timed(lambda articles=articles: prepare(articles, app))
        t_group, _ = _timed(lambda basis=basis: group(basis, 0.5))
        t_pipe = t_prep + t_group
        # the same pipeline on the fp32 model: what everything that is not the model costs
        t_prep32, basis32 = _timed(lambda articles=articles: prepare(articles, fp32))
        t_pipe32 = t_prep32 + _timed(lambda basis32=basis32: group(basis32, 0.5))[0]
        print(
            f"pipeline {n_articles:>3} articles {len(texts):>5} sentences: plain encode {t_plain:6.1f} s, "
            f"paraphrase_mining {t_mine:6.1f} s, ours {t_pipe:6.1f} s, ours on fp32 {t_pipe32:6.1f} s "
            f"(group alone {t_group * 1000:.0f} ms) -> ours/plain {t_pipe / t_plain:.2f}, "
            f"ours/paraphrase_mining {t_pipe / t_mine:.2f}, ours-fp32/plain {t_pipe32 / t_plain:.2f}"
        )


def bench_cache() -> None:
    import tempfile
    from pathlib import Path

    from reader.embedding.cache import CachedEmbedder

    print("\n-- embedding cache: reopening the demo, adding one article --")
    articles = load_articles(story_paths("demo"))
    with tempfile.TemporaryDirectory() as tmp:
        inner = ModelEmbedder()
        inner.encode(["warm up"])
        cold, _ = _timed(lambda: prepare(articles[:4], CachedEmbedder(inner, Path(tmp))))
        warm, _ = _timed(lambda: prepare(articles[:4], CachedEmbedder(inner, Path(tmp))))
        cached = CachedEmbedder(inner, Path(tmp))
        added, _ = _timed(lambda: prepare(articles, cached))
        print(f"cache   first open {cold:.2f} s, reopen {warm:.2f} s (x{cold / max(warm, 1e-9):.0f} faster); "
              f"adding a fifth article {added:.2f} s, encoded {cached.misses} new of {cached.misses + cached.hits}")


class _PeakRss:
    """Samples the process's resident memory every 5 ms: tracemalloc would slow the Python loops tenfold."""

    def __init__(self) -> None:
        import psutil

        self._proc = psutil.Process()
        self.base = self._proc.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def bench_scaling() -> None:
    from reader.align.features import lexical_vectors, relative_positions
    from reader.align.grouping import AlignmentBasis

    print("\n-- alignment alone (fake clustered embeddings, 384-d, 40 sentences an article; 'words' adds the "
          "shared-word signal of generated news sentences) --")
    for n in (2_000, 8_000, 20_000):
        emb, article_of = fake_embeddings(n, n // 40)
        for words in (False, True):
            lexical = None
            if words:
                texts = [s.text for a in generated_corpus(n // 40) for s in a.sentences][:n]
                lexical = lexical_vectors(texts)
                if len(texts) < n:
                    continue
            gc.collect()
            cpu = time.process_time()
            with _PeakRss() as mem:
                t_table, table = _timed(lambda emb=emb, a=article_of, lx=lexical: pair_table(emb, a, lx))
                cpu_table = time.process_time() - cpu
                t_group, groups = _timed(lambda table=table, article_of=article_of: cluster(table, article_of, 0.5))
            # group(): what one move of the strictness slider costs (grouping, story order, confidences)
            basis = AlignmentBasis("fake", tuple(f"s{r}" for r in range(n)), article_of,
                                   relative_positions(article_of), table)
            t_slider = _timed(lambda basis=basis: group(basis, 0.5))[0] if n <= 8_000 or not words else float("nan")
            dense = n * n * 8
            print(
                f"scaling {n:>6} sentences{' +words' if words else '       '}: evidence {t_table:5.2f} s "
                f"(CPU {cpu_table:5.2f} s), grouping {t_group:5.2f} s, group() {t_slider:5.2f} s, "
                f"{len(table.i):>8} candidate pairs, "
                f"{sum(len(g) > 1 for g in groups):>5} shared groups; peak memory "
                f"+{(mem.peak - mem.base) / 2**20:5.0f} MiB RSS vs {dense / 2**20:.0f} MiB for a dense float64 matrix"
            )
            del table, groups, basis


def main() -> None:
    import sys

    if sys.argv[1:] == ["scaling"]:  # alignment alone: no model, a minute
        bench_scaling()
        return
    bench_bf16_alignment(bench_quality())
    fp32, bf16 = _embedders()
    bench_throughput(fp32, bf16)
    bench_cache()
    bench_scaling()
    bench_pipeline(fp32, bf16)


if __name__ == "__main__":
    main()
