"""Throughput, scaling and memory benchmark of the xxgk-nlp pipeline.

Standard library timing only (`time.perf_counter`, `resource`, `/proc`). Run it
as `python benchmarks/bench.py` in the repository or as `xxgk-nlp bench`:

    python benchmarks/bench.py            # full run: 500 documents, 5 runs each
    python benchmarks/bench.py --quick    # CI smoke run (seconds)

It prints a table and, as its last line, one JSON object with every number.
Criteria checked (see docs/performance.md): pipeline/bare-tokenizer throughput
ratio >= 0.5, per-character cost growth from a 1x to a 64x corpus-size
document <= 1.5, RSS growth from 1,000 to 5,000 streamed documents <= 10%.
"""
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from spacy.language import Language

from .errors import Errors

RATIO_TARGET = 0.5
SCALING_LIMIT = 1.5
RSS_GROWTH_LIMIT = 0.10
SCALES = (1, 8, 64)


def read_corpus(folder: Union[str, Path]) -> List[str]:
    """Read the `.txt` report texts of a folder (sorted by name).

    folder (Union[str, Path]): A folder of UTF-8 text files.
    RETURNS (List[str]): The texts.
    """
    if not isinstance(folder, (str, Path)):
        raise TypeError(Errors.E009.format(what="folder", expected="a path",
                                           got=folder, type=type(folder).__name__))
    path = Path(folder)
    files = sorted(path.glob("*.txt")) if path.is_dir() else []
    texts = [f.read_text(encoding="utf-8") for f in files]
    texts = [t for t in texts if t.strip()]
    if not texts:
        raise ValueError(Errors.E700.format(path=path))
    return texts


