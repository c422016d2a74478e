"""Command-line interface: each command is a few lines over the library API.

Errors from the library (``TextkitError``) are printed as one line on stderr with exit code 2;
warnings (``TextkitWarning``: a damaged page, a table that looks cut) as one line each on stderr.
"""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from ._version import __version__
from .errors import TextkitError, TextkitWarning, os_error_message
from .wording import plural


class _Group(click.Group):
    """Turns ``TextkitError``, an ``OSError`` (a folder textkit may not write to) and click's usage
    errors (an unknown option, a missing argument) into a one-line ``error: …`` message and exit
    code 2, never a traceback or a usage block."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _usage_error(ctx, exc)

    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings():
            warnings.simplefilter("always", TextkitWarning)
            default = warnings.showwarning

            def show(message, category, filename, lineno, file=None, line=None):
                if issubclass(category, TextkitWarning):
                    click.echo(f"warning: {' '.join(str(message).splitlines())}", err=True)
                else:
                    default(message, category, filename, lineno, file, line)

            warnings.showwarning = show
            try:
                _refuse_output_over_input([*getattr(ctx, "_protected_args", []), *ctx.args])
                with _busy(ctx):
                    return super().invoke(ctx)
            except TextkitError as exc:
                click.echo(f"error: {exc}", err=True)
                ctx.exit(2)
            except click.UsageError as exc:
                _usage_error(ctx, exc)
            except OSError as exc:  # a read-only folder, a full disk: the stages raise these as is
                click.echo(f"error: {os_error_message(exc)}", err=True)
                ctx.exit(2)


# Options that name a file a command writes (``corpus build`` also writes --db; elsewhere --db
# is read).
_OUTPUT_OPTIONS = frozenset({"-o", "--output", "--xlsx", "--html"})


def _refuse_output_over_input(args: list[str]) -> None:
    """An output named like one of the command's inputs (``align a.csv b.csv -o a.csv``, ``corpus
    build index.csv -o index.csv``: one tab-completion slip) would replace the user's own file
    with textkit's; refuse before anything is read."""
    import os

    outputs_named = _OUTPUT_OPTIONS | ({"--db"} if args[:2] == ["corpus", "build"] else set())
    outputs, others = [], []
    k = 0
    while k < len(args):
        name, eq, value = args[k].partition("=")
        if eq and name in outputs_named:
            outputs.append(value)
        elif args[k] in outputs_named and k + 1 < len(args):
            outputs.append(args[k + 1])
            k += 1
        else:
            others.append(args[k])
        k += 1
    for out in outputs:
        for other in others:
            with contextlib.suppress(OSError, ValueError):
                if os.path.isfile(other) and os.path.samefile(out, other):
                    raise TextkitError(
                        f"{out} is also an input of this command; textkit never writes over a "
                        "file it reads: choose another output name"
                    )


