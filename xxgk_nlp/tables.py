"""Template tables: figures of a style's fixed report tables as indicators.

A government report (国办公开办函〔2021〕30号 format) ends its parts 二, 三 and 四
with three fixed tables. Extracted text breaks them in many ways: tab- or
space-separated rows, a row label on one line and its figures on the next, a
label broken over lines, empty cells simply missing. The `xxgk_tables`
component reads them with table schemas from `tables.jsonl` of the style:

- a `table` rule says where a table starts and ends (patterns matched at the
  start of a layout paragraph);
- `row` rules name the rows in printed order (a label pattern, the number of
  value columns, and which cell gives which indicator key);
- `sum` rules derive a key from others (`lawsuits` = both lawsuit columns);
- `check` rules say which keys must add up to which total.

Rows are found one after the other in the table's text; the figures of a row
are the numbers between its label and the next row's label, so a row broken
over lines or merged with the next line by the layout reads the same. Styles
without table schemas (the university pack) get nothing from this component.
"""
import dataclasses
import re
from typing import Any, Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from . import extensions  # noqa: F401
from .layout import TextView
from .rules import Rule, RuleComponent

RULE_TYPES = ("table", "row", "sum", "check")
# A printed figure: 1562.37, 2,318.6, 0. Not an enumerator (1．属于…), an article
# number (第（5）项), a year range or a percentage. (The character before the
# figure is checked after its first digit: a regex that starts with a digit is
# searched for much faster than one that starts with a lookbehind.)
NUMBER = re.compile(
    r"\d(?<![0-9A-Za-z.,，．(（第\-]\d)"
    r"(?:\d{0,2}(?:,\d{3})+|\d{0,14})(?:\.\d{1,6})?"
    r"(?![0-9A-Za-z.,，．、)）项条%])")
# A line break inside a label (between two non-figure characters) is dropped, so
# `本机关不掌握\n相关政府信息` matches one label pattern. (Starts with the line
# break for the same reason.)
LABEL_BREAK = re.compile(r"\n(?<=[^\d\s]\n)\n*(?=[^\d\s])")
# Indicator keys starting with this are internal (used by checks, not reported).
INTERNAL = "_"


@dataclasses.dataclass
class TableRule(Rule):
    """A table-schema rule (one line of `tables.jsonl`).

    type (str): "table" (where a table is), "row" (a row of a table), "sum"
        (a key derived as the sum of other keys) or "check" (keys that must add
        up to a total).
    table (Optional[str]): The table id the rule belongs to ("proactive").
    title (Optional[str]): For "table": the printed table title, used in checks.
    start (Optional[str]): For "table": a regex matched at a paragraph start
        that opens the table.
    end (Optional[str]): For "table": a regex matched at a later paragraph start
        that closes it.
    label (Optional[str]): For "row": a regex for the row label.
    columns (Optional[int]): For "row": the number of value columns.
    cells (Optional[Dict[str, int]]): For "row": indicator key -> column index
        (0 is the first value column, -1 the last). A non-negative index is
        read only when every column has a figure; a negative one also when
        cells were lost (the total column is printed last).
    add (bool): For "row": add the cells to their keys instead of setting them
        (group sums such as the 8 reasons of 不予公开).
    key (Optional[str]): For "sum": the derived key.
    of (Optional[List[str]]): For "sum": the keys added up.
    row (Optional[str]): For "check": the row reported on a mismatch.
    total (Optional[List[str]]): For "check": keys whose sum is the printed total.
    parts (Optional[List[str]]): For "check": keys that must add up to it.
    description (Optional[str]): A note for readers.
    """

    REQUIRED = ("type",)
    type: str = ""
    table: Optional[str] = None
    title: Optional[str] = None
    start: Optional[str] = None
    end: Optional[str] = None
    label: Optional[str] = None
    columns: Optional[int] = None
    cells: Optional[Dict[str, int]] = None
    add: bool = False
    key: Optional[str] = None
    of: Optional[List[str]] = None
    row: Optional[str] = None
    total: Optional[List[str]] = None
    parts: Optional[List[str]] = None
    description: Optional[str] = None

    def check(self) -> Optional[Tuple[str, str]]:
        if self.type not in RULE_TYPES:
            return "type", f"must be one of {', '.join(RULE_TYPES)}"
        if self.type in ("table", "row", "check") and not self.table:
            return "table", f"a {self.type} rule needs the id of its table"
        problem = self.invalid_regex(*("start", "end", "label"))
        if problem:
            return problem
        if self.type == "table" and not self.start:
            return "start", "a table rule needs a start pattern"
        if self.type == "row":
            if not self.label:
                return "label", "a row rule needs a label pattern"
            if not isinstance(self.columns, int) or self.columns < 1:
                return "columns", "a row rule needs the number of value columns (>= 1)"
            if not isinstance(self.cells, dict) or not self.cells:
                return "cells", "a row rule needs cells: {indicator key: column index}"
            for key, index in self.cells.items():
                if not isinstance(index, int) or not -self.columns <= index < self.columns:
                    return "cells", f"column index of '{key}' must be an int within the columns"
        if self.type == "sum" and not (self.key and self.of):
            return "key", "a sum rule needs 'key' and 'of'"
        if self.type == "check" and not (self.total and self.parts):
            return "total", "a check rule needs 'total' and 'parts'"
        return None


