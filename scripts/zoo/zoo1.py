"""The first layout batch (corpora/zoo): invented strategies in real office layouts.

Each plan of ``corpora/zoo/content.py`` is laid out in its own family and written three ways:

* the source (``src/<name>.docx`` / ``.pptx`` made with python-docx / python-pptx, or, for the two
  layouts LibreOffice cannot make — Word-through-Ghostscript overprint and 縦書き — drawn with
  reportlab the way those producers draw them);
* the PDF (``<name>.pdf``: LibreOffice ``soffice --convert-to pdf`` for docx/pptx);
* the gold structure (``<name>.gold.json``): goals, measure titles, item and KPI counts, sample KPI
  values, written from the same plan.

``make zoo`` (not part of ``make test``); the shared parts are ``scripts/zoo/kit.py``. Needs:
LibreOffice (Debian ``libreoffice-writer-nogui libreoffice-impress-nogui``), the IPAex fonts
(Debian ``fonts-ipaexfont``) and the zoo extras python-docx, python-pptx, reportlab.
"""

from __future__ import annotations

import itertools
import sys
from functools import partial

from scripts.zoo import kit
from scripts.zoo.kit import CIRCLED, FONT, FW, KANA, ROMAN

BATCH = kit.Batch("zoo", author="textkit zoo")
sys.path.insert(0, str(BATCH.out))

from content import PLANS, K, M, Plan  # noqa: E402

# This batch wrote East Asian fonts only, and a run into empty paragraphs.
new_docx = partial(kit.new_docx, latin=False, paper="letter")
para = partial(kit.para, empty_run=True)
textbox = kit.textbox
new_pptx = kit.new_pptx


# ── cell text ────────────────────────────────────────────────────────────────


def num(v: float | None) -> str:
    if v is None:
        return "-"
    if float(v).is_integer():
        n = int(v)
        if n < 0:
            return f"▲{-n:,}"
        return f"{n:,}"
    return f"{v}"


def era(year: int | None, *, long: bool = False) -> str:
    if year is None:
        return ""
    if year >= 2019:
        n = year - 2018
        if long:
            return f"令和{'元' if n == 1 else n}年度"
        return f"R{'元' if n == 1 else n}"
    n = year - 1988
    return f"平成{n}年度" if long else f"H{n}"


def unit_text(k: K) -> str:
    return "％" if k.unit == "%" else k.unit


def base_cell(k: K) -> str:
    if k.base is None:
        return "-"
    return (
        f"{num(k.base)}{unit_text(k)}"
        if k.style != "per_year"
        else f"年{num(k.base)}{unit_text(k)}"
    )


def target_cell(k: K) -> str:
    if k.style == "span":
        return f"{k.span_years}年間で{num(k.target)}{unit_text(k)}"
    if k.style == "per_year":
        return f"年{num(k.target)}{unit_text(k)}"
    if k.target == 0 and k.base is not None and k.base < 0:
        return f"±0{unit_text(k)}"
    return f"{num(k.target)}{unit_text(k)}"


def gold_kpi(k: K) -> dict:
    return {
        "name": k.name,
        "baseline_value": None if k.base is None else float(k.base),
        "target_value": None if k.target is None else float(k.target),
        "unit": k.unit,
        "baseline_year": k.base_year,
        "target_year": k.target_year,
    }


def gold(plan: Plan, name: str, family: str, producer: str, kpi_level: str = "measure") -> dict:
    goals = [g.title for g in plan.goals]
    measures = [
        {"goal": gi + 1, "title": m.title, "items": len(m.items), "kpis": len(m.kpis)}
        for gi, g in enumerate(plan.goals)
        for m in g.measures
    ]
    all_kpis = {
        k.name: k
        for g in plan.goals
        for k in (*g.targets, *(x for m in g.measures for x in m.kpis))
    }
    return {
        "document": f"{name}.pdf",
        "family": family,
        "producer": producer,
        "strategy": True,
        "town": plan.town,
        "goals": goals,
        "measures": measures,
        "goal_kpis": sum(len(g.targets) for g in plan.goals),
        "measure_kpis": sum(len(m.kpis) for g in plan.goals for m in g.measures),
        "samples": [gold_kpi(all_kpis[n]) for n in plan.samples],
    }


