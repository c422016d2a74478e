"""Errors textkit raises. Every message says what is wrong and what to do about it.

The CLI prints ``str(error)`` on one line and exits non-zero; the library never prints.
"""

from __future__ import annotations


class TextkitError(Exception):
    """Base class: anything textkit refuses to do, with a message a city employee can act on."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        text = f"{path}: {message}" if path else message
        # One line, always: the CLI prints it as one, and a cell or file name quoted in a message
        # may hold line breaks.
        super().__init__(" ".join(text.splitlines()))


class TextkitWarning(UserWarning):
    """Something was read, but not all of it: a damaged page, a table that looks cut. The result
    carries the same text in its ``warnings``; the CLI prints each on one line on stderr."""


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


class NotAStrategyError(EmptyDocumentError):
    """The document is readable but is not a strategy (a 人口ビジョン, a newsletter, minutes)."""


class SettingsError(TextkitError):
    """A settings file or option names an unknown key or a bad value."""


class OutputError(TextkitError):
    """An output cannot be written where the user asked: a read-only folder, a full disk, a
    folder name that is a file."""


def os_error_message(exc: OSError, where: str | None = None) -> str:
    """One line a city employee can act on for an operating-system error (``where``, else the
    file it names; what went wrong; what to do), instead of a traceback."""
    import errno

    if where is None:
        where = str(exc.filename) if exc.filename is not None else ""
    what = (exc.strerror or str(exc)).lower()
    if isinstance(exc, PermissionError):
        todo = "choose a folder you can write to (or ask for access to this one)"
    elif exc.errno == errno.ENOSPC:
        todo = "the disk is full; free some space and run the command again"
    elif isinstance(exc, (FileExistsError, NotADirectoryError)):
        todo = "a part of this path is a file, not a folder; choose another output path"
    elif isinstance(exc, IsADirectoryError):
        todo = "this is a folder; give a file name"
    elif exc.errno == errno.EROFS:
        todo = "the disk is read-only; choose a folder on another disk"
    else:
        todo = "check the path and run the command again"
    return f"{where}: {what}; {todo}" if where else f"{what}; {todo}"


class ReviewError(TextkitError):
    """A reviewed workbook or mapping cannot be applied."""
