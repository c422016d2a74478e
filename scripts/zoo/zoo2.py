"""Build the second layout zoo (corpora/zoo2): conventions the first zoo does not have.

Written in session 2 BEFORE textkit was run on any of them (the gold files ``corpora/zoo2/*.gold.json``
were typed by hand from the text below, not generated from it: an independent reading). Every town,
goal, measure and figure is invented. Each builder holds its own document text, laid out the way one
kind of real strategy is, and saves the source (``src/<name>.docx`` / ``.xlsx`` / ``.pptx``, made with
python-docx / openpyxl / python-pptx); LibreOffice 7.4 (``soffice --convert-to pdf``) writes the PDF.

* i_word_outline   Word automatic heading numbering (a multilevel list linked to 見出し 1–3: 第N章 /
                   N． / (N)); the numbers exist only in the list, not in the paragraph text; ● list
                   bullets; the N． family also numbers the 人口ビジョン chapter's sections.
* j_calc_sheet     the whole strategy as one Excel sheet (openpyxl → Calc → PDF): a coloured merged
                   band row per goal, measure cells merged down over their rows, one 主な取組 per row,
                   基準値 / 目標値 in two rows (区分 column) instead of two columns, print-title rows.
* k_table_matrix   the strategy is one big Word table 基本目標 | 施策 | 主な取組 | KPI (goal cells merged
                   down, several ・ items and 「指標：12ha（R5）→30ha（R11）」 lines per cell), header row
                   repeated on the next page (landscape section); no body outline at all.
* l_two_column     a two-column page (Word section with 2 columns): 基本目標N headings, （１） measures,
                   ○ items, ［KPI］ and 【数値目標】 lines that wrap in the narrow column.
* m_typography     no numbering at all: goals are ■ + 16 pt bold, measures 12 pt bold plain text, ・ items,
                   【めざす姿】 label; KPI tables 成果指標 | 現状値（R5） | 目標値（R11）.
* n_parts_prose    第1部 人口ビジョン (chapters, 節, (1) sections, tables) before 第2部 総合戦略; goals as
                   「第1節 基本目標1 …」 inside 第2章; measures 「１　…」 (full-width digit, no period); items
                   ①② under 【主な取組】; KPIs and 数値目標 in prose 「…を、現状の2人（令和5年度）から令和11年度に…人とする。」
* o_slides_plain   a deck whose goal slides carry only the goal title in a coloured band (no 基本目標N),
                   ● measures left, one KPI table (python-pptx table) per measure on the right.

Run with ``make zoo2`` (not part of ``make test``; the shared parts are ``scripts/zoo/kit.py``): needs LibreOffice writer, calc and impress
(Debian ``libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui``) and the IPAex
fonts (``fonts-ipaexfont``; japanize-matplotlib ships the same ipaexg.ttf).
"""

from __future__ import annotations

from pathlib import Path

from scripts.zoo import kit
from scripts.zoo.kit import FONT, FW, cover, grid_table, new_docx, para

# zoo2–zoo6 all wrote "textkit zoo2" as the sources' author
BATCH = kit.Batch("zoo2", author="textkit zoo2")
save = BATCH.save
_textbox = kit.textbox
_run = kit.run
_Sheet = kit.Sheet
_cell_lines = kit.cell_lines


# ── I: Word automatic heading numbering ─────────────────────────────────────

OUTLINE_NUM = 90
BULLET_NUM = 91


