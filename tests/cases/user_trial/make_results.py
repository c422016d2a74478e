"""Writes shirakaba_results.xlsx beside this file (see README.md): python make_results.py"""

from pathlib import Path

import openpyxl

ROWS = [
    ["新規就農者数", "２人", "３人", "1人", "4", "２", "3"],  # 全角 numbers
    ["認定農業者数", 49, 50, "50～52", 53, "—", 56],  # a range, a dash, a year after the target
    ["観光入込客数", "18.2万人", "19.0万人", "19.8万人", "22.1万人", "23.5万人", "26万人"],
    [
        "ふるさと納税寄附額",
        "9,200万円",
        "1億500万円",
        "1億1,000万円",
        "1億2,300万円",
        "1億3,000万円",
        None,
    ],
    ["移住相談件数", 40, 44, "-", 52, 61, 70],
    ["特定健康診査受診率", 0.391, 0.402, 0.412, 0.45, 0.503, 0.51],  # percent-formatted cells
    ["待機児童数", 2, 1, 0, 0, "０", "0"],
    ["住み続けたいと思う町民の割合", "73.5%", "", "74.0%", "75%", "78.2%", "―"],
    ["合計特殊出生率", "1.35", "1.33", "1.31", "1.29", "1.27", ""],
    ["相談件数", "３３０件", "３４０件", "３５０件", "３９０件", "４１０件", ""],
    ["自主防災組織数", "9団体", "10団体", "11団体", "12団体", "12団体", "13団体"],
]


def main() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "実績"
    ws.append(["指標名", "R2", "R3", "R4", "R5", "R6", "R7"])
    for row in ROWS:
        ws.append(row)
    for cells in ws.iter_rows(min_row=7, max_row=7, min_col=2, max_col=7):
        for cell in cells:
            cell.number_format = "0.0%"
    wb.save(Path(__file__).with_name("shirakaba_results.xlsx"))


if __name__ == "__main__":  # pytest imports this file for doctests: write nothing then
    main()
