"""Build the third layout zoo (corpora/zoo3): a blind check of the zoo2 mechanisms.

Written AFTER the parser learned the zoo2 layouts (typography levels, outline tables, Word list
numbering, prose KPIs) and BEFORE textkit was run on any of these: the same kinds of layout with
other surface conventions, so the mechanisms are measured on documents they were not tuned on. The
gold files (``corpora/zoo3/*.gold.json``) were typed by hand from the text below. Everything is
invented.

* p_word_circled   goals typed 基本目標N; measures numbered by a Word list in ① format (restarting
                   per goal, the number only in the list); ◆ Word bullets; 4-column KPI tables
                   指標名 | 単位 | 現状値（R5） | 目標値（R11） with bare numbers; a "-" baseline.
* q_calc_columns   an Excel sheet (Calc → PDF): goal cells merged down a 基本目標 column (「1 …」),
                   measure cells merged down, one 具体的な取組 per row without bullets, one KPI per
                   row with 基準値（R5） / 目標値（R11） columns.
* r_typography_shaded  no numbering: goals are white bold text on a shaded (coloured) paragraph,
                   measures ◆ + bold, ○ items, KPIs as 「【成果指標】名　24人（R5）→ 30人（R11）」 lines.
* s_slides_measure_band  a deck with one slide per measure: the goal 「基本目標N　…」 as a small
                   header repeated on each slide, the measure 「施策N－M　…」 in a coloured band, ・
                   items, a KPI table at the foot of the slide.

Run with ``make zoo3`` (not part of ``make test``; shared parts: ``scripts/zoo/kit.py``); needs what ``make zoo2`` needs.
"""

from __future__ import annotations

from pathlib import Path

from scripts.zoo import kit

BATCH = kit.Batch("zoo3", author="textkit zoo2")


# ── P: Word list numbering in ① format ──────────────────────────────────────

CIRCLE_NUM = 92
DIAMOND_NUM = 93

MIDORIKAWA = [
    (
        "豊かな農業と地場産業を育てる",
        ("農業産出額", "32億円", "35億円"),
        [
            (
                "担い手の育成と農地の保全",
                ["新規就農者への家賃補助", "農地中間管理事業の活用"],
                [("認定農業者数", "人", "145", "160")],
            ),
            (
                "地場産業の販路拡大",
                ["商談会への出展支援", "オンライン販売の支援", "地域商社の設立"],
                [
                    ("商談会での成約件数", "件", "6", "15"),
                    ("地域商社の取扱額", "万円", "-", "5,000"),
                ],
            ),
        ],
    ),
    (
        "緑川町への移住と定住を進める",
        ("転入者数", "210人", "250人"),
        [
            (
                "移住支援の充実",
                ["移住支援金の交付", "空き家改修の補助"],
                [("移住支援金の交付件数", "件", "4", "12")],
            ),
            (
                "若者の定住の促進",
                ["若者向け住宅の整備", "結婚新生活の支援"],
                [("若者向け住宅の入居率", "％", "82.0", "95.0")],
            ),
        ],
    ),
    (
        "健康で安心して暮らせる町をつくる",
        ("男性の健康寿命", "79.2歳", "80.0歳"),
        [
            (
                "健康づくりと医療の確保",
                ["がん検診の受診勧奨", "オンライン診療の導入"],
                [("がん検診の受診率", "％", "28.5", "40.0")],
            ),
            (
                "防災と地域の安全",
                ["自主防災組織の育成", "防災行政無線の更新"],
                [("自主防災組織の組織率", "％", "64.0", "80.0")],
            ),
        ],
    ),
]


