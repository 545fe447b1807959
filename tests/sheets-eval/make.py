"""Builds the spreadsheet question set: real data shipped inside PyPI
packages, written into workbooks laid out the way offices lay them out
(title rows, a merged two-level header, real dates, currency formats,
blank cells, a totals row, a note under the table) as .xlsx, .xls, .ods
and .csv, and 116 questions phrased the way people ask them, each
answered by pandas from the same data. The last sixteen are held out:
written after the phrase reader was last changed, never used to tune it.

    python3 make.py WHEELS_DIR OUT_DIR

WHEELS_DIR holds the wheels palmerpenguins-0.1.6 and vega_datasets-0.9.0
(fetched with `pip download --no-deps`); OUT_DIR receives the workbooks
and questions.json, which `cargo test` (engine::sheet_questions) and the
`sheets_eval` example read.

Answers are one of: a number (compared after rounding to `round`
decimals), a label, a ranking (labels in order) or groups
({label: number}, each rounded). pandas computes every expected answer;
nothing here is typed in by hand.
"""

import datetime as dt
import io
import json
import math
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import xlwt
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def wheel_file(wheels: Path, prefix: str, member: str) -> bytes:
    (wheel,) = sorted(wheels.glob(prefix + "-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        return z.read(member)


# --- the data, named the way an office sheet names its columns ----------


def penguins(wheels):
    df = pd.read_csv(
        io.BytesIO(wheel_file(wheels, "palmerpenguins", "palmerpenguins/data/penguins.csv"))
    )
    return df.rename(
        columns={
            "species": "Species",
            "island": "Island",
            "bill_length_mm": "Bill / Length (mm)",
            "bill_depth_mm": "Bill / Depth (mm)",
            "flipper_length_mm": "Flipper length (mm)",
            "body_mass_g": "Body mass (g)",
            "sex": "Sex",
            "year": "Year",
        }
    )


def weather(wheels):
    df = pd.read_csv(
        io.BytesIO(wheel_file(wheels, "vega_datasets", "vega_datasets/_data/seattle-weather.csv"))
    )
    df["date"] = pd.to_datetime(df["date"], format="%Y/%m/%d")
    return df.rename(
        columns={
            "date": "Date",
            "precipitation": "Precipitation (mm)",
            "temp_max": "Max temperature (°C)",
            "temp_min": "Min temperature (°C)",
            "wind": "Wind (m/s)",
            "weather": "Weather",
        }
    )


def stocks(wheels):
    df = pd.read_csv(
        io.BytesIO(wheel_file(wheels, "vega_datasets", "vega_datasets/_data/stocks.csv"))
    )
    df["date"] = pd.to_datetime(df["date"], format="%b %d %Y")
    return df.rename(columns={"symbol": "Symbol", "date": "Month", "price": "Closing price"})


def cars(wheels):
    rows = json.loads(wheel_file(wheels, "vega_datasets", "vega_datasets/_data/cars.json"))
    df = pd.DataFrame(rows)
    df["Year"] = df["Year"].str[:4].astype(int)
    return df.rename(
        columns={
            "Miles_per_Gallon": "Miles per gallon",
            "Weight_in_lbs": "Weight (lbs)",
            "Year": "Model year",
        }
    )[
        [
            "Name",
            "Origin",
            "Model year",
            "Cylinders",
            "Displacement",
            "Horsepower",
            "Weight (lbs)",
            "Acceleration",
            "Miles per gallon",
        ]
    ]


def electricity(wheels):
    df = pd.read_csv(
        io.BytesIO(
            wheel_file(wheels, "vega_datasets", "vega_datasets/_data/iowa-electricity.csv")
        )
    )
    df["year"] = pd.to_datetime(df["year"])
    return df.rename(
        columns={"year": "Year", "source": "Source", "net_generation": "Net generation (GWh)"}
    )


# --- the workbooks ------------------------------------------------------


def cell_value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item"):
        return v.item()
    return v


def write_penguins_xlsx(df, path):
    """Title, blank row, a two-level header with 'Bill' merged over its two
    measures (the other headers merged down both rows), blanks for missing
    measurements, a source note under the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Penguins"
    ws["A1"] = "Palmer Archipelago penguins, 2007-2009"
    ws["A1"].font = Font(bold=True, size=14)
    top = ["Species", "Island", "Bill", None, "Flipper length (mm)", "Body mass (g)", "Sex", "Year"]
    sub = [None, None, "Length (mm)", "Depth (mm)", None, None, None, None]
    for j, (t, s) in enumerate(zip(top, sub), start=1):
        ws.cell(row=3, column=j, value=t).font = Font(bold=True)
        ws.cell(row=4, column=j, value=s).font = Font(bold=True)
        if t is not None and s is None:
            ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    ws.merge_cells("C3:D3")
    for i, row in enumerate(df.itertuples(index=False), start=5):
        for j, v in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=cell_value(v))
    last = 4 + len(df)
    ws.cell(row=last + 2, column=1, value="Source: Horst, Hill & Gorman (2020), palmerpenguins.")
    wb.save(path)


def write_electricity_xlsx(df, path):
    """Years as real dates shown as 'yyyy', a bold totals row, a title."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Generation"
    ws["A1"] = "Iowa net electricity generation by source"
    ws["A1"].font = Font(bold=True, size=14)
    for j, name in enumerate(df.columns, start=1):
        ws.cell(row=3, column=j, value=name).font = Font(bold=True)
    for i, row in enumerate(df.itertuples(index=False), start=4):
        for j, v in enumerate(row, start=1):
            c = ws.cell(row=i, column=j, value=cell_value(v))
            if j == 1:
                c.number_format = "yyyy"
            if j == 3:
                c.number_format = "#,##0"
    total = 4 + len(df)
    ws.cell(row=total, column=1, value="Total").font = Font(bold=True)
    c = ws.cell(row=total, column=3, value=int(df["Net generation (GWh)"].sum()))
    c.font = Font(bold=True)
    c.number_format = "#,##0"
    wb.save(path)


def write_weather_ods(df, path):
    """A title above the table, real dates, written by pandas' odf writer."""
    with pd.ExcelWriter(path, engine="odf") as w:
        # The odf writer lays rows down in call order: the title first.
        pd.DataFrame([["Seattle daily weather, 2012-2015"]]).to_excel(
            w, sheet_name="Seattle", index=False, header=False, startrow=0
        )
        df.to_excel(w, sheet_name="Seattle", index=False, startrow=1)


def write_stocks_xls(df, path):
    """The old Excel format: a title, months as dates shown 'mmm yyyy',
    prices in a dollar currency format."""
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Prices")
    bold = xlwt.easyxf("font: bold on")
    month = xlwt.easyxf(num_format_str="mmm yyyy")
    money = xlwt.easyxf(num_format_str='"$"#,##0.00')
    ws.write(0, 0, "Monthly closing prices, 2000-2010", bold)
    for j, name in enumerate(df.columns):
        ws.write(2, j, name, bold)
    for i, row in enumerate(df.itertuples(index=False), start=3):
        ws.write(i, 0, row[0])
        ws.write(i, 1, row[1].to_pydatetime(), month)
        ws.write(i, 2, float(row[2]), money)
    wb.save(path)


def write_cars_csv(df, path):
    df.to_csv(path, index=False)


# --- expected answers ----------------------------------------------------


def number(v, digits=2):
    return {"kind": "number", "value": float(v), "round": digits}


def label(v):
    if isinstance(v, pd.Timestamp):
        v = v.strftime("%Y-%m-%d")
    return {"kind": "label", "value": str(v)}


def ranking(index):
    return {"kind": "ranking", "value": [str(x) for x in index]}


def groups(series, digits=2):
    return {
        "kind": "groups",
        "value": {str(k): float(v) for k, v in series.items()},
        "round": digits,
    }


def periods(df, date, column, how, freq):
    """`how` of `column` per year ('Y'), quarter ('Q') or month ('M'),
    labelled the way Deskpilot labels periods: 2014, 2014 Q1, 2014-01."""
    d = df[date]
    if freq == "Y":
        key = d.dt.year.astype(str)
    elif freq == "Q":
        key = d.dt.year.astype(str) + " Q" + d.dt.quarter.astype(str)
    else:
        key = d.dt.strftime("%Y-%m")
    return df.groupby(key)[column].agg(how)


def share(counts):
    return counts / counts.sum() * 100


def missing(df):
    return {"kind": "groups", "value": {c: float(n) for c, n in df.isna().sum().items()}, "round": 0}


def extreme(df, column, largest, label_column):
    i = df[column].idxmax() if largest else df[column].idxmin()
    return label(df.loc[i, label_column])


def questions(p, w, s, c, e):
    """(file, operation, question, expected). Operations are the plan
    algebra's: sum, mean, median, min, max, count, count_distinct, group,
    top_k, sort, share, change, correlation, missing, extreme, filter."""
    ga = lambda df, by, col, how: df.groupby(by)[col].agg(how)  # noqa: E731
    gentoo = p[p.Species == "Gentoo"]
    adelie = p[p.Species == "Adelie"]
    female = p[p.Sex == "female"]
    dream = p[p.Island == "Dream"]
    y2014 = w[w.Date.dt.year == 2014]
    y2015 = w[w.Date.dt.year == 2015]
    rain = w[w.Weather == "rain"]
    july15 = w[(w.Date.dt.year == 2015) & (w.Date.dt.month == 7)]
    aapl = s[s.Symbol == "AAPL"]
    ibm = s[s.Symbol == "IBM"]
    msft = s[s.Symbol == "MSFT"]
    amzn = s[s.Symbol == "AMZN"]
    japan = c[c.Origin == "Japan"]
    europe = c[c.Origin == "Europe"]
    usa = c[c.Origin == "USA"]
    coal = e[e.Source == "Fossil Fuels"]
    renew = e[e.Source == "Renewables"]
    e2017 = e[e.Year.dt.year == 2017]
    e2010 = e[e.Year.dt.year == 2010]
    P, W, S, C, E = "penguins.xlsx", "weather.ods", "stocks.xls", "cars.csv", "electricity.xlsx"
    return [
        # Penguins (.xlsx: title, merged two-level header, blanks, note)
        (P, "count", "How many penguins are in the table?", number(len(p), 0)),
        (P, "mean", "What is the average body mass?", number(p["Body mass (g)"].mean())),
        (P, "group", "Average body mass by species", groups(ga(p, "Species", "Body mass (g)", "mean"))),
        (P, "top_k", "Which species has the highest average flipper length?",
         ranking(ga(p, "Species", "Flipper length (mm)", "mean").sort_values(ascending=False).index[:1])),
        (P, "group", "How many penguins per island?", groups(p.groupby("Island").size(), 0)),
        (P, "median", "Median bill length for Adelie penguins", number(adelie["Bill / Length (mm)"].median())),
        (P, "max", "What is the largest body mass recorded?", number(p["Body mass (g)"].max())),
        (P, "min", "Smallest flipper length on Dream island", number(dream["Flipper length (mm)"].min())),
        (P, "count_distinct", "How many different islands are there?", number(p.Island.nunique(), 0)),
        (P, "correlation", "What is the correlation between bill length and body mass?",
         number(p["Bill / Length (mm)"].corr(p["Body mass (g)"]), 3)),
        (P, "missing", "Which columns have missing values?", missing(p)),
        (P, "share", "What percentage of the penguins belongs to each species?",
         groups(share(p.groupby("Species").size()))),
        (P, "sum", "Total body mass of Gentoo penguins", number(gentoo["Body mass (g)"].sum())),
        (P, "filter", "Average bill depth of female penguins", number(female["Bill / Depth (mm)"].mean())),
        (P, "sort", "Islands sorted by average body mass, highest first",
         ranking(ga(p, "Island", "Body mass (g)", "mean").sort_values(ascending=False).index)),
        (P, "count", "How many Chinstrap penguins were measured?", number((p.Species == "Chinstrap").sum(), 0)),
        (P, "mean", "Mean flipper length of Gentoo penguins", number(gentoo["Flipper length (mm)"].mean())),
        # Seattle weather (.ods: title, dates)
        (W, "count", "How many days had rain?", number(len(rain), 0)),
        (W, "sum", "Total precipitation in 2014", number(y2014["Precipitation (mm)"].sum(), 1)),
        (W, "mean", "Average max temperature in July 2015", number(july15["Max temperature (°C)"].mean())),
        (W, "change", "Total precipitation per year", groups(periods(w, "Date", "Precipitation (mm)", "sum", "Y"), 1)),
        (W, "change", "Quarterly total precipitation",
         groups(periods(w, "Date", "Precipitation (mm)", "sum", "Q"), 1)),
        (W, "change", "Average max temperature by year",
         groups(periods(w, "Date", "Max temperature (°C)", "mean", "Y"))),
        (W, "correlation", "Correlation between max temperature and precipitation",
         number(w["Max temperature (°C)"].corr(w["Precipitation (mm)"]), 3)),
        (W, "group", "Number of days by weather", groups(w.groupby("Weather").size(), 0)),
        (W, "top_k", "Top 3 weather types by average wind",
         ranking(ga(w, "Weather", "Wind (m/s)", "mean").sort_values(ascending=False).index[:3])),
        (W, "median", "What is the median wind?", number(w["Wind (m/s)"].median())),
        (W, "max", "Highest max temperature in 2015", number(y2015["Max temperature (°C)"].max())),
        (W, "min", "Lowest min temperature overall", number(w["Min temperature (°C)"].min())),
        (W, "extreme", "When was the highest precipitation?", extreme(w, "Precipitation (mm)", True, "Date")),
        (W, "share", "Share of days by weather in percent", groups(share(w.groupby("Weather").size()))),
        (W, "count_distinct", "How many distinct weather types are there?", number(w.Weather.nunique(), 0)),
        (W, "missing", "Are there any missing values?", missing(w)),
        (W, "filter", "Average wind on snow days", number(w[w.Weather == "snow"]["Wind (m/s)"].mean())),
        (W, "mean", "Average precipitation on rainy days", number(rain["Precipitation (mm)"].mean())),
        # Stocks (.xls: title, month dates, currency)
        (S, "mean", "Average closing price of AAPL", number(aapl["Closing price"].mean())),
        (S, "group", "Average closing price per symbol", groups(ga(s, "Symbol", "Closing price", "mean"))),
        (S, "top_k", "Which symbol has the highest average closing price?",
         ranking(ga(s, "Symbol", "Closing price", "mean").sort_values(ascending=False).index[:1])),
        (S, "change", "Yearly average closing price of IBM",
         groups(periods(ibm, "Month", "Closing price", "mean", "Y"))),
        (S, "max", "Highest closing price of MSFT", number(msft["Closing price"].max())),
        (S, "extreme", "When did AMZN reach its highest closing price?",
         extreme(amzn, "Closing price", True, "Month")),
        (S, "min", "Lowest closing price of AAPL", number(aapl["Closing price"].min())),
        (S, "count", "How many months of prices are there for GOOG?", number((s.Symbol == "GOOG").sum(), 0)),
        (S, "count_distinct", "How many different symbols are there?", number(s.Symbol.nunique(), 0)),
        (S, "median", "Median closing price of IBM", number(ibm["Closing price"].median())),
        (S, "sort", "Rank the symbols by median closing price, lowest first",
         ranking(ga(s, "Symbol", "Closing price", "median").sort_values().index)),
        (S, "filter", "Average closing price of MSFT in 2008",
         number(msft[msft.Month.dt.year == 2008]["Closing price"].mean())),
        (S, "change", "Quarterly average closing price of AAPL",
         groups(periods(aapl, "Month", "Closing price", "mean", "Q"))),
        (S, "sum", "Sum of the closing prices of GOOG", number(s[s.Symbol == "GOOG"]["Closing price"].sum())),
        (S, "group", "Highest closing price by symbol", groups(ga(s, "Symbol", "Closing price", "max"))),
        (S, "missing", "How many cells are missing per column?", missing(s)),
        (S, "top_k", "Bottom 2 symbols by average closing price",
         ranking(ga(s, "Symbol", "Closing price", "mean").sort_values().index[:2])),
        # Cars (.csv: blanks for missing figures)
        (C, "group", "Average miles per gallon by origin", groups(ga(c, "Origin", "Miles per gallon", "mean"))),
        (C, "extreme", "Which car has the most horsepower?", extreme(c, "Horsepower", True, "Name")),
        (C, "extreme", "Which car has the lowest weight?", extreme(c, "Weight (lbs)", False, "Name")),
        (C, "filter", "Average weight of cars from Europe", number(europe["Weight (lbs)"].mean())),
        (C, "missing", "How many horsepower values are missing?", number(c.Horsepower.isna().sum(), 0)),
        (C, "correlation", "Correlation between weight and miles per gallon",
         number(c["Weight (lbs)"].corr(c["Miles per gallon"]), 3)),
        (C, "min", "What is the lowest miles per gallon?", number(c["Miles per gallon"].min())),
        (C, "share", "What percentage of cars come from each origin?", groups(share(c.groupby("Origin").size()))),
        (C, "sum", "Total displacement of cars from Japan", number(japan["Displacement"].sum())),
        (C, "count", "How many cars are from the USA?", number(len(usa), 0)),
        (C, "median", "Median horsepower", number(c["Horsepower"].median())),
        (C, "max", "Maximum acceleration", number(c["Acceleration"].max())),
        (C, "mean", "Mean horsepower of cars from Japan", number(japan["Horsepower"].mean())),
        (C, "top_k", "Which origin has the best average miles per gallon?",
         ranking(ga(c, "Origin", "Miles per gallon", "mean").sort_values(ascending=False).index[:1])),
        (C, "count_distinct", "How many distinct origins are there?", number(c.Origin.nunique(), 0)),
        (C, "sort", "Origins ranked by average weight, heaviest first",
         ranking(ga(c, "Origin", "Weight (lbs)", "mean").sort_values(ascending=False).index)),
        (C, "group", "Total horsepower per origin", groups(ga(c, "Origin", "Horsepower", "sum"))),
        # Electricity (.xlsx: year dates, totals row)
        (E, "group", "Total net generation by source", groups(ga(e, "Source", "Net generation (GWh)", "sum"), 0)),
        (E, "share", "Share of each source in net generation",
         groups(share(ga(e, "Source", "Net generation (GWh)", "sum")))),
        (E, "change", "Renewables net generation per year",
         groups(periods(renew, "Year", "Net generation (GWh)", "sum", "Y"), 0)),
        (E, "filter", "What was the net generation from Fossil Fuels in 2017?",
         number(e2017[e2017.Source == "Fossil Fuels"]["Net generation (GWh)"].sum(), 0)),
        (E, "mean", "Average net generation of Nuclear Energy",
         number(e[e.Source == "Nuclear Energy"]["Net generation (GWh)"].mean())),
        (E, "top_k", "Which source had the highest net generation in 2010?",
         ranking(ga(e2010, "Source", "Net generation (GWh)", "sum").sort_values(ascending=False).index[:1])),
        (E, "sum", "Total net generation in 2017", number(e2017["Net generation (GWh)"].sum(), 0)),
        (E, "max", "Largest net generation of Fossil Fuels", number(coal["Net generation (GWh)"].max(), 0)),
        (E, "min", "Smallest net generation of Renewables", number(renew["Net generation (GWh)"].min(), 0)),
        (E, "change", "Net generation year on year", groups(periods(e, "Year", "Net generation (GWh)", "sum", "Y"), 0)),
        (E, "extreme", "In which year was the net generation of Renewables highest?",
         extreme(renew, "Net generation (GWh)", True, "Year")),
        (E, "median", "Median net generation of Fossil Fuels", number(coal["Net generation (GWh)"].median())),
        (E, "count", "How many rows are there for Renewables?", number(len(renew), 0)),
        (E, "sort", "Sources sorted by average net generation, smallest first",
         ranking(ga(e, "Source", "Net generation (GWh)", "mean").sort_values().index)),
        (E, "sum", "What is the total net generation across all years?", number(e["Net generation (GWh)"].sum(), 0)),
    ]


def second_round(p, w, s, c, e):
    """Written after a first round of fixes to the phrase reader; they
    showed five misreadings, which were then fixed (comparisons, value
    plurals and adjectives, words inside names, a column's last word)."""
    ga = lambda df, by, col, how: df.groupby(by)[col].agg(how)  # noqa: E731
    P, W, S, C, E = "penguins.xlsx", "weather.ods", "stocks.xls", "cars.csv", "electricity.xlsx"
    chinstrap = p[p.Species == "Chinstrap"]
    dec15 = w[(w.Date.dt.year == 2015) & (w.Date.dt.month == 12)]
    japan = c[c.Origin == "Japan"]
    return [
        (P, "mean", "What's the mean bill depth for penguins on Biscoe?",
         number(p[p.Island == "Biscoe"]["Bill / Depth (mm)"].mean())),
        (P, "max", "How heavy is the heaviest Chinstrap?", number(chinstrap["Body mass (g)"].max())),
        (P, "sum", "Sum of flipper lengths for males", number(p[p.Sex == "male"]["Flipper length (mm)"].sum())),
        (W, "sum", "What was the total precipitation in December 2015?",
         number(dec15["Precipitation (mm)"].sum(), 1)),
        (W, "top_k", "Which weather type has the lowest average max temperature?",
         ranking(ga(w, "Weather", "Max temperature (°C)", "mean").sort_values().index[:1])),
        (W, "count", "How many days were foggy?", number((w.Weather == "fog").sum(), 0)),
        (W, "change", "Median precipitation per year", groups(periods(w, "Date", "Precipitation (mm)", "median", "Y"))),
        (S, "mean", "What was IBM's average price?", number(s[s.Symbol == "IBM"]["Closing price"].mean())),
        (S, "sort", "Show the average closing price for each symbol, highest first",
         ranking(ga(s, "Symbol", "Closing price", "mean").sort_values(ascending=False).index)),
        (S, "min", "Lowest AMZN closing price", number(s[s.Symbol == "AMZN"]["Closing price"].min())),
        (C, "filter", "How many cars from Japan have more than 100 horsepower?",
         number((japan.Horsepower > 100).sum(), 0)),
        (C, "mean", "Average acceleration of USA cars", number(c[c.Origin == "USA"]["Acceleration"].mean())),
        (C, "top_k", "Top 2 origins by total displacement",
         ranking(ga(c, "Origin", "Displacement", "sum").sort_values(ascending=False).index[:2])),
        (C, "group", "Count the cars per origin", groups(c.groupby("Origin").size(), 0)),
        (E, "change", "Nuclear Energy net generation by year",
         groups(periods(e[e.Source == "Nuclear Energy"], "Year", "Net generation (GWh)", "sum", "Y"), 0)),
        (E, "sort", "Average net generation per source, lowest first",
         ranking(ga(e, "Source", "Net generation (GWh)", "mean").sort_values().index)),
    ]


def held_out(p, w, s, c, e):
    """Written after the phrase reader was last changed, and never used to
    change it: how the reading does on phrasings it was not tuned on."""
    ga = lambda df, by, col, how: df.groupby(by)[col].agg(how)  # noqa: E731
    P, W, S, C, E = "penguins.xlsx", "weather.ods", "stocks.xls", "cars.csv", "electricity.xlsx"
    adelie_dream = p[(p.Species == "Adelie") & (p.Island == "Dream")]
    msft = s[s.Symbol == "MSFT"]
    renew = e[e.Source == "Renewables"]
    return [
        (P, "mean", "Average flipper length on Torgersen",
         number(p[p.Island == "Torgersen"]["Flipper length (mm)"].mean())),
        (P, "count", "What is the total number of Adelie penguins on Dream island?", number(len(adelie_dream), 0)),
        (P, "min", "Lowest bill depth among male penguins", number(p[p.Sex == "male"]["Bill / Depth (mm)"].min())),
        (P, "sort", "Body mass by island, highest first",
         ranking(ga(p, "Island", "Body mass (g)", "sum").sort_values(ascending=False).index)),
        (W, "sum", "How much rain fell in 2013?", number(w[w.Date.dt.year == 2013]["Precipitation (mm)"].sum(), 1)),
        (W, "change", "Average minimum temperature per month",
         groups(periods(w, "Date", "Min temperature (°C)", "mean", "M"))),
        (W, "extreme", "What was the windiest day?", extreme(w, "Wind (m/s)", True, "Date")),
        (W, "count", "Count of drizzle days in 2012",
         number(((w.Weather == "drizzle") & (w.Date.dt.year == 2012)).sum(), 0)),
        (S, "max", "What is AAPL's highest closing price?", number(s[s.Symbol == "AAPL"]["Closing price"].max())),
        (S, "change", "Average closing price by year", groups(periods(s, "Month", "Closing price", "mean", "Y"))),
        (S, "count", "How many rows are for MSFT in 2009?", number((msft.Month.dt.year == 2009).sum(), 0)),
        (S, "extreme", "Which month had the lowest MSFT closing price?",
         extreme(msft, "Closing price", False, "Month")),
        (C, "filter", "What is the average weight of 8 cylinder cars?",
         number(c[c.Cylinders == 8]["Weight (lbs)"].mean())),
        (C, "group", "Number of cars per model year", groups(c.groupby("Model year").size(), 0)),
        (C, "max", "Highest miles per gallon among cars from Europe",
         number(c[c.Origin == "Europe"]["Miles per gallon"].max())),
        (E, "filter", "Total Renewables net generation since 2010",
         number(renew[renew.Year.dt.year >= 2010]["Net generation (GWh)"].sum(), 0)),
    ]


def main():
    wheels, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    p, w, s, c, e = penguins(wheels), weather(wheels), stocks(wheels), cars(wheels), electricity(wheels)
    write_penguins_xlsx(p, out / "penguins.xlsx")
    write_weather_ods(w, out / "weather.ods")
    write_stocks_xls(s, out / "stocks.xls")
    write_cars_csv(c, out / "cars.csv")
    write_electricity_xlsx(e, out / "electricity.xlsx")
    qs = []
    tuned = [(x, False) for x in questions(p, w, s, c, e) + second_round(p, w, s, c, e)]
    fresh = [(x, True) for x in held_out(p, w, s, c, e)]
    for i, ((f, op, q, expect), held) in enumerate(tuned + fresh, start=1):
        qs.append({"id": i, "file": f, "op": op, "question": q, "held_out": held, "expect": expect})
    (out / "questions.json").write_text(json.dumps(qs, indent=1, ensure_ascii=False))
    print(f"{len(qs)} questions ({len(fresh)} held out) over 5 workbooks in {out}")


if __name__ == "__main__":
    main()
