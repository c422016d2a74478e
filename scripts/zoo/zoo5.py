"""Build the fifth layout zoo (corpora/zoo5): a blind batch written in session 3, before any run.

Written BEFORE textkit was run on any of these (commit "zoo5: sources, PDFs and gold before any
run"); everything is invented. Unlike zoo2–zoo4 the gold files are written by this script from the
same plan as the document (like the first zoo), so the gold is exactly what the page says. Layouts
the earlier zoos do not have, each the way a real municipal office makes it:

* y_word_multilevel   Word 見出し1 / 見出し2 with a multilevel list 「第%1章」 / 「%1-%2」 (numbers only in
                      the list, the label set in a smaller size than the heading text); the goals are
                      chapters 2–4, chapter 1 (基本的な考え方) and chapter 5 (推進体制) have 1-1 sections
                      without KPIs; ○ items; KPI tables.
* z_runin_bold        １． goals; measures are bold run-in headings with their explanation on the same
                      line (「地元産品の販路拡大　首都圏の…」); ・ items; KPI tables.
* za_calc_numbers     an Excel sheet (landscape): goal title cells merged down (no number), the measure
                      number 「1-1」 in its own column beside the title, one KPI per row with 単位 /
                      基準値（R5） / 目標値（R11） and a 担当課 column on the right; no item column.
* zb_bracket_measures 基本目標N goals with a 【現状と課題】 paragraph; measures are 「【施策名】」 lines in
                      brackets; 【主な取組】 label with ○ items; 【重要業績評価指標】 label with
                      「・名　64万人（R5）→75万人（R11）」 lines.
* zc_slides_boxes     a deck, one goal per slide (title band 基本目標N), measures as boxes side by side:
                      a coloured header box with the unnumbered title, a body box below with ・ items and
                      a 「KPI：名　120人（R5）→200人（R11）」 line.
* zd_counters         full-width digits in headings (１． goals, （１） measures); body lines and items that
                      start with 「6次産業化」「2次交通」「第4次総合計画」「3号認定」「2期連続」 (not numbers).
* ze_toc_headers      a 目次 page listing every goal and measure with dot leaders and page numbers; a
                      running header with the city and the title and a 「－ N －」 page-number footer on
                      every page; 基本目標N goals, ① measures, ・ items, KPI tables.
* zf_partial_numbers  goals unnumbered (bold 14 pt on a shaded paragraph), measures numbered (1) restarting
                      per goal; ・ items; KPI tables with a "-" baseline.
* zg_spacing_measures 基本目標N goals typed; measures are plain 10.5 pt lines (same font, no bold) told
                      from body text only by the space above them; ・ items; KPI tables.

Run with ``make zoo5`` (not part of ``make test``; shared parts: ``scripts/zoo/kit.py``); needs what ``make zoo2`` needs.
"""

from __future__ import annotations

from pathlib import Path

from scripts.zoo import kit

BATCH = kit.Batch("zoo5", author="textkit zoo2")
FW = kit.FW
CIRCLED = "①②③④⑤⑥⑦⑧⑨"


def kpi_table(doc, kpis, head=("指標", "現状値（R5）", "目標値（R11）")):
    kit.grid_table(doc, [list(head), *[list(k) for k in kpis]], [230, 100, 100])


# ── Y: Word multilevel list 第N章 / N-M on 見出し1 / 見出し2 ──────────────────

