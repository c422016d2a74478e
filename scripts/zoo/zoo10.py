"""The tenth layout batch (corpora/zoo10): a blind check of the zoo9 mechanisms, session 5.

Written after textkit learned zoo9 (outline tables under the body's goal headings, 「１－(１)」
numbering, lists flowing into the next text column, a deck's sidebar as navigation, a slide's
title band kept once) and BEFORE textkit was run on any of these: the same kinds of layout in
other surface forms, so those mechanisms are measured on documents they were not fitted to.
Everything is invented; the gold is written from the same plan as the page. A4 pages.

* zzi_bracket_goal_tables  goals 「【基本目標１】…」 in bold 13 pt over one table each 施策 | 具体的な
                      取組 | 成果指標 | 現状（R5） | 目標（R11）, the first running over a page break
                      with its header row repeated (Word's 「タイトル行の繰り返し」); 「①　…」 measure
                      cells, ○ items as paragraphs in a cell.
* zzj_portrait_columns     an A4 portrait page in two text columns: 「基本目標Ⅰ　…」 on a shaded
                      paragraph, bold 「①　…」 measures, ・ items, KPI lines 「【KPI】名　24人（R5）→
                      30人（R11）」 wrapping in the narrow column.
* zzk_deck_topbar          an A4 deck, one measure a slide: the goal in a band at the top, under it
                      a row of tabs 「1-1 …」「1-2 …」 naming all the goal's measures (the current one
                      white on green), the 「1-1　…」 heading, ・ items, a 「KPI：… → …」 line.
* zzl_three_levels         goals 「1　…」 bold 14 pt, measures 「1-(1)　…」 bold 11 pt, items
                      「1-(1)-①　…」 in the body type (three compound levels); KPI tables.

Run with ``make zoo10`` (not part of ``make test``; shared parts: ``scripts/zoo/kit.py``).
"""

from __future__ import annotations

from pathlib import Path

from scripts.zoo import kit
from scripts.zoo.zoo9 import _columns, _header_shade, _merge_down, _widths, kpi_table

BATCH = kit.Batch("zoo10", author="textkit zoo10")
SPACE = "\u3000"


# ── ZZI: 【基本目標１】 over tables with a repeated header row ─────────────────

KASUMI = [
    (
        "霞ヶ浦の恵みで稼ぐ",
        [
            (
                "水産業の振興",
                ["漁具の更新の補助", "稚魚の放流", "加工場の衛生管理の支援"],
                [("水産物の水揚げ額", "6.8億円", "8.0億円")],
            ),
            (
                "れんこんの産地づくり",
                ["新規栽培者の研修", "選果施設の整備"],
                [("れんこんの出荷量", "3,100トン", "3,600トン")],
            ),
            (
                "湖畔の観光の振興",
                ["サイクリングロードの整備", "遊覧船の運航の支援", "湖畔イベントの開催"],
                [
                    ("観光入込客数", "92万人", "120万人"),
                    ("レンタサイクルの利用者数", "4,300人", "9,000人"),
                ],
            ),
            (
                "商工業の担い手の育成",
                ["創業支援セミナーの開催", "事業承継の相談", "空き店舗の活用"],
                [("創業支援による創業者数", "9人", "30人")],
            ),
            (
                "企業の誘致",
                ["工業用地の情報発信", "立地企業への奨励金"],
                [("誘致企業数", "1社", "4社")],
            ),
        ],
    ),
    (
        "霞ヶ浦のまちで暮らす",
        [
            (
                "移住の促進",
                ["移住支援金の支給", "移住相談会の開催"],
                [("移住者数", "28人", "70人")],
            ),
            (
                "子育ての支援",
                ["子育て応援金の支給", "病児保育の実施", "子育てひろばの運営"],
                [("子育てひろばの利用者数", "5,600人", "8,000人")],
            ),
        ],
    ),
]
ZZI_HEAD = ["施策", "具体的な取組", "成果指標", "現状（R5）", "目標（R11）"]
ZZI_WIDTHS = (100, 150, 110, 52, 52)


