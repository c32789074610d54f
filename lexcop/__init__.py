"""lexcop: legislation comparison and harmonization analyzer for child online protection law.

The public API is small; everything else is internal and may change.
"""
__version__ = "0.1.0"

from .errors import LexcopError  # noqa: E402
from .ingest import ingest, parse_document  # noqa: E402
from .store import Store  # noqa: E402

__all__ = ["__version__", "LexcopError", "Store", "ingest", "parse_document"]
