"""The HTML report in a real browser: headless Debian Chromium via Playwright.

Needs /usr/bin/chromium (``bash scripts/install_browser.sh``; CI runs it before ``make test``).
Under CI=true a missing browser fails; elsewhere the tests skip, saying why (pytest -rs lists
it). Saves a screenshot to reports/screenshots/ for a human to look at (Japanese text, colours,
Sankey layout).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from textkit.models import ContinuityMap, Link, Relation
from textkit.render import write_html

from .conftest import ROOT
from .test_report import comparison, old_side, tomakomai_audit, tomakomai_map, tomakomai_strategy

CHROMIUM = Path("/usr/bin/chromium")
# CI (.ci/run with CI=true) installs the browser first: there a missing browser is a failure.
ON_CI = os.environ.get("CI", "").lower() == "true"
SCREENSHOTS = ROOT / "reports" / "screenshots"


# The flags CI uses for Debian's chromium; the profile directory goes to Playwright's
# launch_persistent_context (it refuses --user-data-dir in args).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if not CHROMIUM.exists():
        missing = (
            f"{CHROMIUM} is not installed: run 'bash scripts/install_browser.sh' (needs apt-get)"
        )
        if ON_CI:
            pytest.fail(f"CI must run the browser tests, but {missing}", pytrace=False)
        pytest.skip(missing)
    if ON_CI:
        import playwright.sync_api as sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    tmp = tmp_path_factory.mktemp("browser")
    s = tomakomai_strategy()
    html = write_html(
        tomakomai_map(),
        tmp / "report.html",
        audit=tomakomai_audit(),
        old=old_side(s),
        new=s,
        comparison=comparison(),
        generated_at=dt.datetime(2024, 11, 13, 10, 0, tzinfo=dt.timezone.utc),
    )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(
            str(tmp / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        pg = browser.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        # Offline: any request leaving the file would be a CDN dependency.
        requests: list[str] = []
        pg.on("request", lambda r: requests.append(r.url))
        pg.goto(html.as_uri())
        pg.wait_for_selector("#sankey svg.main-svg g.sankey")
        pg.wait_for_selector("#heatmap-1 svg.main-svg")
        pg.errors, pg.requests = errors, requests
        yield pg
        browser.close()


def test_sankey_and_tables_render_without_errors(page):
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file:")] == []
    # One Sankey node per measure (19 取組 + 12 施策) plus the （新規）/（廃止） nodes.
    assert page.locator("#sankey g.sankey-node").count() == 19 + 12 + 2
    assert page.locator("#sankey g.sankey-link, #sankey path.sankey-link").count() == 21
    assert page.locator("#map-table tbody tr").count() == 21
    assert page.locator("#kpi-table tbody tr").count() == 5
    assert page.locator("#new-table tbody tr").count() == 1
    assert page.locator("#map-shown").inner_text() == "21 / 21 件"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tomakomai_report.png"), full_page=True)


def test_every_figure_is_drawn_by_the_inlined_bundle(page, tmp_path):
    """The partial plotly.js bundle (textkit/data/plotly-textkit.min.js) draws every figure a
    report has: the Sankey, each link's waterfall (内訳) and the 達成状況 charts (scatter) of the
    Otaru pair with results, the heatmap of the fixture's report."""
    from textkit.pipeline import make_report

    from .conftest import CORPORA, OTARU_MD

    html = tmp_path / "otaru.html"
    make_report(
        OTARU_MD,
        CORPORA / "synthetic" / "otaru_3rd_measures.csv",
        html=html,
        mappings_dir=tmp_path,
        results=ROOT / "tests" / "cases" / "attainment" / "otaru_results_wide.csv",
        warn=lambda _: None,
    )
    pg = page.context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(html.as_uri())
    pg.wait_for_selector("#sankey svg.main-svg g.sankey")
    pg.evaluate("() => document.querySelectorAll('details.waterfall').forEach(d => d.open = true)")
    pg.wait_for_timeout(500)
    count = """() => [document.querySelectorAll('.plotly-graph-div').length,
                      document.querySelectorAll(".js-plotly-plot").length,
                      document.querySelectorAll('details.waterfall g.trace.bars').length,
                      document.querySelectorAll('g.scatterlayer g.trace').length]"""
    divs, drawn, bars, lines = pg.evaluate(count)
    pg.close()
    assert divs > 10 and bars > 0 and lines > 0
    assert drawn >= divs and errors == []
    divs, drawn, *_ = page.evaluate(count)  # the fixture's report: Sankey and heatmap
    assert page.locator("#heatmap-1.js-plotly-plot svg.main-svg").count() >= 1 and drawn >= divs


