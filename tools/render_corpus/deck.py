"""The Tomakomai 第3期 deck: nine A4 landscape slides reconstructed from
``tomakomai_3rd_deck_2024.txt`` (opinion table, population vision, goal panels with vertical
labels and fake-bold overprint, schedule). The slides' long texts are data (``deck_text.toml``);
every string drawn is checked against the seed (``S``)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from . import TOMAKOMAI_TXT
from .layout import (
    BLACK,
    BLUE_LIGHT,
    BLUE_PALE,
    BOLD,
    GRAY,
    NAVY,
    PLAIN,
    SDG_COLOURS,
    WHITE,
    Truth,
    atoms_of,
    atoms_text,
    atoms_w,
    baseline_in,
    draw_atoms,
    draw_str,
    new_canvas,
    text_w,
    wrap,
    write_truth,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# --------------------------------------------------------------------------------------------
# Tomakomai: slide deck
# --------------------------------------------------------------------------------------------

# The slides' long texts (opinion table, goal panels, schedule), word for word from the seed.
_TEXT = tomllib.loads((Path(__file__).parent / "deck_text.toml").read_text(encoding="utf-8"))


def _goal(g: dict) -> dict:
    """One goal panel's text in the shape ``goal_panel`` draws."""
    out = {
        "title": g["title"],
        "dir": g["directions"],
        "kpi": g["kpi"],
        "measures": [(m["title"], m["text"], m["previous"]) for m in g["measure"]],
        "groups": g["groups"],
    }
    if "note" in g:
        out["note"] = g["note"]
    return out


LW, LH = landscape(A4)
SM = 36.0  # slide margin

_SEED_000 = ""


def S(s: str) -> str:
    """A string taken from the Tomakomai seed: assert it is there (ignoring line breaks)."""
    flat = re.sub(r"\s+", "", _SEED_000)
    if re.sub(r"\s+", "", s) not in flat:
        raise AssertionError(f"not in the Tomakomai seed: {s!r}")
    return s


class Deck:
    def __init__(self, c: canvas.Canvas, truth: Truth) -> None:
        self.c = c
        self.truth = truth
        self.page = 0
        self.geometry: dict = {}

    def slide(self, title: str | None = None, band: str | None = None, number=True) -> float:
        """Start a slide; returns the y of the top of the content area."""
        c = self.c
        if self.page:
            c.showPage()
        self.page += 1
        y = LH - 14
        if band:
            c.setFillColorRGB(*NAVY)
            c.rect(0, LH - 40, LW * 0.80, 28, stroke=0, fill=1)
            draw_str(c, SM, LH - 31, band, 14, WHITE, bold=False, double=True)
            self.truth.line(self.page, band)
            y = LH - 46
        if title:
            draw_str(c, SM, y - 26, title, 18, NAVY, double=True)
            self.truth.line(self.page, title)
            c.setStrokeColorRGB(*NAVY)
            c.setLineWidth(1.5)
            c.line(SM, y - 34, LW - SM, y - 34)
            y -= 42
        if number:
            c.setStrokeColorRGB(*GRAY)
            c.setLineWidth(0.5)
            c.line(SM, 26, LW - SM, 26)
            draw_str(c, LW - SM, 12, str(self.page), 9, GRAY, align="right")
        return y

    def line(self, x, y, text, size, color=BLACK, bold=False, double=False, align="left") -> None:
        draw_str(self.c, x, y, text, size, color, bold, double, align)
        self.truth.line(self.page, text)

    def para(self, x, top, width, text, size, lead, color=BLACK, prefix="", bold=False) -> float:
        """Wrapped paragraph with an optional hanging prefix; returns the y below it."""
        st = BOLD if bold else PLAIN
        atoms = atoms_of(prefix, st) + atoms_of(text, st)
        hang = atoms_w(atoms_of(prefix), size)
        lines = wrap(atoms, [width, width - hang], size)
        bid = self.truth.block()
        for i, ln in enumerate(lines):
            draw_atoms(
                self.c,
                x + (hang if i else 0),
                baseline_in(top - i * lead, lead, size),
                ln,
                size,
                color,
            )
            self.truth.add(self.page, bid, atoms_text(ln))
        return top - len(lines) * lead

    def para_grid(self, x, base0, pitch, width, text, size, color=BLACK, prefix="") -> int:
        """Wrapped paragraph whose line i has its baseline at base0 - i*pitch; returns lines."""
        atoms = atoms_of(prefix) + atoms_of(text)
        hang = atoms_w(atoms_of(prefix), size)
        lines = wrap(atoms, [width, width - hang], size)
        bid = self.truth.block()
        for i, ln in enumerate(lines):
            draw_atoms(self.c, x + (hang if i else 0), base0 - i * pitch, ln, size, color)
            self.truth.add(self.page, bid, atoms_text(ln))
        return len(lines)

    def vertical(self, x_center, baselines, text, size, color=BLACK) -> None:
        """One character per line, every character at the same x (a vertical label)."""
        for ch, y in zip(text, baselines, strict=True):
            draw_str(self.c, x_center, y, ch, size, color, align="center")
        self.truth.line(self.page, text)

    def box(self, x, y, w, h, fill=BLUE_PALE, stroke=NAVY, lw=0.8, r=4):
        c = self.c
        c.setFillColorRGB(*fill)
        if stroke:
            c.setStrokeColorRGB(*stroke)
        c.setLineWidth(lw)
        c.roundRect(x, y, w, h, r, stroke=1 if stroke else 0, fill=1 if fill else 0)


