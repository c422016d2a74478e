"""The seventh layout batch (corpora/zoo7): a blind batch of session 4, written before any run.

Written BEFORE textkit was run on any of these (commit "zoo7: sources, PDFs and gold before any
run"); everything is invented; the gold is written from the same plan as the page (as in zoo5/6),
and ``absent`` lists lines that must be neither a measure nor a KPI. The forms session 3 left
failing or untested, each the way a real office makes it:

* zm_plain_goals      numbered goals 「1　…」 in plain 10.5 pt body text (not bold, not larger); the
                      measures under them unnumbered, bold 12 pt; ・ items; KPI tables.
* zn_chapter_goals    the goals are chapters 「第2章　…」 … 「第4章　…」 (bold 16 pt, a page each);
                      chapter 1 (計画の概要) and chapter 5 (推進体制) are prose with 「１　…」 sections;
                      「施策１　…」 measures (full-width, restarting per chapter); ○ items; KPI tables.
* zo_section_goals    第1部 人口ビジョン with prose 第1節 … 第3節; 第2部 総合戦略 whose goals are
                      「第1節　…」 … 「第3節　…」; measures 「(1)　…」; ◇ items; KPI tables.
* zp_toc_two_pages    a 「目　次」 (spaced, not the exact word) listing every goal, measure and 資料
                      entry with dot leaders over two pages (the second without a title);
                      基本目標N goals, 「（１）」 measures, ・ items, KPI tables.
* zq_total_rows       KPI tables with a 合計 row under the KPIs; a 施策別事業費 table per goal (施策 |
                      R7 | R8 | 計) with a 小計 row and a 合計 row at the end; ■ goals 「基本目標１」,
                      「施策１－１」 measures.
* zr_landscape_split  the strategy as one Word table in a landscape section (施策 | 主な取組 | 重要業績評価
                      指標 | 基準値（R5） | 目標値（R11） | 担当課), a band row per goal, the measure cell merged
                      down over its rows, over three pages with the header row repeated; no body text.
* zs_style_outline    Word heading styles whose numbering lives in the styles (基本目標%1 on 見出し1,
                      （%2） full-width on 見出し2, linked in styles.xml, not on the paragraphs), ア／イ items
                      from a list (aiueoFullWidth); KPI tables.
* zt_deck_measure_slides  a deck: a divider slide per goal (基本目標N and its title), then one slide per
                      measure (its title in the title placeholder, 「基本目標1」 tag top right), ・ items
                      left and the KPIs in a table shape right.
* zu_vertical_sidebar every body page has a vertical (縦書き) sidebar in the right margin (a text box in
                      the header: the town and 「第２章 施策の展開」); 基本目標N goals, 「施策N」 measures,
                      ・ items, KPI tables.

Run with ``make zoo7`` (not part of ``make test``; shared parts: ``scripts/zoo/kit.py``).
"""

from __future__ import annotations

from pathlib import Path

from scripts.zoo import kit
from scripts.zoo.zoo5 import kpi_table

BATCH = kit.Batch("zoo7", author="textkit zoo7")
R5_R11 = ("指標", "基準値（R5）", "目標値（R11）")
SPACE = "\u3000"


def kpi_rows(kpis, head=R5_R11):
    return [list(head), *[list(k) for k in kpis]]


# ── ZM: numbered goals in plain body text, styled measures ───────────────────

UMINOKA = [
    (
        "海と農地を生かした仕事をつくる",
        [
            (
                "漁業の担い手の確保",
                ["漁業研修生の受入れ", "漁船の取得への補助"],
                [("新規漁業就業者数", "3人", "10人")],
            ),
            (
                "農産物の加工と販売",
                ["加工施設の共同利用", "直売所の売場の拡充", "通信販売の立ち上げ支援"],
                [("加工品の販売額", "1,200万円", "3,000万円")],
            ),
        ],
    ),
    (
        "海野花町に住む人を増やす",
        [
            (
                "移住体験の充実",
                ["移住体験住宅の運営", "漁業と農業の仕事体験"],
                [("移住体験住宅の利用者数", "45人", "100人")],
            ),
            (
                "若者向け住宅の確保",
                ["町営住宅の改修", "民間賃貸住宅の家賃補助"],
                [("家賃補助を受けた若者世帯数", "12世帯", "40世帯")],
            ),
        ],
    ),
    (
        "子どもを安心して育てられる町にする",
        [
            (
                "保育の受け皿の確保",
                ["保育士の確保への補助", "一時預かりの拡充"],
                [("一時預かりの利用者数", "320人", "500人")],
            ),
            (
                "子育ての相談の充実",
                ["子育て相談アプリの運用", "保健師の訪問"],
                [("相談アプリの登録者数", "150人", "400人")],
            ),
        ],
    ),
]