def _lists(doc, goals: int):
    """A ① list (one numbering instance per goal, so it restarts) and a ◆ bullet list."""
    font = f"<w:rPr><w:rFonts w:ascii='{kit.FONT}' w:eastAsia='{kit.FONT}' w:hAnsi='{kit.FONT}'/><w:b/></w:rPr>"
    circled = (
        f"<w:abstractNum {kit.wns()} w:abstractNumId='{CIRCLE_NUM}'>"
        "<w:multiLevelType w:val='singleLevel'/>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='decimalEnclosedCircle'/>"
        "<w:lvlText w:val='%1'/><w:lvlJc w:val='left'/>"
        f"<w:pPr><w:ind w:left='420' w:hanging='420'/></w:pPr>{font}</w:lvl></w:abstractNum>"
    )
    diamond = (
        f"<w:abstractNum {kit.wns()} w:abstractNumId='{DIAMOND_NUM}'>"
        "<w:multiLevelType w:val='singleLevel'/>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='bullet'/><w:lvlText w:val='◆'/>"
        "<w:lvlJc w:val='left'/><w:pPr><w:ind w:left='840' w:hanging='420'/></w:pPr>"
        f"<w:rPr><w:rFonts w:ascii='{kit.FONT}' w:eastAsia='{kit.FONT}' w:hAnsi='{kit.FONT}'/></w:rPr>"
        "</w:lvl></w:abstractNum>"
    )
    restarting = [
        f"<w:num {kit.wns()} w:numId='{CIRCLE_NUM * 10 + gi}'>"
        f"<w:abstractNumId w:val='{CIRCLE_NUM}'/>"
        "<w:lvlOverride w:ilvl='0'><w:startOverride w:val='1'/></w:lvlOverride></w:num>"
        for gi in range(goals)
    ]
    kit.add_lists(doc, [circled, diamond], [*restarting, kit.num(DIAMOND_NUM)])


