"""Build the sixth layout zoo (corpora/zoo6): a blind check of the zoo5 mechanisms.

Written after textkit learned zoo5 (spacing as a typography cue, bracketed measure headings, side by
side measure boxes, bold run-in headings, prose chapters under Word list numbering) and BEFORE
textkit was run on any of these: the same kinds of layout with other surface forms, so those
mechanisms are measured on documents they were not fitted to. Everything is invented; the gold is
written by the script from the same plan as the page (as in zoo5).

* zh_spacing_small      Word heading styles without numbering: goals 見出し2 (12 pt), measures in the
                        body font and size (10 pt), told apart only by 8 pt of space above them.
* zi_runin_colon        Ⅰ goals; bold run-in measure headings that end in 「：」 before their text.
* zj_boxes_grid         slides with four measure boxes in a 2 × 2 grid (two rows of two), title bar
                        with the goal, each box: bold title line, ・ items, a KPI line.
* zk_angle_measures     基本目標N goals; measures 「＜施策名＞」 in angle brackets, bold; ◇ items; KPI
                        tables; a 【施策の方向】 label under each goal.
* zl_toc_plain          a 目次 without leaders (the page numbers after spaces), a 「- N -」 footer;
                        基本目標N goals, 施策1-1 measures, ・ items, KPI tables.

Run with ``make zoo6`` (not part of ``make test``; shared parts: ``scripts/zoo/kit.py``); needs what ``make zoo2`` needs.
"""

from __future__ import annotations

from pathlib import Path

from scripts.zoo import kit
from scripts.zoo.zoo5 import kpi_table

BATCH = kit.Batch("zoo6", author="textkit zoo2")


# ── ZH ────────────────────────────────────────────────────────────────────

KIRI = [
    (
        "霧ヶ丘で働く人を増やす",
        [
            (
                "地元企業の魅力発信",
                ["企業紹介冊子の作成", "職場見学バスツアーの実施"],
                [("職場見学バスツアーの参加者数", "60人", "150人")],
            ),
            (
                "女性の就業の支援",
                ["在宅ワークの講座", "保育付き就職相談会"],
                [("就職相談会を経た就職者数", "8人", "25人")],
            ),
        ],
    ),
    (
        "霧ヶ丘で子どもを育てたいと思える環境をつくる",
        [
            (
                "妊娠期からの支援",
                ["妊婦の健康相談", "産後の家事支援"],
                [("産後の家事支援の利用者数", "30人", "80人")],
            ),
            (
                "子どもの居場所づくり",
                ["子ども食堂への補助", "放課後の学習支援"],
                [("子ども食堂の数", "3か所", "8か所")],
            ),
        ],
    ),
]


def build_zh(name: str) -> Path:
    from docx.shared import Pt, RGBColor

    doc = kit.new_docx(paper="letter")
    doc.styles["Normal"].font.size = Pt(10)
    kit.cover(doc, "霧ヶ丘市", "霧ヶ丘市総合戦略（第3期）", "令和7年度～令和11年度", "令和7年3月")

    def heading(text, level, page_break=False):
        p = doc.add_paragraph(style=f"Heading {level}")
        p.paragraph_format.page_break_before = page_break
        r = p.add_run(text)
        r.font.color.rgb = RGBColor(0, 0, 0)
        r.font.size = Pt(14 if level == 1 else 12)
        return p

    heading("施策の展開", 1, page_break=True)
    for gi, (goal, measures) in enumerate(KIRI):
        heading(goal, 2, page_break=gi > 0)
        kit.para(doc, "市民とともに、次の施策に取り組みます。")
        for title, items, kpis in measures:
            p = kit.para(doc, title)
            p.paragraph_format.space_before = Pt(8)
            kit.para(doc, f"{title}に向けて、次の事業を行います。")
            for it in items:
                kit.para(doc, f"・{it}", indent=20)
            kpi_table(doc, kpis, ("指標", "基準値（R5）", "目標値（R11）"))
    heading("計画の推進", 1, page_break=True)
    kit.para(doc, "毎年度、外部の有識者会議で効果を検証します。")
    return BATCH.save(doc, name, "docx")


# ── ZI ────────────────────────────────────────────────────────────────────

