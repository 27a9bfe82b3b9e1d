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


@app.command()
def show(
    path: Path = typer.Argument(..., help="A report file (.txt, .docx, .pdf, .html)."),
    html_out: Path = typer.Option(..., "--html", help="Where to write the HTML page."),
    style: str = typer.Option("university", "--style", "-s", help="Report style."),
) -> None:
    """Write a displaCy page showing the headings and entities of one report."""
    import xxgk_nlp

    from .display import render_html
    from .readers import ReadError, read_text

    try:
        text = read_text(path)
        nlp = xxgk_nlp.load(style=style)
    except (ReadError, ValueError) as exc:
        _fail(str(exc))
        raise typer.Exit(1)
    html_out.write_text(render_html(nlp(text)), encoding="utf-8")
    typer.echo(f"wrote {html_out}", err=True)


# --- commands of other modules are registered below this line -------------


@app.command("bench")
def bench_command(
    corpus: Path = typer.Option(Path("corpus/university/seeds"), "--corpus",
                                help="Folder of .txt reports the workload is built from."),
    quick: bool = typer.Option(False, "--quick", help="Smoke run: few documents, one run."),
    docs: Optional[int] = typer.Option(None, "--docs", min=1, help="Workload documents (500)."),
    runs: Optional[int] = typer.Option(None, "--runs", min=1, help="Runs per figure (5)."),
    memory_docs: Optional[int] = typer.Option(None, "--memory-docs", min=1,
                                              help="Documents streamed for memory (5000)."),
    n_process: int = typer.Option(2, "--n-process", min=1, help="Processes for nlp.pipe (d)."),
    style: str = typer.Option("university", "--style", "-s", help="Report style."),
) -> None:
    """Measure throughput (vs. spacy.blank("zh")), scaling, memory and load time."""
    from .bench import run

    try:
        run(corpus, quick=quick, n_docs=docs, runs=runs, memory_docs=memory_docs,
            n_process=n_process, style=style)
    except (ValueError, TypeError) as exc:
        _fail(str(exc))
        raise typer.Exit(2)


# evaluation and corpus (xxgk_nlp.evaluate, xxgk_nlp.corpus)
class EvalFormat(str, Enum):
    table = "table"
    json = "json"


@app.command("evaluate")
def evaluate_command(
    corpus_path: Optional[Path] = typer.Argument(
        None, help="Corpus JSONL file or folder (default: the bundled corpus/)."),
    style: Optional[str] = typer.Option(None, "--style", "-s", help="Score only this style."),
    errors: bool = typer.Option(False, "--errors", help="List every FP/FN/attribute error with context."),
    fmt: EvalFormat = typer.Option(EvalFormat.table, "--format", "-f", help="table or json."),
    check: bool = typer.Option(False, "--check", help="Exit 1 if a score is below corpus/thresholds.json."),
) -> None:
    """Score the pipeline against gold annotations: P/R/F1 per label, headings, attributes, report."""
    from . import evaluate as ev

    try:
        result = ev.evaluate(corpus_path, style=style, skip_unknown_styles=True)
    except ValueError as exc:
        _fail(str(exc))
        raise typer.Exit(1)
    for name, n in result["skipped"].items():
        typer.echo(f"xxgk-nlp: note: skipped {n} record(s) of style {name!r} (no rule pack)", err=True)
    if fmt == EvalFormat.json:
        typer.echo(ev.to_json(result, errors=errors))
    else:
        typer.echo(ev.format_table(result))
        if errors:
            typer.echo("\nerrors:\n" + ev.format_errors(result))
    if check:
        try:
            failures = ev.check_corpus(corpus_path, style=style, result=result)
        except ValueError as exc:
            _fail(str(exc))
            raise typer.Exit(1)
        for failure in failures:
            _fail(f"below floor: {failure}")
        if failures:
            raise typer.Exit(1)