# the opinion table ---------------------------------------------------------------------------
OPINIONS = [(o["label"], o["opinions"], o["response"], o["where"]) for o in _TEXT["opinion"]]

OP_COLS = (46.0, 318.0, 348.0, 57.9)  # 分類 / ご意見 / 対応方針 / 該当箇所 (sum = LW - 2*SM)
OP_SIZE, OP_PITCH, OP_LABEL, OP_PAD = 11.5, 16.0, 13.5, 5.0
BULLET = "・"


def opinion_table(d: Deck, top: float, rows) -> None:
    c = d.c
    x0 = SM
    xs = [x0]
    for w in OP_COLS:
        xs.append(xs[-1] + w)
    # header
    hh = 26.0
    c.setFillColorRGB(*NAVY)
    c.setStrokeColorRGB(0.2, 0.2, 0.2)
    c.setLineWidth(0.7)
    c.rect(x0, top - hh, sum(OP_COLS), hh, stroke=1, fill=1)
    heads = ["分類", "委員からの主なご意見", "市の対応方針", "該当箇所"]
    for k, h in enumerate(heads):
        draw_str(c, (xs[k] + xs[k + 1]) / 2, top - 17.5, h, 11.5, WHITE, bold=True, align="center")
    d.truth.line(d.page, "\t".join(heads))
    y = top - hh
    geo = d.geometry.setdefault(
        "opinion_label_column",
        {
            "x0": xs[0],
            "x1": xs[1],
            "x_center": (xs[0] + xs[1]) / 2,
            "size": OP_LABEL,
            "pitch": OP_PITCH,
            "slides": [],
        },
    )
    if d.page not in geo["slides"]:
        geo["slides"].append(d.page)
    for label, opinions, response, ref in rows:
        S(label)
        for o in opinions:
            S(o)
        S(response)
        wo = OP_COLS[1] - 2 * OP_PAD
        wr = OP_COLS[2] - 2 * OP_PAD
        bw = text_w(BULLET, OP_SIZE)
        op_lines = []
        for o in opinions:
            op_lines += wrap(atoms_of(BULLET + o), [wo, wo - bw], OP_SIZE)
        rs_lines = wrap(atoms_of(BULLET + response), [wr, wr - bw], OP_SIZE)
        n = max(len(op_lines), len(rs_lines), len(label) + 1)
        h = n * OP_PITCH + 2 * OP_PAD
        c.setStrokeColorRGB(0.2, 0.2, 0.2)
        c.setLineWidth(0.7)
        for k in range(4):
            c.setFillColorRGB(*(BLUE_LIGHT if k == 0 else WHITE))
            c.rect(xs[k], y - h, OP_COLS[k], h, stroke=1, fill=1)
        b0 = y - OP_PAD - OP_PITCH + 4.0  # baseline of content line 0 (grid: OP_PITCH)
        # vertical label: characters on the half-lines of the grid, so that no character of the
        # label shares a text line with the cells on its right
        k0 = (n - len(label) - 1) // 2
        label_bases = [b0 - (k0 + j + 0.5) * OP_PITCH for j in range(len(label))]
        d.vertical((xs[0] + xs[1]) / 2, label_bases, label, OP_LABEL, NAVY)
        pieces = []
        for col, lines in ((1, op_lines), (2, rs_lines)):
            for i, ln in enumerate(lines):
                indent = 0 if atoms_text(ln).startswith(BULLET) else bw
                draw_atoms(c, xs[col] + OP_PAD + indent, b0 - i * OP_PITCH, ln, OP_SIZE)
            pieces.append("".join(atoms_text(ln) for ln in lines))
        draw_str(c, (xs[3] + xs[4]) / 2, b0, ref, OP_SIZE, align="center")
        # ground truth: the vertical label was recorded as its own line by d.vertical();
        # re-record the row as one TAB-separated line instead
        d.truth.items.pop()
        d.truth.line(d.page, "\t".join([label, pieces[0], pieces[1], ref]))
        y -= h