def _settings_option(
    help: str, reads: tuple[str, ...]
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--settings FILE``, passed as ``settings_path``: each command's help names the tables it
    reads (``reads``); a table of the file this command does not read is named in a warning."""

    def named_unread(ctx: click.Context, param: click.Parameter, value: Path | None):
        if value is not None:
            _warn_unread_tables(value, reads, _command_name(ctx))
        return value

    return click.option(
        "--settings",
        "settings_path",
        type=click.Path(path_type=Path),
        help=help,
        callback=named_unread,
    )


def _command_name(ctx: click.Context) -> str:
    """``textkit corpus build``, however textkit was started (``python -m textkit`` gives click a
    command path of ``python -m textkit …``)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(["textkit", *reversed(names)])


def _warn_unread_tables(path: Path, reads: tuple[str, ...], command: str) -> None:
    """One settings file may hold every table; a table this command does not read (``[extract]``
    under ``corpus build``, which reads PDFs with the bundled tolerances) would otherwise be
    silently not applied. Unknown tables and bad values are the command's own reading's to
    refuse."""
    from ._compat import tomllib
    from .settings import SECTIONS

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # the command's own reading says what is wrong with the file
    unread = [k for k, v in data.items() if isinstance(v, dict) and k in SECTIONS]
    unread = [k for k in unread if k not in reads]
    if unread:
        tables = " ".join(f"[{k}]" for k in unread)
        warnings.warn(
            TextkitWarning(
                f"{path}: {tables} not read by '{command}' (it reads "
                f"{' '.join(f'[{k}]' for k in reads)}): those values are not used here"
            ),
            stacklevel=2,
        )


def _standard_output(ctx: click.Context, param: click.Parameter, value: Path | None):
    """``-o -``: standard output, as Unix tools read it (the same as leaving -o out)."""
    return None if value is not None and str(value) == "-" else value


def _reviewed_folder(ctx: click.Context, param: click.Parameter, value: Path | None):
    """A ``--mappings`` folder given on the command line that does not exist keeps no decision:
    say so (a typo, ``--mappings mapping``, would otherwise give a map as if nothing had been
    reviewed). Left at its default, a folder not there yet is a project before any review."""
    from click.core import ParameterSource

    given = ctx.get_parameter_source(param.name or "") is ParameterSource.COMMANDLINE
    if value is not None and given and not value.exists():
        here = Path("mappings")
        hint = (
            " (mappings/ here holds reviewed maps: is that the folder meant?)"
            if here.is_dir() and here.resolve() != value.resolve()
            else ""
        )
        warnings.warn(
            TextkitWarning(
                f"--mappings {value}: no such folder, so no reviewed decision is kept (the "
                f"output is as if nothing had been reviewed){hint}"
            ),
            stacklevel=2,
        )
    return value


def _a_file(ctx: click.Context, param: click.Parameter, value: Path | None):
    """``-`` (standard output) where a command writes a workbook, a database or several files."""
    if value is not None and str(value) == "-":
        raise click.BadParameter(
            "this command writes files, not standard output (-): name a file", ctx, param
        )
    return value


def _usage_error(ctx: click.Context, exc: click.UsageError) -> NoReturn:
    """One line naming the problem and where help is (click would print the usage block, a
    "Try …" line and ``Error: …``). ``textkit`` alone still shows the help (click raises that as
    a usage error too)."""
    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        raise exc
    where = (exc.ctx or ctx).command_path
    message = " ".join(exc.format_message().split()).rstrip(".")
    click.echo(f"error: {message} (see '{where} --help')", err=True)
    ctx.exit(exc.exit_code)


# Commands that show progress of their own (rich allows one live display at a time).
_OWN_PROGRESS = {"demo", "corpus"}


def _busy(ctx: click.Context):
    """A spinner with the elapsed time on stderr while a command runs (aligning a large table or
    reading a long PDF takes from seconds to minutes); shown only on a terminal, gone when done."""
    args = [*getattr(ctx, "_protected_args", []), *ctx.args]
    name = args[0] if args and not args[0].startswith("-") else None
    if name is None or name in _OWN_PROGRESS or not sys.stderr.isatty():
        return contextlib.nullcontext()
    return _spinner(f"textkit {name}")


@contextlib.contextmanager
def _spinner(what: str):
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        bar.add_task(f"{what}: working…", total=None)
        yield


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="textkit")
def main() -> None:
    """textkit: read Japanese strategy documents (総合戦略) and map their continuity."""


def _table_output(
    help: str, required: bool = False
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``-o/--output FILE`` of a command writing one table, passed as ``output``: ``-`` (or, where
    not required, none) is standard output (``_standard_output``)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path),
        required=required,
        callback=_standard_output,
        help=help,
    )


