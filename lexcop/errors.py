"""One error family for everything a user can get wrong.

Every error carries a short code (stable, greppable, documented in docs/errors.md), the
file it concerns and the remedy, so that the CLI can print one clear line and go on.
"""
from __future__ import annotations


class LexcopError(Exception):
    """Base class: `code` is stable, `path` names the file, `remedy` says what to do."""

    code = "LX000"

    def __init__(self, message: str, *, path: str | None = None, remedy: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.remedy = remedy

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        fix = f" ({self.remedy})" if self.remedy else ""
        return f"[{self.code}] {where}{self.message}{fix}"


class NotAPdf(LexcopError):
    code = "LX101"


class EmptyFile(LexcopError):
    code = "LX102"


class EncryptedPdf(LexcopError):
    code = "LX103"


class CorruptPdf(LexcopError):
    code = "LX104"


class NoTextLayer(LexcopError):
    code = "LX105"


class TooManyPages(LexcopError):
    code = "LX106"


class MissingFile(LexcopError):
    code = "LX107"


class ChecksumMismatch(LexcopError):
    code = "LX201"


class ManifestError(LexcopError):
    code = "LX202"


class DownloadError(LexcopError):
    code = "LX203"


class GrammarError(LexcopError):
    code = "LX301"


class UnknownDocument(LexcopError):
    code = "LX401"


class UnknownProvision(LexcopError):
    code = "LX402"


class UsageError(LexcopError):
    code = "LX501"


class StoreError(LexcopError):
    code = "LX601"