def build_zm(name: str) -> Path:
    from docx.shared import Pt

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "海野花町", "第3期 海野花町総合戦略", "令和7年度～令和11年度", "令和7年3月")
    kit.para(doc, "第1章　戦略の考え方", bold=True, size=16, page_break=True)
    kit.para(doc, "本戦略の計画期間は、令和7年度から令和11年度までの5年間とします。")
    kit.para(doc, "次の3つの基本目標を掲げ、施策を展開します。")
    kit.para(doc, "第2章　施策の展開", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(UMINOKA, 1):
        p = kit.para(doc, f"{gi}{SPACE}{goal}", page_break=gi > 1)
        p.paragraph_format.space_before = Pt(6)
        kit.para(doc, f"{goal}ため、町民と行政が力を合わせて取り組みます。")
        for title, items, kpis in measures:
            p = kit.para(doc, title, bold=True, size=12)
            p.paragraph_format.space_before = Pt(6)
            kit.para(doc, f"{title}に向けて、関係機関と連携して次の事業を進めます。")
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    kit.para(doc, "第3章　推進体制", bold=True, size=16, page_break=True)
    kit.para(doc, "毎年度、有識者会議において施策の効果を検証し、見直しを行います。")
    return BATCH.save(doc, name, "docx")


# ── ZN: 第N章 chapters as the goal level, 施策Ｎ below ─────────────────────────

ISHIKAWA = [
    (
        "働く場をつくり、所得を高める",
        [
            (
                "地元企業の設備投資の支援",
                ["設備更新への補助", "省エネルギー診断の実施"],
                [("設備投資の補助件数", "14件", "40件")],
            ),
            (
                "創業の支援",
                ["創業塾の開催", "空き店舗の改修補助"],
                [("創業者数", "6人", "20人")],
            ),
            (
                "デジタル人材の育成",
                ["プログラミング講座の開催", "企業のDX相談窓口の設置"],
                [("DX相談の件数", "20件", "80件")],
            ),
        ],
    ),
    (
        "石川台とつながる人を増やす",
        [
            (
                "ふるさと納税の活用",
                ["返礼品の開発", "寄附者との交流会の開催"],
                [("ふるさと納税の寄附件数", "4,800件", "9,000件")],
            ),
            (
                "関係人口の拡大",
                ["副業人材の受入れ", "ワーケーションの誘致"],
                [("副業人材の受入れ人数", "5人", "30人")],
            ),
        ],
    ),
    (
        "健やかに暮らせる地域をつくる",
        [
            (
                "健康づくりの推進",
                ["健康ポイント事業の実施", "特定健診の受診勧奨"],
                [("特定健診の受診率", "38.5%", "60.0%")],
            ),
            (
                "地域公共交通の確保",
                ["デマンド交通の運行", "バス路線の再編"],
                [("デマンド交通の利用者数", "6,200人", "9,000人")],
            ),
        ],
    ),
]


def build_zn(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "石川台市", "石川台市総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    kit.para(doc, "第1章　計画の概要", bold=True, size=16, page_break=True)
    kit.para(doc, "１　計画策定の趣旨", bold=True, size=12)
    kit.para(doc, "人口減少に歯止めをかけ、活力ある地域を維持するため、本戦略を策定する。")
    kit.para(doc, "２　計画の期間", bold=True, size=12)
    kit.para(doc, "計画期間は、令和7年度から令和11年度までの5年間とする。")
    kit.para(doc, "３　基本目標", bold=True, size=12)
    kit.para(doc, "第2章から第4章までの各章を、本戦略の基本目標とする。")
    for ci, (goal, measures) in enumerate(ISHIKAWA, 2):
        kit.para(doc, f"第{ci}章{SPACE}{goal}", bold=True, size=16, page_break=True)
        kit.para(doc, f"{goal}ため、次の施策に取り組む。")
        for mi, (title, items, kpis) in enumerate(measures, 1):
            kit.para(doc, f"施策{str(mi).translate(kit.FW)}{SPACE}{title}", bold=True, size=12)
            kit.para(doc, f"{title}に向け、市と関係団体が役割を分担して取り組む。")
            for it in items:
                kit.para(doc, f"○{it}", indent=21)
            kpi_table(doc, kpis, ("重要業績評価指標", "基準値（R5）", "目標値（R11）"))
    kit.para(doc, "第5章　推進体制", bold=True, size=16, page_break=True)
    kit.para(doc, "１　推進体制", bold=True, size=12)
    kit.para(doc, "市長を本部長とする推進本部において、全庁的に取り組む。")
    kit.para(doc, "２　効果の検証", bold=True, size=12)
    kit.para(doc, "外部有識者による検証会議において、毎年度、KPIの達成状況を検証する。")
    return BATCH.save(doc, name, "docx")


# ── ZO: 第N節 goals inside 第2部, prose 節 in 第1部 ─────────────────────────────

KAZAHAYA = [
    (
        "地域経済の稼ぐ力を高める",
        [
            (
                "観光の通年化",
                ["冬季イベントの開催", "温泉と食の周遊プランの造成"],
                [("冬季の観光入込客数", "8.2万人", "12.0万人")],
            ),
            (
                "農業の経営安定",
                ["スマート農業機械の導入補助", "農地の集約化の支援"],
                [("担い手への農地集積率", "52.0%", "70.0%")],
            ),
        ],
    ),
    (
        "若い世代の定住を進める",
        [
            (
                "地元就職の促進",
                ["高校生の企業見学会", "奨学金の返還支援"],
                [("奨学金返還支援の利用者数", "10人", "45人")],
            ),
            (
                "住まいの確保",
                ["宅地造成への補助", "空き家バンクの運営"],
                [("空き家バンクの成約件数", "9件", "25件")],
            ),
        ],
    ),
    (
        "誰もが活躍できる地域をつくる",
        [
            (
                "女性の活躍の推進",
                ["女性起業家の交流会", "企業の両立支援の認定"],
                [("両立支援の認定企業数", "4社", "15社")],
            ),
            (
                "高齢者の社会参加",
                ["シルバー人材センターの支援", "通いの場の立ち上げ支援"],
                [("通いの場の数", "26か所", "40か所")],
            ),
        ],
    ),
]


def build_zo(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "風早町", "風早町人口ビジョン・総合戦略", "（第3期）", "令和7年3月")
    kit.para(doc, "第1部　人口ビジョン", bold=True, size=18, page_break=True)
    for si, (title, text) in enumerate(
        [
            ("人口の推移", "本町の人口は、昭和30年の1万8千人をピークに減少が続いている。"),
            ("人口減少の要因", "若い世代の転出と出生数の減少が主な要因である。"),
            ("将来の展望", "令和42年に8,000人程度の人口を維持することを目指す。"),
        ],
        1,
    ):
        kit.para(doc, f"第{si}節{SPACE}{title}", bold=True, size=14)
        kit.para(doc, text)
        kit.para(doc, "国立社会保障・人口問題研究所の推計によれば、減少は今後も続く見込みである。")
    kit.para(doc, "第2部　総合戦略", bold=True, size=18, page_break=True)
    kit.para(doc, "計画期間は令和7年度から令和11年度までとし、次の3つの基本目標を定める。")
    for gi, (goal, measures) in enumerate(KAZAHAYA, 1):
        kit.para(doc, f"第{gi}節{SPACE}{goal}", bold=True, size=14, page_break=gi > 1)
        kit.para(doc, f"{goal}ため、次の施策を推進する。")
        for mi, (title, items, kpis) in enumerate(measures, 1):
            kit.para(doc, f"({mi}){SPACE}{title}", bold=True, size=12)
            for it in items:
                kit.para(doc, f"◇{it}", indent=21)
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


# ── ZP: a 目　次 over two pages ──────────────────────────────────────────────

SAKAKI = [
    (
        "地域産業の担い手を育てる",
        [
            (
                "林業の担い手の育成",
                ["林業大学校の研修費の補助", "高性能林業機械の導入支援"],
                [("林業の新規就業者数", "4人", "12人")],
            ),
            (
                "商店街の事業承継",
                ["承継希望者と店主のマッチング", "店舗改修の補助"],
                [("事業承継の件数", "2件", "10件")],
            ),
            (
                "地場産品の販路の拡大",
                ["商談会への出展支援", "ネット販売の講座"],
                [("商談会での成約件数", "15件", "40件")],
            ),
        ],
    ),
    (
        "榊原市への人の流れをつくる",
        [
            (
                "移住相談の充実",
                ["オンライン移住相談", "移住者の先輩との交流会"],
                [("移住相談の件数", "120件", "250件")],
            ),
            (
                "二地域居住の推進",
                ["お試し居住住宅の運営", "コワーキングスペースの運営"],
                [("お試し居住の利用者数", "30人", "80人")],
            ),
            (
                "シティプロモーション",
                ["PR動画の制作", "SNSでの情報発信"],
                [("SNSのフォロワー数", "3,500人", "10,000人")],
            ),
        ],
    ),
    (
        "子育ての希望をかなえる",
        [
            (
                "出産の支援",
                ["出産祝い金の支給", "産後ケアの実施"],
                [("産後ケアの利用者数", "25人", "60人")],
            ),
            (
                "子育て家庭の負担の軽減",
                ["給食費の無償化", "子ども医療費の助成"],
                [("子育て支援の満足度", "55.0%", "70.0%")],
            ),
            (
                "教育の充実",
                ["ICT教育の推進", "放課後学習教室の開催"],
                [("放課後学習教室の参加者数", "90人", "200人")],
            ),
        ],
    ),
    (
        "安心して暮らせる地域をつくる",
        [
            (
                "防災力の向上",
                ["自主防災組織の育成", "防災備蓄の充実"],
                [("自主防災組織の結成率", "68.0%", "85.0%")],
            ),
            (
                "地域交通の確保",
                ["コミュニティバスの運行", "乗合タクシーの実証"],
                [("コミュニティバスの利用者数", "2.4万人", "3.0万人")],
            ),
        ],
    ),
]


def _toc_entries():
    entries = [("第1章　総合戦略の策定にあたって", 1, 0), ("1　策定の趣旨", 1, 1)]
    entries += [("2　計画期間", 1, 1), ("3　基本目標の一覧", 2, 1)]
    entries += [("第2章　基本目標と施策", 3, 0)]
    page = 3
    for gi, (goal, measures) in enumerate(SAKAKI, 1):
        entries.append((f"基本目標{gi}　{goal}", page, 1))
        for mi, (title, _, _) in enumerate(measures, 1):
            entries.append((f"（{str(mi).translate(kit.FW)}）{title}", page, 2))
        page += 2
    entries += [("第3章　推進体制", page, 0), ("1　推進の体制", page, 1)]
    entries += [("2　効果の検証", page, 1), ("資料編", page + 1, 0)]
    entries += [(f"資料{i}　{t}", page + 1 + i // 2, 1) for i, t in enumerate(_SHIRYO, 1)]
    return entries


_SHIRYO = [
    "策定の経過",
    "総合戦略推進会議委員名簿",
    "市民アンケートの結果",
    "高校生ワークショップの記録",
    "人口の将来推計",
    "用語の解説",
    "第2期総合戦略の検証結果",
    "KPI一覧",
]


def build_zp(name: str) -> Path:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Pt

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "榊原市", "第3期榊原市総合戦略", "令和7年度～令和11年度", "令和7年3月")
    p = kit.para(doc, f"目{SPACE}{SPACE}次", bold=True, size=16, page_break=True)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, page, level in _toc_entries():
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Pt(14 * level)
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.tab_stops.add_tab_stop(
            Pt(440), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        p.add_run(f"{text}\t{page}")
    kit.para(doc, "第1章　総合戦略の策定にあたって", bold=True, size=16, page_break=True)
    kit.para(doc, "1　策定の趣旨", bold=True, size=12)
    kit.para(doc, "人口減少と少子高齢化に対応し、将来にわたって活力ある榊原市を築くため策定する。")
    kit.para(doc, "2　計画期間", bold=True, size=12)
    kit.para(doc, "令和7年度から令和11年度までの5年間とする。")
    kit.para(doc, "第2章　基本目標と施策", bold=True, size=16, page_break=True)
    for gi, (goal, measures) in enumerate(SAKAKI, 1):
        kit.para(doc, f"基本目標{gi}　{goal}", bold=True, size=14, page_break=gi > 1)
        for mi, (title, items, kpis) in enumerate(measures, 1):
            kit.para(doc, f"（{str(mi).translate(kit.FW)}）{title}", bold=True, size=12)
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    kit.para(doc, "第3章　推進体制", bold=True, size=16, page_break=True)
    kit.para(doc, "市民、企業、大学、金融機関等と連携し、推進会議で毎年度検証する。")
    return BATCH.save(doc, name, "docx")


# ── ZQ: 合計 / 小計 rows ──────────────────────────────────────────────────────

HIRAKAWA = [
    (
        "観光と交流で稼ぐ",
        [
            (
                "宿泊観光の推進",
                ["宿泊施設の改修補助", "連泊プランの造成"],
                [
                    ("宿泊客数（国内）", "5.1万人", "6.0万人"),
                    ("宿泊客数（外国人）", "0.4万人", "1.0万人"),
                ],
            ),
            (
                "体験型観光の充実",
                ["農業体験の受入れ", "川下りの運航支援"],
                [("体験プログラムの参加者数", "2,300人", "4,000人")],
            ),
        ],
    ),
    (
        "平川に住み続けたい人を増やす",
        [
            (
                "住宅取得の支援",
                ["新築住宅の取得補助", "中古住宅の改修補助"],
                [
                    ("住宅取得補助の件数（新築）", "18件", "30件"),
                    ("住宅取得補助の件数（中古）", "7件", "20件"),
                ],
            ),
            (
                "結婚の支援",
                ["結婚新生活の補助", "出会いイベントの開催"],
                [("結婚新生活補助の件数", "11件", "25件")],
            ),
        ],
    ),
]
# 施策別事業費（千円）: R7, R8 per measure
COSTS = [[(12000, 15000), (3000, 3500)], [(20000, 22000), (4000, 4000)]]


def _kpi_table_with_total(doc, kpis):
    rows = kpi_rows(kpis, ("指標", "基準値（R5）", "目標値（R11）"))
    if len(kpis) > 1:
        base = sum(kit.value(k[1])[0] for k in kpis)  # type: ignore[index]
        target = sum(kit.value(k[2])[0] for k in kpis)  # type: ignore[index]
        unit = kit.value(kpis[0][1])[1]  # type: ignore[index]
        rows.append(["合計", f"{base:,g}{unit}", f"{target:,g}{unit}"])
    kit.grid_table(doc, rows, [230, 100, 100])


def build_zq(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    kit.cover(
        doc, "平川町", "平川町デジタル田園都市総合戦略", "令和7年度～令和11年度", "令和7年3月"
    )
    kit.para(doc, "施策の展開", bold=True, size=16, page_break=True)
    grand = [0, 0]
    for gi, (goal, measures) in enumerate(HIRAKAWA, 1):
        kit.para(doc, f"■基本目標{str(gi).translate(kit.FW)}　{goal}", bold=True, size=14)
        kit.para(doc, "施策別事業費（単位：千円）")
        rows = [["施策", "令和7年度", "令和8年度", "計"]]
        sub = [0, 0]
        for mi, ((title, _, _), (a, b)) in enumerate(zip(measures, COSTS[gi - 1], strict=True), 1):
            rows.append([f"施策{gi}－{mi}　{title}", f"{a:,}", f"{b:,}", f"{a + b:,}"])
            sub = [sub[0] + a, sub[1] + b]
        rows.append(["小計", f"{sub[0]:,}", f"{sub[1]:,}", f"{sub[0] + sub[1]:,}"])
        grand = [grand[0] + sub[0], grand[1] + sub[1]]
        if gi == len(HIRAKAWA):
            rows.append(["合計", f"{grand[0]:,}", f"{grand[1]:,}", f"{grand[0] + grand[1]:,}"])
        kit.grid_table(doc, rows, [220, 70, 70, 70])
        for mi, (title, items, kpis) in enumerate(measures, 1):
            kit.para(doc, f"施策{gi}－{mi}　{title}", bold=True, size=12)
            kit.para(doc, f"{title}のため、次の事業に取り組みます。")
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            _kpi_table_with_total(doc, kpis)
    return BATCH.save(doc, name, "docx")


# ── ZR: one landscape table over three pages, header row repeated ─────────────

TAKAMORI = [
    (
        "地域の産業を育てる",
        [
            (
                "企業誘致の推進",
                ["工業団地の造成", "立地企業への奨励金", "サテライトオフィスの誘致"],
                [("立地企業数", "3社", "10社"), ("立地企業の新規雇用者数", "40人", "150人")],
                "商工課",
            ),
            (
                "農業の6次産業化",
                ["加工品の開発支援", "直売所の整備", "農家レストランの開業支援"],
                [("6次産業化の認定事業者数", "5件", "15件")],
                "農政課",
            ),
            (
                "商店街の活性化",
                ["空き店舗の活用", "商店街イベントの支援"],
                [("空き店舗への出店数", "4件", "15件")],
                "商工課",
            ),
        ],
    ),
    (
        "高森市への新しい人の流れをつくる",
        [
            (
                "移住の促進",
                ["移住支援金の支給", "移住相談会の開催", "移住者の住宅改修補助"],
                [("移住者数", "85人", "200人"), ("移住相談の件数", "150件", "300件")],
                "企画課",
            ),
            (
                "関係人口の創出",
                ["ふるさと住民票の発行", "地域おこし協力隊の受入れ"],
                [("ふるさと住民票の登録者数", "300人", "1,000人")],
                "企画課",
            ),
            (
                "観光の振興",
                ["観光案内所の機能強化", "広域周遊ルートの造成", "観光ガイドの育成"],
                [("観光入込客数", "48万人", "60万人"), ("観光消費額", "32億円", "45億円")],
                "観光課",
            ),
        ],
    ),
    (
        "結婚・出産・子育ての希望をかなえる",
        [
            (
                "出会いの支援",
                ["結婚相談所の運営", "婚活セミナーの開催"],
                [("結婚相談所を通じた成婚数", "3組", "10組")],
                "こども課",
            ),
            (
                "子育ての支援",
                ["子育て支援センターの運営", "病児保育の実施", "第3子以降の保育料無償化"],
                [("病児保育の利用者数", "180人", "300人")],
                "こども課",
            ),
            (
                "教育環境の充実",
                ["学校のICT環境の整備", "英語教育の充実"],
                [("全国学力調査の平均正答率", "62.0%", "68.0%")],
                "学校教育課",
            ),
        ],
    ),
    (
        "安心して暮らせるまちをつくる",
        [
            (
                "地域医療の確保",
                ["医師の確保への補助", "オンライン診療の導入"],
                [("オンライン診療の件数", "120件", "500件")],
                "健康課",
            ),
            (
                "地域交通の確保",
                ["デマンド交通の運行", "バス路線の維持"],
                [("デマンド交通の利用者数", "1.2万人", "2.0万人")],
                "企画課",
            ),
        ],
    ),
]
ZR_WIDTHS = [150, 190, 170, 80, 80, 70]  # pt, on A4 landscape


def _zr_table(doc):
    from docx.oxml import parse_xml
    from docx.shared import Pt

    head = ["施策", "主な取組", "重要業績評価指標", "基準値（R5）", "目標値（R11）", "担当課"]
    rows = 1 + sum(
        1 + sum(max(len(items), len(kpis)) for _, items, kpis, _ in ms) for _, ms in TAKAMORI
    )
    t = doc.add_table(rows=rows, cols=len(head))
    t.style = "Table Grid"
    t.autofit = False
    t.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {kit.wns()}/>"))
    for j, width in enumerate(ZR_WIDTHS):  # before merging: a merged cell sums its widths
        t.columns[j].width = Pt(width)
        for cell in t.columns[j].cells:
            cell.width = Pt(width)
    for row in t.rows:
        row.height = Pt(30)
    for j, text in enumerate(head):
        kit.cell_lines(t.cell(0, j), [text], bold=True, size=9.5)
    r = 1
    for gi, (goal, measures) in enumerate(TAKAMORI, 1):
        band = t.cell(r, 0).merge(t.cell(r, len(head) - 1))
        kit.cell_lines(band, [f"基本目標{gi}　{goal}"], bold=True, size=10.5)
        r += 1
        for title, items, kpis, dept in measures:
            n = max(len(items), len(kpis))
            for i in range(n):
                if i < len(items):
                    kit.cell_lines(t.cell(r + i, 1), [f"・{items[i]}"])
                if i < len(kpis):
                    for j, v in enumerate(kpis[i], 2):
                        kit.cell_lines(t.cell(r + i, j), [v])
            for col, text in ((0, title), (5, dept)):
                cell = t.cell(r, col).merge(t.cell(r + n - 1, col)) if n > 1 else t.cell(r, col)
                kit.cell_lines(cell, [text], bold=col == 0)
            r += n
    return t


def build_zr(name: str) -> Path:
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "高森市", "第3期 高森市総合戦略", "（令和7年度～令和11年度）", "令和7年3月")
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    p = kit.para(doc, "施策・重要業績評価指標（KPI）一覧", bold=True, size=14)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _zr_table(doc)
    return BATCH.save(doc, name, "docx")


# ── ZS: numbering linked in the heading styles ────────────────────────────────

SUZURAN = [
    (
        "すずらん町で働く場を広げる",
        [
            (
                "農業の継承",
                ["就農研修の実施", "農地の貸し借りの仲介"],
                [("新規就農者数", "2人", "8人")],
            ),
            (
                "テレワークの推進",
                ["テレワーク施設の運営", "企業の誘致活動"],
                [("テレワーク施設の利用者数", "600人", "1,500人")],
            ),
        ],
    ),
    (
        "すずらん町の魅力を伝える",
        [
            (
                "観光資源の活用",
                ["花のまつりの開催", "案内看板の多言語化", "観光ガイドの養成"],
                [("花のまつりの来場者数", "1.8万人", "2.5万人")],
            ),
            (
                "移住の支援",
                ["移住ツアーの開催", "空き家の改修補助"],
                [("移住ツアーの参加者数", "20人", "60人")],
            ),
        ],
    ),
    (
        "子どもと高齢者が安心して暮らせる町にする",
        [
            (
                "子育ての支援",
                ["子育て支援金の支給", "子育てサロンの開設"],
                [("子育てサロンの利用者数", "900人", "1,600人")],
            ),
            (
                "見守りの充実",
                ["見守り協定の締結", "配食サービスの実施"],
                [("見守り協定の締結事業者数", "12社", "30社")],
            ),
        ],
    ),
]
STYLE_NUM = 60
ITEM_NUM = 61


def _style_outline(doc):
    """基本目標%1 / （%2） linked to 見出し1 / 見出し2 in the styles (Word's outline numbering: the
    paragraphs carry no numPr); ア／イ items (aiueoFullWidth) restarting under each measure."""
    font = f"<w:rFonts w:ascii='{kit.FONT}' w:eastAsia='{kit.FONT}' w:hAnsi='{kit.FONT}'/>"
    outline = (
        f"<w:abstractNum {kit.wns()} w:abstractNumId='{STYLE_NUM}'>"
        "<w:multiLevelType w:val='multilevel'/>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='decimalFullWidth'/>"
        "<w:pStyle w:val='Heading1'/><w:suff w:val='space'/><w:lvlText w:val='基本目標%1'/>"
        "<w:lvlJc w:val='left'/><w:pPr><w:ind w:left='0' w:firstLine='0'/></w:pPr>"
        f"<w:rPr>{font}</w:rPr></w:lvl>"
        "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='decimalFullWidth'/>"
        "<w:pStyle w:val='Heading2'/><w:suff w:val='nothing'/><w:lvlText w:val='（%2）'/>"
        "<w:lvlJc w:val='left'/><w:pPr><w:ind w:left='210' w:firstLine='0'/></w:pPr>"
        f"<w:rPr>{font}</w:rPr></w:lvl>"
        "</w:abstractNum>"
    )
    items = (
        f"<w:abstractNum {kit.wns()} w:abstractNumId='{ITEM_NUM}'>"
        "<w:multiLevelType w:val='singleLevel'/>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='aiueoFullWidth'/>"
        "<w:suff w:val='space'/><w:lvlText w:val='%1'/><w:lvlJc w:val='left'/>"
        "<w:pPr><w:ind w:left='840' w:hanging='420'/></w:pPr>"
        f"<w:rPr>{font}</w:rPr></w:lvl></w:abstractNum>"
    )
    n_measures = sum(len(ms) for _, ms in SUZURAN)
    restarting = [
        f"<w:num {kit.wns()} w:numId='{ITEM_NUM * 10 + i}'><w:abstractNumId w:val='{ITEM_NUM}'/>"
        "<w:lvlOverride w:ilvl='0'><w:startOverride w:val='1'/></w:lvlOverride></w:num>"
        for i in range(n_measures)
    ]
    kit.add_lists(doc, [outline, items], [kit.num(STYLE_NUM), *restarting])
    for level in (1, 2):
        _list_paragraph(doc.styles[f"Heading {level}"].element, STYLE_NUM, level - 1)


def _list_paragraph(element, num_id: int, level: int):
    """numPr on a paragraph or a paragraph style, where the schema puts it."""
    num_pr = element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def build_zs(name: str) -> Path:
    from docx.shared import Pt, RGBColor

    doc = kit.new_docx(paper="letter")
    _style_outline(doc)
    kit.cover(doc, "すずらん町", "すずらん町総合戦略", "（第3期）", "令和7年3月")

    def heading(text, level, page_break=False):
        p = doc.add_paragraph(style=f"Heading {level}")
        p.paragraph_format.page_break_before = page_break
        r = p.add_run(text)
        r.font.color.rgb = RGBColor(0, 0, 0)
        r.font.size = Pt(15 if level == 1 else 12)
        return p

    kit.para(doc, "はじめに", bold=True, size=16, page_break=True)
    kit.para(doc, "本戦略は、令和7年度から令和11年度までの5年間の取組を定めるものです。")
    measure = 0
    for goal, measures in SUZURAN:
        heading(goal, 1, page_break=True)
        kit.para(doc, f"{goal}ため、次の施策に取り組みます。")
        for title, items, kpis in measures:
            heading(title, 2)
            for it in items:
                _list_paragraph(kit.para(doc, it)._p, ITEM_NUM * 10 + measure, 0)
            measure += 1
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


# ── ZT: a deck, one measure a slide, KPIs in a table shape ────────────────────

HOSHIZORA = [
    (
        "星空の町で働く",
        [
            (
                "天文観光の振興",
                ["星空観察会の開催", "天文台の改修", "星空ガイドの養成"],
                [
                    ("星空観察会の参加者数", "2,400人", "5,000人"),
                    ("天文台の入館者数", "1.1万人", "1.6万人"),
                ],
            ),
            (
                "地元産品の高付加価値化",
                ["ブランド認証の創設", "パッケージデザインの支援"],
                [("ブランド認証品の数", "6品", "25品")],
            ),
        ],
    ),
    (
        "星空の町に人を呼ぶ",
        [
            (
                "移住の推進",
                ["移住者向けの住宅の整備", "移住コーディネーターの配置"],
                [("移住者数", "18人", "50人")],
            ),
            (
                "学生との交流",
                ["大学のフィールドワークの受入れ", "学生の地域活動への補助"],
                [("受け入れた学生数", "40人", "120人")],
            ),
        ],
    ),
    (
        "星空の町で安心して暮らす",
        [
            (
                "高齢者の移動の支援",
                ["乗合タクシーの運行", "運転免許返納者への支援"],
                [("乗合タクシーの利用者数", "3,100人", "5,000人")],
            ),
        ],
    ),
]


def build_zt(name: str) -> Path:
    from pptx.util import Inches

    prs = kit.new_pptx()
    title_only = prs.slide_layouts[5]
    section = prs.slide_layouts[2]
    blank = prs.slide_layouts[6]
    s = prs.slides.add_slide(blank)
    kit.textbox(s, 1, 2.4, 11.3, 1.2, ["星空町総合戦略（第3期）の概要"], size=36, bold=True)
    kit.textbox(s, 1, 4.0, 11.3, 0.8, ["令和7年2月　星空町総合戦略推進会議"], size=20)
    measure = 0
    for gi, (goal, measures) in enumerate(HOSHIZORA, 1):
        s = prs.slides.add_slide(section)
        s.shapes.title.text_frame.text = ""
        kit.run(s.shapes.title.text_frame.paragraphs[0], f"基本目標{gi}", size=40, bold=True)
        body = s.placeholders[1].text_frame
        body.text = ""
        kit.run(body.paragraphs[0], goal, size=24)
        for title, items, kpis in measures:
            measure += 1
            s = prs.slides.add_slide(title_only)
            s.shapes.title.left, s.shapes.title.top = Inches(0.4), Inches(0.3)
            s.shapes.title.width, s.shapes.title.height = Inches(10.5), Inches(1.0)
            tf = s.shapes.title.text_frame
            tf.text = ""
            kit.run(tf.paragraphs[0], f"施策{measure}　{title}", size=30, bold=True)
            kit.textbox(s, 11.2, 0.4, 1.8, 0.5, [f"基本目標{gi}"], size=14, fill="DDEBF7")
            kit.textbox(s, 0.5, 1.6, 5.6, 0.5, ["主な取組"], size=18, bold=True)
            kit.textbox(s, 0.5, 2.2, 5.6, 4.0, [f"・{it}" for it in items], size=18)
            kit.slide_table(s, 6.5, 1.6, 6.4, kpi_rows(kpis), (3.6, 1.4, 1.4), size=14)
    return BATCH.save(prs, name, "pptx")


# ── ZU: a vertical sidebar in the right margin ────────────────────────────────

KOHAKU = [
    (
        "琥珀市の産業を元気にする",
        [
            (
                "中小企業の人材確保",
                ["合同企業説明会の開催", "インターンシップの支援"],
                [("合同企業説明会を経た就職者数", "22人", "60人")],
            ),
            (
                "新しい事業への挑戦の支援",
                ["新事業の補助", "専門家の派遣"],
                [("新事業の補助件数", "8件", "25件")],
            ),
        ],
    ),
    (
        "琥珀市で子どもを育てる喜びを広げる",
        [
            (
                "妊娠と出産の支援",
                ["妊婦健診の助成", "産前産後ヘルパーの派遣"],
                [("産前産後ヘルパーの利用件数", "140件", "300件")],
            ),
            (
                "遊び場の整備",
                ["公園の遊具の更新", "屋内遊び場の運営"],
                [("屋内遊び場の利用者数", "2.6万人", "4.0万人")],
            ),
        ],
    ),
]


def _sidebar(section, lines: list[str]):
    """A text box anchored in the header of ``section`` at the right page margin, its text set
    vertically (bodyPr vert='eaVert', Word's 縦書き text box), so it is on every page."""
    from docx.oxml import parse_xml

    header = section.header
    header.is_linked_to_previous = False
    paras = "".join(
        "<w:p><w:pPr><w:jc w:val='left'/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val='24'/></w:rPr>"
        f"<w:t>{line}</w:t></w:r></w:p>"
        for line in lines
    )
    emu = 12700  # per point
    x, y, w, h = 545 * emu, 150 * emu, 36 * emu, 520 * emu
    ns = (
        f"{kit.wns()} "
        "xmlns:wp='http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing' "
        "xmlns:a='http://schemas.openxmlformats.org/drawingml/2006/main' "
        "xmlns:wps='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'"
    )
    xml = (
        f"<w:r {ns}><w:drawing><wp:anchor distT='0' distB='0' distL='0' distR='0' simplePos='0' "
        "relativeHeight='2' behindDoc='0' locked='0' layoutInCell='1' allowOverlap='1'>"
        "<wp:simplePos x='0' y='0'/>"
        f"<wp:positionH relativeFrom='page'><wp:posOffset>{x}</wp:posOffset></wp:positionH>"
        f"<wp:positionV relativeFrom='page'><wp:posOffset>{y}</wp:posOffset></wp:positionV>"
        f"<wp:extent cx='{w}' cy='{h}'/><wp:effectExtent l='0' t='0' r='0' b='0'/><wp:wrapNone/>"
        "<wp:docPr id='100' name='縦書きテキスト'/><wp:cNvGraphicFramePr/>"
        "<a:graphic><a:graphicData uri='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'>"
        "<wps:wsp><wps:cNvSpPr txBox='1'/>"
        f"<wps:spPr><a:xfrm><a:off x='0' y='0'/><a:ext cx='{w}' cy='{h}'/></a:xfrm>"
        "<a:prstGeom prst='rect'><a:avLst/></a:prstGeom>"
        "<a:solidFill><a:srgbClr val='E2EFDA'/></a:solidFill></wps:spPr>"
        f"<wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx>"
        "<wps:bodyPr rot='0' vert='eaVert' wrap='square' lIns='45720' tIns='45720' rIns='45720' "
        "bIns='45720' anchor='t'><a:noAutofit/></wps:bodyPr></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )
    header.paragraphs[0]._p.append(parse_xml(xml))


def build_zu(name: str) -> Path:
    doc = kit.new_docx(paper="letter")
    kit.cover(doc, "琥珀市", "第3期 琥珀市総合戦略", "令和7年度～令和11年度", "令和7年3月")
    body = doc.add_section()
    _sidebar(body, ["琥珀市総合戦略　第２章　施策の展開"])
    kit.para(doc, "第2章　施策の展開", bold=True, size=16)
    kit.para(doc, "本章では、基本目標ごとに施策と重要業績評価指標を示します。")
    n = 0
    for gi, (goal, measures) in enumerate(KOHAKU, 1):
        kit.para(doc, f"基本目標{gi}　{goal}", bold=True, size=14, page_break=gi > 1)
        for title, items, kpis in measures:
            n += 1
            kit.para(doc, f"施策{n}　{title}", bold=True, size=12)
            kit.para(doc, f"{title}のため、市と関係団体が連携して取り組みます。")
            for it in items:
                kit.para(doc, f"・{it}", indent=21)
            kpi_table(doc, kpis)
    return BATCH.save(doc, name, "docx")


def _plan(rows):
    """TAKAMORI's measures carry a 担当課; the gold's plan is (title, items, kpis)."""
    return [(g, [(t, i, k) for t, i, k, *_ in ms]) for g, ms in rows]


_DOCS = {
    "zm_plain_goals": (
        build_zm,
        UMINOKA,
        "海野花町",
        (),
        "numbered goals 「1　…」 in plain 10.5 pt body text; measures unnumbered bold 12 pt under them; ・ items; KPI tables",
    ),
    "zn_chapter_goals": (
        build_zn,
        ISHIKAWA,
        "石川台市",
        (),
        "goals are chapters 第2章…第4章; prose chapters 1 and 5 with 「１　…」 sections; 施策１ measures restarting per chapter; ○ items; KPI tables",
    ),
    "zo_section_goals": (
        build_zo,
        KAZAHAYA,
        "風早町",
        (),
        "第1部 人口ビジョン with prose 第N節; 第2部 総合戦略 with goals 第1節…第3節; (1) measures; ◇ items; KPI tables",
    ),
    "zp_toc_two_pages": (
        build_zp,
        SAKAKI,
        "榊原市",
        (),
        "「目　次」 (spaced) over two pages with dot leaders, listing goals, measures and 資料; 基本目標N goals, （１） measures, ・ items, KPI tables",
    ),
    "zq_total_rows": (
        build_zq,
        HIRAKAWA,
        "平川町",
        ("合計", "小計"),
        "■基本目標１ goals; 施策別事業費 tables with 小計 / 合計 rows; 施策１－１ measures; KPI tables with a 合計 row",
    ),
    "zr_landscape_split": (
        build_zr,
        _plan(TAKAMORI),
        "高森市",
        (),
        "one Word table in a landscape section over three pages, header row repeated: band row per goal, measure cells merged down, one item / KPI per row, 担当課 column",
    ),
    "zs_style_outline": (
        build_zs,
        SUZURAN,
        "すずらん町",
        (),
        "outline numbering linked in the heading styles (基本目標%1 / （%2）, no numPr on the paragraphs); ア／イ list items; KPI tables",
    ),
    "zt_deck_measure_slides": (
        build_zt,
        HOSHIZORA,
        "星空町",
        (),
        "deck: a divider slide per goal, one slide per measure (title placeholder 施策N, 基本目標N tag), ・ items left, KPI table shape right",
    ),
    "zu_vertical_sidebar": (
        build_zu,
        KOHAKU,
        "琥珀市",
        (),
        "a 縦書き text box in the right margin of every body page (header); 基本目標N goals, 施策N measures, ・ items, KPI tables",
    ),
}

DOCS = {
    name: kit.Doc(build, kit.plan_gold(plan, family=family, town=town, absent=absent))
    for name, (build, plan, town, absent, family) in _DOCS.items()
}
