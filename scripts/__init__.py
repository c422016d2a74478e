"""Benchmarks and generators. Each is a module: run it as ``.venv/bin/python -m scripts.<name>``
from the repository root (or by path), and import what one needs from another
(``from scripts import bench_align``) instead of loading files by path."""
