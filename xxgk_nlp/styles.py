"""Style registry: a style is a folder of rule files (a rule pack).

Shipped styles live in `xxgk_nlp/rules/<style>/` and are found with
`importlib.resources`. A user registers another folder with `register_style`, or
through the `xxgk_styles` entry-point group (name = style, value = a module whose
folder holds the rule files, or a `module:attribute` naming a path string).
A style folder may hold `style.json` with `{"extends": "university"}`: its rule
files then add to the parent's files of the same name (parent rules first), and a
file it lacks is taken from the parent as is; `"replace_files": ["x.jsonl"]` makes
the style's own file replace the parent's instead.
"""
import json
import re
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path
from typing import Dict, List, Optional, Union

from .errors import Errors

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_USER_STYLES: Dict[str, Path] = {}


def _shipped_root() -> Path:
    return Path(str(resources.files("xxgk_nlp") / "rules"))


def _entry_point_styles() -> Dict[str, Path]:
    found: Dict[str, Path] = {}
    for ep in entry_points(group="xxgk_styles"):
        obj = ep.load()
        path = Path(obj.__file__).parent if hasattr(obj, "__file__") else Path(str(obj))
        found[ep.name] = path
    return found


def available_styles() -> List[str]:
    """List the names of all styles that `xxgk_nlp.load(style=...)` accepts.

    RETURNS (List[str]): Sorted style names: shipped, entry-point and registered ones.
    """
    names = {p.name for p in _shipped_root().iterdir() if (p / "style.json").is_file()}
    names.update(_entry_point_styles())
    names.update(_USER_STYLES)
    return sorted(names)


def register_style(name: str, path: Union[str, Path]) -> None:
    """Register a folder of rule files as a style.

    name (str): The style name used with `xxgk_nlp.load(style=name)`.
    path (Union[str, Path]): Folder holding `style.json` and rule files.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(Errors.E007.format(name=name))
    folder = Path(path)
    if not folder.is_dir():
        raise ValueError(Errors.E002.format(path=folder, style=name))
    _USER_STYLES[name] = folder


def style_path(style: str) -> Path:
    """Return the folder of a style.

    style (str): The style name.
    RETURNS (Path): The style's rule folder.
    """
    if not isinstance(style, str):
        raise TypeError(Errors.E009.format(what="style", expected="a str", got=style,
                                           type=type(style).__name__))
    if style in _USER_STYLES:
        return _USER_STYLES[style]
    shipped = _shipped_root() / style
    if (shipped / "style.json").is_file():
        return shipped
    eps = _entry_point_styles()
    if style in eps:
        return eps[style]
    raise ValueError(Errors.E001.format(style=style, available=", ".join(available_styles())))


def style_meta(style: str) -> dict:
    """Read a style's `style.json` (empty dict when there is none)."""
    meta_path = style_path(style) / "style.json"
    if meta_path.is_file():
        return json.loads(meta_path.read_text(encoding="utf-8"))
    return {}


def style_chain(style: str) -> List[str]:
    """The style followed by the styles it extends, nearest first."""
    chain: List[str] = []
    current: Optional[str] = style
    while current is not None and current not in chain:
        style_path(current)  # raises a clear error for an unknown style
        chain.append(current)
        parent = style_meta(current).get("extends")
        if parent is not None and parent not in available_styles():
            raise ValueError(Errors.E008.format(style=current, parent=parent))
        current = parent
    return chain


def find_rule_file(style: str, filename: str) -> Optional[Path]:
    """Find a rule file in a style folder or in the styles it extends.

    style (str): The style name.
    filename (str): The rule file name, e.g. "channels.jsonl".
    RETURNS (Optional[Path]): The nearest file of that name, or None.
    """
    for name in style_chain(style):
        candidate = style_path(name) / filename
        if candidate.is_file():
            return candidate
    return None


def find_rule_files(style: str, filename: str) -> List[Path]:
    """All files of one name along a style's `extends` chain, parent first.

    A style that lists the name in `replace_files` cuts the chain there.
    style (str): The style name.
    filename (str): The rule file name.
    RETURNS (List[Path]): The files to read, in order.
    """
    found: List[Path] = []
    for name in style_chain(style):
        candidate = style_path(name) / filename
        if candidate.is_file():
            found.insert(0, candidate)
            if filename in style_meta(name).get("replace_files", []):
                break
    return found
