"""Writes assets/samples/sales.xlsx, the small workbook the spreadsheet tests
and the README examples use. Run with openpyxl installed:

    python3 assets/samples/make_sheets.py

Sheet "Orders": a title row, a header, 48 orders (dates, categories, units,
prices, revenue as formulas with cached values), a totals row and a note.
Sheet "Summary": a table with a two-level header (years over Units and
Revenue, merged group cells) and, after a blank column, a second table.
openpyxl writes formulas without the cached values Excel would store, so
they are added to the XML afterwards, as Excel would have them.
"""
import datetime
import os
import random
import re
import shutil
import tempfile
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "sales.xlsx")

random.seed(7)
regions = ["North", "South", "East", "West"]
products = {"Kettle": 39.0, "Toaster": 55.0, "Blender": 89.0}

wb = Workbook()
ws = wb.active
ws.title = "Orders"
ws["A1"] = "Orders, first half of 2024"
ws["A1"].font = Font(bold=True, size=14)
ws.merge_cells("A1:H1")
header = ["Order ID", "Date", "Region", "Product", "Units", "Unit price", "Revenue", "Paid"]
ws.append([])
ws.append(header)
cached = {}
first = 4
day = datetime.date(2024, 1, 3)
for i in range(48):
    r = first + i
    product = random.choice(list(products))
    units = random.randint(1, 40)
    price = products[product]
    ws.cell(r, 1, f"SO-{1001 + i}")
    ws.cell(r, 2, day).number_format = "yyyy-mm-dd"
    ws.cell(r, 3, random.choice(regions))
    ws.cell(r, 4, product)
    ws.cell(r, 5, units)
    ws.cell(r, 6, price).number_format = '"$"#,##0.00'
    ws.cell(r, 7, f"=E{r}*F{r}").number_format = '"$"#,##0.00'
    cached[f"G{r}"] = units * price
    ws.cell(r, 8, random.random() > 0.2)
    day += datetime.timedelta(days=random.randint(1, 5))
last = first + 47
total = last + 1
ws.cell(total, 1, "Total")
ws.cell(total, 5, f"=SUM(E{first}:E{last})")
cached[f"E{total}"] = sum(ws.cell(r, 5).value for r in range(first, last + 1))
ws.cell(total, 7, f"=SUM(G{first}:G{last})")
cached[f"G{total}"] = sum(cached[f"G{r}"] for r in range(first, last + 1))
ws.cell(total + 2, 1, "Source: order system export, 1 July 2024. Prices exclude VAT.")

s = wb.create_sheet("Summary")
s["A1"] = "Region"
s.merge_cells("A1:A2")
s["B1"] = 2023
s.merge_cells("B1:C1")
s["D1"] = 2024
s.merge_cells("D1:E1")
for col, name in zip("BCDE", ["Units", "Revenue", "Units", "Revenue"]):
    s[f"{col}2"] = name
summary = {
    "North": (410, 21950, 468, 25120),
    "South": (380, 20110, 352, 19480),
    "East": (295, 15870, 341, 18230),
    "West": (333, 17640, 389, 21390),
}
for i, (region, row) in enumerate(summary.items()):
    s.cell(3 + i, 1, region)
    for j, v in enumerate(row):
        s.cell(3 + i, 2 + j, v)
s["G1"] = "Region"
s["H1"] = "Target 2025"
for i, (region, target) in enumerate([("North", 27000), ("South", 21000), ("East", 20000), ("West", 23000)]):
    s.cell(2 + i, 7, region)
    s.cell(2 + i, 8, target)

tmp = tempfile.mkdtemp()
raw = os.path.join(tmp, "raw.xlsx")
wb.save(raw)

def add_cached(xml):
    def fill(m):
        ref = m.group(1)
        if ref not in cached:
            return m.group(0)
        v = cached[ref]
        v = int(v) if float(v).is_integer() else v
        return f'{m.group(0)[:-len("</c>")]}<v>{v}</v></c>'
    return re.sub(r'<c r="([A-Z]+[0-9]+)"[^>]*><f>[^<]*</f>(?:<v\s*/>|<v></v>)?</c>', fill, xml)

with zipfile.ZipFile(raw) as src, zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as dst:
    for item in src.infolist():
        data = src.read(item.filename)
        if item.filename == "xl/worksheets/sheet1.xml":
            data = add_cached(data.decode()).encode()
            data = re.sub(rb"<v\s*/>|<v></v>", b"", data)
        dst.writestr(item, data)
shutil.rmtree(tmp)
print("wrote", OUT)
