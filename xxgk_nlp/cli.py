"""The `xxgk-nlp` command line (typer)."""
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, TextIO, Tuple

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn Chinese 信息公开工作年度报告 into typed, checkable data.")


@app.callback()
def _root() -> None:
    """xxgk-nlp: extract, evaluate and show annual information-disclosure reports."""


class OutputFormat(str, Enum):
    summary = "summary"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _fail(message: str) -> None:
    typer.echo(f"xxgk-nlp: error: {message}", err=True)


def _read_inputs(paths: List[Path]) -> Tuple[List[Tuple[str, str]], int]:
    """Read every input file; report unreadable ones and go on."""
    from .readers import ReadError, iter_files, read_text

    texts, failures = [], 0
    for path in iter_files(paths):
        try:
            texts.append((str(path), read_text(path)))
        except ReadError as exc:
            _fail(str(exc))
            failures += 1
    return texts, failures


def _documents(texts: List[Tuple[str, str]], style: str, n_process: int) -> Iterator[Dict[str, Any]]:
    import xxgk_nlp
    from tqdm import tqdm

    nlp = xxgk_nlp.load(style=style)
    docs = nlp.pipe((text for _, text in texts), n_process=n_process)
    bar = tqdm(zip(texts, docs), total=len(texts), unit="report", disable=len(texts) < 4,
               file=sys.stderr)
    for (source, _), doc in bar:
        yield xxgk_nlp.doc_to_dict(doc, style=style, source=source)


def _summary(doc: Dict[str, Any], out: TextIO) -> None:
    from collections import Counter

    report = doc["report"]
    period = report.get("period") or {}
    out.write(f"== {doc['source'] or '<text>'}\n")
    out.write(f"   title:       {report.get('title')}\n")
    out.write(f"   institution: {report.get('institution')}\n")
    out.write(f"   period:      {period.get('start')} .. {period.get('end')}\n")
    for key, value in (report.get("indicators") or {}).items():
        out.write(f"   {key + ':':22} {value}\n")
    out.write(f"   sections:    {len(doc['headings'])} headings; "
              f"missing parts: {', '.join(report.get('sections_missing') or []) or 'none'}\n")
    counts = Counter(e["label"] for e in doc["entities"])
    out.write("   entities:    " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + "\n")
    out.write(f"   facts:       {len(doc['facts'])}\n")


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Report files or folders (.txt, .docx, .pdf, .html)."),
    style: str = typer.Option("university", "--style", "-s", help="Report style (see `xxgk-nlp styles`)."),
    fmt: OutputFormat = typer.Option(OutputFormat.json, "--format", "-f",
                                     help="summary (readable), json, jsonl, or csv (one row per fact)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output file (default: stdout)."),
    n_process: int = typer.Option(1, "--n-process", "-n", min=1, help="Worker processes for nlp.pipe."),
) -> None:
    """Extract the report record, headings, entities and facts of each report."""
    import xxgk_nlp

    try:
        xxgk_nlp.styles.style_path(style)
    except ValueError as exc:
        _fail(str(exc))
        raise typer.Exit(2)
    texts, failures = _read_inputs(paths)
    stream = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        docs = _documents(texts, style, n_process)
        if fmt == OutputFormat.summary:
            for doc in docs:
                _summary(doc, stream)
        elif fmt == OutputFormat.jsonl:
            for doc in docs:
                stream.write(json.dumps(doc, ensure_ascii=False) + "\n")
        elif fmt == OutputFormat.csv:
            from .export import write_csv

            write_csv(list(docs), stream, report_path=None if out is None else
                      out.with_name(out.stem + ".reports.csv"))
        else:
            items = list(docs)
            payload = items[0] if len(items) == 1 and len(paths) == 1 and paths[0].is_file() else items
            json.dump(payload, stream, ensure_ascii=False, indent=1)
            stream.write("\n")
    finally:
        if out:
            stream.close()
    if failures:
        raise typer.Exit(1)


@app.command()
def styles() -> None:
    """List the available report styles."""
    import xxgk_nlp

    for name in xxgk_nlp.available_styles():
        typer.echo(name)


# --- commands of other modules are registered below this line -------------


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