def _numbering(doc):
    """Add a multilevel list (第%1章 / %2． / (%3)) linked to 見出し 1–3 and a ● bullet list."""
    outline = (
        f"<w:abstractNum {kit.wns()} w:abstractNumId='{OUTLINE_NUM}'>"
        "<w:multiLevelType w:val='multilevel'/>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='decimal'/><w:pStyle w:val='Heading1'/>"
        "<w:suff w:val='space'/><w:lvlText w:val='第%1章'/><w:lvlJc w:val='left'/>"
        "<w:pPr><w:ind w:left='0' w:firstLine='0'/></w:pPr></w:lvl>"
        "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='decimal'/><w:pStyle w:val='Heading2'/>"
        "<w:lvlText w:val='%2．'/><w:lvlJc w:val='left'/>"
        "<w:pPr><w:tabs><w:tab w:val='num' w:pos='567'/></w:tabs><w:ind w:left='567' w:hanging='567'/></w:pPr></w:lvl>"
        "<w:lvl w:ilvl='2'><w:start w:val='1'/><w:numFmt w:val='decimal'/><w:pStyle w:val='Heading3'/>"
        "<w:lvlText w:val='(%3)'/><w:lvlJc w:val='left'/>"
        "<w:pPr><w:tabs><w:tab w:val='num' w:pos='851'/></w:tabs><w:ind w:left='851' w:hanging='567'/></w:pPr></w:lvl>"
        "</w:abstractNum>"
    )
    bullet = (
        f"<w:abstractNum {kit.wns()} w:abstractNumId='{BULLET_NUM}'>"
        "<w:multiLevelType w:val='hybridMultilevel'/>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='bullet'/><w:lvlText w:val='●'/>"
        "<w:lvlJc w:val='left'/><w:pPr><w:ind w:left='1276' w:hanging='284'/></w:pPr>"
        f"<w:rPr><w:rFonts w:ascii='{FONT}' w:eastAsia='{FONT}' w:hAnsi='{FONT}' w:hint='eastAsia'/></w:rPr></w:lvl>"
        "</w:abstractNum>"
    )
    kit.add_lists(doc, [outline, bullet], [kit.num(OUTLINE_NUM), kit.num(BULLET_NUM)])


def heading(doc, text: str, level: int, *, page_break=False):
    from docx.shared import RGBColor

    p = doc.add_paragraph(style=f"Heading {level}")
    if page_break:
        p.paragraph_format.page_break_before = True
    r = p.add_run(text)
    r.font.color.rgb = RGBColor(0, 0, 0)
    return kit.numbered(p, OUTLINE_NUM, level - 1)


def bullet(doc, text: str):
    p = doc.add_paragraph()
    p.add_run(text)
    return kit.numbered(p, BULLET_NUM, 0)


WAKABA = [
    (
        "地域で働く場をつくる",
        ("町内事業所の従業者数", "2,480人", "2,600人"),
        [
            (
                "農業の担い手の確保と育成",
                ["新規就農者の研修受入れ", "農地の集積と貸借の支援"],
                [("新規就農者数", "2人", "5人")],
            ),
            (
                "中小企業の事業承継の支援",
                [
                    "事業承継の相談窓口の開設",
                    "承継に伴う設備更新の補助",
                    "後継者向けの経営塾の開催",
                ],
                [("事業承継の相談件数", "8件", "20件"), ("経営塾の修了者数", "-", "30人")],
            ),
        ],
    ),
    (
        "若葉町に人を呼び込む",
        ("社会増減数", "▲42人", "±0人"),
        [
            (
                "移住希望者への情報発信",
                ["移住ポータルサイトの運営", "首都圏での移住相談会への出展"],
                [("移住相談件数", "56件", "90件")],
            ),
            (
                "空き家の活用による住まいの確保",
                ["空き家バンクの運営", "空き家改修費用の補助"],
                [("空き家バンクの成約件数", "6件", "15件")],
            ),
            (
                "関係人口の創出",
                [
                    "ふるさと納税寄附者との交流会の開催",
                    "ワーケーションの受入れ環境の整備",
                ],
                [("ふるさと納税の寄附件数", "3,150件", "5,000件")],
            ),
        ],
    ),
    (
        "安心して子どもを産み育てられる町をつくる",
        ("年間出生数", "38人", "45人"),
        [
            (
                "妊娠から子育てまでの切れ目ない支援",
                [
                    "産後ケア事業の実施",
                    "子育て世代包括支援センターの運営",
                    "病児保育の実施",
                ],
                [("産後ケア事業の利用者数", "12人", "30人")],
            ),
            (
                "子育て家庭の経済的負担の軽減",
                ["保育料の第2子以降無償化", "高校生までの医療費助成"],
                [("子育て支援に満足している保護者の割合", "62.5％", "75.0％")],
            ),
        ],
    ),
]