@app.command("annotate-draft")
def annotate_draft_command(
    paths: List[Path] = typer.Argument(..., help="Report files or folders to pre-annotate."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output JSONL (default: stdout)."),
    style: str = typer.Option("university", "--style", "-s", help="Report style."),
) -> None:
    """Write the pipeline's output in corpus format, as a draft for a human annotator."""
    import xxgk_nlp
    from .corpus import draft_records, dumps_record
    from .readers import ReadError, iter_files

    nlp = xxgk_nlp.load(style=style)
    stream = open(out, "w", encoding="utf-8") if out else sys.stdout
    failures = 0
    try:
        for path in iter_files(paths):
            try:
                record, problems = next(draft_records([path], nlp, style=style))
            except ReadError as exc:
                _fail(str(exc))
                failures += 1
                continue
            stream.write(dumps_record(record) + "\n")
            for problem in problems:
                typer.echo(f"xxgk-nlp: to fix: {problem}", err=True)
    finally:
        if out:
            stream.close()
    if failures:
        raise typer.Exit(1)


corpus_app = typer.Typer(no_args_is_help=True, help="Build, validate and describe the corpus.")
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("build")
def corpus_build_command(
    corpus_dir: Optional[Path] = typer.Argument(None, help="Corpus folder (default: corpus/)."),
) -> None:
    """Convert every <style>/gold/*.json into <style>.jsonl (validated)."""
    from .corpus import build_corpus

    try:
        written = build_corpus(corpus_dir)
    except ValueError as exc:
        _fail(str(exc))
        raise typer.Exit(1)
    for style_name, path in written.items():
        typer.echo(f"{style_name}: {path}")


@corpus_app.command("validate")
def corpus_validate_command(
    paths: List[Path] = typer.Argument(..., help="Corpus .jsonl files or gold .json files."),
) -> None:
    """Check records against the format and the annotation guideline."""
    from .corpus import validate_file

    bad = 0
    for path in paths:
        problems = validate_file(path)
        for problem in problems:
            typer.echo(problem)
        typer.echo(f"{path}: {'ok' if not problems else f'{len(problems)} error(s)'}")
        bad += bool(problems)
    if bad:
        raise typer.Exit(1)


@corpus_app.command("locate")
def corpus_locate_command(
    path: Path = typer.Argument(..., help="A corpus .jsonl file edited by an annotator."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output JSONL (default: stdout)."),
) -> None:
    """Fill in missing or stale span offsets from the span texts (document order)."""
    from .corpus import dumps_record, iter_jsonl, locate_spans

    lines, bad = [], 0
    try:
        for _, record in iter_jsonl(path):
            fixed, problems = locate_spans(record)
            lines.append(dumps_record(fixed))
            for problem in problems:
                _fail(problem)
            bad += len(problems)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
        raise typer.Exit(1)
    if out:
        out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    else:
        typer.echo("\n".join(lines))
    if bad:
        raise typer.Exit(1)


@corpus_app.command("stats")
def corpus_stats_command(
    corpus_path: Optional[Path] = typer.Argument(None, help="Corpus file or folder (default: corpus/)."),
) -> None:
    """Print the datasheet tables (reports, label counts) as Markdown."""
    from .corpus import corpus_stats, format_stats, load

    typer.echo(format_stats(corpus_stats(load(corpus_path))))


@corpus_app.command("floors")
def corpus_floors_command(
    corpus_path: Optional[Path] = typer.Argument(None, help="Corpus file or folder (default: corpus/)."),
    style: str = typer.Option("university", "--style", "-s", help="Style to measure."),
    margin: float = typer.Option(0.02, "--margin", help="Floor = measured score minus this."),
) -> None:
    """Print regression floors (current scores minus a margin) for corpus/thresholds.json."""
    from . import evaluate as ev

    floors = ev.current_floors(ev.evaluate(corpus_path, style=style), margin=margin)
    typer.echo(json.dumps({style: floors}, ensure_ascii=False, indent=1))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