def _repeat_header(table) -> None:
    """Word's 「タイトル行の繰り返し」 (w:tblHeader) on the first row."""
    from docx.oxml import parse_xml

    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {kit.wns()}/>"))


def build_zzi(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx()
    kit.cover(doc, "霞ヶ浦町", "第3期 霞ヶ浦町総合戦略", "令和7年度～令和11年度", "令和7年3月")
    kit.para(doc, "施策の展開", bold=True, size=16, page_break=True)
    kit.para(doc, "2つの基本目標ごとに、施策と成果指標を一覧にまとめました。")
    for gi, (goal, measures) in enumerate(KASUMI, 1):
        p = kit.para(doc, f"【基本目標{str(gi).translate(kit.FW)}】{goal}", bold=True, size=13)
        p.paragraph_format.space_before = Pt(10)
        n_rows = sum(max(len(i), len(k)) for _, i, k in measures)
        t = doc.add_table(rows=1 + n_rows, cols=len(ZZI_HEAD))
        t.style = "Table Grid"
        t.autofit = False
        for j, text in enumerate(ZZI_HEAD):
            kit.cell_lines(t.cell(0, j), [text], bold=True, size=9.5)
        _header_shade(t)
        _repeat_header(t)
        r = 1
        for mi, (title, items, kpis) in enumerate(measures):
            n = max(len(items), len(kpis))
            for i, kpi in enumerate(kpis):
                for j, v in enumerate(kpi, 2):
                    kit.cell_lines(t.cell(r + i, j), [v])
            kit.cell_lines(_merge_down(t, 0, r, n), [f"{kit.CIRCLED[mi]}{SPACE}{title}"], bold=True)
            kit.cell_lines(_merge_down(t, 1, r, n), [f"○{it}" for it in items])
            if len(kpis) < n:
                for j in (2, 3, 4):
                    _merge_down(t, j, r + len(kpis) - 1, n - len(kpis) + 1)
            r += n
        for row in t.rows[1:]:
            row.height = Pt(40)
        _widths(t, ZZI_WIDTHS)
        doc.add_paragraph()
    return BATCH.save(doc, name, "docx")


# ── ZZJ: A4 portrait, two text columns, KPI lines ────────────────────────────

HAYATE = [
    (
        "疾風町の産業を伸ばす",
        [
            (
                "風力発電と地域の仕事",
                ["発電所の保守人材の育成", "地元企業の参入の支援"],
                [("保守を担う地元企業数", "2社", "8社")],
            ),
            (
                "農産物のブランド化",
                ["ブランド認証の運用", "販路開拓の支援", "品評会の開催"],
                [("認証品の販売額", "1.2億円", "2.0億円")],
            ),
            (
                "観光の振興",
                ["風車の見学ツアー", "道の駅の改修"],
                [("道の駅の来場者数", "31万人", "40万人")],
            ),
        ],
    ),
    (
        "疾風町に人を呼ぶ",
        [
            (
                "移住の支援",
                ["移住支援住宅の運営", "就業体験の受入れ"],
                [("移住者数", "21人", "60人")],
            ),
            (
                "関係人口の創出",
                ["ふるさと会員制度の運営", "ワーケーションの誘致"],
                [("ふるさと会員の数", "340人", "900人")],
            ),
            (
                "若者の定住",
                ["奨学金返還の支援", "若者向け住宅の家賃補助"],
                [("奨学金返還支援の利用者数", "11人", "40人")],
            ),
        ],
    ),
    (
        "安心して暮らせる疾風町",
        [
            (
                "地域医療の確保",
                ["診療所の医師確保の支援", "救急医療の体制の維持"],
                [("町内診療所の受診者数", "1.5万人", "1.6万人")],
            ),
            (
                "地域の見守り",
                ["見守り協定の締結", "高齢者の配食サービス"],
                [("見守り協定の締結数", "14件", "30件")],
            ),
        ],
    ),
]


def build_zzj(name: str) -> Path:
    from docx.enum.section import WD_SECTION
    from docx.shared import Pt

    doc = kit.new_docx()
    kit.cover(doc, "疾風町", "疾風町総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    kit.page_setup(section, "A4", margins=(25.0, 25.0, 20.0, 20.0))
    _columns(section, 2, 20)
    kit.para(doc, "施策の展開", bold=True, size=16)
    for gi, (goal, measures) in enumerate(HAYATE):
        p = kit.para(doc, f"基本目標{kit.ROMAN[gi]}{SPACE}{goal}", bold=True, size=12)
        kit.shaded(p, "FCE4D6")
        p.paragraph_format.space_before = Pt(8)
        for mi, (title, items, kpis) in enumerate(measures):
            p = kit.para(doc, f"{kit.CIRCLED[mi]}{SPACE}{title}", bold=True, size=10.5)
            p.paragraph_format.space_before = Pt(6)
            kit.para(doc, f"{title}に向けて、町と事業者が協力して取り組みます。")
            for it in items:
                kit.para(doc, f"・{it}", indent=10)
            for kname, base, target in kpis:
                kit.para(doc, f"【KPI】{kname}{SPACE}{base}（R5）→{target}（R11）")
    return BATCH.save(doc, name, "docx")


# ── ZZK: A4 deck, a row of tabs naming the goal's measures ────────────────────

KOMOREBI = [
    (
        "木漏れ日の里で働く",
        [
            (
                "木工の産業化",
                ["工房の開設の支援", "木工品の通信販売"],
                [("木工品の販売額", "2,800万円", "5,000万円")],
            ),
            (
                "農泊の推進",
                ["農家民宿の開業の支援", "体験プログラムの造成"],
                [("農泊の宿泊者数", "450人", "1,200人")],
            ),
            (
                "テレワークの誘致",
                ["古民家オフィスの整備", "企業への誘致活動"],
                [("テレワーク利用企業数", "2社", "10社")],
            ),
        ],
    ),
    (
        "木漏れ日の里で育つ",
        [
            (
                "自然保育の推進",
                ["園外保育の実施", "保育士の研修"],
                [("自然保育の実施日数", "40日", "100日")],
            ),
            (
                "小中学校の魅力づくり",
                ["山村留学の受入れ", "ICT教育の推進"],
                [("山村留学の児童生徒数", "6人", "15人")],
            ),
        ],
    ),
]


def build_zzk(name: str) -> Path:
    prs = kit.new_pptx(a4=True)
    blank = prs.slide_layouts[6]
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 0.8, 2.6, 10.1, 1.2, ["木漏れ日村 総合戦略（第3期）素案"], size=32, bold=True)
    kit.textbox(s, 0.8, 4.1, 10.1, 0.8, ["令和6年12月　木漏れ日村総合戦略会議"], size=18)
    for gi, (goal, measures) in enumerate(KOMOREBI, 1):
        for mi, (title, items, kpis) in enumerate(measures):
            s = prs.slides.add_slide(blank)
            kit.textbox(
                s,
                0.3,
                0.2,
                11.1,
                0.65,
                [f"基本目標{gi}　{goal}"],
                size=22,
                bold=True,
                color="FFFFFF",
                fill="375623",
            )
            width = 11.1 / len(measures)
            for j, (other, _, _) in enumerate(measures):
                current = j == mi
                kit.textbox(
                    s,
                    0.3 + width * j,
                    1.0,
                    width - 0.1,
                    0.5,
                    [f"{gi}-{j + 1} {other}"],
                    size=11,
                    bold=current,
                    color="FFFFFF" if current else "404040",
                    fill="548235" if current else "E2EFDA",
                )
            kit.textbox(s, 0.5, 1.9, 10.7, 0.7, [f"{gi}-{mi + 1}　{title}"], size=24, bold=True)
            kit.textbox(s, 0.6, 2.9, 10.5, 2.0, [f"・{it}" for it in items], size=16)
            lines = [f"KPI：{k}　{b}（R5）→ {t}（R11）" for k, b, t in kpis]
            kit.textbox(s, 0.6, 5.4, 10.5, 0.9, lines, size=15, fill="FFF2CC")
    return BATCH.save(prs, name, "pptx")


# ── ZZL: 1 / 1-(1) / 1-(1)-① ──────────────────────────────────────────────────

SEIRAN = [
    (
        "清嵐町の仕事をつくる",
        [
            (
                "茶業の振興",
                ["茶園の改植の支援", "抹茶の加工施設の整備", "海外への販路開拓"],
                [("茶の産出額", "14億円", "18億円")],
            ),
            (
                "企業の立地の促進",
                ["工業団地の造成", "立地奨励金の交付"],
                [("立地企業の従業者数", "320人", "500人")],
            ),
        ],
    ),
    (
        "清嵐町への人の流れをつくる",
        [
            (
                "移住の促進",
                ["移住体験住宅の運営", "移住支援金の支給"],
                [("移住者数", "40人", "100人")],
            ),
            (
                "観光の振興",
                ["茶畑の景観の保全", "茶摘み体験の造成", "観光案内の多言語化"],
                [("観光消費額", "9.5億円", "13億円")],
            ),
        ],
    ),
    (
        "清嵐町で子どもを育てる",
        [
            (
                "子育ての支援",
                ["出産祝い金の支給", "子ども医療費の助成"],
                [("子育て支援の満足度", "52.0%", "70.0%")],
            ),
        ],
    ),
]


def build_zzl(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx()
    kit.cover(doc, "清嵐町", "清嵐町総合戦略（第3期）", "令和7年度～令和11年度", "令和7年3月")
    kit.para(doc, "第3章　施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(SEIRAN, 1):
        p = kit.para(doc, f"{gi}{SPACE}{goal}", bold=True, size=14, page_break=gi > 1)
        p.paragraph_format.space_before = Pt(6)
        for mi, (title, items, kpis) in enumerate(measures, 1):
            p = kit.para(doc, f"{gi}-({mi}){SPACE}{title}", bold=True, size=11)
            p.paragraph_format.space_before = Pt(6)
            for ii, it in enumerate(items):
                kit.para(doc, f"{gi}-({mi})-{kit.CIRCLED[ii]}{SPACE}{it}", indent=14)
            kpi_table(doc, kpis, ("指標", "基準値（R5）", "目標値（R11）"))
    return BATCH.save(doc, name, "docx")


_DOCS = {
    "zzi_bracket_goal_tables": (
        build_zzi,
        KASUMI,
        "霞ヶ浦町",
        "goals 【基本目標１】 bold 13 pt over one table each 施策 | 具体的な取組 | 成果指標 | 現状（R5） | 目標（R11）, the first over a page break with its header row repeated; ① measure cells; ○ items in a cell",
    ),
    "zzj_portrait_columns": (
        build_zzj,
        HAYATE,
        "疾風町",
        "A4 portrait in two text columns: shaded 基本目標Ⅰ goals, bold ①　… measures, ・ items, 【KPI】 lines wrapping in the narrow column",
    ),
    "zzk_deck_topbar": (
        build_zzk,
        KOMOREBI,
        "木漏れ日村",
        "A4 deck, one measure a slide: goal band on top, a row of tabs 1-1 … 1-3 naming the goal's measures (current highlighted), 1-1　… heading, ・ items, KPI： line",
    ),
    "zzl_three_levels": (
        build_zzl,
        SEIRAN,
        "清嵐町",
        "goals 1　… bold 14 pt, measures 1-(1)　… bold 11 pt, items 1-(1)-①　… in the body type; KPI tables",
    ),
}

DOCS = {
    name: kit.Doc(build, kit.plan_gold(plan, family=family, town=town))
    for name, (build, plan, town, family) in _DOCS.items()
}