# ── docx helpers ─────────────────────────────────────────────────────────────


# column widths (pt) of this batch's tables by their number of columns
TABLE_WIDTHS = {2: [200.0, 240.0], 3: [220.0, 110.0, 110.0], 4: [190.0, 50.0, 100.0, 100.0]}


def table(
    doc, rows: list[list[str]], *, widths: list[float] | None = None, header_bold: bool = True
):
    widths = widths or TABLE_WIDTHS.get(len(rows[0]))
    return kit.grid_table(doc, rows, widths, header_bold=header_bold)


def toc(doc, entries: list[tuple[str, int]]):
    para(doc, "目次", bold=True, size=14, align="center", page_break=True)
    for title, page in entries:
        dots = "・" * max(4, 34 - len(title))
        para(doc, f"{title}{dots}{page}")


def cover(doc, plan: Plan, title: str, date: str):
    for _ in range(6):
        para(doc, "")
    para(doc, f"{plan.town}", size=18, align="center")
    para(doc, title, bold=True, size=22, align="center")
    para(doc, f"（{plan.start}年度～{plan.end}年度）", size=14, align="center")
    for _ in range(8):
        para(doc, "")
    para(doc, date, size=14, align="center")
    para(doc, plan.town, size=14, align="center")


def population_chapter(doc, plan: Plan, heading: str):
    para(doc, heading, bold=True, size=16, page_break=True)
    para(doc, f"{plan.town}の人口は、昭和35年の国勢調査をピークに減少が続いている。")
    para(doc, "出生数の減少と若年層の転出超過が、人口減少の主な要因となっている。")
    table(
        doc,
        [
            ["年", "総人口", "年少人口", "老年人口"],
            ["2000年", "8,412人", "1,210人", "2,105人"],
            ["2010年", "7,305人", "903人", "2,398人"],
            ["2020年", "6,188人", "652人", "2,611人"],
        ],
    )
    para(doc, "将来展望として、2060年に4,000人程度の人口を維持することを目指す。")


# ── A: １． goals, ① under ［具体的な施策］, ＜主な事業＞ ・, KPI years in the header ───────────


