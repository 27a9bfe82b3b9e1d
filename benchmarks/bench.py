"""Benchmark of the xxgk-nlp pipeline on the seed corpus of this repository.

    python benchmarks/bench.py                 # 500 documents, median of 5 runs (~15 min)
    python benchmarks/bench.py --quick         # smoke run for CI (under a minute)
    python benchmarks/bench.py --docs 1000 --runs 7 --memory-docs 5000 --corpus DIR

Prints a table and, last, one JSON line. The measurements live in
`xxgk_nlp.bench` (also `xxgk-nlp bench`); docs/performance.md has the numbers.
"""
import argparse
from pathlib import Path

from xxgk_nlp.bench import run

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "corpus" / "university" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="folder of .txt reports the workload is built from")
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--docs", type=int, default=None, help="workload documents (500)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (5)")
    parser.add_argument("--memory-docs", type=int, default=None,
                        help="documents streamed for the memory figure (5000)")
    parser.add_argument("--n-process", type=int, default=2, help="processes for figure (d)")
    parser.add_argument("--style", default="university")
    args = parser.parse_args()
    run(args.corpus, quick=args.quick, n_docs=args.docs, runs=args.runs,
        memory_docs=args.memory_docs, n_process=args.n_process, style=args.style)


if __name__ == "__main__":
    main()