def _reviewed_maps_option(help: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """``--mappings DIR`` (default mappings/) of a command whose map keeps the pair's reviewed
    decisions, passed as ``mappings``; a folder given that does not exist is named
    (``_reviewed_folder``)."""
    return click.option(
        "--mappings",
        type=click.Path(path_type=Path, file_okay=False),
        default="mappings",
        show_default=True,
        callback=_reviewed_folder,
        help=help,
    )


# The PDF reader's tolerances (pdf.ExtractSettings) for the commands that read one document.
_extract_settings = _settings_option(
    "TOML file whose [extract] table overrides the PDF reader's tolerances.", ("extract",)
)


@main.command()
@click.argument("document", type=click.Path(path_type=Path))
@_table_output("Write the text here (- or none: standard output).")
@_extract_settings
def extract(document: Path, output: Path | None, settings_path: Path | None) -> None:
    """Print the cleaned text of DOCUMENT (PDF, .txt, .md), page by page.

    Example: textkit extract corpora/otaru_2nd_strategy.pdf -o otaru.txt
    """
    from .sources import read
    from .tables import write_text

    doc = read(document, settings=settings_path)
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
    import time

    from rich.console import Console

    from .demo import open_first, run_demo

    # log_path=False: the source line (cli.py:123) means nothing to the person reading progress
    console = Console(stderr=True, log_path=False)
    start = time.perf_counter()

    def progress(message: str) -> None:
        console.log(f"[bold]{message}[/bold] ({time.perf_counter() - start:.1f} s)")

    with console.status("working…"):
        paths = run_demo(root.resolve(), progress=progress)

    def shown(path: Path) -> Path:
        return path.relative_to(root.resolve()) if path.is_absolute() else path

    for path in paths:
        click.echo(f"wrote {shown(path)}")
    first = open_first(paths)
    if first:
        click.echo("open first: " + " and ".join(str(shown(p)) for p in first))


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path))
@_table_output(
    "pairs.csv, .json or .xlsx (formats §6); - for CSV on standard output.", required=True
)
@click.option("--top", default=3, show_default=True, help="Counterparts per measure and document.")
@_settings_option(
    "TOML file whose [counterparts] table overrides data/counterparts.toml.", ("counterparts",)
)
def compare(
    documents: tuple[Path, ...], output: Path | None, top: int, settings_path: Path | None
) -> None:
    """For every measure, its closest counterparts in each other document.

    Example: textkit compare otaru.csv corpora/tomakomai_3rd_deck_2024.txt -o pairs.csv --top 3
    """
    from .formats import write_counterparts
    from .pipeline import compare as _compare

    pairs = _compare(*documents, top=top, settings=settings_path)
    if output is None:  # -o -
        from .formats import COUNTERPART_COLUMNS, COUNTERPART_EXTRA, counterpart_rows

        _print_csv(COUNTERPART_COLUMNS + COUNTERPART_EXTRA, counterpart_rows(pairs))
        click.echo(plural(len(pairs), "row"), err=True)
        return
    click.echo(f"wrote {write_counterparts(pairs, output)} ({plural(len(pairs), 'row')})")


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    callback=_a_file,
    help="themes.csv/.xlsx/.json; the city × theme matrix goes beside it (_by_city).",
)
@click.option(
    "--scheme", type=click.Path(path_type=Path), help="Theme rules (TOML); default: bundled."
)
@_settings_option(
    "TOML file whose [themes] (and [counterparts]) tables override data/theme_settings.toml.",
    ("themes", "counterparts"),
)
def themes(
    documents: tuple[Path, ...], output: Path, scheme: Path | None, settings_path: Path | None
) -> None:
    """Classify every measure into policy themes; mark measures shared with another document.

    Example: textkit themes otaru.csv tomakomai.csv -o reports/themes.csv
    """
    from .pipeline import load_compared
    from .settings import CounterpartSettings, ThemeSettings, resolve_as
    from .themes import classify, load_scheme, write_themes

    checked = resolve_as(ThemeSettings, settings_path, ThemeSettings.section)
    vectors = resolve_as(CounterpartSettings, settings_path, CounterpartSettings.section)
    table = classify(
        load_compared(documents),
        scheme=load_scheme(scheme),
        settings=checked,
        counterparts=vectors,
    )
    for path in write_themes(table, output):
        click.echo(f"wrote {path}")