@dataclasses.dataclass
class _Table:
    id: str
    title: str
    start: "re.Pattern"
    end: Optional["re.Pattern"]
    rows: List[Tuple[TableRule, "re.Pattern"]]


@Language.factory(
    "xxgk_tables",
    assigns=["doc._.report"],
    requires=["doc._.xxgk_layout"],
    default_config={"style": "university", "rules_dir": None, "rules_mode": "extend",
                    "max_table_chars": 8000},
)
def make_tables(nlp: Language, name: str, style: str, rules_dir: Optional[str],
                rules_mode: str, max_table_chars: int) -> "TableReader":
    """Create the template-table reader (see `TableReader`).

    max_table_chars (int): Most characters a table may span when its end
        pattern is not found.
    """
    return TableReader(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode,
                       max_table_chars=max_table_chars)


class TableReader(RuleComponent):
    """Read the figures of a style's template tables.

    Sets on the Doc: `doc._.report["indicators"]` (one key per table cell of
    the schemas: a number, or null for an empty or missing cell; a table figure
    replaces a figure read from the text) and `doc._.report["table_checks"]`
    (a list of {"table", "row", "expected", "found"}, one per total that does
    not match its rows; the printed figures are kept). Rules: `tables.jsonl`;
    a style without table rules leaves the report as it is.
    """

    rule_class = TableRule
    rule_files = ("tables.jsonl",)

    def __init__(self, nlp: Language, name: str = "xxgk_tables", *, style: str = "university",
                 rules_dir: Optional[str] = None, rules_mode: str = "extend",
                 max_table_chars: int = 8000) -> None:
        """Create a table reader; rules come from `initialize()` or `add_patterns()`.

        nlp (Language): The pipeline.
        name (str): The component name.
        style (str): The style whose `tables.jsonl` files hold the schemas.
        rules_dir (Optional[str]): A user folder with a `tables.jsonl` of its own.
        rules_mode (str): "extend" or "replace" (see `read_rules`).
        max_table_chars (int): Most characters a table may span when its end
            pattern is not found.
        """
        super().__init__(nlp, name, style=style, rules_dir=rules_dir, rules_mode=rules_mode,
                         max_table_chars=max_table_chars)

    def _compile(self) -> Dict[str, Any]:
        tables: Dict[str, _Table] = {}
        rows: List[TableRule] = []
        sums, checks = [], []
        for rule in self._rules:
            if rule.type == "table":
                tables[rule.table] = _Table(
                    rule.table, rule.title or rule.table, re.compile(rule.start),
                    re.compile(rule.end) if rule.end else None, [])
            elif rule.type == "row":
                rows.append(rule)
            elif rule.type == "sum":
                sums.append(rule)
            else:
                checks.append(rule)
        for rule in rows:
            if rule.table in tables:
                tables[rule.table].rows.append((rule, re.compile(rule.label)))
        keys: List[str] = []
        for rule in rows:
            keys.extend(k for k in rule.cells if k not in keys)
        keys.extend(r.key for r in sums if r.key not in keys)
        # every cell key of the tables, in order (each starts as None in `read`)
        cells = dict.fromkeys(k for t in tables.values() for rule, _ in t.rows for k in rule.cells)
        return {"tables": list(tables.values()), "sums": sums, "checks": checks,
                "keys": [k for k in keys if not k.startswith(INTERNAL)], "cells": list(cells)}

    def __call__(self, doc: Doc) -> Doc:
        c = self.compiled
        if not c["tables"]:
            return doc
        values = self.read(TextView.from_doc(doc))
        report = dict(doc._.report or {})
        indicators = dict(report.get("indicators") or {})
        for key in c["keys"]:
            if values.get(key) is not None or key not in indicators:
                indicators[key] = values.get(key)
        report["indicators"] = indicators
        report["table_checks"] = self.checks(values)
        doc._.report = report
        return doc

    def read(self, view: TextView) -> Dict[str, Any]:
        """Read every table of the schemas from a text view.

        view (TextView): The view of a Doc.
        RETURNS (Dict[str, Any]): Indicator keys (internal ones included) to
            numbers, or None for an empty cell or a table not found.
        """
        c = self.compiled
        values: Dict[str, Any] = dict.fromkeys(c["cells"])
        for table in c["tables"]:
            region = self._region(view, table)
            if region is not None:
                self._read_rows(LABEL_BREAK.sub("", view.match[region[0]:region[1]]),
                                table, values)
        for rule in c["sums"]:
            parts = [values.get(k) for k in rule.of]
            present = [v for v in parts if v is not None]
            values[rule.key] = _number(sum(present)) if present else None
        return values

    def checks(self, values: Dict[str, Any]) -> List[Dict[str, Any]]:
        """The totals that do not match their rows.

        values (Dict[str, Any]): What `read` returned.
        RETURNS (List[Dict[str, Any]]): {"table", "row", "expected", "found"} per
            mismatch; a check is skipped when its total is not printed. An
            empty part cell counts as 0.
        """
        titles = {t.id: t.title for t in self.compiled["tables"]}
        out = []
        for rule in self.compiled["checks"]:
            totals = [values.get(k) for k in rule.total]
            if any(v is None for v in totals):
                continue
            parts = [values.get(k) for k in rule.parts]
            if all(v is None for v in parts):
                continue
            found = _number(sum(totals))
            expected = _number(sum(v for v in parts if v is not None))
            if abs(found - expected) > 1e-6 * max(1.0, abs(found)):
                out.append({"table": titles.get(rule.table, rule.table),
                            "row": rule.row or "+".join(rule.total),
                            "expected": expected, "found": found})
        return out

    # pieces ------------------------------------------------------------------
    def _region(self, view: TextView, table: _Table) -> Optional[Tuple[int, int]]:
        text = view.match
        start = None
        for p_start, p_end, _ in view.paragraphs:
            if start is None:
                if table.start.match(text, p_start, p_end):
                    start = p_start
            elif table.end is not None and table.end.match(text, p_start, p_end):
                return start, p_start
            if start is not None and p_start - start > self.cfg["max_table_chars"]:
                return start, p_start
        if start is None:
            return None
        return start, min(len(text), start + self.cfg["max_table_chars"])

    @staticmethod
    def _read_rows(text: str, table: _Table, values: Dict[str, Any]) -> None:
        found: List[Tuple[TableRule, int, int]] = []
        pos = 0
        for rule, rx in table.rows:
            m = rx.search(text, pos)
            if m is None:
                continue
            found.append((rule, m.start(), m.end()))
            pos = m.end()
        for i, (rule, _, label_end) in enumerate(found):
            gap_end = found[i + 1][1] if i + 1 < len(found) else len(text)
            # the first `columns` figures; each is parsed only if a cell reads it
            figures = NUMBER.findall(text, label_end, gap_end)[:rule.columns]
            complete = len(figures) == rule.columns
            for key, index in rule.cells.items():
                value = None
                if figures and (complete or index < 0):
                    value = _parse(figures[index]) if -len(figures) <= index < len(figures) \
                        else None
                if rule.add:
                    if value is not None:
                        values[key] = _number((values.get(key) or 0) + value)
                else:
                    values[key] = value


def _parse(figure: str) -> Any:
    return _number(float(figure.replace(",", "")))


def _number(value: float) -> Any:
    """An int when the value is whole, else the float."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value
