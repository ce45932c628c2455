"""One loader for all knowledge: every file under ``data/``, read once and validated.

A :class:`Resources` object is built once from :class:`~eventwire.settings.Settings` and handed to
every stage. It reads a knowledge file by its path relative to the data folder
(``"patterns/events.yaml"``); a user's own data folder (``Settings.data_dir``) overrides the
bundled files file by file: a file present there is read instead of the bundled one, any other
file comes from the package. Every file that has a schema in :mod:`eventwire.schemas` is
validated on first read; each problem names the file and line and says how to fix it.

Example:
    >>> res = Resources()
    >>> "ASSAULT" in res.yaml("ontology/plover.yaml")
    True
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources as _pkg
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError
from .yamlio import WordSafeLoader, load_yaml


def bundled_dir() -> Path:
    """The package's own data folder."""
    return Path(str(_pkg.files("eventwire") / "data"))


@dataclass(frozen=True)
class Problem:
    """One problem of a knowledge file: where, and what to do."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


def _line_index(node: yaml.Node, prefix: tuple = ()) -> Iterator[tuple[tuple, int]]:
    """(key path, 1-based line) for every node of a composed YAML document."""
    yield prefix, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            yield prefix + (k,), key.start_mark.line + 1
            for path, line in _line_index(value, prefix + (k,)):
                if path != prefix + (k,):
                    yield path, line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _line_index(item, prefix + (i,))


def yaml_lines(text: str) -> dict[tuple, int]:
    """Map each key path of a YAML text (as strings and list indexes) to its line."""
    node = yaml.compose(text, Loader=WordSafeLoader)  # noqa: S506 - a safe loader
    if node is None:
        return {}
    index: dict[tuple, int] = {}
    for path, line in _line_index(node):
        index.setdefault(tuple(str(p) for p in path), line)
    return index


def duplicate_keys(text: str) -> list[tuple[int, str]]:
    """(line, key) of every mapping key given twice in a YAML text (the loader would keep the last)."""
    found: list[tuple[int, str]] = []

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        found.append((key.start_mark.line + 1, key.value))
                    seen.add(key.value)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)

    node = yaml.compose(text, Loader=WordSafeLoader)  # noqa: S506 - a safe loader
    if node is not None:
        walk(node)
    return found


def line_of(lines: dict[tuple, int], loc: tuple) -> int | None:
    """The line of the deepest known prefix of a key path."""
    key = tuple(str(p) for p in loc)
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return lines.get(())


class Resources:
    """The knowledge files of one run, read once each (bundled data, overridden by ``data_dir``).

    data_dir (str | Path | None): a user's data folder whose files replace the bundled ones of the
        same relative path. Defaults to None (bundled data only).
    """

    def __init__(self, data_dir: str | Path | None = None) -> None:
        self.data_dir = Path(data_dir).expanduser() if data_dir else None
        if self.data_dir is not None and not self.data_dir.is_dir():
            raise DataFileError(f"data folder {self.data_dir} does not exist; create it or unset data_dir")
        self.bundled = bundled_dir()
        self._cache: dict[tuple[str, str], Any] = {}

    @classmethod
    def from_settings(cls, settings: Any) -> Resources:
        """The resources named by a Settings object (its ``data_dir``)."""
        return cls(getattr(settings, "data_dir", None))

    def path(self, rel: str) -> Path:
        """The file read for ``rel``: the user's copy if there is one, else the bundled file."""
        if self.data_dir is not None:
            user = self.data_dir / rel
            if user.is_file():
                return user
        return self.bundled / rel

    def text(self, rel: str) -> str:
        path = self.path(rel)
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path}: cannot read the file ({exc}); check that it exists and is UTF-8") from exc

    def yaml(self, rel: str) -> Any:
        """A YAML knowledge file, parsed and validated once (raises DataFileError with file:line)."""
        key = ("yaml", rel)
        if key not in self._cache:
            path = self.path(rel)
            text = self.text(rel)
            try:
                data = load_yaml(text)
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = f":{mark.line + 1}" if mark is not None else ""
                raise DataFileError(f"{path}{line}: YAML syntax error ({getattr(exc, 'problem', exc)}); "
                                    "fix the indentation or quoting there") from exc
            from .schemas import validate_file

            problems = _duplicates(str(path), text) + validate_file(rel, data, text, str(path), self)
            if problems:
                raise DataFileError(f"{problems[0]} ({len(problems)} problem(s); run 'eventwire data check')")
            self._cache[key] = data
        return self._cache[key]

    def json(self, rel: str) -> Any:
        """A JSON data file (a trained model), parsed and validated once (raises DataFileError)."""
        key = ("json", rel)
        if key not in self._cache:
            import json

            path = self.path(rel)
            text = self.text(rel)
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise DataFileError(f"{path}:{exc.lineno}: JSON syntax error ({exc.msg}); "
                                    "rebuild the file or fix it there") from exc
            from .schemas import validate_file

            problems = validate_file(rel, data, text, str(path), self)
            if problems:
                raise DataFileError(f"{problems[0]} ({len(problems)} problem(s); run 'eventwire data check')")
            self._cache[key] = data
        return self._cache[key]

    def words(self, rel: str, name: str) -> frozenset[str]:
        """A word class: the list under key ``name`` of a YAML file, as a frozenset."""
        data = self.yaml(rel)
        try:
            return frozenset(data[name])
        except (KeyError, TypeError) as exc:
            raise DataFileError(f"{self.path(rel)}: the word class {name!r} is missing; add it") from exc

    def tsv(self, rel: str) -> list[dict[str, str]]:
        """A tab-separated knowledge file with a header line ('#' lines are comments)."""
        key = ("tsv", rel)
        if key not in self._cache:
            lines = [ln for ln in self.text(rel).splitlines() if ln.strip() and not ln.startswith("#")]
            self._cache[key] = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"))
        return self._cache[key]


