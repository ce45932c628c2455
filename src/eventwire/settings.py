"""One Settings object, defaults in one place, validated on construction."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    """Options that travel through every stage.

    max_chars: inputs longer than this (after decoding) are refused with EW106.
    batch_size: texts per ``nlp.pipe`` batch.
    model: a spaCy package name to load instead of the default search order.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_chars: int = Field(default=2_000_000, gt=0)
    max_bytes: int = Field(default=50_000_000, gt=0)
    batch_size: int = Field(default=32, gt=0)
    model: str | None = None
    gazetteer_path: str | None = None
    data_dir: str | None = None


DEFAULT_SETTINGS = Settings()