def build_i(name: str) -> Path:
    doc = new_docx(paper="letter")
    _numbering(doc)
    cover(doc, "若葉町", "第3期 若葉町総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    heading(doc, "人口の現状と将来展望", 1, page_break=True)
    heading(doc, "人口の推移", 2)
    para(doc, "本町の人口は、昭和30年の12,400人をピークに減少を続け、令和2年には7,860人となった。")
    para(doc, "年少人口の割合は低下を続け、老年人口の割合は38％を超えている。")
    heading(doc, "人口減少の要因", 2)
    para(doc, "進学や就職を機にした若い世代の転出と、出生数の減少が主な要因である。")
    heading(doc, "将来展望", 2)
    para(doc, "合計特殊出生率の向上と転出の抑制により、令和22年に6,000人の人口の維持を目指す。")
    heading(doc, "総合戦略の基本的な考え方", 1, page_break=True)
    para(doc, "計画期間は、令和7年度から令和11年度までの5年間とする。")
    para(doc, "国のデジタル田園都市国家構想総合戦略を勘案し、3つの基本目標を定める。")
    heading(doc, "基本目標と具体的な施策", 1, page_break=True)
    for gi, (goal, target, measures) in enumerate(WAKABA):
        heading(doc, goal, 2, page_break=gi > 0)
        grid_table(
            doc,
            [["数値目標", "基準値（令和5年度）", "目標値（令和11年度）"], list(target)],
            [220, 110, 110],
        )
        for title, items, kpis in measures:
            heading(doc, title, 3)
            para(doc, f"{title}に向けて、町と関係機関が連携して取り組む。", indent=28)
            para(doc, "主な取組", indent=28)
            for it in items:
                bullet(doc, it)
            rows = [["重要業績評価指標（KPI）", "基準値（令和5年度）", "目標値（令和11年度）"]]
            rows += [list(k) for k in kpis]
            grid_table(doc, rows, [220, 110, 110], header_bold=False)
    heading(doc, "推進体制", 1, page_break=True)
    para(doc, "若葉町総合戦略推進会議において、毎年度、施策の効果を検証し、必要に応じて見直す。")
    return save(doc, name, "docx")


# ── J: the strategy as one Excel sheet (Calc → PDF) ─────────────────────────

AOMINE = [
    (
        "基本目標１　産業の振興と雇用の創出",
        ("市内事業所の従業者数", "41,200人", "42,500人"),
        [
            (
                "(1) 企業誘致と立地環境の整備",
                ["工業団地の区画整備", "立地企業への奨励金の交付", "サテライトオフィスの誘致"],
                [("新規立地企業数", "3社", "10社")],
            ),
            (
                "(2) 地域産品のブランド化",
                ["青嶺ブランド認証制度の運用", "首都圏百貨店での販売会の開催"],
                [("認証商品の販売額", "1.2億円", "2.0億円")],
            ),
        ],
    ),
    (
        "基本目標２　交流人口の拡大と移住の促進",
        ("観光入込客数", "86万人", "100万人"),
        [
            (
                "(1) 観光資源の磨き上げ",
                ["青嶺渓谷の遊歩道の再整備", "体験型観光メニューの造成", "多言語案内板の設置"],
                [
                    ("体験型観光メニューの参加者数", "3,400人", "6,000人"),
                    ("外国人宿泊者数", "5,200人", "9,000人"),
                ],
            ),
            (
                "(2) 移住・定住の支援",
                ["移住支援金の交付", "移住体験住宅の運営"],
                [("移住支援制度による移住者数", "24人", "60人")],
            ),
        ],
    ),
    (
        "基本目標３　子育て世代に選ばれるまちづくり",
        ("合計特殊出生率", "1.38", "1.50"),
        [
            (
                "(1) 保育環境の充実",
                ["保育士の確保に向けた就労支援", "放課後児童クラブの定員拡大"],
                [("保育所等の待機児童数", "14人", "0人")],
            ),
            (
                "(2) 結婚・出産の希望をかなえる支援",
                ["婚活イベントの開催支援", "不妊治療費の助成"],
                [("婚活イベントでの成婚数", "2組", "5組")],
            ),
        ],
    ),
]


def build_j(name: str) -> Path:
    from openpyxl.styles import Font

    sheet = _Sheet()
    ws = sheet.ws
    for col, width in zip("ABCDEF", (30, 34, 34, 8, 14, 13), strict=True):
        ws.column_dimensions[col].width = width
    ws["A1"] = "第3期 青嶺市まち・ひと・しごと創生総合戦略　施策・重要業績評価指標一覧"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells("A1:F1")
    ws["A2"] = "計画期間：令和7年度～令和11年度　　基準値は令和5年度、目標値は令和11年度の値"
    ws["A2"].font = sheet.font
    ws.merge_cells("A2:F2")
    header = ["施策", "主な取組", "重要業績評価指標（KPI）", "区分", "数値", "年度"]
    for j, text in enumerate(header, 1):
        sheet.put(3, j, text, sheet.bold).fill = sheet.head_fill
    ws.print_title_rows = "3:3"
    row = 4
    for goal, target, measures in AOMINE:
        sheet.band(row, goal)
        row += 1
        sheet.put(row, 1, "数値目標", sheet.bold)
        sheet.put(row + 1, 1, None)
        sheet.merge(row, 1, row + 1, 2)
        sheet.kpi_rows(row, target)
        row += 2
        for title, items, kpis in measures:
            row = sheet.measure(row, title, items, kpis)
    sheet.fit_page(landscape=True)
    ws.oddFooter.center.text = "&P / &N"
    return BATCH.save(sheet.wb, name, "xlsx")


# ── K: the strategy as one big Word table ────────────────────────────────────

TSURUMIDAI = [
    (
        ["基本目標１", "農と食で稼ぐ村をつくる"],
        [
            (
                "①有機農業の推進",
                ["・有機JAS認証の取得支援", "・学校給食での有機農産物の利用"],
                ["有機栽培の面積：12ha（R5）→30ha（R11）"],
            ),
            (
                "②農産物の加工と直売の強化",
                [
                    "・農産物加工施設の機能強化",
                    "・直売所のキャッシュレス化",
                    "・ネット通販サイトの開設",
                ],
                [
                    "直売所の売上額：8,600万円（R5）→10,500万円（R11）",
                    "加工品の新商品数：2品（R5）→12品（R11）",
                ],
            ),
        ],
    ),
    (
        ["基本目標２", "村に住みたい人を増やす"],
        [
            (
                "①移住定住の総合支援",
                ["・移住コーディネーターの配置", "・村営住宅の改修"],
                ["移住者数：9人（R5）→20人（R11）"],
            ),
            (
                "②地域おこし協力隊の活用",
                ["・協力隊員の募集と受入れ", "・任期後の起業支援"],
                ["協力隊員の任期後の定住率：50.0％（R5）→70.0％（R11）"],
            ),
            (
                "③村の魅力の発信",
                ["・SNSによる情報発信", "・村のPR動画の制作"],
                ["SNSのフォロワー数：1,800人（R5）→5,000人（R11）"],
            ),
        ],
    ),
    (
        ["基本目標３", "誰もが安心して暮らせる村をつくる"],
        [
            (
                "①地域医療と介護の確保",
                ["・診療所の医師確保", "・訪問介護の人材育成"],
                ["介護予防教室の参加者数：240人（R5）→400人（R11）"],
            ),
            (
                "②生活交通の確保",
                ["・デマンドバスの運行", "・高齢者の運転免許返納支援"],
                ["デマンドバスの利用者数：3,100人（R5）→4,500人（R11）"],
            ),
        ],
    ),
]


def build_k(name: str) -> Path:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm, Pt

    doc = new_docx(paper="letter")
    cover(doc, "鶴見台村", "第3期 鶴見台村総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    para(doc, "はじめに", bold=True, size=16, page_break=True)
    para(doc, "本村では、第2期総合戦略の成果と課題を踏まえ、第3期の総合戦略を策定する。")
    para(doc, "計画期間は令和7年度から令和11年度までの5年間とし、3つの基本目標を掲げる。")
    para(doc, "各施策の重要業績評価指標（KPI）の現状値は令和5年度、目標値は令和11年度の値である。")
    from docx.enum.section import WD_ORIENT, WD_SECTION

    landscape = doc.add_section(WD_SECTION.NEW_PAGE)
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(landscape, side, Mm(20))
    para(doc, "施策の体系と重要業績評価指標", bold=True, size=16)
    n_rows = 1 + sum(len(ms) for _, ms in TSURUMIDAI)
    t = doc.add_table(rows=n_rows, cols=4)
    t.style = "Table Grid"
    t.autofit = False
    widths = [110, 170, 230, 240]
    for j, text in enumerate(["基本目標", "施策", "主な取組", "重要業績評価指標（KPI）"]):
        _cell_lines(t.cell(0, j), [text], bold=True, size=10)
    t.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    r = 1
    for goal, measures in TSURUMIDAI:
        top = r
        for title, items, kpis in measures:
            _cell_lines(t.cell(r, 1), [title])
            _cell_lines(t.cell(r, 2), items)
            _cell_lines(t.cell(r, 3), kpis)
            t.rows[r].height = Pt(70)
            r += 1
        merged = t.cell(top, 0).merge(t.cell(r - 1, 0)) if r - 1 > top else t.cell(top, 0)
        _cell_lines(merged, goal, bold=True, size=10)
    for row in t.rows:
        for j, c in enumerate(row.cells):
            c.width = Pt(widths[j])
    para(doc)
    para(doc, "推進体制", bold=True, size=16)
    para(doc, "村民、議会、関係団体の代表からなる推進委員会で、毎年度、効果を検証する。")
    return save(doc, name, "docx")


# ── L: two-column page ───────────────────────────────────────────────────────

SHIOMI = [
    (
        "海と港を生かした産業をつくる",
        "町内の漁業生産額：14.2億円（令和5年度）→15.0億円（令和11年度）",
        [
            (
                "水産業の担い手づくり",
                ["漁業研修生の受入れ", "漁船の取得に対する支援"],
                ["新規漁業就業者数：2人（令和5年度）→8人（令和11年度）"],
            ),
            (
                "水産物の付加価値の向上",
                ["加工品の共同開発", "港の朝市の開催", "水産物の輸出の支援"],
                ["水産加工品の販売額：3,200万円（令和5年度）→4,500万円（令和11年度）"],
            ),
        ],
    ),
    (
        "潮見町を訪れる人を増やす",
        "年間観光客数：38万人（令和5年度）→45万人（令和11年度）",
        [
            (
                "海辺の観光拠点の整備",
                ["海水浴場の施設の改修", "マリンスポーツ体験の実施"],
                ["マリンスポーツ体験の参加者数：850人（令和5年度）→1,500人（令和11年度）"],
            ),
            (
                "広域連携による誘客",
                ["近隣市町との周遊ルートづくり", "観光案内所の共同運営"],
                ["周遊ルートの利用者数：1,200人（令和5年度）→3,000人（令和11年度）"],
            ),
        ],
    ),
    (
        "地域で支え合い健やかに暮らす",
        "地域活動に参加する町民の割合：41.0％（令和5年度）→50.0％（令和11年度）",
        [
            (
                "健康づくりの推進",
                ["特定健診の受診勧奨", "ウォーキング大会の開催"],
                ["特定健診の受診率：38.5％（令和5年度）→50.0％（令和11年度）"],
            ),
            (
                "地域の支え合いの仕組みづくり",
                ["見守りネットワークの構築", "サロン活動への補助"],
                ["ふれあいサロンの数：12か所（令和5年度）→18か所（令和11年度）"],
            ),
        ],
    ),
]


def build_l(name: str) -> Path:
    from docx.enum.section import WD_SECTION
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = new_docx(paper="letter")
    cover(
        doc,
        "潮見町",
        "潮見町デジタル田園都市構想総合戦略",
        "（令和7年度～令和11年度）",
        "令和7年3月",
    )
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section._sectPr.append(parse_xml(f"<w:cols {nsdecls('w')} w:num='2' w:space='425'/>"))
    para(doc, "第2章　基本目標と施策", bold=True, size=14)
    para(doc, "本章では、3つの基本目標ごとに、施策と重要業績評価指標（KPI）を示す。")
    for gi, (goal, target, measures) in enumerate(SHIOMI, 1):
        para(doc, f"基本目標{gi}　{goal}", bold=True, size=12)
        para(doc, f"【数値目標】{target}")
        para(doc, "町の強みを生かし、関係機関と連携して次の施策に取り組みます。")
        for mi, (title, items, kpis) in enumerate(measures, 1):
            para(doc, f"（{str(mi).translate(FW)}）{title}", bold=True)
            for it in items:
                para(doc, f"○{it}", indent=10)
            for k in kpis:
                para(doc, f"［KPI］{k}", indent=10)
    para(doc, "第3章　推進体制", bold=True, size=14)
    para(doc, "潮見町総合戦略推進会議において、毎年度、KPIの達成状況を検証します。")
    return save(doc, name, "docx")


# ── M: headings by typography only ──────────────────────────────────────────

HANASAKINO = [
    (
        "地域経済の活力を高める",
        [
            (
                "商店街のにぎわいの再生",
                ["空き店舗への出店支援", "商店街イベントの開催支援"],
                [("空き店舗への新規出店数", "2件", "10件")],
            ),
            (
                "創業しやすい環境づくり",
                ["創業塾の開催", "創業資金の利子補給", "コワーキングスペースの運営"],
                [
                    ("創業塾からの創業者数", "4人", "15人"),
                    ("コワーキングスペースの利用者数", "1,450人", "3,000人"),
                ],
            ),
        ],
    ),
    (
        "花咲野の魅力で人を呼び込む",
        [
            (
                "花の名所を生かした観光振興",
                ["花まつりの開催", "花の名所めぐりのガイド育成"],
                [("花まつりの来場者数", "6.5万人", "8.0万人")],
            ),
            (
                "ふるさと回帰の支援",
                ["Uターン就職の奨励金", "移住者の交流会の開催"],
                [("UIターン就職者数", "11人", "25人")],
            ),
        ],
    ),
    (
        "子どもと高齢者が笑顔で暮らせるまちをつくる",
        [
            (
                "子どもの居場所づくり",
                ["子ども食堂への運営補助", "放課後の学習支援"],
                [("子ども食堂の箇所数", "3か所", "8か所")],
            ),
            (
                "高齢者の生きがいづくり",
                ["シルバー人材センターの活動支援", "生涯学習講座の開催", "老人クラブへの補助"],
                [("生涯学習講座の受講者数", "920人", "1,200人")],
            ),
        ],
    ),
]


def build_m(name: str) -> Path:
    doc = new_docx(paper="letter")
    cover(
        doc,
        "花咲野市",
        "花咲野市まち・ひと・しごと創生総合戦略",
        "令和7年度～令和11年度",
        "令和7年3月",
    )
    para(doc, "施策の展開", bold=True, size=18, page_break=True)
    para(doc, "市の将来像の実現に向けて、3つの柱のもとに施策を展開します。")
    for gi, (goal, measures) in enumerate(HANASAKINO):
        para(doc, f"■ {goal}", bold=True, size=16, page_break=gi > 0)
        para(doc, "【めざす姿】")
        para(doc, "市民と事業者と行政がともに取り組み、誰もが活躍できるまちを目指します。")
        for title, items, kpis in measures:
            para(doc, title, bold=True, size=12)
            para(doc, f"{title}のため、関係団体と連携して、次の事業に取り組みます。")
            for it in items:
                para(doc, f"・{it}", indent=12)
            rows = [["成果指標", "現状値（R5）", "目標値（R11）"]]
            rows += [list(k) for k in kpis]
            grid_table(doc, rows, [230, 100, 100])
    para(doc, "計画の推進", bold=True, size=18, page_break=True)
    para(doc, "外部委員による検証会議で、毎年度、成果指標の達成状況を確認します。")
    return save(doc, name, "docx")


# ── N: long 人口ビジョン part, 第N部/章/節, KPIs in prose ───────────────────

HOKUTOGAWA = [
    (
        "地域の産業で稼ぐ",
        "町内の農業産出額を、現状の48億円（令和5年度）から令和11年度に52億円とする。",
        [
            (
                "農林業の振興",
                ["スマート農業機器の導入支援", "林業の担い手の育成"],
                ["新規就農者数を、現状の2人（令和5年度）から令和11年度までに累計15人とする。"],
            ),
            (
                "観光と交流の推進",
                ["温泉施設の改修", "冬のイベントの開催", "観光ガイドの育成"],
                [
                    "観光入込客数を、現状の41万人（令和5年度）から令和11年度に50万人とする。",
                    "観光ガイドの登録者数を、現状の8人（令和5年度）から令和11年度に20人とする。",
                ],
            ),
        ],
    ),
    (
        "北斗川で暮らす人を増やす",
        "社会減の数を、現状の年86人（令和5年度）から令和11年度に年40人とする。",
        [
            (
                "移住の促進",
                ["移住相談窓口の運営", "お試し移住住宅の整備"],
                ["移住相談による移住者数を、現状の5人（令和5年度）から令和11年度に15人とする。"],
            ),
            (
                "住まいの確保",
                ["町営住宅の建替え", "住宅新築への補助"],
                ["住宅新築補助の利用件数を、現状の18件（令和5年度）から令和11年度に30件とする。"],
            ),
        ],
    ),
    (
        "子育てと学びを応援する",
        "年間出生数を、現状の52人（令和5年）から令和11年に60人とする。",
        [
            (
                "子育て支援の充実",
                ["子育て応援金の支給", "一時預かりの拡充"],
                ["一時預かりの利用者数を、現状の320人（令和5年度）から令和11年度に500人とする。"],
            ),
            (
                "学校教育の充実",
                ["ICT教育の推進", "地域学習の推進"],
                [
                    "授業がわかると答えた児童の割合を、現状の78.0％（令和5年度）から令和11年度に85.0％とする。"
                ],
            ),
        ],
    ),
]
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _vision(doc):
    para(doc, "第1部　北斗川町人口ビジョン", bold=True, size=18, page_break=True)
    para(doc, "第1章　人口の現状分析", bold=True, size=15)
    para(doc, "第1節　総人口の推移", bold=True, size=12)
    para(
        doc,
        "本町の総人口は、昭和35年の15,820人をピークに減少が続き、令和2年には8,940人となっている。",
    )
    para(doc, "(1) 年齢3区分別人口", bold=True)
    para(
        doc, "年少人口と生産年齢人口は減少が続き、老年人口は平成27年をピークに横ばいとなっている。"
    )
    grid_table(
        doc,
        [
            ["区分", "平成22年", "平成27年", "令和2年"],
            ["年少人口", "1,210人", "1,045人", "902人"],
            ["生産年齢人口", "5,980人", "5,310人", "4,790人"],
            ["老年人口", "3,110人", "3,320人", "3,248人"],
        ],
        [140, 100, 100, 100],
    )
    para(doc, "(2) 世帯数の推移", bold=True)
    para(doc, "世帯数はほぼ横ばいで推移しているが、単身の高齢者世帯が増えている。")
    para(doc, "第2節　自然増減と社会増減", bold=True, size=12)
    para(doc, "(1) 自然増減", bold=True)
    para(doc, "出生数は年50人前後まで減少し、死亡数との差である自然減は年120人を超えている。")
    para(doc, "(2) 社会増減", bold=True)
    para(doc, "進学や就職を機にした10代後半から20代の転出が多く、社会減が続いている。")
    para(doc, "第2章　将来人口の推計", bold=True, size=15, page_break=True)
    para(doc, "第1節　推計の方法", bold=True, size=12)
    para(doc, "国立社会保障・人口問題研究所の推計方法に準拠し、令和42年までの人口を推計した。")
    para(doc, "第2節　推計の結果", bold=True, size=12)
    para(doc, "現状のまま推移した場合、令和42年の総人口は4,100人程度まで減少する見込みである。")
    grid_table(
        doc,
        [
            ["推計", "令和12年", "令和22年", "令和42年"],
            ["社人研推計", "7,820人", "6,510人", "4,100人"],
            ["町独自推計", "8,050人", "7,120人", "5,600人"],
        ],
        [140, 100, 100, 100],
    )
    para(doc, "第3章　目指すべき将来の方向", bold=True, size=15)
    para(doc, "若い世代の定住と子育ての希望の実現により、令和42年に5,600人の人口を目指す。")


def build_n(name: str) -> Path:
    doc = new_docx(paper="letter")
    cover(
        doc, "北斗川町", "北斗川町人口ビジョン・総合戦略", "（令和7年度～令和11年度）", "令和7年3月"
    )
    para(doc, "目次", bold=True, size=14, align="center", page_break=True)
    for title, page in [
        ("第1部　北斗川町人口ビジョン", 1),
        ("第1章　人口の現状分析", 1),
        ("第2章　将来人口の推計", 3),
        ("第3章　目指すべき将来の方向", 3),
        ("第2部　北斗川町総合戦略", 4),
        ("第1章　基本的な考え方", 4),
        ("第2章　施策の展開", 5),
        ("第3章　推進体制", 8),
    ]:
        para(doc, f"{title}{'・' * max(4, 34 - len(title))}{page}")
    _vision(doc)
    para(doc, "第2部　北斗川町総合戦略", bold=True, size=18, page_break=True)
    para(doc, "第1章　基本的な考え方", bold=True, size=15)
    para(doc, "第1節　計画期間", bold=True, size=12)
    para(doc, "令和7年度から令和11年度までの5年間とする。")
    para(doc, "第2節　基本目標", bold=True, size=12)
    para(doc, "人口ビジョンに掲げた将来の方向を踏まえ、次の3つの基本目標を定める。")
    for gi, (goal, _, _) in enumerate(HOKUTOGAWA, 1):
        para(doc, f"基本目標{gi}　{goal}", indent=20)
    para(doc, "第2章　施策の展開", bold=True, size=15, page_break=True)
    for gi, (goal, target, measures) in enumerate(HOKUTOGAWA, 1):
        para(doc, f"第{gi}節　基本目標{gi}　{goal}", bold=True, size=13, page_break=gi > 1)
        para(doc, f"数値目標：{target}")
        for mi, (title, items, kpis) in enumerate(measures, 1):
            para(doc, f"{str(mi).translate(FW)}　{title}", bold=True, size=11.5)
            para(
                doc, f"{title}を図るため、町と関係団体が役割を分担し、次の取組を進める。", indent=12
            )
            para(doc, "【主な取組】", indent=12)
            for ii, it in enumerate(items):
                para(doc, f"{CIRCLED[ii]}{it}", indent=20)
            for k in kpis:
                para(doc, f"【KPI】{k}", indent=12)
    para(doc, "第3章　推進体制", bold=True, size=15, page_break=True)
    para(doc, "第1節　効果の検証", bold=True, size=12)
    para(doc, "産官学金労言の委員からなる会議において、毎年度、KPIの達成状況を検証する。")
    return save(doc, name, "docx")


# ── O: deck with unnumbered goal bands and KPI tables ───────────────────────

SHIRAMINE = [
    (
        "しごとをつくり、稼ぐ力を高める",
        [
            (
                "地場産業の競争力強化",
                ["設備投資への補助", "販路開拓の支援"],
                [("製造品出荷額", "1,240億円", "1,300億円")],
            ),
            (
                "若者の地元就職の促進",
                ["高校生の企業見学会", "奨学金返還の支援"],
                [("市内高校卒業者の市内就職率", "32.0%", "40.0%")],
            ),
        ],
    ),
    (
        "ひとの流れをつくり、にぎわいを生む",
        [
            (
                "シティプロモーションの推進",
                ["魅力発信サイトの運営", "PRイベントの開催"],
                [("魅力発信サイトの閲覧数", "12万件", "20万件")],
            ),
            (
                "中心市街地の活性化",
                ["空き店舗の活用", "駅前広場のイベント開催", "まちなか居住の支援"],
                [("中心市街地の歩行者通行量", "8,400人", "10,000人")],
            ),
        ],
    ),
    (
        "結婚・出産・子育ての希望をかなえる",
        [
            (
                "子育て支援の充実",
                ["こども家庭センターの運営", "子育て世帯への家賃補助"],
                [
                    ("子育てしやすいと感じる市民の割合", "58.0%", "70.0%"),
                    ("家賃補助の利用世帯数", "40世帯", "100世帯"),
                ],
            ),
            (
                "出会いの機会の創出",
                ["婚活支援センターの運営"],
                [("婚活支援センターの登録者数", "150人", "300人")],
            ),
        ],
    ),
]


def _kpi_table(slide, x, y, w, kpis):
    rows = [("重要業績評価指標", "現状値(R5)", "目標値(R11)"), *kpis]
    kit.slide_table(slide, x, y, w, rows, (2.9, 1.15, 1.15), size=12, row_height=0.4)


def build_o(name: str) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    s = prs.slides.add_slide(blank)
    _textbox(s, 1, 2.4, 11.3, 1.2, ["第3期 白峰台市総合戦略"], size=36, bold=True)
    _textbox(s, 1, 4.0, 11.3, 0.8, ["令和6年度 第3回 白峰台市総合戦略推進懇話会 資料2"], size=20)
    s = prs.slides.add_slide(blank)
    _textbox(s, 0.5, 0.3, 12, 0.8, ["総合戦略の全体像"], size=28, bold=True)
    _textbox(s, 1, 1.3, 11, 0.6, ["計画期間：令和7年度～令和11年度（5年間）"], size=18)
    for gi, (goal, _) in enumerate(SHIRAMINE):
        _textbox(s, 1, 2.2 + gi * 1.4, 11, 1.1, [goal], size=22, fill="FCE4D6")
    for goal, measures in SHIRAMINE:
        s = prs.slides.add_slide(blank)
        _textbox(s, 0, 0.2, 13.333, 0.9, [goal], size=26, bold=True, color="FFFFFF", fill="C55A11")
        row_h = 5.8 / 2
        for mi, (title, items, kpis) in enumerate(measures):
            y = 1.4 + mi * row_h
            _textbox(s, 0.4, y, 6.6, row_h, [f"● {title}", *(f"・{it}" for it in items)], size=18)
            _kpi_table(s, 7.3, y, 5.2, kpis)
    s = prs.slides.add_slide(blank)
    _textbox(s, 0.5, 0.3, 12, 0.8, ["今後の進め方"], size=28, bold=True)
    _textbox(
        s,
        1,
        1.5,
        11,
        3,
        ["1月　パブリックコメント", "2月　推進懇話会（最終案）", "3月　総合戦略の策定"],
        size=20,
    )
    return save(prs, name, "pptx")


_BUILDERS = {
    "i_word_outline": build_i,
    "j_calc_sheet": build_j,
    "k_table_matrix": build_k,
    "l_two_column": build_l,
    "m_typography": build_m,
    "n_parts_prose": build_n,
    "o_slides_plain": build_o,
}

DOCS = {name: kit.Doc(build) for name, build in _BUILDERS.items()}