MULTI_NUM = 70
HIMAWARI = [
    (
        "地域の稼ぐ力を高める",
        [
            (
                "地場産業の競争力の強化",
                ["新商品開発への補助", "販路開拓の専門家派遣"],
                [("新商品の開発件数", "6件", "20件")],
            ),
            (
                "企業誘致の推進",
                ["工業団地の区画の整備", "サテライトオフィスの誘致"],
                [("誘致企業数", "2社", "8社"), ("誘致企業の新規雇用者数", "35人", "120人")],
            ),
        ],
    ),
    (
        "ひまわり市への新しい人の流れをつくる",
        [
            (
                "移住の促進",
                ["移住相談窓口の運営", "お試し住宅の貸出し", "移住者の交流会の開催"],
                [("移住相談を経た移住者数", "24人", "60人")],
            ),
            (
                "大学との連携",
                ["学生のまちづくり活動の支援", "市内就職説明会の開催"],
                [("市内企業に就職した学生数", "18人", "40人")],
            ),
        ],
    ),
    (
        "結婚・出産・子育ての希望をかなえる",
        [
            (
                "出会いの機会の創出",
                ["婚活イベントの開催", "結婚新生活の支援"],
                [("婚活イベントの参加者数", "140人", "300人")],
            ),
            (
                "子育て支援の充実",
                ["放課後児童クラブの拡充", "子ども医療費の助成"],
                [("放課後児童クラブの待機児童数", "28人", "0人")],
            ),
        ],
    ),
]


def _multilevel(doc):
    """第%1章 on Heading 1, %1-%2 on Heading 2; the labels in a smaller size than the text."""
    font = f"<w:rFonts w:ascii='{kit.FONT}' w:eastAsia='{kit.FONT}' w:hAnsi='{kit.FONT}' w:hint='eastAsia'/>"
    outline = (
        f"<w:abstractNum {kit.wns()} w:abstractNumId='{MULTI_NUM}'>"
        "<w:multiLevelType w:val='multilevel'/>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='decimal'/><w:pStyle w:val='Heading1'/>"
        "<w:suff w:val='space'/><w:lvlText w:val='第%1章'/><w:lvlJc w:val='left'/>"
        "<w:pPr><w:ind w:left='0' w:firstLine='0'/></w:pPr>"
        f"<w:rPr>{font}<w:sz w:val='24'/></w:rPr></w:lvl>"
        "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='decimal'/><w:pStyle w:val='Heading2'/>"
        "<w:suff w:val='space'/><w:lvlText w:val='%1-%2'/><w:lvlJc w:val='left'/>"
        "<w:pPr><w:ind w:left='0' w:firstLine='0'/></w:pPr>"
        f"<w:rPr>{font}<w:sz w:val='21'/></w:rPr></w:lvl>"
        "</w:abstractNum>"
    )
    kit.add_lists(doc, [outline], [kit.num(MULTI_NUM)])


def _heading(doc, text: str, level: int, *, size: float, page_break=False, num: int | None = None):
    from docx.shared import Pt, RGBColor

    p = doc.add_paragraph(style=f"Heading {level}")
    p.paragraph_format.page_break_before = page_break
    r = p.add_run(text)
    r.font.color.rgb = RGBColor(0, 0, 0)
    r.font.size = Pt(size)
    if num is not None:
        kit.numbered(p, num, level - 1)
    return p


