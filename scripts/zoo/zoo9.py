"""The ninth layout batch (corpora/zoo9): a blind batch of session 5, written before any run.

Written BEFORE textkit was run on any of these (commit "zoo9: sources, PDFs and gold before any
run"); everything is invented; the gold is written from the same plan as the page (``absent``:
lines that must be neither a measure nor a KPI). Every page is A4 (A3 for the overview sheet),
as a Japanese office prints. Layouts the earlier batches do not have, each the way a real office
makes it:

* zza_table_rows      the measures live only in table rows: per goal (「基本目標１　…」 bold) one table
                      No. | 施策名 | 施策の概要 | 重要業績評価指標（KPI） | 現状値（R5） | 目標値（R11）, the
                      first goal's table running over a page break (rows may split, header not
                      repeated), a measure with two KPIs merged down over two rows; no items.
* zzb_a3_columns      A3 landscape pages set in two text columns (a Word section with 2 columns):
                      基本目標N goals on a shaded paragraph, （１） measures, ・ items, KPI tables in the
                      narrow column, the text flowing from the left column to the right.
* zzc_typography_only no numbers and no marks: the body set in IPAex Mincho, headings in IPAex
                      Gothic bold — goals 15 pt, measures 11.5 pt; a prose chapter 「計画の概要」 before
                      with the same 15 pt / 11.5 pt headings and no KPIs; ・ items; KPI tables.
* zzd_goal_boxes      each 基本目標 a shaded box (a one-cell table) holding 「基本目標１」, its title and
                      the list of its measures 「①…」「②…」; below the box each measure again as a bold
                      「①　…」 heading with ・ items and a KPI table.
* zze_kpi_first       per goal: 【数値目標】 table (one goal KPI), 「具体的な施策」 label, then per measure
                      「（１）…」, its 重要業績評価指標（KPI） table FIRST and 【主な取組】 ・ items after it.
* zzf_mixed_width     goals 「１　…」 (full-width digit), measures numbered 「１－(１)」 with the widths
                      mixed as typed (「１－（２）」, 「1-(3)」, 「２－(1)」); ア／イ items typed; KPI tables.
* zzg_deck_sidebar    an A4 landscape deck, one measure a slide: the goal 「基本目標１　…」 in the title
                      band of every slide, a left sidebar listing all the goal's measures (①②③, the
                      current one white on navy), the measure 「①　…」 heading, ・ items, a KPI table.
* zzh_prev_ids        a table per goal 施策 | 主な取組 | 第2期の施策番号 | 重要業績評価指標 | 基準値（R5） |
                      目標値（R11）: the previous edition's measure ids stated in a column (「2-1、2-3」,
                      「新規」); ・ items as paragraphs in the 主な取組 cell.

Run with ``make zoo9`` (not part of ``make test``; shared parts: ``scripts/zoo/kit.py``).
"""

from __future__ import annotations

from pathlib import Path

from scripts.zoo import kit

BATCH = kit.Batch("zoo9", author="textkit zoo9")
SPACE = "\u3000"
MINCHO = "IPAexMincho"


def kpi_table(doc, kpis, head=("指標", "現状値（R5）", "目標値（R11）")):
    """A KPI table 230 / 100 / 100 pt wide (column grid and cells: LibreOffice lays a table out
    by its grid, which python-docx sizes to the page, wider than a text column)."""
    t = kit.grid_table(doc, [list(head), *[list(k) for k in kpis]], [230, 100, 100])
    _widths(t, (230, 100, 100))
    return t


def _merge_down(table, col: int, top: int, n: int):
    return (
        table.cell(top, col).merge(table.cell(top + n - 1, col)) if n > 1 else table.cell(top, col)
    )


def _header_shade(table, fill: str = "D9E1F2") -> None:
    for cell in table.rows[0].cells:
        _cell_shade(cell, fill)


def _cell_shade(cell, fill: str) -> None:
    from docx.oxml import parse_xml

    cell._tc.get_or_add_tcPr().append(
        parse_xml(f"<w:shd {kit.wns()} w:val='clear' w:color='auto' w:fill='{fill}'/>")
    )


# ── ZZA: measures only in table rows ─────────────────────────────────────────