@main.command("kpis-compare")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@_table_output("audit.csv, .json or .xlsx (formats §4); - or none: CSV on standard output.")
@click.option(
    "--map",
    "map_path",
    type=click.Path(path_type=Path),
    help="Measure continuity map (formats §3) saying which measures continue; default: computed.",
)
@_reviewed_maps_option(
    "Folder of reviewed maps: the computed measure map keeps the pair's reviewed decisions "
    "(and weights fitted there), as align does. Not with --map."
)
@_settings_option(
    "TOML file whose [audit] table overrides the matcher's thresholds (data/audit.toml) and "
    "whose [align] table the aligner of the computed measure map (data/align.toml).",
    ("align", "audit"),
)
@click.option("--old-label", help="What to call OLD's edition in the workbook (default: 第N期).")
@click.option("--new-label", help="What to call NEW's edition in the workbook (default: 第N期).")
def kpis_compare(
    old: Path,
    new: Path,
    output: Path | None,
    map_path: Path | None,
    mappings: Path,
    settings_path: Path | None,
    old_label: str | None,
    new_label: str | None,
) -> None:
    """Audit the KPIs of OLD against NEW: kept, target_changed, dropped or new (formats §4).
    OLD/NEW: documents or KPI tables. Which measures continue: --map, else the map align makes
    (decisions reviewed under --mappings kept). Without -o the audit is printed as CSV.

    Example: textkit kpis-compare otaru_2nd_kpis.csv otaru_3rd_kpis.csv -o audit.xlsx
    """
    from .formats import AUDIT_COLUMNS, AUDIT_EXTRA, audit_rows, read_map, write_audit
    from .pipeline import audit_kpis
    from .sources import load_kpi_source

    given = click.get_current_context().get_parameter_source("mappings")
    if map_path and given is click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError(
            "--map is the measure map itself; --mappings keeps reviewed decisions in a map "
            "textkit computes: give one of them"
        )
    cmap = read_map(map_path) if map_path else None
    old_s, new_s = load_kpi_source(old), load_kpi_source(new)
    audit = audit_kpis(old_s, new_s, cmap=cmap, settings=settings_path, mappings_dir=mappings)
    if output and output.suffix.lower() == ".xlsx":  # for staff: Japanese headers and words
        from .render import write_audit_workbook
        from .workbook import edition_labels

        labels = edition_labels(old_s, new_s, old_label, new_label)
        click.echo(f"wrote {write_audit_workbook(audit, output, cmap, labels)}", err=True)
    elif output:
        click.echo(f"wrote {write_audit(audit, output)}", err=True)
    else:
        _print_csv(AUDIT_COLUMNS + AUDIT_EXTRA, audit_rows(audit))