def build_y(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    _multilevel(doc)
    kit.cover(doc, "ひまわり市", "第3期 ひまわり市総合戦略", "令和7年度～令和11年度", "令和7年3月")

    def h(text, level, page_break=False):
        return _heading(
            doc, text, level, size=16 if level == 1 else 13, page_break=page_break, num=MULTI_NUM
        )

    h("総合戦略の基本的な考え方", 1, page_break=True)
    h("計画の期間", 2)
    kit.para(doc, "本戦略の期間は、令和7年度から令和11年度までの5年間とする。")
    h("基本目標の設定", 2)
    kit.para(doc, "国の総合戦略を勘案し、次の章に掲げる3つの基本目標を設定する。")
    for goal, measures in HIMAWARI:
        h(goal, 1, page_break=True)
        kit.para(doc, "市民、事業者、関係機関と連携し、次の施策に取り組む。")
        for title, items, kpis in measures:
            h(title, 2)
            kit.para(doc, f"{title}に向け、次の事業を実施する。")
            for it in items:
                kit.para(doc, f"○{it}", indent=12)
            kpi_table(doc, kpis)
    h("推進体制", 1, page_break=True)
    h("推進会議による検証", 2)
    kit.para(doc, "有識者による推進会議において、毎年度、施策の効果を検証する。")
    h("戦略の見直し", 2)
    kit.para(doc, "検証の結果を踏まえ、必要に応じて戦略を見直す。")
    return BATCH.save(doc, name, "docx")


# ── Z: bold run-in measure headings ──────────────────────────────────────────

KOMAGI = [
    (
        "地域産業の振興と雇用の創出",
        [
            (
                "地元産品の販路拡大",
                ["首都圏の百貨店での物産展の開催", "ふるさと納税の返礼品の拡充"],
                [("物産展の売上額", "1,800万円", "3,000万円")],
            ),
            (
                "創業の支援",
                ["創業塾の開催", "空き店舗での創業への家賃補助"],
                [("創業塾の受講者数", "22人", "50人"), ("市の支援による創業件数", "5件", "15件")],
            ),
        ],
    ),
    (
        "安全で快適に暮らせるまちづくり",
        [
            (
                "公共交通の利便性の向上",
                ["デマンド交通の運行", "バス路線の再編", "交通系ICカードの導入"],
                [("デマンド交通の利用者数", "4,100人", "6,000人")],
            ),
            (
                "地域防災力の強化",
                ["防災士の資格取得の支援", "自主防災組織の訓練の支援"],
                [("防災士の人数", "46人", "100人")],
            ),
        ],
    ),
]

RUNIN_TEXT = {
    "地元産品の販路拡大": "市内事業者が作る加工品や農産物の魅力を市外に発信し、新たな販路の開拓を支援する。",
    "創業の支援": "創業を志す人が市内で事業を始められるよう、知識の習得から開業後の経営まで支援する。",
    "公共交通の利便性の向上": "高齢者や学生が日常の移動に困らないよう、地域の実情に合った交通手段を確保する。",
    "地域防災力の強化": "災害に備え、地域で助け合う体制づくりを進める。",
}


def build_z(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "駒木市", "駒木市まち・ひと・しごと創生総合戦略", "（第3期）", "令和7年3月")
    kit.para(doc, "基本目標ごとの施策", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(KOMAGI, 1):
        kit.para(doc, f"{str(gi).translate(FW)}．{goal}", bold=True, size=14, page_break=gi > 1)
        kit.para(doc, "本目標の達成に向け、次の施策に取り組む。")
        for title, items, kpis in measures:
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(6)
            r = p.add_run(title)
            r.bold = True
            p.add_run("　" + RUNIN_TEXT[title])
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(
                doc, kpis, ("重要業績評価指標", "現状値（令和5年度）", "目標値（令和11年度）")
            )
    return BATCH.save(doc, name, "docx")


# ── ZA: Excel, measure number in its own column, 担当課 column ───────────────

TSURUMI = [
    (
        "仕事をつくり、安心して働けるようにする",
        [
            (
                "農林業の担い手の育成",
                [],
                [("新規就農者数", "4人", "15人"), ("林業の新規就業者数", "2人", "6人")],
            ),
            ("商工業の振興", [], [("製造品出荷額", "412億円", "450億円")]),
        ],
    ),
    (
        "鶴見町への新しいひとの流れをつくる",
        [
            ("観光による交流の拡大", [], [("観光入込客数", "38万人", "45万人")]),
            (
                "移住・定住の推進",
                [],
                [("移住者数", "26人", "50人"), ("空き家バンクの登録件数", "14件", "40件")],
            ),
        ],
    ),
    (
        "時代に合った地域をつくる",
        [("デジタル技術の活用", [], [("オンラインで申請できる手続の割合", "35%", "80%")])],
    ),
]
TANTOU = ["農林課", "商工観光課", "商工観光課", "企画課", "企画課"]


def build_za(name: str) -> Path:
    from openpyxl.styles import Font

    sheet = kit.Sheet()
    ws = sheet.ws
    widths = (24, 7, 26, 30, 7, 11, 11, 12)
    for col, width in zip("ABCDEFGH", widths, strict=True):
        ws.column_dimensions[col].width = width
    ws["A1"] = "鶴見町総合戦略　施策と重要業績評価指標（KPI）"
    ws["A1"].font = Font(name=kit.FONT, size=14, bold=True)
    ws.merge_cells("A1:H1")
    header = [
        "基本目標",
        "番号",
        "施策",
        "重要業績評価指標",
        "単位",
        "基準値（R5）",
        "目標値（R11）",
        "担当課",
    ]
    for j, text in enumerate(header, 1):
        sheet.put(2, j, text, sheet.bold).fill = sheet.head_fill
    ws.print_title_rows = "2:2"
    row, mn = 3, 0
    for gi, (goal, measures) in enumerate(TSURUMI, 1):
        top = row
        for mi, (title, _, kpis) in enumerate(measures, 1):
            n = len(kpis)
            sheet.put(row, 2, f"{gi}-{mi}")
            sheet.put(row, 3, title)
            sheet.put(row, 8, TANTOU[mn])
            mn += 1
            for c in (2, 3, 8):
                for r in range(row + 1, row + n):
                    sheet.put(r, c, None)
                if n > 1:
                    sheet.merge(row, c, row + n - 1, c)
            for i, (kname, base, target) in enumerate(kpis):
                bv, unit = kit.value(base)
                tv, _ = kit.value(target)
                sheet.put(row + i, 4, kname)
                sheet.put(row + i, 5, unit)
                sheet.put(row + i, 6, f"{bv:,g}")
                sheet.put(row + i, 7, f"{tv:,g}")
                ws.row_dimensions[row + i].height = 28
            row += n
        sheet.put(top, 1, goal, sheet.bold)
        for r in range(top + 1, row):
            sheet.put(r, 1, None)
        if row - top > 1:
            sheet.merge(top, 1, row - 1, 1)
    sheet.fit_page(landscape=True)
    return BATCH.save(sheet.wb, name, "xlsx")


# ── ZB: 【施策名】 measures ───────────────────────────────────────────────────

KAEDE = [
    (
        "観光と交流で地域に活気を生む",
        [
            (
                "観光資源の磨き上げ",
                ["紅葉の名所の遊歩道の整備", "体験型観光プログラムの造成"],
                [("観光入込客数", "64万人", "75万人")],
            ),
            (
                "国際交流の推進",
                ["外国人観光客向けの多言語案内", "姉妹都市との青少年交流"],
                [("外国人宿泊者数", "3,200人", "6,000人")],
            ),
        ],
    ),
    (
        "地域で安心して暮らし続ける",
        [
            (
                "医療と介護の連携",
                ["在宅医療の相談窓口の設置", "介護人材の確保への支援", "見守り訪問の実施"],
                [("介護職員の新規採用者数", "12人", "30人")],
            ),
            (
                "生涯学習の推進",
                ["公民館講座の充実", "図書館の電子書籍の導入"],
                [
                    ("公民館講座の受講者数", "2,400人", "3,000人"),
                    ("電子書籍の貸出件数", "-", "5,000件"),
                ],
            ),
        ],
    ),
]


def build_zb(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "楓町", "第3期 楓町総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    kit.para(doc, "第2章　施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(KAEDE, 1):
        kit.para(doc, f"基本目標{gi}　{goal}", bold=True, size=14, page_break=gi > 1)
        kit.para(doc, "【現状と課題】", bold=True)
        kit.para(doc, "人口減少と高齢化が進み、地域の担い手が不足している。", indent=10.5)
        for title, items, kpis in measures:
            kit.para(doc, f"【{title}】", bold=True, size=12)
            kit.para(doc, "【主な取組】", indent=10.5)
            for it in items:
                kit.para(doc, f"○{it}", indent=21)
            kit.para(doc, "【重要業績評価指標】", indent=10.5)
            for kname, base, target in kpis:
                kit.para(doc, f"・{kname}　{base}（R5）→{target}（R11）", indent=21)
    return BATCH.save(doc, name, "docx")


# ── ZC: slides, measures as boxes side by side ──────────────────────────────

AOSORA = [
    (
        "若者が働きたい仕事をつくる",
        [
            (
                "ＩＴ企業の誘致",
                ["サテライトオフィスの整備", "進出企業への補助"],
                [("ＩＴ企業の進出件数", "1件", "6件")],
            ),
            (
                "地元就職の支援",
                ["高校生の企業見学会", "奨学金返還の支援"],
                [("市内高校卒業生の地元就職率", "38.0%", "45.0%")],
            ),
            (
                "農業の魅力の向上",
                ["スマート農業の実証", "農業体験の受入れ"],
                [("スマート農業の導入経営体数", "3経営体", "20経営体")],
            ),
        ],
    ),
    (
        "子どもを育てやすいまちをつくる",
        [
            (
                "保育の充実",
                ["保育士の確保", "病児保育の実施"],
                [("保育所の待機児童数", "9人", "0人")],
            ),
            (
                "子育て家庭の交流",
                ["子育てサロンの開催", "子育てアプリの配信"],
                [("子育てサロンの参加者数", "1,500人", "2,400人")],
            ),
        ],
    ),
]


def build_zc(name: str) -> Path:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 1, 2.4, 11.3, 1.2, ["青空市総合戦略（第3期）の概要"], size=36, bold=True)
    kit.textbox(s, 1, 4.0, 11.3, 0.8, ["令和7年2月　青空市地方創生推進会議"], size=20)
    for gi, (goal, measures) in enumerate(AOSORA, 1):
        s = prs.slides.add_slide(blank)
        kit.textbox(
            s,
            0,
            0.2,
            13.333,
            0.9,
            [f"基本目標{gi}　{goal}"],
            size=26,
            bold=True,
            color="FFFFFF",
            fill="2F5597",
        )
        width = 12.3 / len(measures)
        for mi, (title, items, kpis) in enumerate(measures):
            x = 0.5 + mi * width
            head = s.shapes.add_shape(
                MSO_SHAPE.ROUNDED_RECTANGLE,
                Inches(x),
                Inches(1.5),
                Inches(width - 0.3),
                Inches(0.8),
            )
            head.fill.solid()
            from pptx.dml.color import RGBColor

            head.fill.fore_color.rgb = RGBColor.from_string("ED7D31")
            head.line.fill.background()
            tf = head.text_frame
            tf.word_wrap = True
            kit.run(tf.paragraphs[0], title, size=18, bold=True, color="FFFFFF")
            body = s.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, Inches(x), Inches(2.5), Inches(width - 0.3), Inches(4.3)
            )
            body.fill.solid()
            body.fill.fore_color.rgb = RGBColor.from_string("FBE5D6")
            body.line.color.rgb = RGBColor.from_string("ED7D31")
            tf = body.text_frame
            tf.word_wrap = True
            lines = [f"・{it}" for it in items]
            lines += [f"KPI：{k}　{b}（R5）→{t}（R11）" for k, b, t in kpis]
            for i, line in enumerate(lines):
                p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
                kit.run(p, line, size=14, color="000000")
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 0.5, 0.3, 12, 0.8, ["今後のスケジュール"], size=28, bold=True)
    kit.textbox(s, 1, 1.5, 11, 3, ["3月　市議会への報告", "4月　戦略の公表"], size=20)
    return BATCH.save(prs, name, "pptx")


