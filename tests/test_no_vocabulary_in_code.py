"""Knowledge lives in data files: no literal collection of three or more domain words in the code.

The scan reads every module of ``src/eventwire`` with the ``ast`` module and reports each set,
list, tuple, frozenset or dict-key literal that holds three or more *words* (strings of letters,
spaces, hyphens or apostrophes with a lower-case letter) unless all of them are spaCy labels
(dependency labels, part-of-speech tags, entity labels) or the collection is a reviewed piece of
mechanism in ``ALLOWED`` (file, enclosing name). A word list belongs in ``data/`` (issue 9).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "eventwire"
_WORD = re.compile(r"^[A-Za-z][A-Za-z' -]*$")
# spaCy's English labels (dependency, fine and coarse tags, entities, morphology): mechanism, not vocabulary.
_LABELS = """
ROOT acl acomp advcl advmod agent amod appos attr aux auxpass case cc ccomp compound conj csubj csubjpass dative
dep det dobj expl intj mark meta neg nmod npadvmod nsubj nsubjpass nummod oprd parataxis pcomp pobj poss
preconj predet prep prt punct quantmod relcl xcomp
ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X SPACE
NN NNS NNP NNPS VB VBD VBG VBN VBP VBZ JJ JJR JJS RB RBR RBS IN DT PRP WP WDT WRB MD CD TO RP EX UH POS
PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW LANGUAGE DATE TIME PERCENT MONEY QUANTITY ORDINAL
CARDINAL Past Pres Fut Sing Plur Ind Inf Part Ger
"""
SPACY_LABELS = set(_LABELS.split())
# (file relative to src/eventwire, enclosing assignment or function name): reviewed mechanism.
ALLOWED: set[tuple[str, str]] = {
    # field names of the JSON article format and the output formats a command can write
    ("clean.py", "meta"),
    ("cli/code.py", "code"),
    # the table of eval task names; modality policies are sets of the model's modality values
    ("evaluation/__init__.py", "TASKS"),
    ("evaluation/events.py", "POLICIES"),
    # tally counter names
    ("evaluation/muc4.py", "counts"),
    ("evaluation/muc4.py", "tot"),
    ("evaluation/muc4.py", "rel"),
    # key paths of the pattern file that its check function reports
    ("schemas/events.py", "check_patterns"),
    # export lists: names of Python objects
    ("actors/__init__.py", "__all__"),
    ("gazetteer.py", "__all__"),
    ("__init__.py", "_LAZY"),  # the public names and the modules that define them (PEP 562 loading)
    ("__init__.py", "_FUNCTIONS"),  # the public functions named like their modules
    # file families of data/actors/ mapped to their loader functions (the file layout, dispatch code)
    ("actors/dictionary.py", "LOADERS"),
    # closed enumerations of the agents.yaml format: the coder and coreference branch on each value
    ("schemas/actors.py", "AGENT_ENTITIES"),
    ("schemas/actors.py", "AGENT_REFERS"),
    # column names of the gazetteer's TSV format
    ("gazetteer.py", "TSV_COLUMNS"),
    ("gazetteer.py", "REQUIRED_COLUMNS"),
    # GeoNames alternateNames pseudo-language codes (links, postal and airport codes): the dump's format
    ("gazetteer.py", "_PSEUDO_LANGUAGES"),
    ("events/__init__.py", "__all__"),  # the package's exported names
    ("events/readings.py", "_ACTOR_FIELDS"),  # attribute names of model.Actor that rewrite conditions test
    # candidate kinds of attributes/dates/grammar.py (internal tags) that a prefix such as "early" may join
    ("attributes/dates/__init__.py", "_PREFIX_KINDS"),
    # the speed index of grammar.py: words written in its own regexes (the data files' words are added
    # when the Grammar is built); it must match those regexes, so it lives with them
    ("attributes/dates/grammar.py", "_PATTERN_WORDS"),
    # the granularity codes calc.py can compute: a schema enumeration of mechanism, not vocabulary
    ("schemas/dates.py", "Granularity"),
    ("schemas/dates.py", "PointGranularity"),
    ("schemas/dates.py", "RelUnitName"),
    # field names of the dates gold format and of the report's metrics
    ("evaluation/dates.py", "_GOLD_KEYS"),
    ("evaluation/dates.py", "metrics"),
    # field names of the coverage suite's item format and the tally counters of its report
    ("evaluation/coverage.py", "REQUIRED"),
    ("evaluation/coverage.py", "_metrics"),
}


def _strings(node: ast.AST) -> list[str]:
    """The string elements of a literal collection that could be a word list.

    Not counted: dict literals whose values are not all constants (records being built: their keys
    are field names, not vocabulary) and ``Literal[...]`` type enumerations (a schema's closed set).
    """
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if isinstance(node, ast.Dict):
        if not all(isinstance(v, ast.Constant) for v in node.values):
            return []
        return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return []


def _skipped(tree: ast.AST) -> set[int]:
    """Nodes never scanned: ``__all__`` lists and the slices of ``Literal[...]``."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Subscript) and getattr(node.value, "id", getattr(node.value, "attr", "")) == "Literal":
            skip.update(id(n) for n in ast.walk(node.slice))
    return skip


def _vocabulary(words: list[str]) -> bool:
    domain = [w for w in words if _WORD.match(w) and any(c.islower() for c in w) and w not in SPACY_LABELS]
    return len(domain) >= 3


# Issue 12 (store, query, aggregate, export, stories): reviewed mechanism, not vocabulary.
ALLOWED |= {
    # export lists: names of Python objects
    ("__init__.py", "__all__"), ("store/__init__.py", "__all__"), ("stories.py", "__all__"),
    ("export.py", "__slots__"),
    # column names of the store's tables (rows written with one multi-row statement per table)
    ("store/__init__.py", "row"), ("store/__init__.py", "COUNTED_TABLES"),
    ("store/migrations/versions/0002_analyst.py", "story_columns"),
    ("store/migrations/versions/0002_analyst.py", "event_columns"), ("stories.py", "row"),
    # column and field names of the documented output formats (docs/formats.md)
    ("query.py", "EVENT_COLUMNS"), ("query.py", "STORY_COLUMNS"), ("cli/query.py", "EVENT_TABLE"),
    ("cli/query.py", "STORY_TABLE"), ("export.py", "CAMEO_COLUMNS"), ("export.py", "ACLED_COLUMNS"),
    ("export.py", "PLOVER_FIELDS"), ("export.py", "PLOVER_ENTITY_FIELDS"), ("export.py", "PLOVER_LOCATION_FIELDS"),
    ("export.py", "PLOVER_CITE_FIELDS"), ("export.py", "row"), ("export.py", "record"), ("export.py", "loc"),
    ("export.py", "feature"), ("aggregate.py", "values"), ("aggregate.py", "rec"), ("aggregate.py", "frame"),
    ("aggregate.py", "attrs"),
    # closed enumerations of the API and CLI choices (formats, periods, measures, groups, filter fields)
    ("export.py", "FORMATS"), ("export.py", "types"), ("aggregate.py", "PERIODS"), ("aggregate.py", "MEASURES"),
    ("aggregate.py", "GROUPS"), ("aggregate.py", "WHOLE_MEASURES"), ("query.py", "NAME_FILTERS"),
    ("query.py", "meta"),
}


def offenders() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        owner: dict[int, str] = {}
        for node in ast.walk(tree):
            name = None
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = node.name
            elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                name = node.target.id
            if name:  # breadth-first: an inner function or assignment overrides its outer one
                for child in ast.walk(node):
                    owner[id(child)] = name
        skip = _skipped(tree)
        for node in ast.walk(tree):
            if id(node) not in skip and _vocabulary(_strings(node)):
                where = owner.get(id(node), "")
                if (rel, where) not in ALLOWED:
                    found.append(f"{rel}:{node.lineno} {where}: {_strings(node)[:6]}")
    return found


def test_no_vocabulary_lists_in_code() -> None:
    found = offenders()
    assert not found, f"{len(found)} word lists in code (move them to data/):\n" + "\n".join(found)