@main.command()
@click.argument("kpis", type=click.Path(path_type=Path))
@click.argument("results", type=click.Path(path_type=Path))
@_table_output("attainment.csv, .json or .xlsx (formats §7); - or none: CSV on stdout.")
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    help="The previous edition's KPIs (document or KPI table): its reworded KPIs continue their "
    "series under this edition's names.",
)
@_settings_option(
    "TOML file whose [attainment] table (data/attainment.toml) and [audit] table (the "
    "matcher that pairs names, data/audit.toml) override the defaults.",
    ("attainment", "audit"),
)
def attainment(
    kpis: Path,
    results: Path,
    output: Path | None,
    previous: Path | None,
    settings_path: Path | None,
) -> None:
    """How far each KPI of KPIS got (達成度) by the results a 効果検証 reports (formats §7).
    KPIS: a strategy document or KPI table. RESULTS: a results table (.csv/.xlsx/.json) in long
    form (name, fiscal_year, actual_raw) or wide form (one column per year: 2022, R4, 令和4年度).
    attainment is on the latest reported value (formats §7); status (達成 / 未達) on the values up
    to each KPI's target year (compared_value).

    Example: textkit attainment kpis.csv results.xlsx -o attainment.xlsx
    """
    from .formats import ATTAINMENT_COLUMNS, ATTAINMENT_EXTRA, attainment_rows, write_attainment
    from .kpi_attainment import STATUS_JA
    from .pipeline import attainment as _attainment

    # warnings: one line each on stderr
    table = _attainment(kpis, results, previous=previous, settings=settings_path)
    counts = "・".join(f"{STATUS_JA[s]} {n}" for s, n in table.counts().items())
    if output:
        click.echo(f"wrote {write_attainment(table, output)} ({counts})", err=True)
    else:
        _print_csv(ATTAINMENT_COLUMNS + ATTAINMENT_EXTRA, attainment_rows(table))
        click.echo(counts, err=True)


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@_table_output("map.csv/.json/.xlsx; - or none: CSV on stdout.")
@_settings_option("AlignSettings TOML.", ("align",))
@click.option(
    "--reviewed", type=click.Path(path_type=Path), help="Map whose reviewed rows are kept."
)
@click.option("--no-stated", is_flag=True, help="Ignore the correspondence NEW states itself.")
@_reviewed_maps_option("Folder of reviewed maps: the pair's reviewed decisions there are kept.")
def align(
    old: Path,
    new: Path,
    output: Path | None,
    settings_path: Path | None,
    reviewed: Path | None,
    no_stated: bool,
    mappings: Path,
) -> None:
    """Map how OLD's measures continue in NEW: kept, merged, split, new, dropped (formats §3).
    Decisions reviewed earlier (textkit review apply) are kept; only the rest is proposed.

    Example: textkit align otaru_2nd.csv otaru_3rd.csv -o reports/otaru_map.xlsx
    """
    from .formats import MAP_COLUMNS, MAP_EXTRA, map_rows, read_map, write_map
    from .pipeline import align as _align
    from .settings import resolve

    cmap = _align(
        old,
        new,
        settings=resolve(settings_path),
        reviewed=read_map(reviewed) if reviewed else None,
        use_stated=not no_stated,
        mappings_dir=mappings,
    )
    if output:
        click.echo(f"wrote {write_map(cmap, output)} ({plural(len(cmap.links), 'row')})", err=True)
    else:
        _print_csv(MAP_COLUMNS + MAP_EXTRA, map_rows(cmap))


@main.command()
@click.argument(
    "mappings",
    required=False,
    default="mappings",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
)
@_settings_option("AlignSettings TOML.", ("align",))
def fit(mappings: Path, settings_path: Path | None) -> None:
    """Re-fit how much each similarity signal counts, from the bundled gold pairs and every
    decision applied to a reviewed map in MAPPINGS (default mappings/) by 'review apply'
    (承認 / 修正 / 却下), re-reading the two documents each map was reviewed on; writes
    MAPPINGS/align_weights.json, which align and report then use.

    Example: textkit fit mappings/
    """
    from .pipeline import fit as _fit

    path, weights, warnings = _fit(mappings, settings=settings_path)
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    coef = ", ".join(f"{n} {c:+.2f}" for n, c in weights.coef.items())
    click.echo(f"wrote {path} ({weights.source}): intercept {weights.intercept:+.2f}; {coef}")


@main.command()
@click.argument("cmap", metavar="MAP", type=click.Path(path_type=Path))
@click.argument("gold", type=click.Path(path_type=Path))
def evaluate(cmap: Path, gold: Path) -> None:
    """Link precision, recall, F1 and relation accuracy of MAP against a GOLD map (formats §3).

    Example: textkit evaluate map.csv tests/cases/align/tomakomai/gold.csv
    """
    from .evaluate import evaluate as _evaluate

    click.echo(_evaluate(cmap, gold).summary())


@main.group()
def corpus() -> None:
    """Build and query the corpus database (DuckDB) of every document in corpora/index.csv."""