# the goal panels -------------------------------------------------------------------------------
GOALS = [_goal(g) for g in _TEXT["goal"]]

GP = 12.5  # grid pitch of a goal panel: every text baseline sits on this grid ...
GP_LABEL = 10.0  # ... and vertical label characters sit on the half-lines
BAND_TEXT = "デジタル技術の活用"


def goal_panel(d: Deck, top: float, bottom: float, g: dict) -> None:
    c = d.c
    band_x0, band_w = SM, 18.0
    x0 = SM + band_w + 8
    x1 = LW - SM
    split = x0 + 440  # left column (第３期) | right column (第２期)
    rows = int((top - bottom) // GP)
    base = lambda r: top - (r + 1) * GP + 2.5  # noqa: E731  (baseline of grid row r)
    # panel frame and the vertical band
    d.box(band_x0, bottom, x1 - band_x0, top - bottom, fill=WHITE, stroke=NAVY, lw=1.0, r=3)
    c.setFillColorRGB(*NAVY)
    c.rect(band_x0, bottom, band_w, top - bottom, stroke=0, fill=1)
    # vertical text starts at the top of the band, on the half-lines of the grid (rows 1.5,
    # 2.5, ...) so that no character shares a text line with the panel text on its right
    d.vertical(
        band_x0 + band_w / 2,
        [base(1 + j) - GP / 2 for j in range(len(BAND_TEXT))],
        S(BAND_TEXT),
        GP_LABEL,
        WHITE,
    )
    # title
    c.setFillColorRGB(*BLUE_LIGHT)
    c.rect(x0 - 2, base(1) - 5, x1 - x0 - 4, 2 * GP, stroke=0, fill=1)
    d.line(x0 + 4, base(1) + 1, S(g["title"]), 13, NAVY, bold=True)
    r = 3
    d.line(x0 + 2, base(r), S("【基本的方向】"), 10, NAVY, bold=True)
    r += 1
    for t in g["dir"]:
        r += d.para_grid(x0 + 8, base(r), GP, x1 - x0 - 12, S(t), 9.5, prefix="〇 ")
    d.line(x0 + 2, base(r), S(g["kpi"]), 10, bold=True)
    r += 1
    hdr = r
    # left column: 第３期 (the 施策)
    d.line(x0 + 2, base(hdr), S("第３期 総合戦略の取組"), 10, NAVY, bold=True)
    r0 = hdr + 1
    sx = x0 + 10
    rs = max(r0 + 1, len(BAND_TEXT) + 1)  # below the band text: never on one line with it
    d.vertical(sx, [base(rs) - GP / 2, base(rs + 2) - GP / 2], "施策", GP_LABEL + 1, NAVY)
    d.geometry.setdefault(
        "goal_panel",
        {
            "band_x_center": band_x0 + band_w / 2,
            "band_size": GP_LABEL,
            "shisaku_x_center": sx,
            "left_col_x": [x0, split - 8],
            "right_col_x": [split, x1],
            "grid_pitch": GP,
        },
    )
    rowpos = []
    rr = r0
    for title, desc, old in g["measures"]:
        rowpos.append(rr)
        d.line(sx + 14, base(rr), S(title), 10.5, bold=True)
        n = d.para_grid(sx + 26, base(rr + 1), GP, split - 16 - (sx + 26), S(desc), 9, color=GRAY)
        rr = max(rr + 1 + n, rr + max(2, len(old)))
    # column rule
    c.setStrokeColorRGB(*NAVY)
    c.setLineWidth(0.6)
    c.line(split - 8, base(rr - 1) - 4, split - 8, base(hdr) + GP - 2)
    # right column: 第２期 取組 that each 施策 continues
    d.line(split, base(hdr), S("第２期 総合戦略の取組"), 10, NAVY, bold=True)
    for pos, (_t, _d, old) in zip(rowpos, g["measures"], strict=True):
        _arrow_left(c, split, base(pos) + 3)  # from the 第２期 取組 to the 施策
        for j, o in enumerate(old):
            d.line(split + 4, base(pos + j), S(o), 9.5)
    rlast = rr
    for j, grp in enumerate(g["groups"]):
        d.line(split, base(rlast + j), S(grp), 8, GRAY)
    if g.get("note"):
        d.line(split, base(rlast + len(g["groups"])), S(g["note"]), 9.5, (0.6, 0.1, 0.1))
    used = rlast + len(g["groups"]) + (1 if g.get("note") else 0)
    assert used <= rows, (g["title"], used, rows)


def _arrow_left(c: canvas.Canvas, split: float, ya: float) -> None:
    """The arrow at height ``ya`` pointing from the right column across the column rule."""
    c.setStrokeColorRGB(*NAVY)
    c.setFillColorRGB(*NAVY)
    c.setLineWidth(0.8)
    c.line(split - 4, ya, split - 20, ya)
    p = c.beginPath()
    p.moveTo(split - 22, ya)
    p.lineTo(split - 16, ya + 3)
    p.lineTo(split - 16, ya - 3)
    p.close()
    c.drawPath(p, stroke=0, fill=1)


def slide_opinions(d: Deck) -> None:
    top = d.slide(
        band=S("0１ ｜第３期人口ビジョン及び総合戦略の骨子(案)に対する意見と対応方針について")
    )
    opinion_table(d, top - 6, OPINIONS[:3])
    top = d.slide(title=S("１．第３期人口ビジョン及び総合戦略の骨子(案)に対する意見と対応方針"))
    opinion_table(d, top - 2, OPINIONS[3:])


def slide_cover(d: Deck) -> None:
    c = d.c
    d.slide(number=False)
    c.setFillColorRGB(*NAVY)
    c.rect(0, LH * 0.42, LW, 170, stroke=0, fill=1)
    d.line(LW / 2, LH * 0.42 + 110, S("苫小牧市総合戦略推進会議"), 30, WHITE, align="center")
    d.line(LW / 2, LH * 0.42 + 50, S("令和６年度第２回会議資料"), 24, WHITE, align="center")
    d.line(LW / 2, LH * 0.42 - 60, S("令和６年11月13日（水）15時00分から"), 16, align="center")
    d.line(LW / 2, LH * 0.42 - 90, S("【苫小牧市役所5階 第２応接室】"), 16, align="center")


def slide_agenda(d: Deck) -> None:
    top = d.slide(title=S("本日の会議内容"))
    items = [
        "１．第３期人口ビジョン及び総合戦略の骨子(案)に対する意見と対応方針について",
        "２．第３期人口ビジョン及び総合戦略（素案）について",
        "３．今後のスケジュールについて",
    ]
    y = top - 60
    for it in items:
        d.box(SM + 60, y - 46, LW - 2 * SM - 120, 52, fill=BLUE_PALE)
        d.line(SM + 84, y - 26, S(it), 17)
        y -= 90


def _h(d: Deck, x: float, y: float, t: str, size: float = 12.5) -> float:
    """A numbered section heading on a slide; returns the y below it."""
    d.line(x, y - size, S(t), size, NAVY, bold=True)
    return y - size - 7


def _sub(d: Deck, x: float, y: float, t: str, size: float = 11) -> float:
    d.line(x + 4, y - size, S(t), size, bold=True)
    return y - size - 6


def slide_population(d: Deck) -> None:
    top = d.slide(
        title=S("２．人口ビジョン（素案）の概要"),
        band=S("0２ ｜第３期人口ビジョン及び総合戦略（素案）について"),
    )
    colw = (LW - 2 * SM - 28) / 2
    xl, xr = SM, SM + colw + 28
    sz, ld = 10, 14.5
    # left column
    y = top - 2
    y = _h(d, xl, y, "１. 計画期間")
    d.line(xl + 16, y - 11, S("令和７年（2025年）～令和42年（2060年）"), 10.5)
    y -= 22
    y = _h(d, xl, y, "２. 人口の現状分析")
    y = _sub(d, xl, y, "（１）人口動向の分析")
    y = (
        d.para(
            xl + 16,
            y,
            colw - 16,
            S(
                "人口減少に関する各種課題の要因を明確にするため、国の人口統計データ等から本市の人口推移の現状や将来推計、産業構造等の把握、分析を実施。"
            ),
            sz,
            ld,
        )
        - 4
    )
    y = _sub(d, xl, y, "（２）市民意識の分析")
    y = d.para(
        xl + 16,
        y,
        colw - 16,
        S(
            "人口減少に関する各種課題の要因を明確にするため、市民に対しアンケート調査を行い、結婚・出産・子育て、経済・雇用等に係る現状や希望の把握、分析等を実施。"
        ),
        sz,
        ld,
    )
    y = (
        d.para(
            xl + 16,
            y,
            colw - 16,
            S(
                "また、第３期から市外住民の移住意向や移住障壁等を把握、分析等を行うために、市外住民向けのアンケートを実施。"
            ),
            sz,
            ld,
        )
        - 8
    )
    y = _h(d, xl, y, "３. 人口の将来展望")
    y = _sub(d, xl, y, "（１）課題解決の方向性")
    y = (
        d.para(
            xl + 16,
            y,
            colw - 16,
            S(
                "総人口の推移や産業構造等の人口動向、市民や学生へのアンケート結果といった現状分析から、本市の課題を抽出し、課題解決の方向性を整理。"
            ),
            sz,
            ld,
        )
        - 4
    )
    for t in [
        "①雇用環境を維持・向上し、若者が就職のため札幌市や首都圏に転出することを抑制する。また、進学などで一度転出した若者のUターンを促進する。",
        "②安心して結婚・子育てしやすい環境を整備することで、結婚・子育て世代の転入を増やし、合計特殊出生率を向上させる。",
        "③域内交通の充実など生活環境を改善し、苫小牧市での暮らしのメリットをPRすることで、交流人口やUIJターンをより増加させる。",
        "④本市への移住を後押しするような移住支援を拡充することで、UIJターンをより増加させる。",
    ]:
        S(t)
        y = d.para(xl + 20, y, colw - 20, t[1:], sz, ld, prefix=t[0]) - 2
    assert y > 34, y
    _population_right(d, top, xr, colw)


def _population_right(d: Deck, top: float, xr: float, colw: float) -> None:
    """The right column of the population slide: simulation boxes, projection table, targets."""
    c = d.c
    y = top - 2
    y = _sub(d, xr - 4, y, "（２）将来展望人口のシミュレーション")
    bw = (colw - 10) / 2
    for k, (head, l1, l2) in enumerate(
        [
            (
                "①合計特殊出生率（自然動態）",
                "2040年までに段階的に引き上げ",
                "（合計特殊出生率 1.41⇒1.80）",
            ),
            ("②純移動率（社会動態）", "移動率ゼロ＋20~30歳代の", "純移動を引き上げ（-1.1％⇒1％）"),
        ]
    ):
        bx = xr + k * (bw + 10)
        d.box(bx, y - 56, bw, 54)
        d.line(bx + 6, y - 15, S(head), 10, NAVY, bold=True)
        d.line(bx + 6, y - 32, S(l1), 9.5)
        d.line(bx + 6, y - 47, S(l2), 9.5)
    y -= 64
    # projected population table
    d.line(xr, y - 10, S("推計値（単位：人）"), 9, GRAY)
    y -= 15
    tw = [130, 130]
    for r, cells in enumerate([["2040年", "2060年"], ["149,921", "125,654"]]):
        x = xr
        for k, cell in enumerate(cells):
            c.setStrokeColorRGB(0.2, 0.2, 0.2)
            c.setLineWidth(0.6)
            c.setFillColorRGB(*(BLUE_LIGHT if r == 0 else WHITE))
            c.rect(x, y - 19, tw[k], 19, stroke=1, fill=1)
            draw_str(c, x + tw[k] / 2, y - 13.5, S(cell), 10, align="center")
            x += tw[k]
        d.truth.line(d.page, "\t".join(cells))
        y -= 19
    y -= 8
    d.line(xr, y - 10.5, S("【①合計特殊出生率の目標】"), 10.5, NAVY, bold=True)
    y -= 16
    y = d.para(
        xr + 6,
        y,
        colw - 6,
        S(
            "令和2年（2020年）に閣議決定した「少子化社会対策大綱」において、基本的な目標として「希望出生率1.8」が掲げられた。"
        ),
        9,
        13,
    )
    y = (
        d.para(
            xr + 6,
            y,
            colw - 6,
            S(
                "また、北海道人口ビジョンにおいても令和12年（2030年）又は令和22年（2040年）に合計特殊出生率が1.8になると仮定して人口推計を行っていることを踏まえ、本市の合計特殊出生率の目標値を1.8とする。"
            ),
            9,
            13,
        )
        - 6
    )
    d.line(xr, y - 10.5, S("【②純移動の目標値】"), 10.5, NAVY, bold=True)
    y -= 16
    y = (
        d.para(
            xr + 6,
            y,
            colw - 6,
            S(
                "転出が多い20歳代と、今後の子育て世代となる可能性の高い30歳代において、平成27（2015年）～令和2年（2020年）までの人口の純移動率が、ʷ1.1％であることと半導体工場やデータセンターの誘致等の企業誘致が加速することから本市の純移動率の目標値を第２期から引き上げ、20歳代～30歳代で1％とし、その他の年代でゼロとする。"
            ),
            9,
            13,
        )
        - 8
    )
    y = _sub(d, xr - 4, y, "（３）人口の将来展望")
    d.box(xr, y - 42, colw, 40, fill=BLUE_LIGHT)
    y = d.para(
        xr + 8,
        y - 6,
        colw - 16,
        S("現在の人口165,758人※ ⇒ 令和22年（2040年）15万人を維持・ 令和42年（2060年）13万人を維持"),
        10.5,
        14.5,
        NAVY,
        bold=True,
    )
    d.line(xr, y - 20, S("※令和6年9月末現在の人口"), 8.5, GRAY)
    assert y - 20 > 34, y


def slide_strategy(d: Deck) -> None:
    top = d.slide(title=S("２．総合戦略（素案）の概要"))
    c = d.c
    colw = (LW - 2 * SM - 28) / 2
    xl, xr = SM, SM + colw + 28
    y = top - 4
    y = _h(d, xl, y, "１. 計画期間")
    d.line(xl + 16, y - 11, S("令和７年度（2025年度）～令和11年度（2029年度）"), 11)
    y -= 26
    y = _h(d, xl, y, "２. 総合戦略の推進により目指す本市の姿")
    d.box(xl + 8, y - 40, colw - 8, 38, fill=BLUE_LIGHT)
    y = (
        d.para(
            xl + 16,
            y - 4,
            colw - 24,
            S(
                "健康で安全な都市環境のもと、世代や性別に関わらず、豊かで明るく誰もが住みやすい「とまこまい」"
            ),
            11,
            15,
            NAVY,
        )
        - 18
    )
    y = _h(d, xl, y, "３. 基本目標")
    y = (
        d.para(
            xl + 16,
            y,
            colw - 16,
            S(
                "本市のこれまでの総合戦略における取組や、国が示す、デジタル技術の活用により、社会課題の解決や魅力の向上に取り組むべき施策の方向を基に、本市の優位性を踏まえつつ課題認識や優先順位を考慮し、新たに４つの基本目標を設定。"
            ),
            10,
            14.5,
        )
        - 8
    )
    for t in [
        "１ 仕事をつくり、安定した雇用環境を整備する",
        "２ 結婚の希望を叶え、安心して出産・子育てができる環境を整備する",
        "３ 本市と関わる機会を創出し、新たな人の流れをつくる",
        "４ 地元の魅力を高め、住みやすい環境を整備する",
    ]:
        d.box(xl + 8, y - 30, colw - 8, 28, fill=NAVY, stroke=None)
        d.line(xl + 16, y - 20, S(t), 11, WHITE, double=True)  # fake bold: drawn twice
        y -= 36
    assert y > 34, y
    y = top - 4
    y = _h(d, xr, y, "４. 施策の体系")
    d.box(xr + 8, y - 84, 130, 80, fill=BLUE_LIGHT, stroke=None, r=10)
    d.line(xr + 73, y - 36, S("４つの基本目標を実現するために"), 8, NAVY, align="center")
    d.line(xr + 73, y - 56, S("12の「施策」を展開"), 11.5, NAVY, bold=True, align="center")
    cats = [
        "第２期総合戦略の事業で継続すべき事業",
        "新たに取組を検討している事業",
        "中\u2fa7期的な視点により検討していくべき事業",
    ]
    for k, t in enumerate(cats):
        by = y - 4 - 28 * (k + 1)
        d.box(xr + 156, by, colw - 156, 24)
        d.line(xr + 164, by + 8, S(t), 10)
    # arrows from the 施策 box to the three categories
    c.setStrokeColorRGB(*NAVY)
    c.setLineWidth(0.8)
    for k in range(3):
        c.line(xr + 138, y - 44, xr + 156, y - 4 - 28 * (k + 1) + 12)
    y -= 102
    y = _h(d, xr, y, "５. ＳＤＧｓの視点による地方創生")
    y = (
        d.para(
            xr + 16,
            y,
            colw - 16,
            S(
                "各施策がＳＤＧｓのどの目標に結びついているのか、見える化を図り、行政の個々の取組が日本はもとより世界が進める持続可能なまちづくりにつながっているのかを共有。"
            ),
            10,
            14.5,
        )
        - 4
    )
    sdg = SDG_COLOURS
    for k, col in enumerate(sdg):
        c.setFillColorRGB(*(int(col[j : j + 2], 16) / 255 for j in (1, 3, 5)))
        c.rect(xr + 16 + k * 21, y - 20, 18, 18, stroke=0, fill=1)
    y -= 34
    y = _h(d, xr, y, "６. 多様性に富んだ社会、安全・安心な地域づくりで地方創生を推進")
    y = d.para(
        xr + 16,
        y,
        colw - 16,
        S(
            "活気あふれる地域をつくるためには、誰もが居場所と役割を持ち、個人として尊重され、その個性と能力を発揮し、活躍できる地域社会を実現することが地方創生を推進する重要なポイント。"
        ),
        10,
        14.5,
    )
    y = d.para(
        xr + 16,
        y,
        colw - 16,
        S(
            "北海道で初めて宣言した「苫小牧市男女平等参画都市宣言」に掲げた、理念を念頭に各種事業を推進。"
        ),
        10,
        14.5,
    )
    assert y > 34, y


def slide_goals(d: Deck, pair) -> None:
    top = d.slide(title=S("７. 「４つの基本目標」と「目標実現のための施策」の概要"))
    bottom = 32.0
    mid = (top - 4 + bottom) / 2
    goal_panel(d, top - 4, mid + 3, pair[0])
    goal_panel(d, mid - 3, bottom, pair[1])


SCHEDULE = [(s["meeting"], s["date"], s["agenda"], s["elsewhere"]) for s in _TEXT["schedule"]]


def slide_schedule(d: Deck) -> None:
    top = d.slide(
        title=S("３.今後のスケジュールについて"), band=S("03 ｜今後のスケジュールについて")
    )
    c = d.c
    widths = [140.0, 90.0, 300.0, LW - 2 * SM - 530.0]
    xs = [SM]
    for w in widths:
        xs.append(xs[-1] + w)
    size, lead, pad = 10.5, 14.5, 5.0
    y = top - 4
    heads = ["Step", "日程", "会議の内容", "国・北海道"]
    c.setFillColorRGB(*NAVY)
    c.setStrokeColorRGB(0.2, 0.2, 0.2)
    c.setLineWidth(0.6)
    c.rect(SM, y - 24, sum(widths), 24, stroke=1, fill=1)
    for k, hd in enumerate(heads):
        draw_str(
            c, (xs[k] + xs[k + 1]) / 2, y - 16.5, S(hd), 11.5, WHITE, bold=True, align="center"
        )
    d.truth.line(d.page, "\t".join(heads))
    y -= 24
    for row in SCHEDULE:
        cells = []
        for k, paras in enumerate(row):
            lines = []
            for p in paras:
                S(p.lstrip("・"))
                w = widths[k] - 2 * pad
                hang = text_w(p[0], size) if p[0] in "・〇" else 0.0
                lines += [
                    (hang if i else 0.0, ln)
                    for i, ln in enumerate(wrap(atoms_of(p), [w, w - hang], size))
                ]
            cells.append(lines)
        h = max(len(x) for x in cells) * lead + 2 * pad
        for k, lines in enumerate(cells):
            c.setFillColorRGB(*(BLUE_LIGHT if k == 0 else WHITE))
            c.rect(xs[k], y - h, widths[k], h, stroke=1, fill=1)
            for i, (indent, ln) in enumerate(lines):
                centred = k < 2 or atoms_text(ln) == "ー"
                lw = atoms_w(ln, size)
                x = (xs[k] + xs[k + 1] - lw) / 2 if centred else xs[k] + pad + indent
                draw_atoms(
                    c,
                    x,
                    baseline_in(y - pad - i * lead, lead, size),
                    ln,
                    size,
                    NAVY if k == 0 else BLACK,
                )
        d.truth.line(
            d.page, "\t".join("".join(atoms_text(ln) for _, ln in lines) for lines in cells)
        )
        y -= h
    d.line(SM, y - 18, S("※ 完成版の公表は令和７年４月１日を予定しております。"), 11)
    assert y - 18 > 30, y


def build_tomakomai(out: Path) -> dict:
    global _SEED_000
    _SEED_000 = TOMAKOMAI_TXT.read_text(encoding="utf-8")
    truth = Truth()
    c = new_canvas(
        out,
        landscape(A4),
        "苫小牧市総合戦略推進会議 令和６年度第２回会議資料",
        "reconstructed from tomakomai_3rd_deck_2024.txt",
    )
    d = Deck(c, truth)
    slide_cover(d)
    slide_agenda(d)
    slide_opinions(d)
    slide_population(d)
    slide_strategy(d)
    slide_goals(d, GOALS[:2])
    slide_goals(d, GOALS[2:])
    slide_schedule(d)
    c.showPage()
    c.save()
    write_truth("tomakomai_3rd_deck", truth)
    return {"pages": d.page, "geometry": d.geometry}
