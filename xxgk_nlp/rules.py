"""Rules as data: validated rule records, rule-file reading, and the base class
of every rule-driven pipeline component (initialize / add_patterns / remove /
clear / to_disk / from_disk, modelled on spaCy's SpanRuler).
"""
import dataclasses
import functools
import gc
import json
import re
from pathlib import Path
from typing import Any, Callable, ClassVar, Dict, Iterable, List, Optional, Sequence, Tuple, Type, Union

import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.util import SimpleFrozenList, ensure_path, registry

from .errors import Errors
from .styles import find_rule_files


@dataclasses.dataclass
class Rule:
    """Base class of rule records. Subclasses add fields; unknown keys are rejected.

    id (Optional[str]): An identifier, used by `remove`.
    """

    REQUIRED: ClassVar[Tuple[str, ...]] = ()
    id: Optional[str] = None

    @classmethod
    def from_dict(cls, data: Dict[str, Any], source: str = "<rules>") -> "Rule":
        """Build a rule from a dict, naming any unknown or missing key.

        data (Dict[str, Any]): One rule record, e.g. a line of a JSONL file.
        source (str): Where the record comes from, for error messages.
        RETURNS (Rule): The validated rule.
        """
        if not isinstance(data, dict):
            raise ValueError(Errors.E005.format(rule=data, source=source, key="*",
                                                reason="a rule must be a JSON object"))
        allowed = [f.name for f in dataclasses.fields(cls)]
        for key in data:
            if key not in allowed:
                raise ValueError(Errors.E003.format(rule=data, source=source, key=key,
                                                    allowed=", ".join(allowed)))
        for key in cls.REQUIRED:
            if key not in data or data[key] in (None, ""):
                raise ValueError(Errors.E004.format(rule=data, source=source, key=key))
        rule = cls(**data)
        problem = rule.check()
        if problem:
            key, reason = problem
            raise ValueError(Errors.E005.format(rule=data, source=source, key=key, reason=reason))
        return rule

    def check(self) -> Optional[Tuple[str, str]]:
        """Return (key, reason) when a value is invalid, else None."""
        return None

    def invalid_regex(self, *keys: str) -> Optional[Tuple[str, str]]:
        """(key, reason) for the first of these fields that is set and is not a
        valid regular expression, else None (a helper for `check`)."""
        for key in keys:
            value = getattr(self, key)
            if value is not None:
                try:
                    re.compile(value)
                except re.error as exc:
                    return key, f"not a valid regular expression ({exc})"
        return None

    def to_dict(self) -> Dict[str, Any]:
        """The rule as a dict, without fields left at their default."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            default = f.default if f.default is not dataclasses.MISSING else (
                f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
            if value != default:
                out[f.name] = value
        return out


@dataclasses.dataclass
class PatternRule(Rule):
    """A rule that is a `type` from the subclass's `TYPES` and a regular expression.

    type (str): One of `TYPES`.
    pattern (str): A regular expression.
    description (Optional[str]): A note for readers.
    """

    REQUIRED: ClassVar[Tuple[str, ...]] = ("type", "pattern")
    TYPES: ClassVar[Tuple[str, ...]] = ()
    type: str = ""
    pattern: str = ""
    description: Optional[str] = None

    def check(self) -> Optional[Tuple[str, str]]:
        if self.type not in self.TYPES:
            return "type", f"must be one of {', '.join(self.TYPES)}"
        return self.invalid_regex("pattern")


NEVER = "(?!x)x"  # a pattern that matches nothing, for an empty rule set


def alternation(phrases: Iterable[str] = (), patterns: Iterable[str] = ()) -> str:
    """One regex source for literal phrases (longest first, so the longest word at a
    position wins) and regex patterns (in their order, after the phrases).

    phrases (Iterable[str]): Literal words.
    patterns (Iterable[str]): Regular-expression sources.
    RETURNS (str): A non-capturing alternation, or a pattern that never matches.
    """
    parts = [re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)]
    parts += [f"(?:{p})" for p in patterns]
    return "(?:" + "|".join(parts) + ")" if parts else NEVER


def read_jsonl(path: Union[str, Path]) -> List[Dict[str, Any]]:
    """Read a JSONL rule file; blank lines and lines starting with '#' are skipped.

    path (Union[str, Path]): The file.
    RETURNS (List[Dict[str, Any]]): The records, each with its '_source' noted separately.
    """
    records = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            try:
                records.append(json.loads(stripped))
            except json.JSONDecodeError as exc:
                raise ValueError(Errors.E006.format(path=path, line=i, reason=exc.msg)) from None
    return records


@registry.misc("xxgk.read_rules.v1")
def read_rules(
    style: str,
    files: Sequence[str],
    rules_dir: Optional[str] = None,
    rules_mode: str = "extend",
) -> List[Tuple[Dict[str, Any], str]]:
    """Read a component's rule files from a style pack and an optional user folder.

    style (str): The style whose folder (and parents) hold the shipped rules.
    files (Sequence[str]): Rule file names, e.g. ["channels.jsonl"].
    rules_dir (Optional[str]): A user folder with files of the same names.
    rules_mode (str): "extend" adds the user's rules to the style's; "replace" uses
        the user's file instead of the style's where the user has one.
    RETURNS (List[Tuple[dict, str]]): (record, source) pairs in file order.
    """
    if rules_mode not in ("extend", "replace"):
        raise ValueError(Errors.E010.format(mode=rules_mode))
    user_dir = Path(rules_dir) if rules_dir else None
    if user_dir is not None and not user_dir.is_dir():
        raise ValueError(Errors.E011.format(path=user_dir))
    out: List[Tuple[Dict[str, Any], str]] = []
    for filename in files:
        user_file = user_dir / filename if user_dir is not None else None
        has_user = user_file is not None and user_file.is_file()
        if not (has_user and rules_mode == "replace"):
            for shipped in find_rule_files(style, filename):
                out.extend((rec, f"{shipped}") for rec in read_jsonl(shipped))
        if has_user:
            out.extend((rec, f"{user_file}") for rec in read_jsonl(user_file))
    return out


def pausing_gc(call: Callable[[Any, Doc], Doc]) -> Callable[[Any, Doc], Doc]:
    """Wrap a component's `__call__` so that Python's cyclic garbage collector
    does not run while it processes a Doc (it is enabled again afterwards, also
    when the call raises, and left alone if it was already disabled).

    A component allocates many short-lived objects per document; on a long
    document the collector would otherwise run full collections over the whole
    loaded pipeline several times within one call, which made the time per
    character grow with the document's length. Garbage made during the call is
    collected as usual after it. `RuleComponent` applies this to the `__call__`
    of every subclass.
    """

    @functools.wraps(call)
    def wrapper(self: Any, doc: Doc) -> Doc:
        if not gc.isenabled():
            return call(self, doc)
        gc.disable()
        try:
            return call(self, doc)
        finally:
            gc.enable()

    return wrapper


class RuleComponent(Pipe):
    """Base class of rule-driven components.

    Subclasses set `rule_class` (a Rule dataclass), `rule_files` (file names in the
    style folder) and implement `__call__` and, if needed, `_compile`. Rules are
    given in `initialize()` (by default read from the style pack), extended with
    `add_patterns`, and saved with `to_disk` / `to_bytes`. A subclass's
    `__call__` runs with the cyclic garbage collector paused (`pausing_gc`).
    """

    rule_class: ClassVar[Type[Rule]] = Rule
    rule_files: ClassVar[Tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__call__" in cls.__dict__:
            cls.__call__ = pausing_gc(cls.__call__)

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        style: str = "university",
        rules_dir: Optional[str] = None,
        rules_mode: str = "extend",
        **cfg: Any,
    ) -> None:
        if rules_mode not in ("extend", "replace"):
            raise ValueError(Errors.E010.format(mode=rules_mode))
        self.nlp = nlp
        self.name = name
        self.cfg: Dict[str, Any] = {"style": style, "rules_dir": rules_dir,
                                    "rules_mode": rules_mode, **cfg}
        self._rules: List[Rule] = []
        self._compiled: Any = None
        self._initialized = False

    @property
    def rules(self) -> List[Dict[str, Any]]:
        """All rules of the component, as dicts (what `to_disk` writes)."""
        return [r.to_dict() for r in self._rules]

    @property
    def ids(self) -> List[str]:
        """The ids of all rules that have one."""
        return sorted({r.id for r in self._rules if r.id})

    def __len__(self) -> int:
        return len(self._rules)

    def initialize(self, get_examples=None, *, nlp: Optional[Language] = None,
                   rules: Optional[Iterable[Dict[str, Any]]] = None) -> None:
        """Load the rules: `rules` if given, else the style's rule files.

        get_examples (Callable): Unused; accepted for the spaCy interface.
        nlp (Language): The pipeline.
        rules (Optional[Iterable[dict]]): Rule records that replace the style's.
        """
        self.clear()
        if rules is None:
            pairs = read_rules(self.cfg["style"], self.rule_files, self.cfg["rules_dir"],
                               self.cfg["rules_mode"])
            self._add(pairs)
        else:
            self.add_patterns(rules)
        self._initialized = True
        self._compiled = self._compile()  # now, not on the first document

    def _add(self, pairs: Iterable[Tuple[Dict[str, Any], str]]) -> None:
        new = [self.rule_class.from_dict(dict(rec), source) for rec, source in pairs]
        self._rules.extend(new)
        self._compiled = None

    def add_patterns(self, rules: Iterable[Dict[str, Any]]) -> None:
        """Add rules (dicts in the shape of the component's rule files).

        rules (Iterable[dict]): The rule records; each is validated.
        """
        self._add((rec, f"add_patterns of '{self.name}'") for rec in rules)
        self._initialized = True

    def remove(self, rule_id: str) -> None:
        """Remove every rule with the given id.

        rule_id (str): The id.
        """
        before = len(self._rules)
        self._rules = [r for r in self._rules if r.id != rule_id]
        if len(self._rules) == before:
            raise ValueError(Errors.E012.format(rule_id=rule_id, name=self.name))
        self._compiled = None

    def clear(self) -> None:
        """Remove all rules."""
        self._rules = []
        self._compiled = None

    @property
    def compiled(self) -> Any:
        """The matchers built from the rules (built on first use)."""
        if not self._initialized:
            self.initialize()
        if self._compiled is None:
            self._compiled = self._compile()
        return self._compiled

    def _compile(self) -> Any:
        return None

    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - abstract
        raise NotImplementedError

    def pipe(self, stream, batch_size: int = 128):
        for doc in stream:
            yield self(doc)

    # serialisation -------------------------------------------------------
    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        """Serialise the rules and settings to a bytestring."""
        return srsly.msgpack_dumps({"rules": self.rules, "cfg": self.cfg})

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()):
        """Replace the rules and settings with those of a bytestring."""
        data = srsly.msgpack_loads(bytes_data)
        self.cfg.update(data.get("cfg", {}))
        self.clear()
        self._add((rec, f"bytes of '{self.name}'") for rec in data.get("rules", []))
        self._initialized = True
        return self

    def to_disk(self, path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        """Write `rules.jsonl` and `cfg` to a directory."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "rules.jsonl", self.rules)
        srsly.write_json(path / "cfg", self.cfg)

    def from_disk(self, path, *, exclude: Iterable[str] = SimpleFrozenList()):
        """Replace the rules and settings with those written by `to_disk`."""
        path = ensure_path(path)
        if (path / "cfg").is_file():
            self.cfg.update(srsly.read_json(path / "cfg"))
        self.clear()
        rules_path = path / "rules.jsonl"
        if rules_path.is_file():
            self._add((rec, str(rules_path)) for rec in read_jsonl(rules_path))
        self._initialized = True
        return self
