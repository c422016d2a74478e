"""Build the fourth layout zoo (corpora/zoo4): a second blind check, written after zoo3's fixes.

Like zoo3: written BEFORE textkit was run on any of these, gold typed by hand, everything invented.
Conventions mixed in ways the earlier zoos do not have:

* t_goalword_bold   goals typed 基本目標N, measures unnumbered bold lines, ・ items, KPI tables.
* u_calc_bracket    an Excel sheet: goal band rows 「【基本目標2】…」 (the word in brackets), measure cells
                    ① merged down, no item column, one KPI per row with 現状値（R5） / 目標値（R11）.
* w_heading_styles  Word 見出し 1 / 2 / 3 styles without any numbering (chapters, goals, measures),
                    items in Word's List Bullet style (a Symbol-font bullet), KPI tables.
* x_arrow_cell      1． goals, (1) measures, ◇ items, KPI tables with one 「現状値（R5）→目標値（R11）」 column
                    whose cells read 「120人→200人」.

Run with ``make zoo4`` (not part of ``make test``; shared parts: ``scripts/zoo/kit.py``); needs what ``make zoo2`` needs.
"""

from __future__ import annotations

from pathlib import Path

from scripts.zoo import kit

BATCH = kit.Batch("zoo4", author="textkit zoo2")


# ── T: 基本目標N + unnumbered bold measures ───────────────────────────────────

SAKURAGAWA = [
    (
        "魅力ある働く場をつくる",
        [
            (
                "中小企業の経営基盤の強化",
                ["経営相談窓口の充実", "設備投資への利子補給"],
                [("経営相談の件数", "120件", "200件")],
            ),
            (
                "女性と高齢者の就労支援",
                ["子育て中の女性の再就職セミナー", "シルバー人材の職域拡大"],
                [
                    ("再就職セミナーの参加者数", "35人", "80人"),
                    ("シルバー人材センターの会員数", "410人", "480人"),
                ],
            ),
        ],
    ),
    (
        "桜川に人が集う流れをつくる",
        [
            (
                "桜並木を生かした観光振興",
                ["桜まつりの開催", "夜桜のライトアップ"],
                [("桜まつりの来場者数", "5.2万人", "7.0万人")],
            ),
            (
                "移住希望者への支援",
                ["移住体験ツアーの実施", "移住相談員の配置"],
                [("移住体験ツアーの参加者数", "18人", "40人")],
            ),
        ],
    ),
]