def build_a(plan: Plan, name: str) -> dict:
    doc = new_docx()
    cover(doc, plan, "まち・ひと・しごと創生総合戦略", "平成27年10月")
    toc(
        doc,
        [
            ("第1章　人口ビジョンの概要", 1),
            ("第2章　総合戦略の基本的な考え方", 2),
            ("第3章　具体的な施策", 3),
            ("第4章　推進体制", 9),
        ],
    )
    population_chapter(doc, plan, "第1章　人口ビジョンの概要")
    para(doc, "第2章　総合戦略の基本的な考え方", bold=True, size=16, page_break=True)
    para(doc, "計画期間は、平成27年度から平成31年度までの5年間とする。")
    para(doc, "本戦略では、次の4つの目標を掲げる。")
    for gi, g in enumerate(plan.goals, 1):
        para(doc, f"{str(gi).translate(FW)}．{g.title}", indent=20)
    para(doc, "第3章　具体的な施策", bold=True, size=16, page_break=True)
    for gi, g in enumerate(plan.goals, 1):
        para(doc, f"{str(gi).translate(FW)}．{g.title}", bold=True, size=13)
        for k in g.targets:
            para(
                doc,
                f"数値目標　{k.name}{base_cell(k)}({k.base_year} 年度)→{target_cell(k)}({k.target_year} 年度)",
            )
        if gi == 2:
            para(doc, "数値目標　社会増減数▲25人(2014 年度)→±0人(2019 年度)")
        para(doc, "[現状と課題]")
        para(doc, g.text or f"{g.title}ため、町民と行政が一体となった取組が求められている。")
        para(doc, "［具体的な施策］")
        for mi, m in enumerate(g.measures):
            para(doc, f"{CIRCLED[mi]}{m.title}", bold=True)
            para(doc, m.text or f"{m.title}に向けて、関係機関と連携して取り組む。", indent=10)
            para(doc, "＜主な事業＞", indent=10)
            for it in m.items:
                para(doc, f"・{it}", indent=20)
            rows = [
                [
                    "重要業績評価指標(KPI)",
                    f"現状値 ({m.kpis[0].base_year or plan.start - 1} 年度)",
                    f"目標値 ({plan.end} 年度)",
                ]
            ]
            rows += [[k.name, base_cell(k), target_cell(k)] for k in m.kpis]
            table(doc, rows)
            para(doc, "[期待される施策の主な効果]", indent=10)
            para(doc, "町内での雇用と交流が生まれ、地域経済の好循環につながる。", indent=10)
    para(doc, "第4章　推進体制", bold=True, size=16, page_break=True)
    para(doc, "産官学金労言の有識者による推進会議において、毎年度、効果を検証する。")
    out = BATCH.save(doc, name, "docx")
    # the 2nd goal's 社会増減数 line is a goal target too
    g = gold(
        plan,
        name,
        "1． goals; ① under ［具体的な施策］; ＜主な事業＞ ・; KPI years in header; 数値目標 lines; 目次; 人口ビジョン chapter",
        "python-docx → LibreOffice",
    )
    g["goal_kpis"] += 1
    g["samples"].append(
        {
            "name": "社会増減数",
            "baseline_value": -25.0,
            "target_value": 0.0,
            "unit": "人",
            "baseline_year": 2014,
            "target_year": 2019,
        }
    )
    return out, g


# ── B: 基本目標Ⅰ, 施策N： straight through, ア／イ with explanation lines, overriding cell years ─


def build_b(plan: Plan, name: str):
    doc = new_docx()
    cover(doc, plan, f"第{plan.edition}期 川瀬市まち・ひと・しごと創生総合戦略", "令和2年3月")
    para(doc, "施策体系図", bold=True, size=16, page_break=True)
    rows = [["基本目標", "施策", "重要業績評価指標"]]
    n = 0
    for gi, g in enumerate(plan.goals):
        for mi, m in enumerate(g.measures):
            n += 1
            rows.append(
                [
                    f"基本目標{ROMAN[gi]} {g.title}" if mi == 0 else "",
                    f"施策{n}：{m.title}",
                    "、".join(k.name for k in m.kpis),
                ]
            )
    table(doc, rows)
    para(doc, "第1章　はじめに", bold=True, size=16, page_break=True)
    para(doc, "本市では、人口減少と地域経済の縮小を克服するため、第2期の総合戦略を策定する。")
    para(doc, "計画期間は、令和2年度から令和6年度までの5年間とする。")
    para(doc, "第2章　基本目標と施策", bold=True, size=16, page_break=True)
    n = 0
    for gi, g in enumerate(plan.goals):
        para(doc, f"基本目標{ROMAN[gi]}　{g.title}", bold=True, size=14, page_break=gi > 0)
        para(doc, f"{g.title}ため、次の施策に取り組みます。")
        for m in g.measures:
            n += 1
            para(doc, f"施策{n}：{m.title}", bold=True, size=12)
            para(doc, f"{m.title}を図るため、関係団体と連携して次の取組を進めます。")
            notes = dict(m.notes)
            for ii, it in enumerate(m.items):
                para(doc, f"{KANA[ii]}　{it}", indent=10)
                if ii in notes:
                    para(doc, notes[ii], indent=24)
            rows = [["指標名", "現状値（令和元年度）", "目標値（令和6年度）"]]
            for k in m.kpis:
                b = base_cell(k)
                if k.base_year is not None and k.base_year != 2019:
                    b = f"{b}（{era(k.base_year, long=True).replace('年度', '年度')}）"
                rows.append([k.name, b, target_cell(k)])
            table(doc, rows)
    out = BATCH.save(doc, name, "docx")
    return out, gold(
        plan,
        name,
        "基本目標Ⅰ; 施策N： straight through; ア／イ items with explanation lines; KPI header years overridden by a cell; 施策体系図 overview first",
        "python-docx → LibreOffice",
    )