def _data_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.suffix in (".yaml", ".yml", ".tsv", ".json") and not p.name.startswith("."))


def check(data_dir: str | Path | None = None) -> list[Problem]:
    """Validate every knowledge file (``eventwire data check``): all problems, each with file:line.

    With ``data_dir``, the files of that folder are checked, read together with the bundled files
    they do not replace (a pattern file is checked against the user's ontology if there is one).
    """
    from .schemas import validate_file, validate_tsv

    res = Resources(data_dir)
    root = res.data_dir or res.bundled
    problems: list[Problem] = []
    for rel in _data_files(root):
        path = root / rel
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), None, f"cannot read the file ({exc}); save it as UTF-8"))
            continue
        if rel.endswith(".tsv"):
            problems.extend(_check_tsv(str(path), text))
            problems.extend(validate_tsv(rel, text, str(path)))
            continue
        if rel.endswith(".json"):
            import json

            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                problems.append(Problem(str(path), exc.lineno, f"JSON syntax error ({exc.msg}); fix it there "
                                                               "or rebuild the file"))
                continue
            problems.extend(validate_file(rel, parsed, text, str(path), res))
            continue
        try:
            data = load_yaml(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problems.append(Problem(str(path), mark.line + 1 if mark is not None else None,
                                    f"YAML syntax error ({getattr(exc, 'problem', exc)}); fix the indentation "
                                    "or quoting there"))
            continue
        problems.extend(_duplicates(str(path), text))
        problems.extend(validate_file(rel, data, text, str(path), res))
    return problems


def _duplicates(path: str, text: str) -> list[Problem]:
    return [Problem(path, line, f"the key {key!r} is given twice (the second would silently win); "
                                "remove or rename one") for line, key in duplicate_keys(text)]


def _check_tsv(path: str, text: str) -> list[Problem]:
    """A TSV file: a header, then rows with as many columns as the header."""
    problems = []
    width = None
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = len(line.split("\t"))
        if width is None:
            width = cols
        elif cols != width:
            problems.append(Problem(path, n, f"{cols} columns where the header has {width}; "
                                             "separate the fields with single tabs"))
    return problems


_DEFAULT: Resources | None = None


def default_resources() -> Resources:
    """The bundled resources, shared by callers that were given none."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Resources()
    return _DEFAULT