def build_t(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "桜川町", "第3期 桜川町総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    kit.para(doc, "施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(SAKURAGAWA, 1):
        kit.para(doc, f"基本目標{gi}　{goal}", bold=True, size=14, page_break=gi > 1)
        kit.para(doc, "町民、事業者、行政が一体となって取り組みます。")
        for title, items, kpis in measures:
            kit.para(doc, title, bold=True, size=11)
            kit.para(doc, f"{title}に向けて、次の取組を進めます。", indent=11)
            for it in items:
                kit.para(doc, f"・{it}", indent=22)
            kit.grid_table(
                doc,
                [["指標", "現状値（R5）", "目標値（R11）"], *[list(k) for k in kpis]],
                [230, 100, 100],
            )
    return BATCH.save(doc, name, "docx")


# ── U: Excel with 【基本目標N】 band rows, no item column ──────────────────────

KITAKAZE = [
    (
        "【基本目標1】地域経済を元気にする",
        [
            ("① 商業の活性化", [("商店街の空き店舗数", "22件", "12件")]),
            (
                "② 農林水産業の振興",
                [("新規就農者数", "3人", "10人"), ("漁業の水揚げ額", "8.6億円", "9.5億円")],
            ),
        ],
    ),
    (
        "【基本目標2】地域の魅力を高め人を呼び込む",
        [
            ("① 観光の振興", [("観光客の入込数", "64万人", "75万人")]),
            ("② 移住・定住の促進", [("移住者数", "31人", "60人")]),
        ],
    ),
    (
        "【基本目標3】安心して子育てができる環境をつくる",
        [("① 子育て支援の充実", [("子育て支援センターの利用者数", "5,400人", "6,500人")])],
    ),
]


def build_u(name: str) -> Path:
    from openpyxl.styles import Font, PatternFill

    sheet = kit.Sheet()
    ws = sheet.ws
    for col, width in zip("ABCD", (34, 40, 16, 16), strict=True):
        ws.column_dimensions[col].width = width
    ws["A1"] = "北風市総合戦略　重要業績評価指標（KPI）一覧"
    ws["A1"].font = Font(name=kit.FONT, size=14, bold=True)
    ws.merge_cells("A1:D1")
    for j, text in enumerate(["施策", "重要業績評価指標", "現状値（R5）", "目標値（R11）"], 1):
        sheet.put(2, j, text, sheet.bold).fill = sheet.head_fill
    row = 3
    for goal, measures in KITAKAZE:
        c = ws.cell(row=row, column=1, value=goal)
        c.font = Font(name=kit.FONT, size=11, bold=True)
        c.fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.merge(row, 1, row, 4)
        row += 1
        for title, kpis in measures:
            sheet.put(row, 1, title)
            for r in range(row + 1, row + len(kpis)):
                sheet.put(r, 1, None)
            if len(kpis) > 1:
                sheet.merge(row, 1, row + len(kpis) - 1, 1)
            for i, kpi in enumerate(kpis):
                for col, v in zip((2, 3, 4), kpi, strict=True):
                    sheet.put(row + i, col, v)
                ws.row_dimensions[row + i].height = 24
            row += len(kpis)
    sheet.fit_page(landscape=False)
    return BATCH.save(sheet.wb, name, "xlsx")


# ── W: Word heading styles without numbering, List Bullet items ──────────────

MINAMIOKA = [
    (
        "南丘市の強みを生かした産業を育てる",
        [
            (
                "スタートアップの育成",
                ["起業家の交流拠点の運営", "創業資金の補助"],
                [("市の支援による創業者数", "12人", "40人")],
            ),
            (
                "地元就職の促進",
                ["合同企業説明会の開催", "インターンシップの拡大"],
                [("市内企業への就職者数", "85人", "120人")],
            ),
        ],
    ),
    (
        "誰もが健康で暮らせるまちをつくる",
        [
            (
                "健康づくりの推進",
                ["健康ポイント事業の実施", "健康診断の受診勧奨", "食生活改善の講座の開催"],
                [("健康ポイント事業の参加者数", "2,300人", "5,000人")],
            ),
            (
                "地域包括ケアの推進",
                ["在宅医療の連携会議の開催", "認知症サポーターの養成"],
                [("認知症サポーターの数", "4,800人", "7,000人")],
            ),
        ],
    ),
]


def build_w(name: str) -> Path:
    from docx.shared import RGBColor

    doc = kit.new_docx(paper="letter")

    def heading(text: str, level: int, page_break: bool = False):
        p = doc.add_paragraph(style=f"Heading {level}")
        p.paragraph_format.page_break_before = page_break
        p.add_run(text).font.color.rgb = RGBColor(0, 0, 0)

    kit.cover(
        doc, "南丘市", "南丘市まち・ひと・しごと創生総合戦略", "令和7年度～令和11年度", "令和7年3月"
    )
    heading("人口の現状と将来の展望", 1, page_break=True)
    kit.para(doc, "本市の人口は平成22年をピークに減少に転じ、令和2年には10万2千人となった。")
    heading("総合戦略の基本的な考え方", 1, page_break=True)
    kit.para(doc, "人口減少の克服と地域の活力の維持に向けて、2つの基本目標を定める。")
    heading("施策の展開", 1, page_break=True)
    for gi, (goal, measures) in enumerate(MINAMIOKA):
        heading(goal, 2, page_break=gi > 0)
        kit.para(doc, "市民、企業、大学と連携して、次の施策に取り組む。")
        for title, items, kpis in measures:
            heading(title, 3)
            kit.para(doc, f"{title}のため、次の事業に取り組む。")
            for it in items:
                doc.add_paragraph(it, style="List Bullet")
            kit.grid_table(
                doc,
                [
                    ["指標名", "現状値（令和5年度）", "目標値（令和11年度）"],
                    *[list(k) for k in kpis],
                ],
                [230, 100, 100],
            )
    heading("推進体制", 1, page_break=True)
    kit.para(doc, "市民と有識者による推進会議で、毎年度、施策の効果を検証する。")
    return BATCH.save(doc, name, "docx")


# ── X: KPI tables with one 現状値→目標値 column ──────────────────────────────

AKEBONO = [
    (
        "地域の仕事を守り育てる",
        [
            (
                "地場企業の人材確保",
                ["就職フェアの開催", "UIJターンの奨励金"],
                [("就職フェアでの就職者数", "14人→30人")],
            ),
            (
                "農業の担い手の確保",
                ["新規就農者の研修支援", "農業機械の共同利用"],
                [("新規就農者数", "2人→8人"), ("農地の集積率", "46.0%→60.0%")],
            ),
        ],
    ),
    (
        "住みよい暮らしを支える",
        [
            (
                "地域公共交通の確保",
                ["乗合タクシーの運行", "通院バスの運行"],
                [("乗合タクシーの利用者数", "2,600人→3,500人")],
            ),
            (
                "防災力の向上",
                ["防災訓練の実施", "避難所の備蓄の充実"],
                [("防災訓練の参加者数", "1,100人→1,800人")],
            ),
        ],
    ),
]


def build_x(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    kit.cover(
        doc, "曙町", "曙町デジタル田園都市構想総合戦略", "（令和7年度～令和11年度）", "令和7年3月"
    )
    kit.para(doc, "施策の体系と重要業績評価指標", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(AKEBONO, 1):
        kit.para(doc, f"{str(gi).translate(kit.FW)}．{goal}", bold=True, size=14)
        for mi, (title, items, kpis) in enumerate(measures, 1):
            kit.para(doc, f"({mi}) {title}", bold=True, size=11.5)
            for it in items:
                kit.para(doc, f"◇{it}", indent=12)
            rows = [
                ["重要業績評価指標（KPI）", "現状値（R5）→目標値（R11）"],
                *[list(k) for k in kpis],
            ]
            kit.grid_table(doc, rows, [240, 200])
    return BATCH.save(doc, name, "docx")


_BUILDERS = {
    "t_goalword_bold": build_t,
    "u_calc_bracket": build_u,
    "w_heading_styles": build_w,
    "x_arrow_cell": build_x,
}

DOCS = {name: kit.Doc(build) for name, build in _BUILDERS.items()}