@corpus.command("build")
@click.argument("index", type=click.Path(path_type=Path), default="corpora/index.csv")
@click.option(
    "-o",
    "--db",
    type=click.Path(path_type=Path),
    default="corpora/corpus.duckdb",
    show_default=True,
    callback=_a_file,
    help="DuckDB file to write (-o as in the other commands).",
)
@click.option("--workers", default=2, show_default=True, help="Local worker processes.")
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786) instead of local.")
@click.option("--top", default=5, show_default=True, help="Counterparts stored per measure.")
@click.option(
    "--mappings",
    type=click.Path(path_type=Path, file_okay=False),
    callback=_reviewed_folder,
    help="Folder of reviewed maps (textkit review apply) whose decisions the corpus maps keep.",
)
@click.option(
    "--cache",
    type=click.Path(path_type=Path, file_okay=False),
    default=".textkit-cache",
    show_default=True,
    help="Folder of parsed files, keyed by content (unchanged files are not parsed again).",
)
@_settings_option(
    "TOML file whose [align], [audit], [counterparts], [themes] and [attainment] tables "
    "override the defaults (textkit/data/*.toml).",
    ("align", "audit", "counterparts", "themes", "attainment"),
)
def corpus_build(
    index: Path,
    db: Path,
    workers: int,
    scheduler: str | None,
    top: int,
    mappings: Path | None,
    cache: Path,
    settings_path: Path | None,
) -> None:
    """Parse every listed file in parallel (cached by content) and write the database: documents
    (a PDF and its text are one document), measures, KPIs, themes, counterparts, continuity maps
    and KPI audits between editions of a city's plan, attainment where results are listed.

    Example: textkit corpus build corpora/index.csv --db corpora/corpus.duckdb --workers 2
    """
    from rich.progress import Progress

    from .corpus import build_corpus
    from .settings import AllSettings

    stages = AllSettings.resolve(settings_path)  # checked before anything is read
    with Progress(transient=True) as bar:
        task = bar.add_task("parsing documents", total=None)
        s = build_corpus(
            index,
            db=db,
            workers=workers,
            scheduler=scheduler,
            top=top,
            mappings_dir=mappings,
            cache_dir=cache,
            settings=stages,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    n = plural
    click.echo(
        f"wrote {s.db}: {n(s.documents, 'document')} ({s.synthetic} synthetic) from "
        f"{n(s.files, 'file')} ({s.parsed} parsed, {s.cached} cached, {s.skipped} not read), "
        f"{n(s.measures, 'measure')}, {n(s.kpis, 'KPI')}, {n(s.counterparts, 'counterpart')}, "
        f"{n(s.links, 'continuity link')}, {n(s.kpi_changes, 'KPI audit row')}, "
        f"{n(s.attainment, 'attainment row')}"
    )


@corpus.command("schema")
def corpus_schema() -> None:
    """Print every table and column of the corpus database, with what it holds (Markdown).

    Example: textkit corpus schema
    """
    from .corpus import schema_markdown

    click.echo(schema_markdown())


@corpus.command("export")
@click.option(
    "--db", type=click.Path(path_type=Path), default="corpora/corpus.duckdb", show_default=True
)
@click.option(
    "--parquet",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write one <table>.parquet per table and view into.",
)
def corpus_export(db: Path, folder: Path) -> None:
    """Write the corpus database's tables as Parquet files, for pandas, polars or DuckDB.

    Example: textkit corpus export --parquet corpora/parquet
    """
    from .corpus import export_parquet

    written = export_parquet(db, folder)
    click.echo(f"wrote {plural(len(written), 'Parquet file')} to {folder}")
    # pandas reads Parquet only through pyarrow or fastparquet, which textkit does not install
    # (README, Corpus database): say what works with what is installed.
    example = (folder / "measures.parquet").as_posix()
    click.echo(
        f"read them with DuckDB (installed with textkit): "
        f"duckdb.read_parquet('{example}').df() gives a pandas DataFrame; "
        "pandas.read_parquet needs pyarrow or fastparquet, which textkit does not install "
        "(pip install pyarrow)",
        err=True,
    )


@corpus.command("query")
@click.argument("sql")
@click.option(
    "--db", type=click.Path(path_type=Path), default="corpora/corpus.duckdb", show_default=True
)
def corpus_query(sql: str, db: Path) -> None:
    """Run one SQL query on the corpus database and print the result as CSV.

    Example: textkit corpus query "SELECT doc, primary_theme, count(*) FROM measures GROUP BY ALL"
    """
    from .corpus import query
    from .tables import csv_table

    columns, rows = query(db, sql)
    sys.stdout.write(csv_table(columns, rows))


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "--xlsx",
    type=click.Path(path_type=Path),
    callback=_a_file,
    help="Write the review workbook here.",
)
@click.option(
    "--html", type=click.Path(path_type=Path), callback=_a_file, help="Write the HTML report here."
)
@click.option(
    "--mappings",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of reviewed maps; their decisions are kept [default: the one the workbook at "
    "--xlsx was made from, when it exists; else mappings/].",
)
@click.option(
    "--results",
    type=click.Path(path_type=Path),
    help="効果検証 results table (formats §7): adds the KPI 達成状況 sheet and charts.",
)
@click.option(
    "--old-kpis",
    type=click.Path(path_type=Path),
    help="KPI table (formats §2) of OLD, for the KPI監査 sheet when OLD has no KPIs of its own.",
)
@click.option(
    "--new-kpis",
    type=click.Path(path_type=Path),
    help="KPI table (formats §2) of NEW, for the KPI監査 sheet when NEW has no KPIs of its own.",
)
@click.option("--old-label", help="What to call OLD's edition (default: 第N期 from the document).")
@click.option("--new-label", help="What to call NEW's edition (default: 第N期 from the document).")
@_settings_option(
    "TOML file whose [align], [audit] and [attainment] tables override data/align.toml, "
    "audit.toml and attainment.toml.",
    ("align", "audit", "attainment"),
)
def report(
    old: Path,
    new: Path,
    xlsx: Path | None,
    html: Path | None,
    mappings: Path | None,
    results: Path | None,
    old_kpis: Path | None,
    new_kpis: Path | None,
    old_label: str | None,
    new_label: str | None,
    settings_path: Path | None,
) -> None:
    """Align OLD → NEW, audit KPIs, write an Excel workbook to review and/or an HTML report.
    With --results, both show how far each KPI got (達成 / 未達 / 実績なし).

    Example: textkit report otaru_2nd.pdf otaru_3rd.pdf --xlsx reports/otaru.xlsx --html reports/otaru.html
    """
    from .pipeline import make_report

    if not xlsx and not html:
        raise click.UsageError("give --xlsx PATH and/or --html PATH")

    def warn(message: str) -> None:
        click.echo(f"warning: {message}", err=True)

    for path in make_report(
        old,
        new,
        xlsx=xlsx,
        html=html,
        mappings_dir=mappings,
        results=results,
        warn=warn,
        old_kpis=old_kpis,
        new_kpis=new_kpis,
        old_label=old_label,
        new_label=new_label,
        settings=settings_path,
    ):
        click.echo(f"wrote {path}")


@main.group()
def review() -> None:
    """Apply the decisions staff made in a review workbook (確認: 承認 / 修正 / 却下 / 保留)."""


@review.command("apply")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--mappings",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder holding the reviewed maps [default: the one the workbook was made from, "
    "when it still exists; else mappings/].",
)
def review_apply(workbook: Path, mappings: Path | None) -> None:
    """Record WORKBOOK's 確認/備考 decisions in the pair's reviewed map (earlier decisions stay;
    rows decided by someone else since the workbook was made are skipped and named).

    Example: textkit review apply reports/otaru.xlsx --mappings mappings
    """
    from .review import apply_workbook

    result = apply_workbook(workbook, mappings)
    for skipped in result.skipped:
        click.echo(f"warning: skipped {skipped}", err=True)
    for note in result.warnings:
        click.echo(f"warning: {note}", err=True)
    for merged in result.merged_rows:
        click.echo(f"note: {merged}", err=True)
    for chosen in result.chosen_relations:
        click.echo(f"note: {chosen}", err=True)
    for link in result.superseded:
        click.echo(f"note: {link} (新規/廃止) was replaced by a link this workbook adds", err=True)
    click.echo(result.summary(workbook))


