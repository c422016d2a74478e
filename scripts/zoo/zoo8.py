"""The eighth layout batch (corpora/zoo8): a blind check of the zoo7 mechanisms, session 4.

Written after textkit learned zoo7 (chapters as the goal level, plain numbered goals over styled
measures, divider slides, total rows, bracket pieces) and BEFORE textkit was run on any of these:
the same kinds of layout in other surface forms, so those mechanisms are measured on documents
they were not fitted to. Everything is invented; the gold is written from the same plan as the
page, ``absent`` lists lines that must be neither a measure nor a KPI.

* zv_toc_sections     a 「もくじ」 page over two pages without leaders (page numbers after a right
                      tab); the goals are 「第N節」 inside 「第3章 施策の展開」; 施策N－M measures.
* zw_plain_roman      goals 「Ⅰ　…」 in plain 10.5 pt text; measures unnumbered bold 11 pt with a ■
                      mark; ○ items; KPI tables 成果指標 | 現状値（R5） | 目標値（R11）.
* zx_calc_subtotals   an Excel sheet (Calc, landscape): 基本目標 band rows, measure cells merged down,
                      one KPI per row, a 小計 row under each goal's measures and a 合計 row at the end
                      (事業費 columns).
* zy_divider_below    a deck: divider slides with 「第1章」 … large and the goal title below it, one
                      slide per measure with 「①　…」 titles, ・ items, KPI table shapes.
* zz_style_chapters   Word heading styles with numbering linked in styles.xml: 「第%1章」 on 見出し1
                      (chapters 1 and 5 prose, 2–4 goals), 「%1-%2」 on 見出し2 (measures; 1-1 sections
                      in the prose chapters too); ・ items; KPI tables with a 合計 row.

Run with ``make zoo8`` (not part of ``make test``; shared parts: ``scripts/zoo/kit.py``).
"""

from __future__ import annotations

from pathlib import Path

from scripts.zoo import kit
from scripts.zoo.zoo5 import kpi_table

BATCH = kit.Batch("zoo8", author="textkit zoo8")
SPACE = "\u3000"


# ── ZV: もくじ over two pages without leaders; 第N節 goals ──────────────────────

KAMOME = [
    (
        "港町の産業を伸ばす",
        [
            (
                "水産加工の振興",
                ["加工設備の更新補助", "新商品の開発支援"],
                [("水産加工品の出荷額", "48億円", "55億円")],
            ),
            (
                "港の物流の強化",
                ["岸壁の改修", "冷蔵倉庫の誘致"],
                [("港の取扱貨物量", "120万トン", "140万トン")],
            ),
        ],
    ),
    (
        "港町に人を呼び込む",
        [
            (
                "クルーズ船の誘致",
                ["寄港地観光の造成", "おもてなし体制の整備"],
                [("クルーズ船の寄港回数", "6回", "15回")],
            ),
            (
                "移住の支援",
                ["移住支援金の支給", "移住相談窓口の運営"],
                [("移住相談の件数", "90件", "180件")],
            ),
        ],
    ),
    (
        "港町で子どもを育てる",
        [
            (
                "保育の充実",
                ["保育士の処遇改善", "延長保育の拡充"],
                [("延長保育の利用者数", "140人", "220人")],
            ),
            (
                "学びの支援",
                ["学習塾の費用助成", "図書館の開館時間延長"],
                [("図書館の利用者数", "5.2万人", "7.0万人")],
            ),
        ],
    ),
]


