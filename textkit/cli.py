"""Command-line interface: each command is a few lines over the library API.

Errors from the library (``TextkitError``) are printed as one line on stderr with exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import TextkitError


class _Group(click.Group):
    """Turns ``TextkitError`` into a one-line message and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TextkitError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="textkit")
def main() -> None:
    """textkit: read Japanese strategy documents (総合戦略) and map their continuity."""


@main.command()
@click.argument("document", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the text here.")
def extract(document: Path, output: Path | None) -> None:
    """Print the cleaned text of DOCUMENT (PDF, .txt, .md), page by page.

    Example: textkit extract corpora/otaru_2nd_strategy.pdf -o otaru.txt
    """
    from . import read
    from .tables import write_text

    doc = read(document)
    text = "\n".join(f"--- page {p.number} ---\n{p.text}" for p in doc.pages) + "\n"
    if output:
        write_text(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)


@main.command()
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    help="Project folder holding corpora/, mappings/ and reports/.",
)
def demo(root: Path) -> None:
    """Run the main job on the bundled corpus (corpora/index.csv) and say where results are."""
    from .demo import run_demo

    for path in run_demo(root.resolve(), progress=lambda msg: click.echo(msg, err=True)):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="pairs.csv, .json or .xlsx (formats §6).",
)
@click.option("--top", default=3, show_default=True, help="Counterparts per measure and document.")
def compare(documents: tuple[Path, ...], output: Path, top: int) -> None:
    """For every measure, its closest counterparts in each other document.

    Example: textkit compare otaru.csv corpora/tomakomai_3rd_deck_2024.txt -o pairs.csv --top 3
    """
    from . import compare as _compare
    from .formats import write_counterparts

    pairs = _compare(*documents, top=top)
    click.echo(f"wrote {write_counterparts(pairs, output)} ({len(pairs)} rows)")


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="themes.csv/.xlsx/.json; the city × theme matrix goes beside it (_by_city).",
)
@click.option(
    "--scheme", type=click.Path(path_type=Path), help="Theme rules (TOML); default: bundled."
)
def themes(documents: tuple[Path, ...], output: Path, scheme: Path | None) -> None:
    """Classify every measure into policy themes; mark measures shared with another document.

    Example: textkit themes otaru.csv tomakomai.csv -o reports/themes.csv
    """
    from .compare import load
    from .themes import classify, load_scheme, write_themes

    table = classify([load(d) for d in documents], scheme=load_scheme(scheme))
    for path in write_themes(table, output):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="map.csv/.json/.xlsx; default: CSV on stdout.",
)
@click.option(
    "--settings", "settings_path", type=click.Path(path_type=Path), help="AlignSettings TOML."
)
@click.option(
    "--reviewed", type=click.Path(path_type=Path), help="Map whose reviewed rows are kept."
)
@click.option("--no-stated", is_flag=True, help="Ignore the correspondence NEW states itself.")
def align(
    old: Path,
    new: Path,
    output: Path | None,
    settings_path: Path | None,
    reviewed: Path | None,
    no_stated: bool,
) -> None:
    """Map how OLD's measures continue in NEW: kept, merged, split, new, dropped (formats §3).

    Example: textkit align otaru_2nd.csv otaru_3rd.csv -o reports/otaru_map.xlsx
    """
    import csv

    from . import align as _align
    from .formats import MAP_COLUMNS, MAP_EXTRA, map_rows, read_map, write_map
    from .settings import resolve

    cmap = _align(
        old,
        new,
        settings=resolve(settings_path),
        reviewed=read_map(reviewed) if reviewed else None,
        use_stated=not no_stated,
    )
    if output:
        click.echo(f"wrote {write_map(cmap, output)} ({len(cmap.links)} rows)", err=True)
    else:
        w = csv.DictWriter(sys.stdout, MAP_COLUMNS + MAP_EXTRA, lineterminator="\n")
        w.writeheader()
        w.writerows(map_rows(cmap))


@main.command()
@click.argument("cmap", metavar="MAP", type=click.Path(path_type=Path))
@click.argument("gold", type=click.Path(path_type=Path))
def evaluate(cmap: Path, gold: Path) -> None:
    """Link precision, recall, F1 and relation accuracy of MAP against a GOLD map (formats §3).

    Example: textkit evaluate map.csv tests/cases/align/tomakomai/gold.csv
    """
    from .evaluate import evaluate as _evaluate

    click.echo(_evaluate(cmap, gold).summary())


if __name__ == "__main__":  # pragma: no cover
    main()