# ── C: ［基本目標］ above bold １．, (1) measures, ◎ items, 4-column KPI tables ────────────────


def build_c(plan: Plan, name: str):
    from docx.shared import Pt

    doc = new_docx()
    cover(doc, plan, f"第{plan.edition}期 桜台村総合戦略", "令和2年3月")
    toc(doc, [("1　人口ビジョン", 1), ("2　総合戦略", 2), ("3　効果検証", 12)])
    population_chapter(doc, plan, "1　人口ビジョン")
    para(doc, "2　総合戦略", bold=True, size=16, page_break=True)
    para(doc, "計画期間：令和2年度～令和6年度")
    for gi, g in enumerate(plan.goals, 1):
        para(doc, "［基本目標］", page_break=gi > 1)
        para(doc, f"{str(gi).translate(FW)}．{g.title}", bold=True, size=14)
        rows = [["数値目標", "単位", "基準値", "目標値"]]
        for k in g.targets:
            b = f"{num(k.base)}（{era(k.base_year)}）"
            t = "±0" if k.target == 0 and (k.base or 0) < 0 else num(k.target)
            rows.append([k.name, unit_text(k), b, f"{t}（{era(k.target_year)}）"])
        table(doc, rows)
        for mi, m in enumerate(g.measures, 1):
            para(doc, f"({mi}) {m.title}", bold=True, size=12)
            para(doc, "◎施策の目標", indent=10)
            para(doc, f"{m.title}により、村民の暮らしと仕事を支えます。", indent=10)
            for it in m.items:
                para(doc, f"◎{it}", indent=10)
            if gi == 1 and mi == 3:
                # push the table to the foot of the page so it breaks with no repeated header
                for _ in range(16):
                    para(
                        doc,
                        "地域の事業者が連携し、販路の開拓と商品の磨き上げを進めることで、"
                        "村の所得の向上を目指します。",
                    )
            rows = [["重要業績評価指標(KPI)", "単位", "基準値", "目標値"]]
            for k in m.kpis:
                if k.style == "per_year":
                    b, t = (
                        f"年{num(k.base)}（{era(k.base_year)}）",
                        f"年{num(k.target)}（{era(k.target_year)}）",
                    )
                elif k.style == "span":
                    b, t = (
                        f"{num(k.base)}（{era(k.base_year)}）",
                        f"5年間で{num(k.target)}（{era(k.target_year)}）",
                    )
                else:
                    b = "-" if k.base is None else f"{num(k.base)}（{era(k.base_year)}）"
                    t = f"{num(k.target)}（{era(k.target_year)}）"
                rows.append([k.name, unit_text(k), b, t])
            if gi == 1 and mi == 3:
                rows += [[f"{k.name}（参考）", unit_text(k), "-", "-"] for k in m.kpis[:0]]
            t = table(doc, rows)
            for row in t.rows:
                row.height = Pt(26)
    out = BATCH.save(doc, name, "docx")
    return out, gold(
        plan,
        name,
        "［基本目標］ label above bold １．; (1) measures; ◎ items and ◎施策の目標 label; 4-column KPI tables with years inside cells; 数値目標 tables; 目次; 人口ビジョン",
        "python-docx → LibreOffice",
    )


# ── pptx helpers ─────────────────────────────────────────────────────────────


