"""Docs stay true: the CLI reference is current and complete, and the README's commands run (issue 9)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.cli.reference import walk

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = ROOT / "docs" / "cli.md"
SEED = ROOT.parent / "shared" / "acceptance" / "seed_article.txt"


def test_cli_reference_is_current() -> None:
    from cogapp import Cog

    status = Cog().main(["cog", "--check", str(CLI_DOC)])
    assert status == 0, "docs/cli.md is stale: run 'make docs'"


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    page = CLI_DOC.read_text(encoding="utf-8")
    missing = []
    for path, command in walk(main):
        title = " ".join(("eventwire", *path))
        if f"## `{title}`" not in page:
            missing.append(title)
        for param in command.params:
            for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", []):
                if opt.startswith("-") and opt not in page:
                    missing.append(f"{title} {opt}")
    assert not missing, missing


def _readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```(?:bash|sh)\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("eventwire "):
                line = re.split(r"\s[>|]\s?", line)[0]
                commands.append(shlex.split(line)[1:])
    return commands


def test_readme_commands_are_valid_commands() -> None:
    commands = _readme_commands()
    assert len(commands) >= 5
    for args in commands:
        ctx_args = list(args)
        command: click.Command = main
        while isinstance(command, click.Group) and ctx_args and ctx_args[0] in command.commands:
            command = command.commands[ctx_args.pop(0)]
        assert command is not main, args
        try:
            command.make_context(command.name or "", ctx_args, resilient_parsing=False)
        except click.UsageError as exc:
            pytest.fail(f"README command {' '.join(args)!r} does not parse: {exc}")


@pytest.mark.skipif(not SEED.exists(), reason="../shared/acceptance is not present")
def test_readme_code_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    ran = 0
    for args in _readme_commands():
        if args[0] in {"code", "explain"} and all(not a.endswith(".txt") or Path(a).exists() for a in args):
            result = runner.invoke(main, args)
            assert result.exit_code == 0, (args, result.output[-300:])
            ran += 1
    assert ran >= 1