def workload(texts: Sequence[str], n_docs: int) -> List[str]:
    """`n_docs` documents cycled from `texts`, the order rotated each round.

    texts (Sequence[str]): The seed texts.
    n_docs (int): The number of documents.
    RETURNS (List[str]): The workload.
    """
    if not texts:
        raise ValueError(Errors.E700.format(path="<no texts>"))
    k = len(texts)
    return [texts[(i + i // k) % k] for i in range(n_docs)]


def _warm(style: str) -> Language:
    """A loaded pipeline with its lazily compiled rules built (outside any timing)."""
    import xxgk_nlp

    nlp = xxgk_nlp.load(style=style)
    nlp("热身。")
    return nlp


def _interleaved_times(fns: Sequence[Callable[[], Any]], runs: int) -> List[List[float]]:
    """Seconds of each function in each run. A run calls every function in turn,
    so a change in the machine's speed hits the functions of one run alike."""
    times: List[List[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, spent in zip(fns, times):
            gc.collect()
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return times


def _rate(times: Sequence[float], n_chars: int) -> Dict[str, float]:
    median = statistics.median(times)
    return {"seconds": median, "chars_per_s": n_chars / median if median else float("inf"),
            "runs": len(times)}


def _median_rate(fn: Callable[[], Any], n_chars: int, runs: int) -> Dict[str, float]:
    return _rate(_interleaved_times([fn], runs)[0], n_chars)


def _paired_rates(first: Callable[[], Any], second: Callable[[], Any], n_chars: int,
                  runs: int) -> Tuple[Dict[str, float], Dict[str, float], List[float]]:
    """`_median_rate` of two functions run alternately, and the ratio of their
    times in each pair (second's throughput over first's)."""
    times = _interleaved_times((first, second), runs)
    ratios = [a / b for a, b in zip(*times)]
    return _rate(times[0], n_chars), _rate(times[1], n_chars), ratios


def _repeated(nlp: Language, text: str, repeat: int) -> Callable[[], None]:
    def process() -> None:
        for _ in range(repeat):
            nlp(text)

    return process


def _rss_bytes() -> int:
    """Current resident set size (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return _peak_rss_bytes()


def _peak_rss_bytes() -> int:
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec, so a child
    # would report its parent's peak.
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def throughput(texts: Sequence[str], runs: int, n_process: int = 2, style: str = "university",
               nlp: Optional[Language] = None) -> Dict[str, Any]:
    """Characters per second: bare tokenizer, pipeline, extract, n_process, map_dataset.

    texts (Sequence[str]): The workload.
    runs (int): Runs per measurement (the median is reported).
    n_process (int): Worker processes for the multiprocess measurement.
    style (str): The report style.
    nlp (Optional[Language]): The pipeline (default: `xxgk_nlp.load(style)`).
    RETURNS (Dict[str, Any]): One record per measurement and the ratio (b)/(a).
    """
    import spacy

    import xxgk_nlp

    n_chars = sum(len(t) for t in texts)
    blank = spacy.blank("zh")
    nlp = _warm(style) if nlp is None else nlp
    xxgk_nlp.extract("热身。", style=style)

    def run_blank() -> None:
        for _ in blank.pipe(texts):
            pass

    def run_pipe() -> None:
        for _ in nlp.pipe(texts):
            pass

    def run_extract() -> None:
        for text in texts:
            json.dumps(xxgk_nlp.extract(text, style=style), ensure_ascii=False)

    def run_multi() -> None:
        for _ in nlp.pipe(texts, n_process=n_process, batch_size=16):
            pass

    def run_dataset() -> None:
        import datasets

        from .parallel import map_dataset

        datasets.disable_progress_bars()
        data = datasets.Dataset.from_dict({"text": list(texts)})
        map_dataset(data, style=style, num_proc=n_process, batch_size=16)

    out: Dict[str, Any] = {"documents": len(texts), "characters": n_chars}
    out["blank"], out["pipe"], ratios = _paired_rates(run_blank, run_pipe, n_chars, runs)
    out["extract"] = _median_rate(run_extract, n_chars, runs)
    out["pipe_n_process"] = _median_rate(run_multi, n_chars, runs)
    out["pipe_n_process"]["n_process"] = n_process
    out["map_dataset"] = _median_rate(run_dataset, n_chars, runs)
    out["map_dataset"]["num_proc"] = n_process
    # each pipeline run is timed right after a bare-tokenizer run, so a slower
    # or faster spell of a shared machine affects both sides of its ratio
    out["ratio"] = statistics.median(ratios)
    return out


def components(texts: Sequence[str], style: str = "university",
               nlp: Optional[Language] = None) -> Dict[str, float]:
    """Seconds spent in the tokenizer and in each component over the workload (one run).

    texts (Sequence[str]): The workload.
    style (str): The report style.
    nlp (Optional[Language]): The pipeline (default: `xxgk_nlp.load(style)`).
    RETURNS (Dict[str, float]): Seconds by name ("tokenizer", then the pipe names).
    """
    nlp = _warm(style) if nlp is None else nlp
    spent = {"tokenizer": 0.0}
    spent.update({name: 0.0 for name in nlp.pipe_names})
    for text in texts:
        start = time.perf_counter()
        doc = nlp.make_doc(text)
        spent["tokenizer"] += time.perf_counter() - start
        for name, proc in nlp.pipeline:
            start = time.perf_counter()
            doc = proc(doc)
            spent[name] += time.perf_counter() - start
    return spent


def scaling(corpus: Sequence[str], scales: Iterable[int] = SCALES, runs: int = 3,
            style: str = "university", nlp: Optional[Language] = None) -> Dict[str, Any]:
    """Time per character of one document of 1x, 8x, 64x the corpus (concatenated).

    Each run times every size in turn, a document k times smaller processed k
    times, so that every size processes as many characters and a change in the
    machine's speed hits the sizes of one run alike; the growth is the median of
    the runs' ratios, as the throughput ratio is.

    corpus (Sequence[str]): The seed texts (concatenated once = 1x).
    scales (Iterable[int]): The multiples.
    runs (int): Runs (each processes every size).
    style (str): The report style.
    nlp (Optional[Language]): The pipeline (default: `xxgk_nlp.load(style)`).
    RETURNS (Dict[str, Any]): Seconds and microseconds per character by scale
        (medians), the growth, and the growth of each run.
    """
    nlp = _warm(style) if nlp is None else nlp
    base = "\n".join(corpus)
    scales = sorted(scales)
    texts = ["\n".join([base] * scale) for scale in scales]
    repeats = [max(1, scales[-1] // scale) for scale in scales]
    times = _interleaved_times([_repeated(nlp, text, repeat)
                                for text, repeat in zip(texts, repeats)], runs)
    # seconds per character of each run, by scale
    per_char = [[t / repeat / len(text) for t in spent]
                for text, repeat, spent in zip(texts, repeats, times)]
    out: Dict[str, Any] = {}
    for scale, text, spent in zip(scales, texts, per_char):
        seconds = statistics.median(spent) * len(text)
        out[f"{scale}x"] = {"characters": len(text), "seconds": seconds,
                            "us_per_char": 1e6 * seconds / len(text)}
    growths = [b / a for a, b in zip(per_char[0], per_char[-1])]
    out["growth"] = statistics.median(growths)
    out["growth_by_run"] = growths
    return out


def memory(corpus: Sequence[str], n_docs: int = 5000, checkpoint: int = 1000,
           style: str = "university") -> Dict[str, Any]:
    """RSS while streaming documents through `nlp.pipe` (run in a fresh process).

    corpus (Sequence[str]): The seed texts.
    n_docs (int): Documents to stream.
    checkpoint (int): The document count of the first RSS reading.
    style (str): The report style.
    RETURNS (Dict[str, Any]): RSS after `checkpoint` and after `n_docs` documents,
        peak RSS, and the growth between the two readings.
    """
    import xxgk_nlp

    nlp = xxgk_nlp.load(style=style)
    stream = (corpus[i % len(corpus)] for i in range(n_docs))
    readings = {}
    for i, doc in enumerate(nlp.pipe(stream), 1):
        doc._.report  # touch the result as a consumer would
        if i in (checkpoint, n_docs):
            gc.collect()
            readings[i] = _rss_bytes()
    first, last = readings.get(checkpoint, 0), readings.get(n_docs, 0)
    return {"documents": n_docs, "rss_at_checkpoint_mb": first / 2**20, "checkpoint": checkpoint,
            "rss_at_end_mb": last / 2**20, "peak_rss_mb": _peak_rss_bytes() / 2**20,
            "growth": (last - first) / first if first else 0.0}


def load_time(style: str = "university") -> Dict[str, float]:
    """Seconds to import xxgk_nlp and to call `load()` after import (one fresh process).

    style (str): The report style.
    RETURNS (Dict[str, float]): "import_s" and "load_s".
    """
    code = ("import time, json; t = time.perf_counter(); import xxgk_nlp; "
            "i = time.perf_counter() - t; t = time.perf_counter(); "
            f"xxgk_nlp.load(style={style!r}); "
            "print(json.dumps({'import_s': i, 'load_s': time.perf_counter() - t}))")
    return json.loads(_child(code))


def _child(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(Errors.E701.format(reason=result.stderr.strip()[-2000:]))
    return result.stdout.strip().splitlines()[-1]


def machine() -> Dict[str, Any]:
    """The machine and versions the numbers were measured on.

    RETURNS (Dict[str, Any]): cpus, cpu model, Python, spaCy and xxgk-nlp versions.
    """
    import spacy

    from .about import __version__

    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "spacy": spacy.__version__, "xxgk_nlp": __version__, "platform": platform.platform()}


def run(corpus_dir: Union[str, Path], quick: bool = False, n_docs: Optional[int] = None,
        runs: Optional[int] = None, memory_docs: Optional[int] = None, n_process: int = 2,
        style: str = "university", out=None) -> Dict[str, Any]:
    """Run every measurement, print the table and the JSON line.

    corpus_dir (Union[str, Path]): Folder of `.txt` reports the workload is built from.
    quick (bool): A smoke run (few documents, one run, small scaling and memory runs).
    n_docs (Optional[int]): Workload documents (default 500; quick 20).
    runs (Optional[int]): Runs per throughput figure (default 5; quick 1).
    memory_docs (Optional[int]): Documents streamed for memory (default 5000; quick 200).
    n_process (int): Worker processes for the multiprocess figure.
    style (str): The report style.
    out (Optional[TextIO]): Where to print (default stdout).
    RETURNS (Dict[str, Any]): Every number, as in the JSON line.
    """
    from .styles import style_path

    style_path(style)
    for name, value in (("n_docs", n_docs), ("runs", runs), ("memory_docs", memory_docs),
                        ("n_process", n_process)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 1):
            raise ValueError(Errors.E702.format(name=name, value=value))
    out = out or sys.stdout
    corpus = read_corpus(corpus_dir)
    n_docs = n_docs or (20 if quick else 500)
    runs = runs or (1 if quick else 5)
    memory_docs = memory_docs or (200 if quick else 5000)
    checkpoint = max(1, memory_docs // 5)
    scales = (1, 8) if quick else SCALES
    texts = workload(corpus, n_docs)

    def say(line: str = "") -> None:
        out.write(line + "\n")
        out.flush()

    result: Dict[str, Any] = {"machine": machine(), "quick": quick,
                              "command": " ".join([Path(sys.argv[0]).name] + sys.argv[1:])}
    say(f"xxgk-nlp benchmark: {n_docs} documents from {len(corpus)} texts in {corpus_dir}, "
        f"median of {runs} run(s)")
    m = result["machine"]
    say(f"machine: {m['nproc']} cpus, {m['cpu']}, Python {m['python']}, spaCy {m['spacy']}")
    result["load"] = load_time(style)
    say(f"import {result['load']['import_s']:.2f} s, load() {result['load']['load_s']:.2f} s")
    nlp = _warm(style)
    tp = result["throughput"] = throughput(texts, runs, n_process=n_process, style=style,
                                           nlp=nlp)
    say("")
    say(f"{'measurement':42} {'chars/s':>12} {'seconds':>9}")
    for key, label in (("blank", "(a) spacy.blank('zh') char segmenter"),
                       ("pipe", "(b) full pipeline, nlp.pipe"),
                       ("extract", "(c) xxgk_nlp.extract + json.dumps"),
                       ("pipe_n_process", f"(d) nlp.pipe(n_process={n_process})"),
                       ("map_dataset", f"(e) parallel.map_dataset(num_proc={n_process})")):
        say(f"{label:42} {tp[key]['chars_per_s']:12,.0f} {tp[key]['seconds']:9.2f}")
    ok_ratio = tp["ratio"] >= RATIO_TARGET
    say(f"ratio (b)/(a) = {tp['ratio']:.3f}, the median of {runs} paired runs "
        f"(target >= {RATIO_TARGET}): {'PASS' if ok_ratio else 'MISS'}")
    spent = result["components"] = components(texts[:100], style, nlp=nlp)
    total = sum(spent.values())
    say("")
    say(f"{'time by component (first 100 documents)':42} {'seconds':>9} {'share':>7}")
    for name, seconds in spent.items():
        say(f"{name:42} {seconds:9.3f} {seconds / total:7.1%}")
    sc = result["scaling"] = scaling(corpus, scales, runs=runs, style=style, nlp=nlp)
    say("")
    say(f"{'scaling (one document)':42} {'chars':>12} {'us/char':>9}")
    for scale in scales:
        rec = sc[f"{scale}x"]
        say(f"{str(scale) + 'x corpus':42} {rec['characters']:12,d} {rec['us_per_char']:9.2f}")
    ok_scale = sc["growth"] <= SCALING_LIMIT
    say(f"per-character growth {scales[0]}x -> {scales[-1]}x = {sc['growth']:.2f}, the median "
        f"of {runs} runs (limit {SCALING_LIMIT}): {'PASS' if ok_scale else 'MISS'}")
    code = ("import json, sys; from xxgk_nlp.bench import memory, read_corpus; "
            f"print(json.dumps(memory(read_corpus({str(corpus_dir)!r}), {memory_docs}, "
            f"{checkpoint}, {style!r})))")
    mem = result["memory"] = json.loads(_child(code))
    ok_mem = mem["growth"] <= RSS_GROWTH_LIMIT
    say("")
    say(f"memory, streaming {memory_docs} documents: peak RSS {mem['peak_rss_mb']:.0f} MB; "
        f"RSS after {checkpoint} {mem['rss_at_checkpoint_mb']:.0f} MB, after {memory_docs} "
        f"{mem['rss_at_end_mb']:.0f} MB, growth {mem['growth']:+.1%} "
        f"(limit {RSS_GROWTH_LIMIT:.0%}): {'PASS' if ok_mem else 'MISS'}")
    result["criteria"] = {"ratio": ok_ratio, "scaling": ok_scale, "memory": ok_mem}
    say(json.dumps(result, ensure_ascii=False))
    return result