def blank(prs):
    return prs.slides.add_slide(prs.slide_layouts[6])


def deck_intro(prs, plan: Plan, goal_label):
    s = blank(prs)
    textbox(
        s, 1, 2.3, 11.3, 1.2, [f"{plan.town} 第{plan.edition}期 総合戦略（案）"], size=36, bold=True
    )
    textbox(
        s,
        1,
        4.0,
        11.3,
        0.8,
        [f"令和{plan.start - 2019}年度 第2回 {plan.town}総合戦略推進会議 資料"],
        size=20,
    )
    s = blank(prs)
    textbox(s, 0.5, 0.3, 12, 0.8, ["本日の議題"], size=28, bold=True)
    textbox(
        s,
        1,
        1.5,
        11,
        3,
        ["1　第2期総合戦略の効果検証", "2　総合戦略（案）について", "3　今後のスケジュール"],
        size=22,
    )
    s = blank(prs)
    textbox(s, 0.5, 0.3, 12, 0.8, ["人口の現状と将来展望（人口ビジョン）"], size=28, bold=True)
    textbox(
        s,
        1,
        1.5,
        11,
        3,
        [
            "2020年の総人口は48,200人で、2045年には36,900人になると推計されている。",
            "転出超過の抑制と出生率の向上により、2060年に35,000人の維持を目指す。",
        ],
        size=18,
    )
    s = blank(prs)
    textbox(s, 0.5, 0.3, 12, 0.8, ["総合戦略の基本的な考え方"], size=28, bold=True)
    textbox(s, 1, 1.3, 11, 0.6, [f"計画期間：{plan.start}年度～{plan.end}年度"], size=18)
    for gi, g in enumerate(plan.goals):
        textbox(
            s,
            1 + (gi % 2) * 5.8,
            2.2 + (gi // 2) * 2.2,
            5.4,
            1.8,
            [goal_label(gi), g.title],
            size=18,
            fill="DDEBF7",
        )


def deck_outro(prs):
    s = blank(prs)
    textbox(s, 0.5, 0.3, 12, 0.8, ["今後のスケジュール"], size=28, bold=True)
    textbox(
        s,
        1,
        1.5,
        11,
        3,
        [
            "12月　パブリックコメントの実施",
            "2月　第3回推進会議（最終案）",
            "3月　総合戦略の策定・公表",
        ],
        size=20,
    )


def kpi_line(k: K) -> str:
    b = "-" if k.base is None else f"{num(k.base)}{unit_text(k)}（{era(k.base_year)}）"
    return f"KPI：{k.name}　{b}→ {num(k.target)}{unit_text(k)}（{era(k.target_year)}）"


def goal_slide(prs, band: str, measures: list[tuple[str, M]], band_fill: str):
    s = blank(prs)
    textbox(s, 0, 0.2, 13.333, 0.9, [band], size=26, bold=True, color="FFFFFF", fill=band_fill)
    row_h = 5.8 / max(len(measures), 3)
    lefts = []
    for i, (label, m) in enumerate(measures):
        lefts.append((1.4 + i * row_h, [f"{label}{m.title}", *(f"・{it}" for it in m.items)]))
    for y, lines in lefts:
        textbox(s, 0.4, y, 7.2, row_h, lines, size=15)
    for i, (_, m) in enumerate(measures):
        textbox(s, 7.9, 1.4 + i * row_h, 5.2, row_h, [kpi_line(k) for k in m.kpis], size=13)


def build_d(plan: Plan, name: str):
    prs = new_pptx()
    deck_intro(prs, plan, lambda gi: f"基本目標{gi + 1}")
    for gi, g in enumerate(plan.goals):
        goal_slide(
            prs,
            f"基本目標{gi + 1}　{g.title}",
            [(f"({mi}) ", m) for mi, m in enumerate(g.measures, 1)],
            "2E75B6",
        )
    deck_outro(prs)
    out = BATCH.save(prs, name, "pptx")
    return out, gold(
        plan,
        name,
        "slide deck: one goal per slide in a coloured band; (1) measures left; KPI：… lines right; cover, agenda, 人口ビジョン, 基本的な考え方 slide repeating goals, schedule",
        "python-pptx → LibreOffice",
    )


def build_f(plan: Plan, name: str):
    prs = new_pptx()
    deck_intro(prs, plan, lambda gi: f"基本目標{str(gi + 1).translate(FW)}")
    per_slide = 3
    for gi, g in enumerate(plan.goals):
        items = [(CIRCLED[mi], m) for mi, m in enumerate(g.measures)]
        for part in range(0, len(items), per_slide):
            band = f"基本目標{str(gi + 1).translate(FW)}　{g.title}" + ("（続き）" if part else "")
            goal_slide(prs, band, items[part : part + per_slide], "548235")
    deck_outro(prs)
    out = BATCH.save(prs, name, "pptx")
    return out, gold(
        plan,
        name,
        "slide deck: 基本目標N in a green band, a goal continued on a second slide （続き）; ① measures left with ・ items; KPI：… lines right",
        "python-pptx → LibreOffice",
    )


# ── E: １． goals, 施策N： through, ◎ items, overview table at the end ─────────────────────


def build_e(plan: Plan, name: str):
    doc = new_docx()
    cover(doc, plan, f"第{plan.edition}期 浜松原町総合戦略", "令和2年3月")
    para(doc, "第1章　総合戦略の概要", bold=True, size=16, page_break=True)
    para(doc, "計画期間　令和2年度から令和6年度まで")
    para(doc, "国の第2期総合戦略を勘案し、町の特性を生かした施策を展開する。")
    para(doc, "第2章　基本目標と施策", bold=True, size=16, page_break=True)
    n = 0
    for gi, g in enumerate(plan.goals, 1):
        para(doc, f"{str(gi).translate(FW)}．{g.title}", bold=True, size=14)
        para(doc, f"{g.title}ため、次の施策を推進する。")
        for m in g.measures:
            n += 1
            para(doc, f"施策{n}：{m.title}", bold=True, size=12)
            para(doc, f"{m.title}に向け、町と関係団体が役割を分担して取り組む。")
            for it in m.items:
                para(doc, f"◎　{it}", indent=12)
            rows = [["重要業績評価指標(KPI)", "現状値（令和元年度）", "目標値（令和6年度）"]]
            for k in m.kpis:
                b = base_cell(k)
                if k.base_year != 2019:
                    b += f"（{era(k.base_year, long=True)}）"
                rows.append([k.name, b, target_cell(k)])
            table(doc, rows)
    para(doc, "第3章　施策体系図", bold=True, size=16, page_break=True)
    rows = [["基本目標", "施策", "KPI", "目標値"]]
    n = 0
    for gi, g in enumerate(plan.goals, 1):
        for m in g.measures:
            n += 1
            for ki, k in enumerate(m.kpis):
                rows.append(
                    [
                        f"{gi}．{g.title}" if ki == 0 else "",
                        f"施策{n}：{m.title}" if ki == 0 else "",
                        k.name,
                        target_cell(k),
                    ]
                )
    table(doc, rows)
    out = BATCH.save(doc, name, "docx")
    return out, gold(
        plan,
        name,
        "１． goals; 施策N： straight through; ◎ items; a wrapped measure title; KPI header years overridden by a cell; 施策体系図 overview at the end",
        "python-docx → LibreOffice",
    )


# ── reportlab: G overprint, H vertical ──────────────────────────────────────


class Page:
    """A Word-like A4 page writer: lines from the top, headings overprinted like Ghostscript."""

    def __init__(self, canvas):
        self.c = canvas
        self.y = 800.0

    def need(self, h: float):
        if self.y - h < 60:
            self.c.showPage()
            self.y = 800.0

    def line(self, text: str, *, size=10.5, x=60.0, overprint=0):
        self.need(size * 1.8)
        self.y -= size * 1.8
        if not overprint:
            self.c.setFont(FONT, size)
            self.c.drawString(x, self.y, text)
            return
        # Word → Ghostscript fake bold: each run of a few glyphs is drawn 2–4 times at sub-point offsets; the real file's are 0.24 pt, but PDFium drops copies that close in reportlab's output, and at 0.8 pt its text keeps 2 copies as it does on the real file
        offsets = [(0, 0), (-0.8, -0.8), (0, -0.8), (-0.8, 0)][:overprint]
        from reportlab.pdfbase.pdfmetrics import stringWidth

        # Ghostscript cuts each copy into runs at its own places (so no two copies are the same
        # text object, and PDFium keeps some of them: its text has 2 copies, the glyphs 4)
        for j, (dx, dy) in enumerate(offsets):
            cuts = [0, *range(3 + j, len(text), 5), len(text)]
            for a, b in itertools.pairwise(cuts):
                self.c.setFont(FONT, size)
                cx = x + stringWidth(text[:a], FONT, size)
                self.c.drawString(cx + dx, self.y + dy, text[a:b])

    def table(self, rows: list[list[str]], widths: list[float], *, size=9.5, x=60.0):
        h = size * 2.2
        self.need(h * len(rows) + 10)
        top = self.y - 6
        for i, row in enumerate(rows):
            y0 = top - i * h
            self.c.line(x, y0, x + sum(widths), y0)
            cx = x
            for cell, w in zip(row, widths, strict=False):
                self.c.setFont(FONT, size)
                self.c.drawString(cx + 3, y0 - h + size * 0.7, cell)
                cx += w
        bottom = top - len(rows) * h
        self.c.line(x, bottom, x + sum(widths), bottom)
        cx = x
        for w in [0, *widths]:
            cx += w
            self.c.line(cx, top, cx, bottom)
        self.y = bottom - 8


def build_g(plan: Plan, name: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    kit.register_reportlab_font()
    out = BATCH.out / f"{name}.pdf"
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setTitle(f"{plan.town}総合戦略")
    c.setCreator("Microsoft Word - 白樺村総合戦略.docx")
    c.setProducer("GPL Ghostscript 9.05")
    p = Page(c)
    p.y = 560
    p.line(f"{plan.town}まち・ひと・しごと創生総合戦略", size=22, x=100, overprint=4)
    p.line("平成27年10月", size=14, x=250, overprint=2)
    c.showPage()
    p.y = 800
    p.line("目次", size=16, x=270, overprint=3)
    for t, pg in [
        ("1 総合戦略の基本的な考え方", 1),
        ("2 基本目標と具体的な施策", 2),
        ("3 推進体制", 5),
    ]:
        p.line(f"{t}{'.' * (60 - 2 * len(t))}{pg}")
    c.showPage()
    p.y = 800
    p.line("1 総合戦略の基本的な考え方", size=15, overprint=3)
    p.line("計画期間は、平成27年度から平成31年度までの5年間とします。")
    p.line("2 基本目標と具体的な施策", size=15, overprint=3)
    for gi, g in enumerate(plan.goals, 1):
        p.line(f"基本目標{gi} {g.title}", size=13, overprint=4)
        for k in g.targets:
            p.line(
                f"{k.name}{base_cell(k)}({k.base_year} 年度)→{target_cell(k)}({k.target_year} 年度)",
                overprint=2,
                x=72,
            )
        p.line("具体的な施策", size=11, overprint=2, x=66)
        for mi, m in enumerate(g.measures, 1):
            p.line(f"({mi}) {m.title}", size=11.5, overprint=3, x=72)
            p.line(f"{m.title}のため、次の事業に取り組みます。", x=84)
            for it in m.items:
                p.line(f"・{it}", x=90)
            rows = [["重要業績評価指標", "現状値 (2014 年度)", "目標値 (2019 年度)"]]
            rows += [[k.name, base_cell(k), target_cell(k)] for k in m.kpis]
            p.table(rows, [230, 120, 120], x=84)
    c.showPage()
    p.y = 800
    p.line("3 推進体制", size=15, overprint=3)
    p.line("外部有識者を含む推進会議で、毎年度、施策の効果を検証します。")
    c.save()
    g = gold(
        plan,
        name,
        "Word → Ghostscript style: headings and 数値目標 lines overprinted 2–4× at sub-point offsets; 基本目標N; (N) measures under 具体的な施策; ・ items; ruled KPI tables with years in the header",
        "reportlab (drawn like Word → CubePDF)",
    )
    return None, g


def vertical_page(c, columns: list[tuple[str, float]], caption: str | None = None):
    """One 縦書き page: columns right to left, each column's text drawn in reversed segments."""
    x = 540.0
    for text, size in columns:
        segs = [text[i : i + 6] for i in range(0, len(text), 6)]
        pos = []
        y = 790.0
        for _ch in text:
            pos.append((x, y))
            y -= size * 1.1
        # draw segment by segment, last segment first
        k = len(text)
        for seg in reversed(segs):
            k -= len(seg)
            for j, ch in enumerate(seg):
                cx, cy = pos[k + j]
                c.setFont(FONT, size)
                c.drawString(cx, cy, ch)
        x -= size * 1.9
    if caption:
        c.setFont(FONT, 9)
        c.drawString(60, 60, caption)
    c.showPage()


def build_h(plan: Plan, name: str):
    """Page 2 is 縦書き: columns right to left, and each column's text drawn in reversed segments
    (the text layer of InDesign vertical frames comes out that way)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    kit.register_reportlab_font()
    out = BATCH.out / f"{name}.pdf"
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setTitle(f"{plan.town}総合戦略")
    c.setCreator("Adobe InDesign CS6 (Windows)")
    p = Page(c)
    p.y = 560
    p.line(f"第{plan.edition}期 {plan.town}総合戦略", size=24, x=150)
    p.line("令和2年3月", size=14, x=260)
    c.showPage()

    g1 = plan.goals[0]
    cols: list[tuple[str, float]] = [(f"基本目標1 {g1.title}", 15)]
    for mi, m in enumerate(g1.measures, 1):
        cols.append((f"({mi}) {m.title}", 12))
        for it in m.items:
            cols.append((f"・{it}", 10.5))
        for k in m.kpis:
            cols.append((kpi_line(k), 10.5))
    vertical_page(c, cols, caption="写真：雪室に貯蔵されたじゃがいも（令和元年度）")
    p.y = 800
    for gi, g in enumerate(plan.goals[1:], 2):
        p.line(f"基本目標{gi} {g.title}", size=14)
        for mi, m in enumerate(g.measures, 1):
            p.line(f"({mi}) {m.title}", size=12, x=72)
            for it in m.items:
                p.line(f"・{it}", x=90)
            for k in m.kpis:
                p.line(kpi_line(k), x=90)
    c.showPage()
    c.save()
    g = gold(
        plan,
        name,
        "縦書き page (goal 1, text layer reversed segment by segment) + horizontal pages; (N) measures; ・ items; KPI：… → … lines",
        "reportlab (drawn like InDesign vertical frames)",
    )
    return None, g


_BUILDERS = {
    "a_fullwidth_goals": build_a,
    "b_roman_shisaku": build_b,
    "c_label_bold_4col": build_c,
    "d_slides_band": build_d,
    "e_shisaku_overview": build_e,
    "f_slides_continued": build_f,
    "g_overprint": build_g,
    "h_vertical": build_h,
}


def _doc(build) -> kit.Doc:
    return kit.Doc(lambda name: build(PLANS[name], name))


DOCS = {name: _doc(build) for name, build in _BUILDERS.items()}
