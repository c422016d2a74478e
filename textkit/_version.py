"""The package version, in a module of its own so that ``cli`` can show it without importing
``textkit/__init__``."""

__version__ = "0.1.0"
