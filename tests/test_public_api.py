"""The public Python API: every name of ``eventwire.__all__`` importable; the import itself is lazy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")
HEAVY = ("sqlalchemy", "spacy", "pandas", "eventwire.store", "eventwire.pipeline")


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {SRC!r})\n" + code],
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_eventwire_loads_no_heavy_module() -> None:
    heavy = repr(HEAVY + ("eventwire.query", "eventwire.model", "pydantic"))
    got = _run("import json, eventwire; print(json.dumps(sorted(m for m in sys.modules if m in " + heavy + ")))")
    assert got == []


def test_cli_help_loads_neither_spacy_nor_sqlalchemy() -> None:
    got = _run(
        "import json, io, contextlib\n"
        "from eventwire.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
        "print(json.dumps({'help': 'stories' in out.getvalue() and 'ingest' in out.getvalue(),"
        " 'loaded': sorted(m for m in sys.modules if m in " + repr(HEAVY) + ")}))")
    assert got == {"help": True, "loaded": []}


def test_every_public_name_resolves_and_the_functions_keep_their_names() -> None:
    got = _run(
        "import json, types\n"
        "import eventwire\n"
        "from eventwire.query import Filters\n"        # the submodule imported first ...
        "import eventwire.export, eventwire.ingest, eventwire.aggregate\n"
        "from eventwire import code, ingest, query, aggregate, export, CodedArticle\n"
        "missing = [n for n in eventwire.__all__ if not hasattr(eventwire, n)]\n"
        "kinds = {n: type(getattr(eventwire, n)).__name__ for n in ('code', 'ingest', 'query', 'aggregate', 'export')}\n"
        "print(json.dumps({'missing': missing, 'kinds': kinds, 'filters': eventwire.Filters is Filters,"
        " 'doc': CodedArticle.__name__, 'dir': all(n in dir(eventwire) for n in eventwire.__all__)}))")
    assert got["missing"] == []
    # ... and eventwire.query is still the function, not the module
    assert set(got["kinds"].values()) == {"function"}
    assert got["filters"] and got["dir"] and got["doc"] == "CodedArticle"


def test_unknown_name_is_an_attribute_error() -> None:
    import pytest

    import eventwire

    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        eventwire.nothing_here  # noqa: B018
