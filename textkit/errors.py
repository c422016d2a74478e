"""Errors textkit raises. Every message says what is wrong and what to do about it.

The CLI prints ``str(error)`` on one line and exits non-zero; the library never prints.
"""

from __future__ import annotations


class TextkitError(Exception):
    """Base class: anything textkit refuses to do, with a message a city employee can act on."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class InputNotFoundError(TextkitError):
    """The file named by the user does not exist."""


class FormatError(TextkitError):
    """The file exists but is not in a format textkit reads (or is malformed)."""


class EncodingError(FormatError):
    """A text file is in an encoding textkit could not recognise."""


class ExtractionError(TextkitError):
    """A PDF could not be read: corrupt, encrypted, scanned without a text layer, …"""


class EmptyDocumentError(ExtractionError):
    """The document has no text (or no measures) to work with."""


class SettingsError(TextkitError):
    """A settings file or option names an unknown key or a bad value."""


class ReviewError(TextkitError):
    """A reviewed workbook or mapping cannot be applied."""
