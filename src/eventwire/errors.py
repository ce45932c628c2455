"""Coded errors and warnings, defined once.

Codes: EW1xx input and data files, EW2xx pipeline and model, EW3xx store and export,
EW4xx evaluation, EW5xx the HTTP API. Every message says what happened and how to fix it; the CLI prints
``[EWnnn] message`` on one line and exits non-zero, never a traceback.
"""

from __future__ import annotations

import re

MAX_MESSAGE = 300
"""Longest message printed or stored, code included."""

_CODE = re.compile(r"\[EW\d{3}\]\s*")
_SURROGATE = re.compile("[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes of a file name or argument, broken JSON
    escapes) replaced by U+FFFD, so that it can be encoded, printed and stored."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def one_line(text: object, limit: int = MAX_MESSAGE) -> str:
    """``text`` on one line (whitespace runs become one space), safe to encode, at most ``limit`` characters."""
    out = " ".join(safe_text(str(text)).split())
    return out if len(out) <= limit else out[: limit - 3].rstrip() + "..."


def coded_message(code: str, message: str) -> str:
    """``[code] message`` on one line, at most MAX_MESSAGE characters, with no second code inside."""
    body = one_line(_CODE.sub("", message), 10 * MAX_MESSAGE)
    return one_line(f"[{code}] {body}")


def split_code(message: str) -> tuple[str | None, str]:
    """The leading ``[EWnnn]`` code of a message (or None) and the rest."""
    match = re.match(r"\s*\[(EW\d{3})\]\s*", message)
    return (match.group(1), message[match.end():]) if match else (None, message)


class EventwireError(Exception):
    """Base class: a problem a user can fix, with a code.

    The message is kept on one line, and at most MAX_MESSAGE characters with its code; a message
    that already starts with a code (a reason passed on from another error) keeps that code
    rather than gaining a second one.
    """

    code = "EW000"

    def __init__(self, message: str) -> None:
        inner, rest = split_code(str(message))
        if inner is not None and type(self).code == "EW000":
            self.code = inner
        message = _CODE.sub("", rest)
        super().__init__(message)
        self.message = one_line(message, MAX_MESSAGE - 8)

    def __str__(self) -> str:
        return coded_message(self.code, self.message)


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

    code = "EW121"


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


class ServerError(EventwireError):
    """An unexpected failure inside the server; the server log has the details."""

    code = "EW500"


class GazetteerError(EventwireError):
    """The gazetteer index or a GeoNames file cannot be read or built."""

    code = "EW120"


class InternalError(EventwireError):
    """A bug: an unexpected exception, reported on one line instead of a traceback."""

    code = "EW900"
