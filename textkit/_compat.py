"""Python-version shims (textkit supports 3.10+)."""

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 has tomli, a dependency there
    import tomli as tomllib

__all__ = ["tomllib"]