HINODE = [
    (
        "地域の資源を生かした産業を伸ばす",
        [
            (
                "特産品のブランド化",
                ["認証制度の創設", "首都圏での試食販売会"],
                [("認証商品の数", "12品", "40品")],
            ),
            (
                "観光客の滞在時間の延長",
                ["夜の観光イベントの開催", "周遊ルートの整備"],
                [("宿泊客数", "4.8万人", "6.0万人")],
            ),
        ],
    ),
    (
        "安心して暮らし続けられる地域をつくる",
        [
            (
                "地域医療の確保",
                ["医師の招へいへの補助", "オンライン診療の導入", "救急医療の体制の維持"],
                [("オンライン診療の実施件数", "150件", "600件")],
            ),
            (
                "見守りの充実",
                ["見守りボランティアの養成", "緊急通報装置の貸与"],
                [("見守りボランティアの人数", "85人", "150人")],
            ),
        ],
    ),
]


def build_zi(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "日の出町", "日の出町まち・ひと・しごと創生総合戦略", "（第3期）", "令和7年3月")
    kit.para(doc, "施策の体系", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(HINODE):
        kit.para(doc, f"{'ⅠⅡⅢ'[gi]}　{goal}", bold=True, size=14, page_break=gi > 0)
        for title, items, kpis in measures:
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(6)
            r = p.add_run(f"{title}：")
            r.bold = True
            p.add_run(f"{title}に向けて、町と関係団体が連携して次の事業に取り組みます。")
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


# ── ZJ ────────────────────────────────────────────────────────────────────

MINATO = [
    (
        "港を生かしたしごとをつくる",
        [
            (
                "港湾物流の強化",
                ["岸壁の改良", "物流企業の誘致"],
                [("港の取扱貨物量", "320万t", "360万t")],
            ),
            (
                "水産加工の振興",
                ["加工施設の更新支援", "販路の開拓"],
                [("水産加工品の出荷額", "85億円", "95億円")],
            ),
            ("起業の支援", ["起業塾の開催", "空き倉庫の活用"], [("起業件数", "6件", "20件")]),
            (
                "人材の確保",
                ["就職説明会の開催", "移住就業の支援"],
                [("市内就職者数", "140人", "200人")],
            ),
        ],
    ),
    (
        "港町のくらしを守る",
        [
            (
                "津波への備え",
                ["避難路の整備", "避難訓練の実施"],
                [("避難訓練の参加者数", "3,200人", "5,000人")],
            ),
            (
                "公共交通の確保",
                ["循環バスの運行", "タクシー券の交付"],
                [("循環バスの利用者数", "2.4万人", "3.0万人")],
            ),
            (
                "健康づくり",
                ["健康教室の開催", "特定健診の受診勧奨"],
                [("特定健診の受診率", "38.0%", "55.0%")],
            ),
            (
                "地域活動の支援",
                ["町内会への補助", "地域行事の支援"],
                [("町内会の加入率", "62.0%", "70.0%")],
            ),
        ],
    ),
]


def build_zj(name: str) -> Path:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 1, 2.4, 11.3, 1.2, ["みなと市総合戦略（第3期）"], size=36, bold=True)
    kit.textbox(s, 1, 4.0, 11.3, 0.8, ["令和7年1月　総合戦略推進委員会"], size=20)
    for gi, (goal, measures) in enumerate(MINATO, 1):
        s = prs.slides.add_slide(blank)
        kit.textbox(
            s,
            0.3,
            0.2,
            12.7,
            0.8,
            [f"基本目標{gi}　{goal}"],
            size=24,
            bold=True,
            color="FFFFFF",
            fill="1F6E43",
        )
        for mi, (title, items, kpis) in enumerate(measures):
            x = 0.4 + (mi % 2) * 6.35
            y = 1.25 + (mi // 2) * 3.05
            box = s.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, Inches(x), Inches(y), Inches(6.1), Inches(2.85)
            )
            box.fill.solid()
            box.fill.fore_color.rgb = RGBColor.from_string("E2F0D9")
            box.line.color.rgb = RGBColor.from_string("1F6E43")
            tf = box.text_frame
            tf.word_wrap = True
            kit.run(tf.paragraphs[0], title, size=18, bold=True, color="000000")
            for line in [
                *(f"・{it}" for it in items),
                *(f"KPI：{k}　{b}（R5）→{t}（R11）" for k, b, t in kpis),
            ]:
                kit.run(tf.add_paragraph(), line, size=14, color="000000")
    return BATCH.save(prs, name, "pptx")


# ── ZK ────────────────────────────────────────────────────────────────────

