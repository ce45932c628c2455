"""Coded errors and warnings, defined once.

Codes: EW1xx input and data files, EW2xx pipeline and model, EW3xx store and export,
EW4xx evaluation, EW5xx the HTTP API. Every message says what happened and how to fix it; the CLI prints
``[EWnnn] message`` on one line and exits non-zero, never a traceback.
"""

from __future__ import annotations


class EventwireError(Exception):
    """Base class: a problem a user can fix, with a code."""

    code = "EW000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(EventwireError):
    """The article cannot be read or holds no text."""

    code = "EW101"


class EmptyInput(InputError):
    """The input holds no text after cleaning."""

    code = "EW102"


class BinaryInput(InputError):
    """The input looks like binary data, not text."""

    code = "EW103"


class EncodingError(InputError):
    """The bytes could not be decoded in any likely encoding."""

    code = "EW104"


class InvalidJSON(InputError):
    """A JSON document or JSON line is malformed or lacks a text field."""

    code = "EW105"


class TooLarge(InputError):
    """The input is larger than the configured limit."""

    code = "EW106"


class DataFileError(EventwireError):
    """A knowledge file (actors, patterns, gazetteer) is malformed."""

    code = "EW110"


class SettingsError(EventwireError):
    """A setting (config file, environment variable or flag) is unknown or invalid."""

    code = "EW120"


class ModelNotFound(EventwireError):
    """No spaCy English model is installed."""

    code = "EW201"


class StoreError(EventwireError):
    """The database cannot be opened or written."""

    code = "EW301"


class ExportError(EventwireError):
    """An export format or destination is not usable."""

    code = "EW302"


class EvalError(EventwireError):
    """A gold file cannot be read for evaluation."""

    code = "EW401"


class NotFound(EventwireError):
    """The HTTP API has no such resource (event, article, route)."""

    code = "EW501"


class Unauthorized(EventwireError):
    """The request needs a valid bearer token."""

    code = "EW502"


class RequestError(InputError):
    """An HTTP request parameter or body is malformed."""

    code = "EW503"


class InternalError(EventwireError):
    """An unexpected failure inside the server; the server log has the details."""

    code = "EW500"


class GazetteerError(EventwireError):
    """The gazetteer index or a GeoNames file cannot be read or built."""

    code = "EW120"
