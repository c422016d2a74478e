"""Generators of committed test material (run as modules from the repository root)."""