NISHIKI = [
    (
        "にぎわいのある中心市街地をつくる",
        [
            (
                "商店街の再生",
                ["空き店舗の改修補助", "商店街のイベント支援"],
                [("空き店舗の数", "28店", "15店")],
            ),
            (
                "まちなか居住の促進",
                ["まちなか住宅の取得補助", "共同住宅の建設支援"],
                [("中心部の人口", "5,400人", "5,800人")],
            ),
        ],
    ),
    (
        "学びと文化のまちをつくる",
        [
            (
                "図書館の機能の充実",
                ["開館時間の延長", "学習スペースの拡充"],
                [("図書館の来館者数", "18万人", "22万人")],
            ),
            (
                "文化芸術の振興",
                ["市民音楽祭の開催", "文化財の公開"],
                [
                    ("市民音楽祭の来場者数", "3,500人", "5,000人"),
                    ("文化財の公開日数", "20日", "60日"),
                ],
            ),
        ],
    ),
]


def build_zk(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "錦市", "第3期 錦市総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    kit.para(doc, "第3章　施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(NISHIKI, 1):
        kit.para(doc, f"基本目標{gi}　{goal}", bold=True, size=14, page_break=gi > 1)
        kit.para(doc, "【施策の方向】", bold=True)
        kit.para(doc, "市民の暮らしを支える取組を進めます。", indent=10.5)
        for title, items, kpis in measures:
            kit.para(doc, f"＜{title}＞", bold=True, size=11)
            for it in items:
                kit.para(doc, f"◇{it}", indent=21)
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


# ── ZL ────────────────────────────────────────────────────────────────────

SAWA = [
    (
        "沢野町に仕事をつくる",
        [
            (
                "農業の振興",
                ["農業機械の導入補助", "新規就農者の研修"],
                [("新規就農者数", "2人", "10人")],
            ),
            ("商工業の振興", ["創業支援の補助", "事業承継の相談"], [("創業件数", "3件", "12件")]),
        ],
    ),
    (
        "沢野町に住み続けたいと思う人を増やす",
        [
            (
                "住まいの確保",
                ["町営住宅の改修", "空き家バンクの運営"],
                [("空き家バンクの成約件数", "4件", "15件")],
            ),
            (
                "子育て支援",
                ["保育料の軽減", "子育て支援センターの運営"],
                [("子育て支援センターの利用者数", "3,100人", "4,000人")],
            ),
        ],
    ),
]


def build_zl(name: str) -> Path:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Pt

    doc = kit.new_docx(paper="letter")
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("- ")
    kit.field(fp, "PAGE")
    fp.add_run(" -")
    kit.cover(doc, "沢野町", "沢野町総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    kit.para(doc, "目次", bold=True, size=16, page_break=True)

    def toc(text, page, indent=0):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Pt(indent)
        p.paragraph_format.tab_stops.add_tab_stop(Pt(440), WD_TAB_ALIGNMENT.RIGHT)
        p.add_run(f"{text}\t{page}")

    for gi, (goal, measures) in enumerate(SAWA, 1):
        toc(f"基本目標{gi}　{goal}", 2 + gi)
        for mi, (title, _, _) in enumerate(measures, 1):
            toc(f"施策{gi}-{mi}　{title}", 2 + gi, indent=21)
    for gi, (goal, measures) in enumerate(SAWA, 1):
        kit.para(doc, f"基本目標{gi}　{goal}", bold=True, size=14, page_break=True)
        for mi, (title, items, kpis) in enumerate(measures, 1):
            kit.para(doc, f"施策{gi}-{mi}　{title}", bold=True, size=12)
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


_DOCS = {
    "zh_spacing_small": (
        build_zh,
        KIRI,
        "霧ヶ丘市",
        "Word 見出し2 goals (12 pt), measures in the body font and size (10 pt) told apart only by 8 pt of space above them; ・ items; KPI tables 指標 | 基準値（R5） | 目標値（R11）",
    ),
    "zi_runin_colon": (
        build_zi,
        HINODE,
        "日の出町",
        "Ⅰ goals; bold run-in measure headings ending in 「：」 before their text; ・ items; KPI tables",
    ),
    "zj_boxes_grid": (
        build_zj,
        MINATO,
        "みなと市",
        "slide deck, goal in a title bar, four measure boxes in a 2 × 2 grid (bold title line, ・ items, KPI：… → … line in the same box)",
    ),
    "zk_angle_measures": (
        build_zk,
        NISHIKI,
        "錦市",
        "基本目標N goals with a 【施策の方向】 label; measures 「＜施策名＞」 in angle brackets, bold 11 pt; ◇ items; KPI tables",
    ),
    "zl_toc_plain": (
        build_zl,
        SAWA,
        "沢野町",
        "目次 without leaders (page numbers after a right tab), 「- N -」 footer; 基本目標N goals, 施策1-1 measures, ・ items, KPI tables",
    ),
}


DOCS = {
    name: kit.Doc(build, kit.plan_gold(plan, family=family, town=town))
    for name, (build, plan, town, family) in _DOCS.items()
}
