"""Numbered error and warning messages, in the manner of `spacy/errors.py`.

Ranges: E000-E099 core (styles, rules, loading), E100-E199 tokenizer and layout,
E200-E299 sections, E300-E399 entity components, E400-E499 report and facts,
E500-E599 corpus and evaluation, E600-E699 command line and readers.
"""


class ErrorsWithCodes(type):
    def __getattribute__(self, code):
        msg = super().__getattribute__(code)
        if code.startswith("__"):  # python system attributes like __class__
            return msg
        return f"[{code}] {msg}"


class Warnings(metaclass=ErrorsWithCodes):
    """Numbered warnings (none issued yet; the class keeps spaCy's layout)."""


class Errors(metaclass=ErrorsWithCodes):
    E001 = ("Unknown style '{style}'. Available styles: {available}. Register your own "
            "rule folder with xxgk_nlp.register_style(name, path).")
    E002 = "Style folder {path} for style '{style}' does not exist or is not a directory."
    E003 = ("Rule {rule!r} in {source} has unknown key '{key}'. Allowed keys: {allowed}.")
    E004 = "Rule {rule!r} in {source} lacks the required key '{key}'."
    E005 = "Rule {rule!r} in {source} has an invalid value for '{key}': {reason}"
    E006 = "Could not read rule file {path}, line {line}: {reason}"
    E007 = "Style name must be a non-empty string of letters, digits, '_' or '-', got {name!r}."
    E008 = "Style '{style}' extends unknown style '{parent}'."
    E009 = "Expected {what} to be {expected}, got {got!r} of type {type}."
    E010 = "Unknown rules_mode '{mode}'; use 'extend' or 'replace'."
    E011 = "Rules directory {path} does not exist or is not a directory."
    E012 = "No rule with id '{rule_id}' in component '{name}'."
    E100 = ("Unknown segmenter '{segmenter}'. Use 'char' (default, no download), "
            "'jieba' (pip install jieba) or 'pkuseg' with pkuseg_model=PATH.")
    E101 = ("The pkuseg segmenter needs a local model directory: pass "
            "xxgk_nlp.load(segmenter='pkuseg', pkuseg_model=PATH) where PATH holds "
            "features.msgpack (or features.pkl) and weights.npz. Named models such as "
            "{name!r} would be downloaded, which this library never does.")
    E102 = ("pkuseg model directory {path} is missing {missing}. Train one with "
            "spacy_pkuseg.train(...) or copy a model folder there.")
    E103 = "The jieba segmenter is not installed. Install it with: pip install 'xxgk-nlp[jieba]'"
    E104 = "Expected text as str, got {type}. Decode bytes first (xxgk_nlp.readers.read_text)."
    E600 = "{path}: cannot read file ({reason})."
    E601 = "{path}: not valid UTF-8, GB18030 or UTF-16 text ({reason})."
    E602 = "{path}: looks like binary data (NUL bytes), not text; extract its text first."
    E603 = ("{path}: reading {suffix} files needs the optional extra: "
            "pip install 'xxgk-nlp[{extra}]'")
    E604 = "{path}: unsupported file type '{suffix}' (use .txt, .docx, .pdf or .html)."
    E605 = "{path}: no such file or folder."
    E107 = ("Text contains {n} lone surrogate code point(s) (first at offset {offset}), which "
            "a bad decoder leaves behind and spaCy cannot store. Decode the source with the "
            "right encoding, or with errors='replace'.")
    E106 = ("The pkuseg segmenter was not initialized. Call nlp.initialize() or use "
            "xxgk_nlp.load(segmenter='pkuseg', pkuseg_model=PATH).")
    E500 = "Corpus {source} has {n} invalid record(s):\n  {errors}"
    E501 = ("Record {id!r}, {field}: text {text!r} does not match the raw text at "
            "[{start}:{end}] ({found!r}), whitespace ignored.")
    E502 = "Record {id!r}, {field}: unknown label {label!r}; labels: {labels}."
    E503 = "Record {id!r}, {field}: {label} attribute {reason}."
    E504 = ("Record {id!r}, {field}: span [{start}:{end}] overlaps {other} or is out of "
            "document order.")
    E505 = "Record {id!r}, {field}: bad heading, {reason}."
    E506 = ("Record {id!r}, {field}: offsets [{start}:{end}] must be ints with "
            "0 <= start < end <= {length} (text length).")
    E507 = "Record {id!r}, field '{field}': {reason}."
    E508 = "Could not read corpus file {path}, line {line}: {reason}"
    E509 = "Corpus path {path} does not exist."
    E510 = "{path}: {what} {text!r} not found in the raw text after offset {pos}."
    E511 = "Record {id!r}: span [{start}:{end}] does not align with the Doc's tokens."
    E512 = "Duplicate record id {id!r} (first seen on line {line})."
    E513 = "No corpus records to evaluate in {path} (style filter: {style})."
    E514 = "Thresholds file {path}: {reason}"
    E700 = ("No report texts (.txt) in {path}. Pass a folder of report texts, e.g. "
            "--corpus corpus/university/seeds in the xxgk-nlp repository.")
    E701 = "A benchmark child process failed: {reason}"
    E702 = "{name} must be a positive int, got {value!r}."
    E703 = ("Expected a datasets.Dataset (or DatasetDict) as dataset, got {type}. Build one "
            "with datasets.Dataset.from_dict({{'text': [...]}}) or datasets.load_dataset(...).")
    E704 = ("Dataset has no column {column!r}; its columns are {columns}. Pass "
            "text_column=NAME of the column that holds the raw report text.")
    E705 = ("Column {column!r} row {row} holds {type}, not str. Decode or fill the texts "
            "first (dataset.filter(lambda r: isinstance(r[{column!r}], str))).")