def test_search_and_relation_filter(page):
    visible = "#map-table tbody tr:visible"
    page.select_option("#map-relation", "merged")
    assert page.locator(visible).count() == 11
    page.fill("#map-search", "若者")
    assert page.locator(visible).count() == 2  # P1 and P2 → G1-M3 若者の地元就職の促進
    assert page.locator("#map-shown").inner_text() == "2 / 21 件"
    page.select_option("#map-relation", "")
    page.fill("#map-search", "")
    assert page.locator(visible).count() == 21
    assert page.errors == []


def test_sankey_labels_lie_inside_the_figure(page):
    """Every node label (and the two edition headers) is drawn whole: none runs past the edge of
    the figure, where the browser cuts it off."""
    boxes = page.evaluate(
        """() => {
        const svg = document.querySelector('#sankey svg.main-svg').getBoundingClientRect();
        return Array.from(document.querySelectorAll('#sankey g.annotation')).map(a => {
            const r = a.getBoundingClientRect();
            return [a.textContent, r.left - svg.left, svg.right - r.right, r.top - svg.top];
        });
    }"""
    )
    assert len(boxes) == 19 + 12 + 2 + 2  # node labels and the 第2期 / 第3期 headers
    cut = [
        (text, round(left), round(right)) for text, left, right, _ in boxes if min(left, right) < 0
    ]
    assert cut == []
    assert all(top >= 0 for *_, top in boxes)
    assert (
        page.locator("h2", has_text="施策の流れ").inner_text()
        == "施策の流れ（苫小牧市 第2期 → 第3期）"
    )


def _mode_bar_and_labels(pg) -> tuple[list[float], list[list]]:
    """The Sankey's mode bar box (shown while the pointer is over the figure) and every label's
    box: [text, left, top, right, bottom]."""
    pg.hover("#sankey svg.main-svg", position={"x": 300, "y": 200}, force=True)
    pg.wait_for_selector("#sankey .modebar", state="visible")
    return pg.evaluate(
        """() => {
        const box = e => { const r = e.getBoundingClientRect();
                           return [r.left, r.top, r.right, r.bottom]; };
        return [box(document.querySelector('#sankey .modebar')),
                Array.from(document.querySelectorAll('#sankey g.annotation'))
                     .map(a => [a.textContent, ...box(a)])];
    }"""
    )


def _under(bar, boxes) -> list[str]:
    return [
        text
        for text, left, top, right, bottom in boxes
        if left < bar[2] and bar[0] < right and top < bar[3] and bar[1] < bottom
    ]


@pytest.mark.parametrize("width", [1280, 800])
def test_the_mode_bar_covers_no_label(page, tmp_path, width):
    """plotly's mode bar (top right, while the pointer is over the figure) lies over no node
    label and no edition header — also when the 第3期 labels are short, so that the header stands
    near the figure's right edge, where the bar is (it covered the 第3期 header there)."""
    short = ContinuityMap(
        "a.csv",
        "b.csv",
        tuple(
            Link(f"{k}", t, f"{k}", t, Relation.KEPT, 0.9)
            for k, t in enumerate(["移住", "子育て", "観光"], 1)
        ),
    )
    html = write_html(short, tmp_path / "short.html", generated_at=dt.datetime(2024, 1, 1))
    pg = page.context.new_page()
    pg.set_viewport_size({"width": width, "height": 900})
    for target in (html, None):  # the short map, then the Tomakomai report of the fixture
        if target is not None:
            pg.goto(target.as_uri())
        else:
            pg.close()
            pg = page
            pg.set_viewport_size({"width": width, "height": 900})
        pg.wait_for_selector("#sankey svg.main-svg g.sankey")
        bar, boxes = _mode_bar_and_labels(pg)
        assert bar[2] - bar[0] > 0 and bar[3] - bar[1] > 0  # it is there
        assert _under(bar, boxes) == [], (bar, boxes)
    page.set_viewport_size({"width": 1280, "height": 900})