# ── ZD: full-width heading digits, counters in body lines ───────────────────

MIZUHO = [
    (
        "農業を核とした産業をつくる",
        [
            (
                "６次産業化の推進",
                ["6次産業化商品の開発支援", "農産物直売所の機能強化"],
                [("6次産業化に取り組む事業者数", "7者", "15者")],
            ),
            (
                "担い手の確保と育成",
                ["新規就農者への研修", "農地の集積の推進"],
                [("新規就農者数", "3人", "12人")],
            ),
        ],
    ),
    (
        "誰もが移動しやすいまちをつくる",
        [
            (
                "２次交通の充実",
                ["駅と観光地を結ぶ周遊バスの運行", "シェアサイクルの導入"],
                [("周遊バスの利用者数", "8,500人", "12,000人")],
            ),
            (
                "子育て世代への支援",
                ["3号認定子どもの受入れ枠の拡大", "一時預かり事業の拡充"],
                [("保育所の待機児童数", "14人", "0人")],
            ),
        ],
    ),
]
COUNTER_BODY = {
    "６次産業化の推進": [
        "6次産業化により農業所得の向上を図る。",
        "第4次総合計画の産業振興の方針に沿って進める。",
    ],
    "担い手の確保と育成": ["2期連続で新規就農者が目標を下回ったため、研修を見直す。"],
    "２次交通の充実": ["2次交通の不足が観光客の回遊を妨げている。"],
    "子育て世代への支援": ["3号認定子どもの待機が続いているため、受入れ枠を広げる。"],
}