KURIHARA = [
    (
        "地域の産業を育て、働く場をつくる",
        [
            (
                "地元企業の人材確保の支援",
                "合同企業説明会やインターンシップを通じて、若い世代と地元企業の出会いの場を広げる。",
                [("合同企業説明会の参加者数", "180人", "400人")],
            ),
            (
                "創業と事業承継の支援",
                "創業塾の開催と事業承継の相談窓口により、商店や事業所の開業と引継ぎを後押しする。",
                [("創業者数", "8人", "25人"), ("事業承継の成約件数", "2件", "10件")],
            ),
            (
                "農業の担い手の育成",
                "新規就農者の研修と農地の集約を進め、次の世代が農業を続けられる環境を整える。",
                [("新規就農者数", "4人", "15人")],
            ),
            (
                "観光消費の拡大",
                "体験型の観光商品を造成し、宿泊と飲食につながる周遊を生み出す。",
                [("観光消費額", "42億円", "55億円")],
            ),
            (
                "企業立地の推進",
                "工業団地の区画を整備し、立地企業への奨励金により雇用を生み出す。",
                [("立地企業の新規雇用者数", "30人", "120人")],
            ),
            (
                "デジタル化による生産性の向上",
                "中小企業のデジタル化を専門家の派遣と導入費用の補助により支援する。",
                [("デジタル化の補助件数", "12件", "60件")],
            ),
        ],
    ),
    (
        "栗原野に新しい人の流れをつくる",
        [
            (
                "移住と定住の支援",
                "移住相談から住まい探し、仕事探しまでを一貫して支える窓口を運営する。",
                [("移住者数", "60人", "150人")],
            ),
            (
                "関係人口の拡大",
                "ふるさと納税の寄附者や副業人材と継続的につながる仕組みをつくる。",
                [("ふるさと納税の寄附件数", "3,200件", "8,000件")],
            ),
            (
                "シティプロモーションの推進",
                "市の魅力を動画とSNSで発信し、訪れたい・住みたいまちとしての認知を高める。",
                [("SNSのフォロワー数", "4,100人", "12,000人")],
            ),
        ],
    ),
    (
        "結婚・出産・子育ての希望をかなえる",
        [
            (
                "出会いの場の創出",
                "結婚を望む若い世代に出会いの機会を提供し、結婚後の新生活を支援する。",
                [("婚活イベントでの成婚数", "3組", "12組")],
            ),
            (
                "子育て家庭の経済的負担の軽減",
                "子ども医療費の助成を高校生まで拡大し、給食費の負担を軽減する。",
                [("子育て環境の満足度", "48.0%", "65.0%")],
            ),
            (
                "保育と放課後の居場所の充実",
                "保育士の確保と放課後児童クラブの拡充により、待機児童を解消する。",
                [("放課後児童クラブの待機児童数", "25人", "0人")],
            ),
        ],
    ),
]
# the second paragraph of every 概要 cell (the rows grow tall enough for a table to break a page)
ZZA_MORE = "事業の実施にあたっては、関係団体や金融機関と連携し、毎年度の成果を検証して見直します。"
ZZA_HEAD = [
    "No.",
    "施策名",
    "施策の概要",
    "重要業績評価指標（KPI）",
    "現状値（R5）",
    "目標値（R11）",
]
ZZA_WIDTHS = (28, 86, 140, 110, 50, 50)


