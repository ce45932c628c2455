"""One Settings object: defaults < config file < environment < flags; one-line errors (issue 9)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.errors import SettingsError
from eventwire.settings import Settings

SRC = Path(__file__).resolve().parents[1] / "src" / "eventwire"


def test_layers_in_order(tmp_path: Path) -> None:
    cfg = tmp_path / "eventwire.yaml"
    cfg.write_text("batch_size: 8\nmax_chars: 5000\nworkers: 2\n")
    env = {"EVENTWIRE_BATCH_SIZE": "16", "EVENTWIRE_HOME": str(tmp_path)}
    s = Settings.load(cfg, env=env, max_chars=None, workers=3)
    assert (s.batch_size, s.max_chars, s.workers, s.home) == (16, 5000, 3, str(tmp_path))
    assert Settings.load(env={}).batch_size == Settings().batch_size
    assert Settings.load(env={"EVENTWIRE_CONFIG": str(cfg)}).batch_size == 8
    assert s.index_path().parent == tmp_path


def test_unknown_key_in_config_names_file_and_line(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("batch_size: 8\nbatch_sise: 9\n")
    with pytest.raises(SettingsError, match=r"c\.yaml:2: unknown setting 'batch_sise'"):
        Settings.load(cfg, env={})


@pytest.mark.parametrize(("env", "flags", "where"), [({"EVENTWIRE_BATCH_SIZE": "many"}, {}, "EVENTWIRE_BATCH_SIZE"),
                                                     ({}, {"max_chars": -1}, "flag")])
def test_invalid_values_are_one_line_errors(env: dict, flags: dict, where: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings.load(env=env, **flags)
    assert where in str(info.value) and "\n" not in str(info.value) and str(info.value).startswith("[EW121]")


def test_unknown_flag_is_an_error() -> None:
    with pytest.raises(SettingsError, match="unknown setting"):
        Settings.load(env={}, batch=3)


def test_cli_flags_are_named_after_fields(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Rebels attacked an army post near Hama on Tuesday.")
    runner = CliRunner()
    out = runner.invoke(main, ["code", str(art), "--max-chars", "10"])
    assert out.exit_code == 1 and "EW106" in out.output and "max_chars" in out.output
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("nope: 1\n")
    out = runner.invoke(main, ["code", str(art), "--config", str(cfg)])
    assert out.exit_code == 1 and "bad.yaml:1: unknown setting 'nope'" in out.output
    assert len(out.output.strip().splitlines()) == 1


def test_no_stage_reads_the_environment() -> None:
    """Only settings.py reads os.environ (store's fault-injection hook for crash tests and the
    hand-off of `serve --workers N`'s options to uvicorn's worker processes excepted)."""
    readers = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel in {"settings.py", "store/__init__.py", "web/__init__.py"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
                readers.append(f"{rel}:{node.lineno}")
    assert not readers, readers