def build_zd(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    kit.cover(
        doc,
        "瑞穂町",
        "瑞穂町デジタル田園都市構想総合戦略",
        "（令和7年度～令和11年度）",
        "令和7年3月",
    )
    kit.para(doc, "第２章　基本目標と施策", bold=True, size=16, page_break=True)
    kit.para(doc, "第4次総合計画の将来像の実現に向け、次の基本目標を定める。")
    for gi, (goal, measures) in enumerate(MIZUHO, 1):
        kit.para(doc, f"{str(gi).translate(FW)}．{goal}", bold=True, size=14, page_break=gi > 1)
        for mi, (title, items, kpis) in enumerate(measures, 1):
            kit.para(doc, f"（{str(mi).translate(FW)}）{title}", bold=True, size=12)
            for line in COUNTER_BODY[title]:
                kit.para(doc, line)
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


# ── ZE: 目次 with leaders, running header and page-number footer ─────────────

AOBA = [
    (
        "青葉市で働く場をつくる",
        [
            (
                "商店街のにぎわいづくり",
                ["空き店舗の活用支援", "商店街イベントの開催"],
                [("商店街の空き店舗数", "31件", "20件")],
            ),
            (
                "若者の起業の支援",
                ["起業相談の実施", "起業家のネットワークづくり"],
                [("起業相談の件数", "40件", "90件")],
            ),
        ],
    ),
    (
        "青葉市に住みたいと思う人を増やす",
        [
            (
                "シティプロモーションの推進",
                ["ＳＮＳによる魅力発信", "ＰＲ動画の制作"],
                [("公式ＳＮＳのフォロワー数", "5,600人", "12,000人")],
            ),
            (
                "住宅取得の支援",
                ["若年世帯の住宅取得への補助", "中古住宅のリフォーム補助"],
                [("住宅取得補助の件数", "48件", "80件")],
            ),
        ],
    ),
    (
        "健やかに暮らせるまちをつくる",
        [
            (
                "健康寿命の延伸",
                ["特定健診の受診勧奨", "ウォーキング教室の開催"],
                [("特定健診の受診率", "41.5%", "60.0%")],
            ),
        ],
    ),
]


def _leader_line(doc, text: str, page: int, indent: float = 0):
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.left_indent = Pt(indent)
    p.paragraph_format.tab_stops.add_tab_stop(Pt(440), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    p.add_run(f"{text}\t{page}")


def build_ze(name: str) -> Path:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = kit.new_docx(paper="letter")
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    hp = section.header.paragraphs[0]
    hp.text = "青葉市まち・ひと・しごと創生総合戦略（第3期）"
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("－ ")
    kit.field(fp, "PAGE")
    fp.add_run(" －")
    kit.cover(doc, "青葉市", "青葉市まち・ひと・しごと創生総合戦略", "（第3期）", "令和7年3月")
    kit.para(doc, "目　次", bold=True, size=16, page_break=True, align="center")
    _leader_line(doc, "はじめに", 3)
    for gi, (goal, measures) in enumerate(AOBA, 1):  # each goal on its own page from page 4
        _leader_line(doc, f"基本目標{gi}　{goal}", 3 + gi)
        for mi, (title, _, _) in enumerate(measures):
            _leader_line(doc, f"{CIRCLED[mi]}　{title}", 3 + gi, indent=21)
    _leader_line(doc, "推進体制", 4 + len(AOBA))
    kit.para(doc, "はじめに", bold=True, size=16, page_break=True)
    kit.para(doc, "本戦略は、青葉市の人口減少に歯止めをかけ、地域の活力を維持するために定める。")
    for gi, (goal, measures) in enumerate(AOBA, 1):
        kit.para(doc, f"基本目標{gi}　{goal}", bold=True, size=14, page_break=True)
        for mi, (title, items, kpis) in enumerate(measures):
            kit.para(doc, f"{CIRCLED[mi]}　{title}", bold=True, size=12)
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    kit.para(doc, "推進体制", bold=True, size=16, page_break=True)
    kit.para(doc, "市民と有識者による推進会議で、毎年度、効果を検証する。")
    return BATCH.save(doc, name, "docx")


# ── ZF: unnumbered goals (shaded), numbered measures ────────────────────────

SHIONO = [
    (
        "海の恵みを生かした仕事をつくる",
        [
            (
                "水産業の振興",
                ["稚魚の放流", "水産加工品のブランド化"],
                [("漁業の水揚げ額", "12.4億円", "14.0億円")],
            ),
            (
                "港のにぎわいの創出",
                ["朝市の開催", "港の観光案内所の整備"],
                [("朝市の来場者数", "2.1万人", "3.0万人")],
            ),
        ],
    ),
    (
        "ふるさとに愛着を持つ人を増やす",
        [
            (
                "ふるさと教育の推進",
                ["地域学習の授業", "中学生の職場体験"],
                [("地域学習に参加した児童生徒数", "620人", "800人")],
            ),
            (
                "関係人口の拡大",
                ["ふるさと会の交流事業", "地域おこし協力隊の受入れ"],
                [
                    ("地域おこし協力隊の隊員数", "-", "8人"),
                    ("ふるさと会の会員数", "310人", "450人"),
                ],
            ),
        ],
    ),
]


def build_zf(name: str) -> Path:
    from docx.shared import RGBColor

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "汐野町", "汐野町総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    kit.para(doc, "第3章　施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(SHIONO):
        p = kit.para(doc, goal, bold=True, size=14, page_break=gi > 0)
        p.runs[0].font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        kit.shaded(p, "2E75B6")
        kit.para(doc, "この目標に向けて、町民と行政が協働して取り組む。")
        for mi, (title, items, kpis) in enumerate(measures, 1):
            kit.para(doc, f"({mi}) {title}", bold=True, size=11)
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


# ── ZG: measures told apart by the space above them only ────────────────────

FUJINO = [
    (
        "地域に根ざした仕事を守る",
        [
            (
                "伝統工芸の継承",
                ["後継者の育成の支援", "工芸品の展示販売会の開催"],
                [("伝統工芸の後継者数", "5人", "12人")],
            ),
            (
                "地元企業の人材確保",
                ["合同企業説明会の開催", "奨学金返還の支援"],
                [("合同企業説明会の参加者数", "180人", "300人")],
            ),
        ],
    ),
    (
        "みんなが暮らしやすい地域をつくる",
        [
            (
                "高齢者の生活の支援",
                ["買い物支援の移動販売", "見守りネットワークの運営"],
                [("移動販売の利用者数", "950人", "1,400人")],
            ),
            (
                "地域活動の活性化",
                ["自治会活動への補助", "地域の担い手講座の開催"],
                [("担い手講座の修了者数", "24人", "60人")],
            ),
        ],
    ),
]


def build_zg(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "藤野村", "第3期 藤野村総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    for gi, (goal, measures) in enumerate(FUJINO, 1):
        kit.para(doc, f"基本目標{gi}　{goal}", bold=True, size=12, page_break=True)
        kit.para(doc, "村民とともに、次の施策を進める。")
        for title, items, kpis in measures:
            p = kit.para(doc, title)
            p.paragraph_format.space_before = Pt(14)
            p.paragraph_format.space_after = Pt(4)
            kit.para(doc, f"{title}のため、次の事業に取り組む。")
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis, ("指標名", "現状値（令和5年度）", "目標値（令和11年度）"))
    return BATCH.save(doc, name, "docx")


_DOCS = {
    "y_word_multilevel": (
        build_y,
        HIMAWARI,
        "ひまわり市",
        "Word 見出し1/見出し2 with a multilevel list 第%1章 / %1-%2 (numbers only in the list, labels "
        "smaller than the heading text); goals are chapters 2–4, chapters 1 and 5 have 1-1 sections "
        "without KPIs; ○ items; KPI tables 指標 | 現状値（R5） | 目標値（R11）",
    ),
    "z_runin_bold": (
        build_z,
        KOMAGI,
        "駒木市",
        "１． goals; measures are bold run-in headings followed by their explanation on the same line; "
        "・ items; KPI tables 重要業績評価指標 | 現状値（令和5年度） | 目標値（令和11年度）",
    ),
    "za_calc_numbers": (
        build_za,
        TSURUMI,
        "鶴見町",
        "Excel sheet (Calc → PDF, landscape): goal title cells merged down without a number, the measure "
        "number 1-1 in its own column, one KPI per row with 単位 / 基準値（R5） / 目標値（R11） columns "
        "(bare numbers) and a 担当課 column on the right; no item column",
    ),
    "zb_bracket_measures": (
        build_zb,
        KAEDE,
        "楓町",
        "基本目標N goals with a 【現状と課題】 paragraph; measures 「【施策名】」 in brackets; 【主な取組】 "
        "label with ○ items; 【重要業績評価指標】 label with 「・名　64万人（R5）→75万人（R11）」 lines",
    ),
    "zc_slides_boxes": (
        build_zc,
        AOSORA,
        "青空市",
        "slide deck, one goal per slide (band 基本目標N); measures as boxes side by side: a coloured "
        "header shape with the unnumbered title, a body shape below with ・ items and "
        "「KPI：名　120人（R5）→200人（R11）」 lines",
    ),
    "zd_counters": (
        build_zd,
        MIZUHO,
        "瑞穂町",
        "full-width heading digits (１． goals, （１） measures, 第２章); body lines and items starting "
        "with 6次産業化 / 2次交通 / 第4次総合計画 / 3号認定 / 2期連続; KPI tables",
    ),
    "ze_toc_headers": (
        build_ze,
        AOBA,
        "青葉市",
        "目次 page listing every goal and measure with dot leaders and page numbers; running header "
        "(city + title) and 「－ N －」 footer on every page; 基本目標N goals, ① measures, ・ items, KPI tables",
    ),
    "zf_partial_numbers": (
        build_zf,
        SHIONO,
        "汐野町",
        "goals unnumbered (white bold 14 pt on a shaded paragraph), measures numbered (1) restarting per "
        "goal; ・ items; KPI tables with a - baseline",
    ),
    "zg_spacing_measures": (
        build_zg,
        FUJINO,
        "藤野村",
        "基本目標N goals typed (bold 12 pt); measures plain 10.5 pt lines told apart from body text only "
        "by the space above them; ・ items; KPI tables 指標名 | 現状値（令和5年度） | 目標値（令和11年度）",
    ),
}


DOCS = {
    name: kit.Doc(build, kit.plan_gold(plan, family=family, town=town))
    for name, (build, plan, town, family) in _DOCS.items()
}