def build_p(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    _lists(doc, len(MIDORIKAWA))
    kit.cover(
        doc,
        "緑川町",
        "第3期 緑川町まち・ひと・しごと創生総合戦略",
        "（令和7年度～令和11年度）",
        "令和7年3月",
    )
    kit.para(doc, "第1章　はじめに", bold=True, size=16, page_break=True)
    kit.para(doc, "本町の人口減少に歯止めをかけるため、第3期の総合戦略を定める。")
    kit.para(doc, "計画期間は令和7年度から令和11年度までの5年間とする。")
    kit.para(doc, "第2章　施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, target, measures) in enumerate(MIDORIKAWA):
        kit.para(
            doc,
            f"基本目標{str(gi + 1).translate(kit.FW)}　{goal}",
            bold=True,
            size=13,
            page_break=gi > 0,
        )
        kit.grid_table(
            doc, [["数値目標", "現状値（R5）", "目標値（R11）"], list(target)], [220, 110, 110]
        )
        for title, items, kpis in measures:
            p = kit.para(doc, title, bold=True)
            kit.numbered(p, CIRCLE_NUM * 10 + gi, 0)
            kit.para(doc, f"{title}に向け、町と関係団体が連携して次の事業を進める。", indent=21)
            for it in items:
                q = kit.para(doc, it)
                kit.numbered(q, DIAMOND_NUM, 0)
            rows = [["指標名", "単位", "現状値（R5）", "目標値（R11）"], *[list(k) for k in kpis]]
            kit.grid_table(doc, rows, [200, 50, 95, 95], header_bold=False)
    kit.para(doc, "第3章　推進体制", bold=True, size=16, page_break=True)
    kit.para(doc, "町民と有識者からなる推進会議で、毎年度、施策の効果を検証する。")
    return BATCH.save(doc, name, "docx")


# ── Q: Excel sheet, goal and measure cells merged down, base/target columns ─

HIGASHIHAMA = [
    (
        "1 多様なしごとを創る",
        [
            (
                "(1) 企業の立地と創業の支援",
                ["企業立地奨励金の交付", "創業支援補助金の交付", "創業相談会の開催"],
                [("企業立地件数", "2件", "8件"), ("創業件数", "5件", "20件")],
            ),
            (
                "(2) 観光産業の振興",
                ["観光アプリの導入", "夜間観光イベントの開催"],
                [("宿泊者数", "12.4万人", "15.0万人")],
            ),
        ],
    ),
    (
        "2 東浜市に住み続けたいと思える暮らしをつくる",
        [
            (
                "(1) 公共交通の利便性の向上",
                ["コミュニティバスの再編", "バス停の待合環境の整備"],
                [("コミュニティバスの利用者数", "45,000人", "52,000人")],
            ),
            (
                "(2) 住環境の整備",
                ["公園の再整備", "空き家の除却の補助"],
                [("空き家の除却件数", "10件", "40件")],
            ),
        ],
    ),
    (
        "3 子どもを産み育てやすいまちをつくる",
        [
            (
                "(1) 保育と教育の充実",
                ["保育士の処遇改善", "学習支援員の配置"],
                [("保育所の待機児童数", "6人", "0人")],
            ),
        ],
    ),
]


def build_q(name: str) -> Path:
    from openpyxl.styles import Font

    sheet = kit.Sheet()
    ws = sheet.ws
    for col, width in zip("ABCDEF", (22, 28, 30, 30, 13, 13), strict=True):
        ws.column_dimensions[col].width = width
    ws["A1"] = "東浜市総合戦略（令和7年度～令和11年度）　施策体系と重要業績評価指標"
    ws["A1"].font = Font(name=kit.FONT, size=14, bold=True)
    ws.merge_cells("A1:F1")
    header = [
        "基本目標",
        "施策",
        "具体的な取組",
        "重要業績評価指標",
        "基準値（R5）",
        "目標値（R11）",
    ]
    for j, text in enumerate(header, 1):
        sheet.put(2, j, text, sheet.bold).fill = sheet.head_fill
    ws.print_title_rows = "2:2"
    row = 3
    for goal, measures in HIGASHIHAMA:
        top = row
        for title, items, kpis in measures:
            n = max(len(items), len(kpis))
            sheet.put(row, 2, title, sheet.bold)
            for r in range(row + 1, row + n):
                sheet.put(r, 2, None)
            sheet.merge(row, 2, row + n - 1, 2)
            for i in range(n):
                sheet.put(row + i, 3, items[i] if i < len(items) else None)
                k = kpis[i] if i < len(kpis) else (None, None, None)
                for c, v in zip((4, 5, 6), k, strict=True):
                    sheet.put(row + i, c, v)
                ws.row_dimensions[row + i].height = 30
            row += n
        sheet.put(top, 1, goal, sheet.bold)
        for r in range(top + 1, row):
            sheet.put(r, 1, None)
        sheet.merge(top, 1, row - 1, 1)
    sheet.fit_page(landscape=True)
    return BATCH.save(sheet.wb, name, "xlsx")


# ── R: typography only, shaded goal paragraphs, 【成果指標】 lines ─────────

NISHINOMORI = [
    (
        "森とともに働く",
        [
            (
                "林業の担い手の確保",
                ["林業研修の実施", "林業機械の導入補助"],
                "林業従事者数　24人（R5）→ 30人（R11）",
            ),
            (
                "木材の地産地消",
                ["村産材の住宅への利用補助", "木工品の開発"],
                "村産材の利用量　850t（R5）→ 1,200t（R11）",
            ),
        ],
    ),
    (
        "村の暮らしを未来へつなぐ",
        [
            (
                "集落の維持と支え合い",
                ["集落支援員の配置", "移動販売車の運行支援"],
                "集落支援員の数　2人（R5）→ 5人（R11）",
            ),
            (
                "移住者の受入れ",
                ["お試し住宅の運営", "移住相談会の開催", "移住者交流会の開催"],
                "移住者数　7人（R5）→ 15人（R11）",
            ),
        ],
    ),
    (
        "子どもたちの学びを支える",
        [
            (
                "小規模校の特色ある教育",
                ["山村留学の受入れ", "ICT機器の更新"],
                "山村留学の児童数　3人（R5）→ 8人（R11）",
            )
        ],
    ),
]


def build_r(name: str) -> Path:
    from docx.shared import Pt, RGBColor

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "西ノ森村", "西ノ森村総合戦略", "令和7年度－令和11年度", "令和7年3月")
    kit.para(doc, "戦略の基本的な考え方", bold=True, size=16, page_break=True)
    kit.para(doc, "村の豊かな森林資源と、人と人とのつながりを生かし、次の3つの柱で取り組みます。")
    kit.para(doc, "施策ごとに成果指標を定め、毎年度、達成状況を確認します。")
    for gi, (goal, measures) in enumerate(NISHINOMORI):
        p = doc.add_paragraph()
        if gi == 0:
            p.paragraph_format.page_break_before = True
        r = p.add_run(goal)
        r.bold = True
        r.font.size = Pt(14)
        r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        kit.shaded(p, "385723")
        kit.para(doc, "森と暮らしの調和を大切にしながら、村民とともに取り組みます。")
        for title, items, kpi in measures:
            kit.para(doc, f"◆ {title}", bold=True, size=11)
            for it in items:
                kit.para(doc, f"○{it}", indent=12)
            kit.para(doc, f"【成果指標】{kpi}", indent=12)
    kit.para(doc, "戦略の推進", bold=True, size=16, page_break=True)
    kit.para(doc, "村民と専門家による懇談会で、毎年度、成果指標の状況を確認します。")
    return BATCH.save(doc, name, "docx")


# ── S: deck, one slide per measure, goal as a small header ─────────────────

HOKUYO = [
    (
        "産業の活力を高める",
        [
            (
                "ものづくり産業の振興",
                ["技術開発への補助", "展示会出展の支援"],
                [("製造業の従業者数", "8,200人", "8,500人")],
            ),
            (
                "農業の6次産業化",
                ["加工品開発の支援", "直売所の整備"],
                [("6次産業化の認定件数", "3件", "9件")],
            ),
        ],
    ),
    (
        "選ばれるまちをつくる",
        [
            (
                "中心市街地のにぎわいづくり",
                ["空き店舗の活用", "まちなかイベントの開催"],
                [
                    ("中心市街地の空き店舗数", "34件", "20件"),
                    ("まちなかイベントの来場者数", "2.1万人", "3.0万人"),
                ],
            ),
            (
                "シティプロモーションの強化",
                ["動画による魅力発信", "ふるさと大使の任命"],
                [("ふるさと納税の寄附額", "4.2億円", "6.0億円")],
            ),
        ],
    ),
]


def _table(slide, x, y, w, rows):
    kit.slide_table(slide, x, y, w, rows, (5.6, 2.6, 2.6), size=14, row_height=0.42)


def build_s(name: str) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 1, 2.4, 11.3, 1.2, ["北陽市 第3期総合戦略（素案）"], size=36, bold=True)
    kit.textbox(s, 1, 4.0, 11.3, 0.8, ["令和6年11月　北陽市総合戦略推進本部会議"], size=20)
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 0.5, 0.3, 12, 0.8, ["本日の内容"], size=28, bold=True)
    kit.textbox(
        s,
        1,
        1.5,
        11,
        3,
        ["1　総合戦略（素案）の概要", "2　施策ごとの取組と指標", "3　今後の予定"],
        size=22,
    )
    for gi, (goal, measures) in enumerate(HOKUYO, 1):
        for mi, (title, items, kpis) in enumerate(measures, 1):
            s = prs.slides.add_slide(blank)
            fw = str.maketrans("0123456789", "０１２３４５６７８９")
            kit.textbox(
                s, 0.4, 0.15, 12, 0.5, [f"基本目標{str(gi).translate(fw)}　{goal}"], size=14
            )
            kit.textbox(
                s,
                0,
                0.7,
                13.333,
                0.9,
                [f"施策{str(gi).translate(fw)}－{str(mi).translate(fw)}　{title}"],
                size=26,
                bold=True,
                color="FFFFFF",
                fill="7030A0",
            )
            kit.textbox(s, 0.6, 1.9, 12, 2.4, [f"・{it}" for it in items], size=20)
            _table(
                s, 1.2, 4.6, 10.8, [("指標", "現状値（令和5年度）", "目標値（令和11年度）"), *kpis]
            )
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 0.5, 0.3, 12, 0.8, ["今後の予定"], size=28, bold=True)
    kit.textbox(s, 1, 1.5, 11, 3, ["12月　市民意見募集", "2月　推進本部会議", "3月　策定"], size=20)
    return BATCH.save(prs, name, "pptx")


_BUILDERS = {
    "p_word_circled": build_p,
    "q_calc_columns": build_q,
    "r_typography_shaded": build_r,
    "s_slides_measure_band": build_s,
}

DOCS = {name: kit.Doc(build) for name, build in _BUILDERS.items()}