def build_zv(name: str) -> Path:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Pt

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "かもめ市", "かもめ市総合戦略（第3期）", "令和7年度～令和11年度", "令和7年3月")
    p = kit.para(doc, "も　く　じ", bold=True, size=16, page_break=True)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    entries = [("第1章　総合戦略の概要", 1, 0), ("1　策定の目的", 1, 1), ("2　計画期間", 1, 1)]
    entries += [("3　国の総合戦略との関係", 2, 1), ("第2章　人口の現状", 3, 0)]
    entries += [
        (f"{i}　{t}", 3 + i // 2, 1)
        for i, t in enumerate(
            [
                "人口の推移",
                "年齢別の人口",
                "自然動態",
                "出生の動向",
                "社会動態",
                "転入と転出",
                "産業別の就業者",
                "通勤と通学",
                "世帯の状況",
                "地区別の人口",
                "将来推計",
                "人口の将来展望",
                "目指す将来人口",
            ],
            1,
        )
    ]
    entries += [("第3章　施策の展開", 6, 0)]
    page = 6
    for gi, (goal, measures) in enumerate(KAMOME, 1):
        entries.append((f"第{gi}節　{goal}", page, 1))
        for mi, (title, _, _) in enumerate(measures, 1):
            entries.append((f"施策{gi}－{mi}　{title}", page, 2))
        page += 2
    entries += [("第4章　推進体制", page, 0), ("資料", page + 1, 0)]
    entries += [
        (f"資料{i}　{t}", page + 1 + i, 1)
        for i, t in enumerate(
            [
                "策定経過",
                "委員名簿",
                "用語集",
                "統計資料",
                "アンケート結果",
                "高校生の意見",
                "第2期の検証",
                "KPI一覧",
                "関連計画",
                "問い合わせ先",
            ],
            1,
        )
    ]
    for text, pg, level in entries:
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Pt(16 * level)
        p.paragraph_format.space_before = Pt(14)
        p.paragraph_format.tab_stops.add_tab_stop(Pt(440), WD_TAB_ALIGNMENT.RIGHT)
        p.add_run(f"{text}\t{pg}")
    kit.para(doc, "第1章　総合戦略の概要", bold=True, size=16, page_break=True)
    kit.para(doc, "本戦略の計画期間は、令和7年度から令和11年度までの5年間とする。")
    kit.para(doc, "第3章　施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(KAMOME, 1):
        kit.para(doc, f"第{gi}節{SPACE}{goal}", bold=True, size=14, page_break=gi > 1)
        for mi, (title, items, kpis) in enumerate(measures, 1):
            kit.para(doc, f"施策{gi}－{mi}{SPACE}{title}", bold=True, size=12)
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    kit.para(doc, "第4章　推進体制", bold=True, size=16, page_break=True)
    kit.para(doc, "推進会議において毎年度効果を検証する。")
    return BATCH.save(doc, name, "docx")


# ── ZW: Ⅰ goals in plain text, ■ bold 11 pt measures ─────────────────────────

NANOHANA = [
    (
        "菜の花の里で仕事をつくる",
        [
            (
                "菜種油のブランド化",
                ["搾油所の設備更新", "首都圏での販売会", "ふるさと納税返礼品への登録"],
                [("菜種油の販売本数", "8,000本", "15,000本")],
            ),
            (
                "農家民泊の推進",
                ["民泊の開業支援", "教育旅行の誘致"],
                [("農家民泊の宿泊者数", "300人", "900人")],
            ),
        ],
    ),
    (
        "菜の花の里に住む人を増やす",
        [
            (
                "空き家の活用",
                ["空き家バンクの運営", "改修費の補助"],
                [("空き家バンクの成約件数", "5件", "20件")],
            ),
            (
                "定住の支援",
                ["定住奨励金の支給", "若者の住宅取得の支援"],
                [("定住奨励金の交付件数", "12件", "30件")],
            ),
        ],
    ),
]


def build_zw(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "菜の花村", "菜の花村総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    kit.para(doc, "施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(NANOHANA):
        p = kit.para(doc, f"{kit.ROMAN[gi]}{SPACE}{goal}", page_break=gi > 0)
        p.paragraph_format.space_after = Pt(4)
        kit.para(doc, "村民とともに、次の施策に取り組みます。")
        for title, items, kpis in measures:
            p = kit.para(doc, f"■{title}", bold=True, size=11)
            p.paragraph_format.space_before = Pt(6)
            for it in items:
                kit.para(doc, f"○{it}", indent=21)
            kpi_table(doc, kpis, ("成果指標", "現状値（R5）", "目標値（R11）"))
    return BATCH.save(doc, name, "docx")


# ── ZX: a Calc sheet with 小計 / 合計 rows ────────────────────────────────────

MIHARU = [
    (
        "地域経済を元気にする",
        [
            ("企業誘致", [("誘致企業数", "2社", "6社")], 30000),
            ("商店の支援", [("空き店舗への出店数", "3件", "12件")], 12000),
        ],
    ),
    (
        "人の流れをつくる",
        [
            ("移住の推進", [("移住者数", "40人", "100人")], 18000),
            (
                "観光の推進",
                [("観光入込客数", "35万人", "45万人"), ("宿泊客数", "3.2万人", "4.0万人")],
                25000,
            ),
        ],
    ),
    (
        "子育てを支える",
        [
            ("保育の充実", [("待機児童数", "6人", "0人")], 40000),
            ("子育ての相談", [("子育て相談の件数", "450件", "700件")], 8000),
        ],
    ),
]


def build_zx(name: str) -> Path:
    from openpyxl.styles import Font

    sheet = kit.Sheet()
    ws = sheet.ws
    for col, width in zip("ABCDEF", (30, 34, 14, 14, 16, 12), strict=True):
        ws.column_dimensions[col].width = width
    ws["A1"] = "美春町総合戦略　施策・重要業績評価指標・事業費一覧（令和7年度～令和11年度）"
    ws["A1"].font = Font(name=kit.FONT, size=13, bold=True)
    ws.merge_cells("A1:F1")
    head = ["施策", "重要業績評価指標", "基準値（R5）", "目標値（R11）", "事業費（千円）", "担当課"]
    for c, text in enumerate(head, 1):
        cell = sheet.put(3, c, text, sheet.bold)
        cell.fill = sheet.head_fill
    ws.print_title_rows = "3:3"
    row = 4
    grand = 0
    for gi, (goal, measures) in enumerate(MIHARU, 1):
        sheet.band(row, f"基本目標{gi}　{goal}")
        row += 1
        sub = 0
        for title, kpis, cost in measures:
            top = row
            for kname, base, target in kpis:
                sheet.put(row, 2, kname)
                sheet.put(row, 3, base)
                sheet.put(row, 4, target)
                sheet.put(row, 6, "企画課")
                ws.row_dimensions[row].height = 24
                row += 1
            sheet.put(top, 1, title, sheet.bold)
            sheet.put(top, 5, f"{cost:,}")
            for r in range(top + 1, row):
                sheet.put(r, 1, None)
                sheet.put(r, 5, None)
            if row - top > 1:
                sheet.merge(top, 1, row - 1, 1)
                sheet.merge(top, 5, row - 1, 5)
            sub += cost
        sheet.put(row, 1, "小計", sheet.bold)
        for c in (2, 3, 4, 6):
            sheet.put(row, c, None)
        sheet.put(row, 5, f"{sub:,}", sheet.bold)
        row += 1
        grand += sub
    sheet.put(row, 1, "合計", sheet.bold)
    for c in (2, 3, 4, 6):
        sheet.put(row, c, None)
    sheet.put(row, 5, f"{grand:,}", sheet.bold)
    sheet.fit_page(landscape=True)
    return BATCH.save(sheet.wb, name, "xlsx")


# ── ZY: divider slides 第N章 with the title below, ① measure slides ────────────

WAKAKUSA = [
    (
        "若草の丘で働く",
        [
            (
                "農業の法人化の支援",
                ["法人設立の相談", "雇用就農者の研修"],
                [("農業法人の数", "8法人", "15法人")],
            ),
            (
                "起業の支援",
                ["起業塾の開催", "シェアオフィスの運営"],
                [("起業塾からの起業者数", "3人", "12人")],
            ),
        ],
    ),
    (
        "若草の丘に集う",
        [
            (
                "スポーツ合宿の誘致",
                ["合宿費用の補助", "グラウンドの改修"],
                [("合宿の延べ宿泊者数", "1,800人", "3,500人")],
            ),
            (
                "交流拠点の整備",
                ["道の駅の改修", "交流イベントの開催"],
                [("道の駅の来場者数", "28万人", "35万人")],
            ),
        ],
    ),
]


def build_zy(name: str) -> Path:
    prs = kit.new_pptx()
    blank = prs.slide_layouts[6]
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 1, 2.4, 11.3, 1.2, ["若草町 第3期総合戦略（素案）"], size=36, bold=True)
    kit.textbox(s, 1, 4.0, 11.3, 0.8, ["令和6年12月　若草町総合戦略検討委員会"], size=20)
    for gi, (goal, measures) in enumerate(WAKAKUSA, 1):
        s = prs.slides.add_slide(blank)
        kit.textbox(s, 1, 2.2, 11.3, 1.2, [f"第{gi}章"], size=44, bold=True, color="1F4E79")
        kit.textbox(s, 1, 3.6, 11.3, 1.0, [goal], size=28)
        for mi, (title, items, kpis) in enumerate(measures):
            s = prs.slides.add_slide(blank)
            kit.textbox(
                s,
                0.4,
                0.3,
                12.5,
                0.9,
                [f"{kit.CIRCLED[mi]}　{title}"],
                size=28,
                bold=True,
                fill="E2EFDA",
            )
            kit.textbox(s, 0.5, 1.5, 5.6, 4.0, [f"・{it}" for it in items], size=18)
            rows = [["成果指標", "現状値（R5）", "目標値（R11）"], *[list(k) for k in kpis]]
            kit.slide_table(s, 6.4, 1.5, 6.4, rows, (3.4, 1.5, 1.5), size=14)
    return BATCH.save(prs, name, "pptx")


# ── ZZ: 第%1章 / %1-%2 linked in the heading styles ────────────────────────────

KOMORI = [
    (
        "地域の稼ぐ力を高める",
        [
            (
                "特産品の開発",
                ["商品開発の補助", "デザイナーとの連携"],
                [("新商品の数（食品）", "4品", "10品"), ("新商品の数（工芸品）", "2品", "6品")],
            ),
            (
                "観光の振興",
                ["観光案内の多言語化", "周遊バスの運行"],
                [("観光入込客数", "22万人", "30万人")],
            ),
        ],
    ),
    (
        "新しい人の流れをつくる",
        [
            (
                "移住の支援",
                ["移住体験ツアー", "住宅取得の補助"],
                [("移住者数（単身）", "15人", "30人"), ("移住者数（世帯）", "10世帯", "25世帯")],
            ),
            (
                "関係人口の創出",
                ["ふるさと会の運営", "副業人材の受入れ"],
                [("ふるさと会の会員数", "250人", "500人")],
            ),
        ],
    ),
    (
        "安心して暮らせる地域をつくる",
        [
            (
                "防災の強化",
                ["防災訓練の実施", "避難所の備蓄"],
                [("防災訓練の参加者数", "1,100人", "2,000人")],
            ),
            (
                "健康の増進",
                ["健康教室の開催", "がん検診の受診勧奨"],
                [("がん検診の受診率", "35.0%", "50.0%")],
            ),
        ],
    ),
]
CHAPTER_NUM = 80


def _chapter_styles(doc):
    font = f"<w:rFonts w:ascii='{kit.FONT}' w:eastAsia='{kit.FONT}' w:hAnsi='{kit.FONT}'/>"
    outline = (
        f"<w:abstractNum {kit.wns()} w:abstractNumId='{CHAPTER_NUM}'>"
        "<w:multiLevelType w:val='multilevel'/>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='decimal'/>"
        "<w:pStyle w:val='Heading1'/><w:suff w:val='space'/><w:lvlText w:val='第%1章'/>"
        "<w:lvlJc w:val='left'/><w:pPr><w:ind w:left='0' w:firstLine='0'/></w:pPr>"
        f"<w:rPr>{font}</w:rPr></w:lvl>"
        "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='decimal'/>"
        "<w:pStyle w:val='Heading2'/><w:suff w:val='space'/><w:lvlText w:val='%1-%2'/>"
        "<w:lvlJc w:val='left'/><w:pPr><w:ind w:left='0' w:firstLine='0'/></w:pPr>"
        f"<w:rPr>{font}</w:rPr></w:lvl>"
        "</w:abstractNum>"
    )
    kit.add_lists(doc, [outline], [kit.num(CHAPTER_NUM)])
    for level in (1, 2):
        num_pr = doc.styles[f"Heading {level}"].element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level - 1
        num_pr.get_or_add_numId().val = CHAPTER_NUM


def _kpi_table_with_total(doc, kpis):
    """A KPI table; with more than one KPI, a 「合　計」 row under them (their sums when they share
    a unit; 人 and 世帯 counted together as people otherwise)."""
    rows = [["指標", "現状値（R5）", "目標値（R11）"], *[list(k) for k in kpis]]
    if len(kpis) > 1:
        cells = [[kit.value(c) or (0.0, "") for c in k[1:]] for k in kpis]
        units = {c[0][1] for c in cells}
        if len(units) == 1:
            unit = units.pop()
            base, target = (sum(c[i][0] for c in cells) for i in (0, 1))
            rows.append(["合　計", f"{base:,g}{unit}", f"{target:,g}{unit}"])
        else:
            rows.append(["合　計", "25人", "55人"])
    kit.grid_table(doc, rows, [230, 100, 100])


def build_zz(name: str) -> Path:
    from docx.shared import Pt, RGBColor

    doc = kit.new_docx(paper="letter")
    _chapter_styles(doc)
    kit.cover(doc, "小森町", "小森町総合戦略", "（第3期）", "令和7年3月")

    def heading(text, level):
        p = doc.add_paragraph(style=f"Heading {level}")
        p.paragraph_format.page_break_before = level == 1
        r = p.add_run(text)
        r.font.color.rgb = RGBColor(0, 0, 0)
        r.font.size = Pt(16 if level == 1 else 12)

    heading("総合戦略の考え方", 1)
    heading("計画の期間", 2)
    kit.para(doc, "令和7年度から令和11年度までの5年間とします。")
    heading("計画の位置付け", 2)
    kit.para(doc, "小森町総合計画の人口減少対策を具体化する計画です。")
    for goal, measures in KOMORI:
        heading(goal, 1)
        kit.para(doc, f"{goal}ため、次の施策に取り組みます。")
        for title, items, kpis in measures:
            heading(title, 2)
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            _kpi_table_with_total(doc, kpis)
    heading("推進体制", 1)
    heading("推進会議", 2)
    kit.para(doc, "有識者を含む推進会議で、毎年度検証します。")
    return BATCH.save(doc, name, "docx")


def _zx_plan():
    return [(g, [(t, [], k) for t, k, _ in ms]) for g, ms in MIHARU]


_DOCS = {
    "zv_toc_sections": (
        build_zv,
        KAMOME,
        "かもめ市",
        (),
        "「も　く　じ」 over two pages without leaders (page numbers after a right tab); goals 第N節 inside 第3章; 施策N－M measures; ・ items; KPI tables",
    ),
    "zw_plain_roman": (
        build_zw,
        NANOHANA,
        "菜の花村",
        (),
        "goals 「Ⅰ　…」 in plain 10.5 pt text; measures ■ + bold 11 pt unnumbered; ○ items; KPI tables 成果指標",
    ),
    "zx_calc_subtotals": (
        build_zx,
        _zx_plan(),
        "美春町",
        ("小計", "合計"),
        "Calc sheet (landscape): 基本目標 band rows, measure cells merged down, one KPI per row, 事業費 column, a 小計 row under each goal and a 合計 row at the end",
    ),
    "zy_divider_below": (
        build_zy,
        WAKAKUSA,
        "若草町",
        (),
        "deck: divider slides 「第N章」 large with the goal title below; one slide per measure 「①　…」 in a band; ・ items; KPI table shapes",
    ),
    "zz_style_chapters": (
        build_zz,
        KOMORI,
        "小森町",
        ("合計",),
        "numbering linked in the heading styles: 第%1章 on 見出し1 (chapters 1 and 5 prose), %1-%2 on 見出し2; ・ items; KPI tables with a 合　計 row",
    ),
}

DOCS = {
    name: kit.Doc(build, kit.plan_gold(plan, family=family, town=town, absent=absent))
    for name, (build, plan, town, absent, family) in _DOCS.items()
}