@main.command()
@click.argument("document", type=click.Path(path_type=Path))
@_table_output(".csv, .xlsx or .json (- or none: CSV on standard output)")
@_extract_settings
@click.option(
    "--explain",
    is_flag=True,
    help="Print the inferred outline (which numbering became goal / measure / item, and why) "
    "instead of the CSV; for a measure table, which columns and rows were read.",
)
def parse(document: Path, output: Path | None, settings_path: Path | None, explain: bool) -> None:
    """Write the measures of DOCUMENT (PDF, .txt, .md) as a measure table (formats §1);
    without -o, print CSV. A one-line summary goes to stderr (4 goals, 7 measures, 19 KPIs;
    1 measure without KPIs); measures found incomplete say so in the ``warning`` column.

    Example: textkit parse corpora/otaru_2nd_strategy.md -o measures.csv
    """
    from .extract import sniff_kind
    from .formats import MEASURE_COLUMNS, MEASURE_EXTRA, measure_rows, write_measures
    from .sources import parse as _parse

    if sniff_kind(document) == "measures":
        strategy = _parse(document, settings=settings_path)
        if explain:  # a table has no outline to infer: say what was read from it
            from .formats import explain_measure_table

            click.echo(explain_measure_table(document))
            if not output:
                return
    else:
        from .sources import read, with_damage
        from .structure import explain as _explain
        from .structure import parse_explained, summary

        doc = read(document, settings=settings_path)
        parsed = parse_explained(doc)
        strategy = with_damage(parsed.strategy, doc)  # what damaged pages may have cut
        if explain:
            click.echo(_explain(parsed))
            if not output:
                return
        else:
            click.echo(summary(strategy), err=True)
            if parsed.overview and "disagrees" in parsed.overview:
                click.echo(parsed.overview, err=True)
    if output:
        click.echo(f"wrote {write_measures(strategy.measures, output)}", err=True)
    else:
        _print_csv(MEASURE_COLUMNS + MEASURE_EXTRA, measure_rows(strategy.measures))


@main.command()
@click.argument("document", type=click.Path(path_type=Path))
@_table_output(".csv, .xlsx or .json (- or none: CSV on standard output)")
def kpis(document: Path, output: Path | None) -> None:
    """Write the KPIs of DOCUMENT (数値目標 and 重要業績評価指標) as a KPI table (formats §2);
    without -o, print CSV. DOCUMENT may also be a KPI table (to convert CSV ↔ XLSX ↔ JSON).

    Example: textkit kpis corpora/otaru_2nd_strategy.md -o kpis.csv
    """
    from .formats import KPI_COLUMNS, KPI_EXTRA, kpi_rows, write_kpis
    from .sources import load_kpi_source

    strategy = load_kpi_source(document)  # a document, or a KPI table; no KPIs is an error
    if output:
        click.echo(f"wrote {write_kpis(strategy.kpis, output)}", err=True)
    else:
        _print_csv(KPI_COLUMNS + KPI_EXTRA, kpi_rows(strategy.kpis))


def _print_csv(columns, rows) -> None:
    from .formats import NUMERIC_COLUMNS
    from .tables import csv_text

    sys.stdout.write(csv_text(columns, rows, numeric=NUMERIC_COLUMNS))


if __name__ == "__main__":  # pragma: no cover
    main()