def build_zza(name: str) -> Path:
    doc = kit.new_docx()
    kit.cover(doc, "栗原野市", "第3期 栗原野市総合戦略", "令和7年度～令和11年度", "令和7年3月")
    kit.para(doc, "第1章　総合戦略の基本的な考え方", bold=True, size=16, page_break=True)
    kit.para(doc, "本戦略は、令和7年度から令和11年度までの5年間に取り組む施策をまとめたものです。")
    kit.para(doc, "施策ごとに重要業績評価指標（KPI）を設定し、毎年度その達成状況を検証します。")
    kit.para(doc, "第2章　施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(KURIHARA, 1):
        p = kit.para(doc, f"基本目標{gi}{SPACE}{goal}", bold=True, size=14)
        p.paragraph_format.space_before = kit_pt(12)
        kit.para(doc, f"{goal}ため、次の施策に取り組みます。")
        n_rows = sum(len(k) for _, _, k in measures)
        t = doc.add_table(rows=1 + n_rows, cols=len(ZZA_HEAD))
        t.style = "Table Grid"
        t.autofit = False
        for j, text in enumerate(ZZA_HEAD):
            kit.cell_lines(t.cell(0, j), [text], bold=True, size=9.5)
        _header_shade(t)
        r = 1
        for mi, (title, summary, kpis) in enumerate(measures, 1):
            for i, kpi in enumerate(kpis):
                for j, v in enumerate(kpi, 3):
                    kit.cell_lines(t.cell(r + i, j), [v])
            for col, lines in ((0, [f"{gi}-{mi}"]), (1, [title]), (2, [summary, ZZA_MORE])):
                kit.cell_lines(_merge_down(t, col, r, len(kpis)), lines, bold=col == 1)
            r += len(kpis)
        _widths(t, ZZA_WIDTHS)
        doc.add_paragraph()
    kit.para(doc, "第3章　推進体制", bold=True, size=16, page_break=True)
    kit.para(doc, "市長を本部長とする推進本部と外部有識者による推進会議で、毎年度検証します。")
    return BATCH.save(doc, name, "docx")


def kit_pt(points: float):
    from docx.shared import Pt

    return Pt(points)


def _widths(table, widths) -> None:
    """Column widths in points, in the grid and in every cell."""
    from docx.shared import Pt

    for j, width in enumerate(widths):
        table.columns[j].width = Pt(width)
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            cell.width = Pt(widths[j])


# ── ZZB: A3 landscape, two text columns ──────────────────────────────────────

SAKURAGAOKA = [
    (
        "桜ケ丘の産業に活力を生む",
        [
            (
                "商店街のにぎわいの創出",
                ["空き店舗の改修補助", "商店街イベントの開催", "キャッシュレス決済の導入支援"],
                [("空き店舗への出店数", "4件", "15件")],
            ),
            (
                "地場産品の販路の拡大",
                ["首都圏の百貨店での物産展", "ネット通販サイトの運営"],
                [("ネット通販の売上額", "2,400万円", "6,000万円")],
            ),
            (
                "若者の地元就職の促進",
                ["高校生の企業見学会", "奨学金返還の支援", "UIJターン就職の補助"],
                [("奨学金返還支援の利用者数", "15人", "50人")],
            ),
        ],
    ),
    (
        "桜ケ丘に住みたい人を増やす",
        [
            (
                "住まいの確保の支援",
                ["住宅取得の補助", "空き家バンクの運営"],
                [("住宅取得補助の件数", "35件", "80件")],
            ),
            (
                "移住体験の充実",
                ["お試し暮らし住宅の運営", "移住体験ツアーの開催", "先輩移住者との交流会"],
                [("お試し暮らしの利用者数", "22人", "70人")],
            ),
            (
                "地域の魅力の発信",
                ["移住ポータルサイトの運営", "首都圏での移住フェアへの出展"],
                [("移住ポータルサイトの閲覧数", "5.4万件", "12.0万件")],
            ),
        ],
    ),
    (
        "誰もが安心して暮らせるまちをつくる",
        [
            (
                "地域医療の確保",
                ["医師の確保への補助", "オンライン診療の導入"],
                [("オンライン診療の利用件数", "120件", "600件")],
            ),
            (
                "地域公共交通の維持",
                ["デマンド交通の運行", "バス路線の再編", "高齢者の運賃助成"],
                [("デマンド交通の利用者数", "7,800人", "12,000人")],
            ),
            (
                "防災力の強化",
                ["自主防災組織の育成", "避難所の環境の改善"],
                [("自主防災組織の結成率", "72.0%", "90.0%")],
            ),
        ],
    ),
]


def _columns(section, n: int, space_pt: int) -> None:
    """A Word section set in ``n`` text columns ``space_pt`` apart (w:cols)."""
    from docx.oxml import parse_xml

    sect_pr = section._sectPr
    for old in sect_pr.findall(f"{kit.W_NS}cols"):
        sect_pr.remove(old)
    sect_pr.append(
        parse_xml(f"<w:cols {kit.wns()} w:num='{n}' w:space='{space_pt * 20}' w:equalWidth='1'/>")
    )


def build_zzb(name: str) -> Path:
    from docx.enum.section import WD_SECTION
    from docx.shared import Pt

    doc = kit.new_docx()
    kit.cover(doc, "桜ケ丘町", "桜ケ丘町総合戦略（第3期）", "令和7年度～令和11年度", "令和7年3月")
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    kit.page_setup(section, "A3", landscape=True, margins=(20.0, 20.0, 20.0, 20.0))
    _columns(section, 2, 28)
    kit.para(doc, "施策の展開", bold=True, size=18)
    kit.para(doc, "3つの基本目標のもと、次の施策に取り組みます。")
    for gi, (goal, measures) in enumerate(SAKURAGAOKA, 1):
        p = kit.para(doc, f"基本目標{gi}{SPACE}{goal}", bold=True, size=14)
        kit.shaded(p, "DDEBF7")
        p.paragraph_format.space_before = Pt(10)
        kit.para(doc, f"{goal}ため、町民、事業者、行政が一体となって取り組みます。")
        for mi, (title, items, kpis) in enumerate(measures, 1):
            p = kit.para(doc, f"（{str(mi).translate(kit.FW)}）{title}", bold=True, size=11)
            p.paragraph_format.space_before = Pt(6)
            kit.para(doc, f"{title}に向け、関係団体と連携して次の事業を進めます。")
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


# ── ZZC: headings by typography only (Gothic bold over a Mincho body) ────────

MIZUHO = [
    (
        "瑞穂の恵みを生かした仕事をつくる",
        [
            (
                "米のブランド化の推進",
                ["ブランド米の認証制度の運用", "首都圏の飲食店への販路開拓"],
                [("ブランド米の出荷量", "320トン", "600トン")],
            ),
            (
                "農業の6次産業化の支援",
                ["加工品の開発補助", "直売所の改修"],
                [("6次産業化の商品数", "14品", "35品")],
            ),
            (
                "林業の再生",
                ["間伐材の利用促進", "林業従事者の研修"],
                [("間伐材の搬出量", "2,600立方メートル", "4,000立方メートル")],
            ),
        ],
    ),
    (
        "瑞穂町に住み続けられる環境をつくる",
        [
            (
                "子育ての支援の充実",
                ["出産祝い金の支給", "子育て支援センターの運営", "病児保育の実施"],
                [("子育て支援センターの利用者数", "3,800人", "5,500人")],
            ),
            (
                "教育環境の充実",
                ["小中学校のICT環境の整備", "地域学習の推進"],
                [("地域学習の実施校数", "3校", "8校")],
            ),
        ],
    ),
    (
        "人がつながる地域をつくる",
        [
            (
                "地域コミュニティの活性化",
                ["地区の交流事業への補助", "集会所の改修"],
                [("交流事業の参加者数", "2,100人", "3,000人")],
            ),
            (
                "高齢者の活躍の推進",
                ["シルバー人材センターの支援", "生涯学習講座の開催"],
                [("生涯学習講座の受講者数", "650人", "900人")],
            ),
        ],
    ),
]


def _mincho_body(doc) -> None:
    """The Normal style (body, tables) in IPAex Mincho; headings set per run in Gothic."""
    from docx.oxml.ns import qn

    style = doc.styles["Normal"]
    style.font.name = MINCHO
    rfonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), MINCHO)


def _gothic(p, size: float, *, page_break: bool = False, space_before: float = 0.0):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p.paragraph_format.page_break_before = page_break
    if space_before:
        p.paragraph_format.space_before = Pt(space_before)
    for r in p.runs:
        r.bold = True
        r.font.size = Pt(size)
        r.font.name = kit.FONT
        rfonts = r._r.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), kit.FONT)
    return p


def build_zzc(name: str) -> Path:
    doc = kit.new_docx()
    _mincho_body(doc)
    kit.cover(doc, "瑞穂町", "瑞穂町総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    _gothic(kit.para(doc, "計画の概要"), 15, page_break=True)
    _gothic(kit.para(doc, "策定の趣旨"), 11.5, space_before=6)
    kit.para(
        doc,
        "人口減少と少子高齢化が進む中、将来にわたって活力ある瑞穂町を維持するため、本戦略を策定します。",
    )
    _gothic(kit.para(doc, "計画の期間"), 11.5, space_before=6)
    kit.para(doc, "令和7年度から令和11年度までの5年間とします。")
    _gothic(kit.para(doc, "推進体制と効果の検証"), 11.5, space_before=6)
    kit.para(doc, "町民や有識者で構成する推進会議において、毎年度、施策の効果を検証します。")
    for goal, measures in MIZUHO:
        _gothic(kit.para(doc, goal), 15, page_break=True)
        kit.para(doc, f"{goal}ため、次の施策に取り組みます。")
        for title, items, kpis in measures:
            _gothic(kit.para(doc, title), 11.5, space_before=6)
            kit.para(doc, f"{title}に向けて、町と関係団体が連携して取り組みます。")
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


# ── ZZD: 基本目標 as shaded boxes listing ①② ─────────────────────────────────

AOBA = [
    (
        "青葉台で働く場をつくる",
        [
            (
                "企業誘致の推進",
                ["工業団地の分譲", "立地奨励金の交付"],
                [("誘致企業数", "1社", "5社")],
            ),
            (
                "地域商社による販路の開拓",
                ["地域商社の運営支援", "海外への輸出の支援"],
                [("地域商社の取扱額", "1.5億円", "4.0億円")],
            ),
            (
                "テレワークの推進",
                ["サテライトオフィスの運営", "テレワーク移住の補助"],
                [("サテライトオフィスの入居企業数", "3社", "12社")],
            ),
        ],
    ),
    (
        "青葉台で子どもを育てる",
        [
            (
                "妊娠から子育てまでの切れ目のない支援",
                ["子育て世代包括支援センターの運営", "産後ケアの実施"],
                [("産後ケアの利用者数", "30人", "80人")],
            ),
            (
                "保育の充実",
                ["保育士の処遇改善", "一時預かりの拡充"],
                [("保育所の待機児童数", "8人", "0人")],
            ),
        ],
    ),
    (
        "青葉台に人を呼び込む",
        [
            (
                "観光の推進",
                ["観光案内所の運営", "体験型観光の造成"],
                [("観光入込客数", "48万人", "60万人")],
            ),
            (
                "移住の推進",
                ["移住支援金の支給", "移住相談会の開催"],
                [("移住者数", "35人", "90人")],
            ),
        ],
    ),
]


def build_zzd(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx()
    kit.cover(doc, "青葉台市", "第3期 青葉台市総合戦略", "令和7年度～令和11年度", "令和7年3月")
    kit.para(doc, "第2章　基本目標と施策", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(AOBA, 1):
        if gi > 1:
            kit.para(doc, page_break=True)
        box = doc.add_table(rows=1, cols=1)
        box.style = "Table Grid"
        cell = box.cell(0, 0)
        _cell_shade(cell, "DEEAF6")
        lines = [f"基本目標{str(gi).translate(kit.FW)}", goal, "【施策】"]
        lines += [f"{kit.CIRCLED[mi]}{title}" for mi, (title, _, _) in enumerate(measures)]
        for i, line in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            r = p.add_run(line)
            r.bold = i < 2
            r.font.size = Pt(14 if i == 1 else 10.5)
            if i > 2:
                p.paragraph_format.left_indent = Pt(14)
        doc.add_paragraph()
        for mi, (title, items, kpis) in enumerate(measures):
            p = kit.para(doc, f"{kit.CIRCLED[mi]}{SPACE}{title}", bold=True, size=12)
            p.paragraph_format.space_before = Pt(6)
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis, ("重要業績評価指標", "基準値（R5）", "目標値（R11）"))
    return BATCH.save(doc, name, "docx")


# ── ZZE: 数値目標, then per measure the KPI table before the items ────────────

HINODE = [
    (
        "日出の産業を強くする",
        ("町内の事業所の従業者数", "4,200人", "4,500人"),
        [
            (
                "中小企業の経営の支援",
                ["経営相談の実施", "設備投資への補助"],
                [("経営相談の件数", "90件", "200件")],
            ),
            (
                "農林水産業の振興",
                ["漁港の機能の強化", "スマート農業の導入支援", "森林の整備"],
                [("スマート農業の導入経営体数", "5経営体", "30経営体")],
            ),
        ],
    ),
    (
        "日出への人の流れをつくる",
        ("転入者数", "620人", "750人"),
        [
            (
                "移住の相談と支援",
                ["移住相談窓口の運営", "移住支援金の支給"],
                [("移住相談を経た移住者数", "18人", "60人")],
            ),
            (
                "観光交流の推進",
                ["温泉街の景観の整備", "インバウンドの誘客"],
                [("外国人宿泊者数", "2,300人", "8,000人"), ("観光入込客数", "68万人", "80万人")],
            ),
        ],
    ),
    (
        "日出で安心して子どもを産み育てる",
        ("合計特殊出生率", "1.32", "1.50"),
        [
            (
                "出産と子育ての支援",
                ["出産祝い金の支給", "子育て応援券の配布"],
                [("子育て応援券の利用率", "71.0%", "85.0%")],
            ),
            (
                "子どもの学びの充実",
                ["学習支援教室の開催", "英語教育の充実"],
                [("学習支援教室の参加者数", "110人", "220人")],
            ),
        ],
    ),
]


def build_zze(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx()
    kit.cover(
        doc,
        "日出町",
        "日出町まち・ひと・しごと創生総合戦略（第3期）",
        "令和7年度～令和11年度",
        "令和7年3月",
    )
    kit.para(doc, "第3章　具体的な施策", bold=True, size=16, page_break=True)
    for gi, (goal, goal_kpi, measures) in enumerate(HINODE, 1):
        kit.para(doc, f"基本目標{gi}{SPACE}{goal}", bold=True, size=14, page_break=gi > 1)
        kit.para(doc, "【数値目標】", bold=True)
        kpi_table(doc, [goal_kpi], ("数値目標", "基準値（R5）", "目標値（R11）"))
        p = kit.para(doc, "具体的な施策", bold=True, size=12)
        kit.shaded(p, "E2EFDA")
        for mi, (title, items, kpis) in enumerate(measures, 1):
            p = kit.para(doc, f"（{mi}）{title}", bold=True, size=11)
            p.paragraph_format.space_before = Pt(6)
            kpi_table(doc, kpis, ("重要業績評価指標（KPI）", "基準値（R5）", "目標値（R11）"))
            kit.para(doc, "【主な取組】")
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
    return BATCH.save(doc, name, "docx")


# ── ZZF: １－(１) numbering with the widths mixed ─────────────────────────────

TSUBAKI = [
    (
        "椿の里の仕事を守り育てる",
        [
            (
                "椿油の産業化",
                ["搾油施設の更新", "化粧品メーカーとの共同開発"],
                [("椿油の生産量", "1,800リットル", "3,000リットル")],
            ),
            (
                "漁業の経営の安定",
                ["漁船の燃料費の補助", "養殖の試験の実施"],
                [("漁業者の平均所得", "310万円", "360万円")],
            ),
            (
                "島の商店の維持",
                ["移動販売車の運行", "店舗の承継の支援"],
                [("移動販売の利用者数", "4,500人", "6,000人")],
            ),
        ],
    ),
    (
        "椿の里に暮らす人を増やす",
        [
            (
                "島暮らしの体験",
                ["お試し住宅の運営", "漁業体験の受入れ"],
                [("お試し住宅の利用者数", "16人", "45人")],
            ),
            (
                "島の魅力の発信",
                ["島の写真展の開催", "SNSでの情報発信"],
                [("SNSの投稿の閲覧数", "8万回", "20万回")],
            ),
        ],
    ),
]
# how each measure's number is typed: the widths as an office mixes them (full-width digit and
# half-width brackets, both full-width, both half-width)
ZZF_NUMBERS = [["１－(１)", "１－（２）", "1-(3)"], ["２－(1)", "２－(２)"]]


def build_zzf(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx()
    kit.cover(doc, "椿島町", "椿島町総合戦略", "令和7年度～令和11年度", "令和7年3月")
    kit.para(doc, "施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(TSUBAKI, 1):
        kit.para(
            doc, f"{str(gi).translate(kit.FW)}{SPACE}{goal}", bold=True, size=14, page_break=gi > 1
        )
        kit.para(doc, f"{goal}ため、島民と町が協力して取り組みます。")
        for mi, (title, items, kpis) in enumerate(measures):
            p = kit.para(doc, f"{ZZF_NUMBERS[gi - 1][mi]}{SPACE}{title}", bold=True, size=11)
            p.paragraph_format.space_before = Pt(6)
            for ii, it in enumerate(items):
                kit.para(doc, f"{kit.KANA[ii]}{SPACE}{it}", indent=14)
            kpi_table(doc, kpis, ("成果指標", "現状値（R5）", "目標値（R11）"))
    return BATCH.save(doc, name, "docx")


# ── ZZG: A4 deck, the goal's measures in a sidebar on every slide ─────────────

MORINO = [
    (
        "森の町で仕事をつくる",
        [
            (
                "木材の地産地消",
                ["公共施設の木造化", "町産材の住宅への補助", "木工品の開発"],
                [("町産材の利用量", "850立方メートル", "1,500立方メートル")],
            ),
            (
                "森林サービス産業の創出",
                ["森林セラピーの商品化", "ガイドの養成"],
                [("森林セラピーの参加者数", "600人", "2,000人")],
            ),
            (
                "起業の支援",
                ["起業支援金の交付", "コワーキングスペースの運営"],
                [("起業者数", "2人", "10人")],
            ),
        ],
    ),
    (
        "森の町で子どもを育てる",
        [
            (
                "森のようちえんの推進",
                ["野外保育の実施", "保育士の研修"],
                [("森のようちえんの利用者数", "40人", "90人")],
            ),
            (
                "子育て世帯の住まいの支援",
                ["子育て世帯向け町営住宅の整備", "住宅改修の補助"],
                [("子育て世帯の転入数", "12世帯", "30世帯")],
            ),
        ],
    ),
]


def build_zzg(name: str) -> Path:
    prs = kit.new_pptx(a4=True)
    blank = prs.slide_layouts[6]
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 0.8, 2.6, 10.1, 1.2, ["森野町 第3期総合戦略（案）"], size=34, bold=True)
    kit.textbox(s, 0.8, 4.1, 10.1, 0.8, ["令和7年1月　森野町総合戦略推進会議 資料2"], size=18)
    page = 1
    for gi, (goal, measures) in enumerate(MORINO, 1):
        for mi, (title, items, kpis) in enumerate(measures):
            page += 1
            s = prs.slides.add_slide(blank)
            kit.textbox(
                s,
                0.3,
                0.25,
                11.1,
                0.7,
                [f"基本目標{gi}　{goal}"],
                size=22,
                bold=True,
                color="FFFFFF",
                fill="1F4E79",
            )
            for j, (other, _, _) in enumerate(measures):
                current = j == mi
                kit.textbox(
                    s,
                    0.3,
                    1.2 + 0.75 * j,
                    2.7,
                    0.65,
                    [f"{kit.CIRCLED[j]}{other}"],
                    size=11,
                    bold=current,
                    color="FFFFFF" if current else "595959",
                    fill="1F4E79" if current else "EDEDED",
                )
            kit.textbox(s, 3.3, 1.2, 8.1, 0.6, [f"{kit.CIRCLED[mi]}　{title}"], size=22, bold=True)
            kit.textbox(s, 3.3, 2.0, 8.1, 0.5, ["主な取組"], size=15, bold=True, color="1F4E79")
            kit.textbox(s, 3.3, 2.5, 8.1, 2.2, [f"・{it}" for it in items], size=15)
            rows = [
                ["重要業績評価指標（KPI）", "基準値（R5）", "目標値（R11）"],
                *[list(k) for k in kpis],
            ]
            kit.slide_table(s, 3.3, 5.0, 8.1, rows, (4.3, 1.9, 1.9), size=13)
            kit.textbox(s, 10.6, 7.75, 0.8, 0.4, [str(page)], size=10)
    return BATCH.save(prs, name, "pptx")


# ── ZZH: the previous edition's measure ids in a column ───────────────────────

YUZURIHA = [
    (
        "ゆずりはの地場産業を伸ばす",
        [
            (
                "柚子の産地の強化",
                ["柚子の苗木の補助", "選果場の改修", "加工品の開発"],
                [("柚子の出荷量", "210トン", "300トン")],
                "1-1、1-2",
            ),
            (
                "商工業の振興",
                ["商工会の経営相談", "事業承継の支援"],
                [("事業承継の件数", "1件", "6件")],
                "1-3",
            ),
            (
                "再生可能エネルギーの導入",
                ["小水力発電の調査", "太陽光発電の導入補助"],
                [("再生可能エネルギーの発電量", "1,200MWh", "3,500MWh")],
                "新規",
            ),
        ],
    ),
    (
        "ゆずりはで暮らし続ける",
        [
            (
                "移住と定住の促進",
                ["移住支援住宅の整備", "定住奨励金の支給"],
                [("移住者数", "14人", "40人"), ("定住奨励金の交付件数", "10件", "25件")],
                "2-1、2-3",
            ),
            (
                "集落の生活の維持",
                ["集落支援員の配置", "買い物支援の実施"],
                [("集落支援員の配置数", "2人", "6人")],
                "2-2",
            ),
        ],
    ),
]
ZZH_HEAD = [
    "施策",
    "主な取組",
    "第2期の施策番号",
    "重要業績評価指標（KPI）",
    "基準値（R5）",
    "目標値（R11）",
]
ZZH_WIDTHS = (90, 120, 52, 110, 50, 50)


def build_zzh(name: str) -> Path:
    doc = kit.new_docx()
    kit.cover(doc, "ゆずりは村", "第3期 ゆずりは村総合戦略", "令和7年度～令和11年度", "令和7年3月")
    kit.para(doc, "施策の体系と重要業績評価指標", bold=True, size=16, page_break=True)
    kit.para(doc, "第2期の施策番号の欄は、各施策が引き継ぐ第2期総合戦略の施策を示します。")
    for gi, (goal, measures) in enumerate(YUZURIHA, 1):
        kit.para(doc, f"基本目標{gi}{SPACE}{goal}", bold=True, size=14)
        n_rows = sum(len(m[2]) for m in measures)
        t = doc.add_table(rows=1 + n_rows, cols=len(ZZH_HEAD))
        t.style = "Table Grid"
        t.autofit = False
        for j, text in enumerate(ZZH_HEAD):
            kit.cell_lines(t.cell(0, j), [text], bold=True, size=9.5)
        _header_shade(t)
        r = 1
        for mi, (title, items, kpis, prev) in enumerate(measures, 1):
            n = len(kpis)
            for i, kpi in enumerate(kpis):
                for j, v in enumerate(kpi, 3):
                    kit.cell_lines(t.cell(r + i, j), [v])
            kit.cell_lines(_merge_down(t, 0, r, n), [f"{gi}-{mi}　{title}"], bold=True)
            kit.cell_lines(_merge_down(t, 1, r, n), [f"・{it}" for it in items])
            kit.cell_lines(_merge_down(t, 2, r, n), [prev])
            r += n
        _widths(t, ZZH_WIDTHS)
        doc.add_paragraph()
    return BATCH.save(doc, name, "docx")


def _zzh_plan():
    return [(g, [(t, i, k) for t, i, k, _ in ms]) for g, ms in YUZURIHA]


def _zza_plan():
    return [(g, [(t, [], k) for t, _, k in ms]) for g, ms in KURIHARA]


def _zze_plan():
    return [(g, ms) for g, _, ms in HINODE]


def _zzh_gold(name: str, src: Path | None) -> dict:
    """The plan's gold and, per measure, the previous edition's ids its row states (``refs``:
    empty for 新規)."""
    gold = kit.plan_gold(_zzh_plan(), family=_DOCS["zzh_prev_ids"][4], town="ゆずりは村")(name, src)
    prev = [p for _, ms in YUZURIHA for *_, p in ms]
    for m, p in zip(gold["measures"], prev, strict=True):
        m["refs"] = [] if p == "新規" else p.split("、")
    return gold


_DOCS = {
    "zza_table_rows": (
        build_zza,
        _zza_plan(),
        "栗原野市",
        0,
        "measures only in table rows (No. | 施策名 | 施策の概要 | KPI | 現状値 | 目標値) under 基本目標N headings; the first table over a page break (rows split, header not repeated); two KPIs merged down; no items",
    ),
    "zzb_a3_columns": (
        build_zzb,
        SAKURAGAOKA,
        "桜ケ丘町",
        0,
        "A3 landscape pages in two text columns: shaded 基本目標N goals, （１） measures, ・ items, KPI tables in the narrow column",
    ),
    "zzc_typography_only": (
        build_zzc,
        MIZUHO,
        "瑞穂町",
        0,
        "no numbers or marks: Mincho body, Gothic bold headings (goals 15 pt, measures 11.5 pt); a prose chapter with the same heading sizes first; ・ items; KPI tables",
    ),
    "zzd_goal_boxes": (
        build_zzd,
        AOBA,
        "青葉台市",
        0,
        "each 基本目標 a shaded one-cell box with its title and the list ①② of its measures; then each measure again as a bold ①　… heading with ・ items and a KPI table",
    ),
    "zze_kpi_first": (
        build_zze,
        _zze_plan(),
        "日出町",
        len(HINODE),
        "per goal 【数値目標】 table, 「具体的な施策」 label, then per （1） measure its KPI table first and 【主な取組】 ・ items after",
    ),
    "zzf_mixed_width": (
        build_zzf,
        TSUBAKI,
        "椿島町",
        0,
        "goals 「１　…」; measures 「１－(１)」 with the widths mixed as typed (１－（２）, 1-(3), ２－(1)); ア／イ typed items; KPI tables 成果指標",
    ),
    "zzg_deck_sidebar": (
        build_zzg,
        MORINO,
        "森野町",
        0,
        "A4 landscape deck, one measure a slide: goal in the title band of every slide, a sidebar listing all the goal's measures ①② (current one highlighted), ① heading, ・ items, KPI table",
    ),
    "zzh_prev_ids": (
        None,
        _zzh_plan(),
        "ゆずりは村",
        0,
        "a table per goal 施策 | 主な取組 | 第2期の施策番号 | KPI | 基準値 | 目標値: the previous edition's ids stated in a column (1-1、1-2 / 新規); ・ items as paragraphs in a cell",
    ),
}

DOCS = {
    name: kit.Doc(build, kit.plan_gold(plan, family=family, town=town, goal_kpis=goal_kpis))
    for name, (build, plan, town, goal_kpis, family) in _DOCS.items()
    if build is not None
}
DOCS["zzh_prev_ids"] = kit.Doc(build_zzh, _zzh_gold)
