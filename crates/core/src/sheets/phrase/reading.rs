//! Accounting for every word of a spreadsheet question. Each word must be
//! explained by something the plan uses (a column by its name, unit,
//! header part or a common synonym; a value of a column; a number or a
//! date; an operation) or be a word known to carry nothing ("the", "what
//! was", the noun naming the rows). Words left over, and parts of the
//! question the plan leaves out (a value it does not filter on, a column
//! it does not use, a number it does not compare with), mean the question
//! was not understood as asked: the reply says so instead of answering a
//! different question with confidence.

use super::{plain_name, spoken_forms, value_forms};
use crate::sheets::plan::{Filter, Func, Op, Plan};
use crate::sheets::table::{Column, Kind, Table};

/// Words that carry nothing for the computation: articles, auxiliaries,
/// question words, the verbs of being in a table, and words naming the
/// data itself.
const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "with",
    "by",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "do",
    "does",
    "did",
    "done",
    "have",
    "has",
    "had",
    // Verbs that say only that rows hold a figure ("occupations that
    // require 14 years of education", "stones received").
    "need",
    "needs",
    "needed",
    "require",
    "requires",
    "required",
    "receive",
    "receives",
    "received",
    // Verbs of place ("tracts that lie on the river", "towns located in
    // the north"): the place itself is the filter.
    "lie",
    "lies",
    "located",
    "situated",
    "what",
    "what's",
    "whats",
    "which",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "how",
    "there",
    "their",
    "its",
    "it",
    "it's",
    "that",
    "this",
    "these",
    "those",
    "they",
    "them",
    "i",
    "we",
    "you",
    "me",
    "us",
    "my",
    "our",
    "your",
    "please",
    "show",
    "tell",
    "give",
    "list",
    "find",
    "get",
    "got",
    "gets",
    "compute",
    "calculate",
    "work",
    "out",
    "see",
    "table",
    "data",
    "dataset",
    "sheet",
    "spreadsheet",
    "workbook",
    "file",
    "here",
    "rows",
    "row",
    "entries",
    "entry",
    "records",
    "record",
    "values",
    "value",
    "figure",
    "figures",
    "numbers",
    "readings",
    "reading",
    "observations",
    "observation",
    "measurements",
    "measurement",
    "cases",
    "items",
    "recorded",
    "listed",
    "measured",
    "sampled",
    "observed",
    "reported",
    "included",
    "represented",
    "present",
    "shown",
    "given",
    "made",
    "make",
    "makes",
    "use",
    "used",
    "uses",
    "using",
    "fed",
    "come",
    "comes",
    "came",
    "take",
    "took",
    "taken",
    "hold",
    "holds",
    "held",
    "reach",
    "reached",
    "reaches",
    "belong",
    "belongs",
    "belonging",
    "contain",
    "contains",
    "containing",
    "appear",
    "appears",
    "and",
    "or",
    "as",
    "than",
    "then",
    "so",
    "far",
    "all",
    "any",
    "whole",
    "entire",
    "every",
    "each",
    "per",
    "across",
    "among",
    "amongst",
    "between",
    "overall",
    "altogether",
    "combined",
    "together",
    "both",
    "up",
    "into",
    "about",
    "roughly",
    "exactly",
    "just",
    "only",
    "also",
    "still",
    "single",
    "one",
    "ones",
    "somebody",
    "someone",
    "person",
    "people",
    "group",
    "groups",
    "category",
    "categories",
    "kind",
    "kinds",
    "type",
    "types",
    "level",
    "levels",
    "amount",
    "amounts",
    "will",
    "would",
    "can",
    "could",
    "should",
    "does",
    "say",
    "said",
    "according",
    "listing",
    "gives",
    "give",
    "giving",
    "flew",
    "flown",
    "fly",
    "got",
    "went",
    "go",
    "goes",
    "being",
    "happen",
    "happened",
    "same",
    "respectively",
    "s",
    "much",
    "many",
    "number",
    "count",
    "on",
    "average",
    "column",
    "columns",
    "cell",
    "cells",
    "field",
    "fields",
    "available",
    "run",
    "runs",
    "live",
    "lives",
    "living",
];

/// Words of operations, comparisons and periods: the plan accounts for
/// them through its function, filters, order or grouping.
const OPERATIONS: &[&str] = &[
    "average",
    "averages",
    "avg",
    "mean",
    "median",
    "typical",
    "typically",
    "total",
    "totals",
    "sum",
    "sums",
    "summed",
    "add",
    "added",
    "count",
    "counts",
    "counted",
    "number",
    "numbers",
    "how",
    "many",
    "much",
    "distinct",
    "different",
    "unique",
    "highest",
    "largest",
    "maximum",
    "max",
    "most",
    "biggest",
    "top",
    "best",
    "greatest",
    "won",
    "winner",
    "heaviest",
    "longest",
    "tallest",
    "hottest",
    "warmest",
    "wettest",
    "windiest",
    "strongest",
    "busiest",
    "richest",
    "oldest",
    "lowest",
    "smallest",
    "minimum",
    "min",
    "least",
    "fewest",
    "bottom",
    "worst",
    "lightest",
    "shortest",
    "cheapest",
    "coldest",
    "coolest",
    "driest",
    "weakest",
    "youngest",
    "higher",
    "larger",
    "bigger",
    "more",
    "greater",
    "longer",
    "heavier",
    "hotter",
    "warmer",
    "lower",
    "smaller",
    "less",
    "fewer",
    "shorter",
    "lighter",
    "cheaper",
    "colder",
    "cooler",
    "over",
    "above",
    "under",
    "below",
    "least",
    "exceed",
    "exceeds",
    "exceeded",
    "exceeding",
    "beyond",
    "within",
    "between",
    "from",
    "to",
    "through",
    "until",
    "till",
    "since",
    "after",
    "before",
    "during",
    "versus",
    "vs",
    "compared",
    "compare",
    "against",
    "sorted",
    "sort",
    "ranked",
    "rank",
    "ranking",
    "order",
    "ordered",
    "first",
    "last",
    "second",
    "third",
    "fourth",
    "share",
    "shares",
    "percent",
    "percentage",
    "percentages",
    "proportion",
    "fraction",
    "%",
    "change",
    "changed",
    "changes",
    "grow",
    "grew",
    "grown",
    "growth",
    "rise",
    "rose",
    "risen",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "fall",
    "fell",
    "fallen",
    "drop",
    "dropped",
    "decline",
    "declined",
    "correlation",
    "correlated",
    "correlate",
    "relationship",
    "related",
    "relation",
    "strongly",
    "strong",
    "missing",
    "blank",
    "blanks",
    "empty",
    "no",
    "none",
    "zero",
    "not",
    "without",
    "nonzero",
    "year",
    "years",
    "yearly",
    "annual",
    "annually",
    "quarter",
    "quarters",
    "quarterly",
    "month",
    "months",
    "monthly",
    "week",
    "weeks",
    "weekly",
    "day",
    "days",
    "daily",
    "date",
    "dates",
    "period",
    "periods",
    "ending",
    "q1",
    "q2",
    "q3",
    "q4",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "summer",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "k",
    "m",
    "bn",
    "dollars",
    "dollar",
    "usd",
    "euros",
    "euro",
    "pounds",
    "percentage",
    "points",
    "times",
    "whole",
    "each",
    "for",
    "and",
    "or",
    "also",
    "what",
    "is",
    "it",
    "in",
    "which",
    "when",
    "respectively",
    "range",
    "spread",
    "at",
    "least",
    "most",
    "equal",
    "equals",
    "exactly",
    "both",
    "either",
    "neither",
    "nor",
    "single",
    "rate",
    "rates",
    "level",
];

/// "Who won", "the winner": the top score, points or votes.
pub(crate) const WON: &[&str] = &["won", "winner", "冠军"];

/// Words for a depth, in a sheet headed in English or in Chinese.
const DEPTH: &[&str] = &[
    "depth",
    "deep",
    "deeper",
    "deepest",
    "shallow",
    "shallower",
    "shallowest",
];

/// Common names for what a column holds, by a word inside its name:
/// (words a question uses, a word of the column's name).
pub const SYNONYMS: &[(&[&str], &str)] = &[
    (
        &[
            "cost",
            "costs",
            "priced",
            "expensive",
            "cheap",
            "cheapest",
            "pricier",
            "sold for",
            "sell for",
            "sells for",
            "went for",
            "价格",
            "价钱",
            "售价",
        ],
        "price",
    ),
    (
        &[
            "earn", "earns", "earned", "paid", "pay", "pays", "payroll", "wage", "wages", "工资",
            "薪水", "薪资",
        ],
        "salary",
    ),
    (
        &["earn", "earns", "earned", "paid", "pay", "pays", "收入"],
        "income",
    ),
    (
        &[
            "weigh", "weighs", "weighed", "weighing", "heavy", "heaviest", "heavier", "light",
            "lightest", "重量", "体重", "干重",
        ],
        "weight",
    ),
    (&["cited", "cites", "被引", "引用"], "citations"),
    (
        &["invest", "invests", "invested", "investing", "投资"],
        "investment",
    ),
    (
        &[
            "hot", "hotter", "hottest", "warm", "warmer", "warmest", "cold", "colder", "coldest",
            "degrees", "温度", "气温",
        ],
        "temperature",
    ),
    (
        &["long", "longer", "longest", "short", "shorter", "长度"],
        "length",
    ),
    (&["tall", "taller", "tallest", "身高"], "height"),
    (WON, "score"),
    (WON, "points"),
    (WON, "votes"),
    (&["天"], "day"),
    (&["people", "persons", "guests", "diners"], "party size"),
    (
        &["per person", "per head", "a head", "每人", "人均"],
        "per capita",
    ),
    (&["包", "包数"], "packs"),
    (&["瘟疫"], "plague"),
    (DEPTH, "depth"),
    // English words for Chinese headers' measures.
    (DEPTH, "深度"),
    (&["magnitude", "magnitudes"], "震级"),
    (&["teeth", "tooth", "牙齿"], "tooth"),
    (
        &[
            "passenger",
            "passengers",
            "travellers",
            "seat",
            "seats",
            "seating",
            "乘客数",
            "乘客",
        ],
        "passengers",
    ),
    (&["sugar", "sugary", "糖"], "sugars"),
    (&["fiber", "纤维"], "fibre"),
    (&["carbs", "carbohydrate"], "carbohydrates"),
    (&["calorie", "热量", "卡路里"], "calories"),
    (&["马力"], "horsepower"),
    (
        &["mileage", "miles per gallon", "fuel economy", "油耗"],
        "mpg",
    ),
    (&["风速", "wind", "windy", "windiest"], "wind"),
    (&["臭氧"], "ozone"),
    (&["市值"], "market value"),
    (&["利润", "profit", "profitable"], "profits"),
    (
        &["销售额", "销量", "revenue", "revenues", "turnover"],
        "sales",
    ),
    (&["资产"], "assets"),
    (&["失业率", "unemployment", "jobless"], "unemployment"),
    // English words for Chinese headers.
    (&["unemployment", "unemployed", "jobless"], "失业"),
    (
        &["saving rate", "savings rate", "saving", "savings"],
        "储蓄",
    ),
    (&["population"], "人口"),
    (&["body weight", "weight", "weighs"], "体重"),
    (&["heart weight", "heart"], "心脏"),
    (&["yield", "yields", "output", "production"], "产量"),
    (&["consumption", "spending", "expenditure"], "消费"),
    (&["实际gdp", "实际国内生产总值"], "real gdp"),
    (&["实际消费"], "real consumption"),
    (&["实际投资"], "real investment"),
    (&["通胀", "通货膨胀"], "inflation"),
    (&["二氧化碳", "co₂"], "co2"),
    (&["谋杀", "谋杀率", "murders"], "murder"),
    (&["袭击", "assaults"], "assault"),
    (&["城市人口", "urbanised", "urbanized"], "urban"),
    (&["贫困率", "贫困", "poor"], "poverty"),
    (&["暴力犯罪率", "暴力犯罪"], "violent"),
    (&["断头数", "断头"], "breaks"),
    (&["钠"], "sodium"),
    (&["剂量"], "dose"),
    (&["理赔", "claim"], "claims"),
    (
        &["投保人", "policyholder", "policy holders", "holders"],
        "policyholders",
    ),
    (&["职称"], "rank"),
    (&["年份", "年度"], "year"),
    (&["季度"], "quarter"),
    (&["国家"], "country"),
    (&["公司", "firms", "companies"], "company"),
    (&["州"], "state"),
    (&["职业"], "occupation"),
    (&["谷物"], "cereal"),
    (&["谋杀逮捕率", "谋杀逮捕"], "murder"),
    (&["袭击逮捕率", "袭击逮捕"], "assault"),
    (&["二氧化碳浓度", "co2浓度"], "co2"),
    (&["月份"], "month"),
    // Common header words in Chinese, for sheets headed in English.
    (&["类型", "种类"], "type"),
    (&["卧室", "卧室数"], "bedrooms"),
    (&["浴室", "卫生间", "浴室数"], "bathrooms"),
    (&["脉搏", "心率"], "pulse"),
    (&["性别"], "sex"),
    (&["税", "税额", "税率", "消费税"], "tax"),
    (&["层数", "楼层"], "storeys"),
    (&["地块面积", "占地面积", "地块"], "lot size"),
    (&["里程", "油耗"], "miles per gallon"),
    (&["马力数"], "horsepower"),
    (&["排量"], "displacement"),
    (&["蛋白质"], "protein"),
    (&["脂肪"], "fat"),
    (&["女性", "妇女"], "women"),
    (&["教育", "受教育"], "education"),
    (
        &["人口", "people", "inhabitants", "residents"],
        "population",
    ),
    (&["worth"], "value"),
    (
        &["mileage", "fuel economy", "fuel efficiency", "economy"],
        "miles per gallon",
    ),
    (&["spend", "spends", "spent"], "spending"),
    (&["population density", "density"], "per sq"),
    // English words for Chinese headers.
    (&["unemployment", "unemployed", "jobless"], "失业"),
    (
        &[
            "personal saving rate",
            "personal savings rate",
            "saving rate",
            "savings rate",
            "savings",
        ],
        "储蓄率",
    ),
    (&["insect count", "insects", "insect"], "昆虫"),
    (
        &["sprays", "spray", "insecticide", "insecticides"],
        "杀虫剂",
    ),
    (&["yield", "yields"], "产量"),
    (&["variety", "varieties"], "品种"),
    (&["site", "sites", "location"], "试验地"),
    (&["consumer spending", "consumption"], "消费"),
    (&["heart weight"], "心脏重量"),
    (
        &[
            "年龄", "old", "older", "oldest", "young", "younger", "youngest",
        ],
        "age",
    ),
    (
        &[
            "fast", "faster", "fastest", "slow", "slower", "slowest", "quick", "quicker",
        ],
        "speed",
    ),
    (&["日期"], "date"),
    (&["小费"], "tip"),
    (&["储蓄率"], "savings rate"),
    (&["分数", "得分", "总分"], "score"),
    (&["吸烟者", "吸烟的", "烟民"], "smoker"),
    (&["paid", "pay", "pays"], "bill"),
    (&["账单", "账单金额", "消费金额"], "bill"),
    (
        &[
            "soft", "softer", "softest", "hard", "harder", "hardest", "硬度",
        ],
        "hardness",
    ),
    (
        &[
            "infant mortality rate",
            "infant mortality",
            "mortality rate",
            "mortality",
            "death rate",
        ],
        "死亡率",
    ),
    (
        &[
            "gdp per head",
            "gdp per capita",
            "per capita gdp",
            "per-capita gdp",
        ],
        "人均gdp",
    ),
    (&["城市"], "city"),
    (&["成本"], "cost"),
    (&["数量"], "quantity"),
    (&["行业", "industries"], "industry"),
    (&["饲料"], "feed"),
    (&["羊毛"], "wool"),
    (&["张力"], "tension"),
    (&["地区", "区"], "district"),
    (&["性别", "gender"], "sex"),
    (&["学科"], "discipline"),
    (&["产地"], "origin"),
    (&["车型", "car model"], "model"),
    (
        // "Who makes the dearest car": the maker, never the model.
        &[
            "制造商",
            "maker",
            "makers",
            "brand",
            "brands",
            "makes",
            "make",
            "made by",
            "生产商",
        ],
        "manufacturer",
    ),
];

/// The words of the table's own name: its title, sheet and file name
/// (`names`), lower-cased.
pub fn table_name_words(table: &Table, names: &str) -> std::collections::HashSet<String> {
    let mut words: std::collections::HashSet<String> = format!(
        "{} {} {}",
        table.title.as_deref().unwrap_or(""),
        table.sheet,
        names
    )
    .to_lowercase()
    .split(|c: char| !c.is_alphanumeric())
    .filter(|w| !w.is_empty())
    .map(str::to_owned)
    .collect();
    // A table titled in Chinese is named in English too ("quakes" in a
    // table of 地震).
    let english: Vec<&str> = TITLE_NOUNS_ZH
        .iter()
        .filter(|(zh, _)| words.iter().any(|w| w.contains(zh)))
        .flat_map(|(_, en)| en.iter().copied())
        .collect();
    words.extend(english.into_iter().map(str::to_owned));
    words
}

/// English for the nouns Chinese titles name their rows by.
const TITLE_NOUNS_ZH: &[(&str, &[&str])] = &[
    ("地震", &["earthquakes", "quakes"]),
    ("国家", &["countries"]),
    ("城市", &["cities"]),
    ("学生", &["students"]),
    ("公司", &["companies", "firms"]),
    ("汽车", &["cars"]),
    ("员工", &["employees", "staff"]),
    ("病例", &["cases"]),
    ("订单", &["orders"]),
    ("产品", &["products"]),
    ("客户", &["customers", "clients"]),
];

/// Whether `word` names the table itself, singular or plural ("journal"
/// or "journals" in a table of journals), among [`table_name_words`].
pub fn names_table(own_words: &std::collections::HashSet<String>, word: &str) -> bool {
    own_words.contains(word)
        || own_words.contains(&format!("{word}s"))
        || own_words.contains(word.trim_end_matches('s'))
}

/// A one-character Chinese value (公, 母, 男, 女) written right before a
/// character of the table's own name ("母猫" in 成年家猫的体重): the pair,
/// which names the value's rows.
pub fn value_before_noun(
    question: &str,
    value: &str,
    own_words: &std::collections::HashSet<String>,
) -> Option<String> {
    let mut chars = value.chars();
    let (Some(v), None) = (chars.next(), chars.next()) else {
        return None;
    };
    if !crate::lang::is_cjk(v) {
        return None;
    }
    let q: Vec<char> = question.chars().collect();
    q.windows(2).find_map(|w| {
        (w[0] == v && crate::lang::is_cjk(w[1]) && own_words.iter().any(|o| o.contains(w[1])))
            .then(|| w.iter().collect())
    })
}

/// Verbs saying what the rows of a table are, by a noun of its title;
/// also how a column counting that noun is said ("died of disease" for
/// `Deaths from disease`).
pub(crate) const TITLE_VERBS: &[(&[&str], &str)] = &[
    (&["died", "killed", "dead", "die"], "death"),
    (&["sold"], "sale"),
    (&["ordered"], "order"),
    (&["hired"], "hire"),
    (&["born"], "birth"),
    (&["shipped"], "shipment"),
    (&["injured", "hurt"], "injur"),
    (&["arrested"], "arrest"),
];

/// Values said another way: (words a question uses, the value).
const VALUE_SYNONYMS: &[(&[&str], &str)] = &[
    // US states by their postal codes, as tables keep them.
    (&["alabama"], "al"),
    (&["alaska"], "ak"),
    (&["arizona"], "az"),
    (&["arkansas"], "ar"),
    (&["california", "加州", "加利福尼亚", "加利福尼亚州"], "ca"),
    (&["colorado"], "co"),
    (&["connecticut"], "ct"),
    (&["delaware"], "de"),
    (&["florida", "佛罗里达州", "佛罗里达"], "fl"),
    (&["georgia"], "ga"),
    (&["hawaii"], "hi"),
    (&["idaho"], "id"),
    (&["illinois"], "il"),
    (&["indiana"], "in"),
    (&["iowa"], "ia"),
    (&["kansas"], "ks"),
    (&["kentucky"], "ky"),
    (&["louisiana"], "la"),
    (&["maine"], "me"),
    (&["maryland"], "md"),
    (&["massachusetts"], "ma"),
    (&["michigan"], "mi"),
    (&["minnesota"], "mn"),
    (&["mississippi"], "ms"),
    (&["missouri"], "mo"),
    (&["montana"], "mt"),
    (&["nebraska"], "ne"),
    (&["nevada"], "nv"),
    (&["new hampshire"], "nh"),
    (&["new jersey"], "nj"),
    (&["new mexico"], "nm"),
    (&["new york", "纽约州"], "ny"),
    (&["north carolina"], "nc"),
    (&["north dakota"], "nd"),
    (&["ohio"], "oh"),
    (&["oklahoma"], "ok"),
    (&["oregon"], "or"),
    (&["pennsylvania"], "pa"),
    (&["rhode island"], "ri"),
    (&["south carolina"], "sc"),
    (&["south dakota"], "sd"),
    (&["tennessee"], "tn"),
    (&["texas", "得州", "德州", "德克萨斯州", "德克萨斯"], "tx"),
    (&["utah"], "ut"),
    (&["vermont"], "vt"),
    (&["virginia"], "va"),
    (&["washington"], "wa"),
    (&["west virginia"], "wv"),
    (&["wisconsin"], "wi"),
    (&["wyoming"], "wy"),
    (&["southern", "南部", "南方"], "south"),
    (&["northern", "北部", "北方"], "north"),
    (&["eastern", "东部"], "east"),
    (&["western", "西部"], "west"),
    (&["周一", "星期一"], "monday"),
    (&["周二", "星期二"], "tuesday"),
    (&["周三", "星期三"], "wednesday"),
    (&["周四", "星期四"], "thursday"),
    (&["周五", "星期五"], "friday"),
    (&["周六", "星期六"], "saturday"),
    (&["周日", "星期日", "星期天"], "sunday"),
    (&["午餐", "午饭"], "lunch"),
    (&["晚餐", "晚饭"], "dinner"),
    (
        &["men", "man", "males", "男性", "男", "男生", "男孩", "男子"],
        "male",
    ),
    (
        &[
            "women", "woman", "females", "ladies", "女性", "女", "女生", "女孩", "女子",
        ],
        "female",
    ),
    (&["美国产", "美国", "american", "america", "us"], "usa"),
    (
        &["美国", "american", "america", "us", "u.s."],
        "united states",
    ),
    (&["橙汁"], "orange juice"),
    (&["维生素c", "vitamin c"], "ascorbic acid"),
    (&["白领"], "white collar"),
    (&["助理教授"], "assistant professor"),
    (&["副教授"], "associate professor"),
    (&["正教授"], "professor"),
    (&["蓝领"], "blue collar"),
    (&["专业"], "professional"),
    (&["银行业", "银行", "banks", "bank"], "banking"),
    (&["日本", "japanese"], "japan"),
    (&["英国", "british", "uk"], "united kingdom"),
    (&["德国", "german"], "germany"),
    (&["法国", "french"], "france"),
    (&["中国", "chinese"], "china"),
    (&["瑞士", "swiss"], "switzerland"),
    (&["韩国", "korean"], "south korea"),
    (&["对照组", "control"], "control"),
    (&["高张力", "高"], "high"),
    (&["低"], "low"),
    (&["full professors", "full professor"], "professor"),
    (&["德克萨斯", "德克萨斯州"], "texas"),
    (
        &[
            "front-wheel drive",
            "front wheel drive",
            "front-wheel",
            "front wheel",
            "前轮驱动",
            "前轮",
        ],
        "front",
    ),
    (
        &[
            "rear-wheel drive",
            "rear wheel drive",
            "rear-wheel",
            "rear wheel",
            "后轮驱动",
        ],
        "rear",
    ),
    (
        &[
            "four-wheel drive",
            "four wheel drive",
            "four-wheel",
            "four wheel",
            "四轮驱动",
            "四驱",
        ],
        "4wd",
    ),
];

/// Chinese words of operations and filler.
const ZH_WORDS: &[&str] = &[
    // "How many people": the rows counted.
    "多少人",
    // Superlatives said with an adjective: the price's extremes.
    "最便宜",
    "最贵",
    "最昂贵",
    "平均值",
    "平均",
    "均值",
    "总和",
    "合计",
    "总数",
    "总额",
    "总计",
    "总",
    "一共",
    "共",
    // Measure words after "how many": 多少只 (cats), 几位 (people),
    // 多少桌 (tables), 几辆 (cars)...
    "多少只",
    "多少位",
    "多少名",
    "多少辆",
    "多少桌",
    "多少条",
    "多少座",
    "多少所",
    "多少头",
    "多少次",
    "多少件",
    "多少本",
    "几只",
    "几位",
    "几名",
    "几辆",
    "几桌",
    "几条",
    "几座",
    "几所",
    "几头",
    "几次",
    "多少",
    "几个",
    "几家",
    "几",
    // "那次地震", "那个国家": the row the superlative picked.
    "那一次",
    "那次",
    "那个",
    "那家",
    "那位",
    "哪个",
    "哪些",
    "哪家",
    "哪种",
    "哪一天",
    "哪一",
    "哪",
    "最高",
    "最大",
    "最多",
    "最低",
    "最小",
    "最少",
    "最",
    "中位数",
    "超过",
    "大于",
    "高于",
    "多于",
    "以上",
    "低于",
    "小于",
    "少于",
    "以下",
    "不到",
    "缺失",
    "缺少",
    "空白",
    "增长",
    "增加",
    "下降",
    "减少",
    "变化",
    "百分之",
    "百分比",
    "比例",
    "占",
    "相关系数",
    "相关性",
    "相关",
    "分别",
    "各",
    "每",
    "是",
    "的",
    "有",
    "在",
    "为",
    "了",
    "和",
    "与",
    "及",
    "或",
    "中",
    "年",
    "月",
    "日",
    "季度",
    "第",
    "一",
    "二",
    "三",
    "四",
    "到",
    "从",
    "至",
    "时",
    "下",
    "组",
    "个",
    "家",
    "种",
    "款",
    "位",
    "名",
    "其",
    "最大值",
    "最高值",
    "最小值",
    "最低值",
    "人数",
    "美元",
    "克",
    "数量",
    "数目",
    "个数",
    "数据",
    "份",
    "来自",
    "含",
    "？",
    "?",
    "，",
    "。",
    "、",
    "（",
    "）",
    "(",
    ")",
    "呢",
    "吗",
    "多",
    "少",
    "什么",
    // What a figure is a measure of, after its name ("臭氧浓度",
    // "蛋白质含量", "女性比例").
    "浓度",
    "含量",
    "水平",
    "数值",
    // "The number of days": rows counted.
    "天数",
    // "几条记录": records are the rows, 条 their measure word.
    "条记录",
    "记录",
    "条",
    // "数到了多少只": counted (数 alone may be part of a name).
    "数到",
    "数了",
    "统计",
];

/// The lower-cased question and which of its bytes are explained.
struct Cover {
    text: String,
    covered: Vec<bool>,
}

impl Cover {
    fn new(question: &str) -> Self {
        let text = question.to_lowercase();
        let covered = vec![false; text.len()];
        Cover { text, covered }
    }

    /// Marks every word-bounded occurrence of `needle` (any occurrence
    /// for CJK) not yet covered; returns where.
    fn mark(&mut self, needle: &str) -> Vec<usize> {
        let mut at = Vec::new();
        if needle.is_empty() {
            return at;
        }
        let cjk = needle.chars().any(crate::lang::is_cjk);
        let mut from = 0;
        while let Some(i) = self.text[from..].find(needle) {
            let start = from + i;
            let end = start + needle.len();
            let before = self.text[..start].chars().next_back();
            let after = self.text[end..].chars().next();
            let boundary =
                |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() || crate::lang::is_cjk(c));
            if (cjk || (boundary(before) && boundary(after)))
                && !self.covered[start..end].iter().all(|c| *c)
            {
                self.covered[start..end].iter_mut().for_each(|c| *c = true);
                at.push(start);
            }
            from = end;
        }
        at
    }

    /// Words (or CJK runs) with no covered byte, with where they start.
    fn left(&self) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut start = 0;
        for (i, ch) in self.text.char_indices() {
            let free = !self.covered[i];
            let part = free && (ch.is_alphanumeric() || ch == '\'');
            // A run of CJK characters is one word; so is a run of letters.
            let same_script = word
                .chars()
                .next()
                .is_none_or(|w| crate::lang::is_cjk(w) == crate::lang::is_cjk(ch));
            if part && same_script {
                if word.is_empty() {
                    start = i;
                }
                word.push(ch);
            } else {
                if !word.is_empty() {
                    out.push((start, std::mem::take(&mut word)));
                }
                if part {
                    start = i;
                    word.push(ch);
                }
            }
        }
        if !word.is_empty() {
            out.push((start, word));
        }
        out
    }
}

/// Last words of a column's name that say only that it is a measure.
const MEASURE_WORDS: &[&str] = &["score", "rate", "index", "level", "value", "figure"];

/// Ways a question names a column: its spoken forms, its header's parts
/// (`Prices and labour / Inflation (%)` is also "inflation"), the unit in
/// its brackets, and common synonyms of a word in its name (each synonym
/// given to the column with the shortest name holding the word: "cost"
/// is "Price", not "Min price"). Longest forms first.
pub fn table_forms(table: &Table) -> Vec<(String, String)> {
    let mut out: Vec<(String, String, usize)> = Vec::new();
    for c in &table.columns {
        let plain = plain_name(&c.name);
        let lower = c.name.to_lowercase();
        let mut forms = spoken_forms(&c.name);
        for part in lower.split(" / ") {
            let p = plain_name(part);
            if p.chars().count() >= 3 {
                forms.extend(spoken_forms(&p));
            }
        }
        // Abbreviations said in full: "min price" is "minimum price".
        let mut full = Vec::new();
        for f in &forms {
            for (short, long) in [
                ("min", "minimum"),
                ("max", "maximum"),
                ("avg", "average"),
                ("temp", "temperature"),
                ("qty", "quantity"),
                ("pct", "percent"),
                ("no", "number"),
            ] {
                let words: Vec<&str> = f.split(' ').collect();
                if words.contains(&short) {
                    full.push(
                        words
                            .iter()
                            .map(|w| if *w == short { long } else { w })
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
        }
        forms.extend(full);
        // "Home value" for `Median home value`: a name opening with the
        // statistic it holds is said without it, when no other column's
        // name holds the rest.
        if let Some((first, rest)) = plain.split_once(' ') {
            let statistic = [
                "median", "mean", "average", "avg", "total", "max", "maximum", "min", "minimum",
            ]
            .contains(&first);
            let alone = names_where(table, |p| p.contains(rest)) == 1;
            if statistic && alone && rest.len() >= 4 {
                forms.extend(spoken_forms(rest));
            }
        }
        // A name ending in a word that only says "a measure of" is also
        // named by the rest ("prestige" for `Prestige score`), when no
        // other column's name holds that rest.
        if let Some((head, tail)) = plain.rsplit_once(' ') {
            let unique = table
                .columns
                .iter()
                .filter(|o| format!(" {} ", plain_name(&o.name)).contains(&format!(" {head} ")))
                .count()
                == 1;
            if MEASURE_WORDS.contains(&tail) && head.chars().count() >= 4 && unique {
                forms.extend(spoken_forms(head));
            }
        }
        // "Sleep" is `Total sleep` beside `REM sleep`: the total is the
        // whole of what the others are parts of.
        if let Some(rest) = plain.strip_prefix("total ") {
            let another_total = table.columns.iter().any(|o| {
                o.name != c.name && plain_name(&o.name).strip_prefix("total ") == Some(rest)
            });
            if rest.chars().count() >= 3 && !another_total {
                forms.extend(spoken_forms(rest));
            }
        }
        // An acronym ending the name ("Real GDP") names it alone.
        if let Some(last) = c.name.split_whitespace().next_back() {
            let unique = table
                .columns
                .iter()
                .filter(|o| o.name.split_whitespace().any(|w| w == last))
                .count()
                == 1;
            if last.len() >= 2 && last.chars().all(|ch| ch.is_ascii_uppercase()) && unique {
                forms.push(last.to_lowercase());
            }
        }
        // A three-word name said without its middle word ("dry weight"
        // for `Dry plant weight (g)`), when no other name has both words.
        let words: Vec<&str> = plain.split(' ').collect();
        if words.len() == 3 && words.iter().all(|w| w.chars().count() >= 3) {
            let (first, last) = (words[0], words[2]);
            let unique = table
                .columns
                .iter()
                .filter(|o| {
                    let p = plain_name(&o.name);
                    let ws: Vec<&str> = p.split(' ').collect();
                    ws.contains(&first) && ws.contains(&last)
                })
                .count()
                == 1;
            if unique {
                forms.extend(spoken_forms(&format!("{first} {last}")));
            }
        }
        // Columns that share their first word are told apart by the rest:
        // "people under 15" for `Population under 15 (%)` beside
        // `Population over 75 (%)`.
        if words.len() >= 3 {
            let rest = words[1..].join(" ");
            let siblings = names_where(table, |p| p.split(' ').next() == Some(words[0]));
            let unique = names_where(table, |p| p.contains(&rest)) == 1;
            if siblings >= 2 && unique {
                // And with the first word said another way: "people are
                // under 15" (`people` for population).
                for (said, key) in SYNONYMS {
                    if *key != words[0] {
                        continue;
                    }
                    for w in *said {
                        for link in ["", "are ", "who are ", "aged "] {
                            forms.push(format!("{w} {link}{rest}"));
                        }
                    }
                }
                forms.push(rest);
            }
        }
        // A Chinese name is also said by its first or last two or more
        // characters ("储蓄率" for `个人储蓄率（%）`, "心脏" for
        // `心脏重量（克）`), when no other
        // column's name holds them and they are not words of the
        // question's own.
        let chars: Vec<char> = plain.chars().collect();
        if chars.len() > 3 && chars.iter().all(|ch| crate::lang::is_cjk(*ch)) {
            for n in 2..chars.len() {
                for part in [
                    chars[..n].iter().collect::<String>(),
                    chars[chars.len() - n..].iter().collect::<String>(),
                ] {
                    let unique = names_where(table, |p| p.contains(&part)) == 1;
                    if unique && !ZH_WORDS.contains(&part.as_str()) {
                        forms.push(part);
                    }
                }
            }
        }
        for f in forms {
            out.push((f, c.name.clone(), plain.len()));
        }
    }
    for (words, key) in SYNONYMS {
        // A key starts a word of the name ("age" is in `Age at death`, not
        // in `Pages per year`); Chinese names have no words to start.
        let holds = |name: &str| {
            if key.is_ascii() {
                format!(" {name}").contains(&format!(" {key}"))
            } else {
                name.contains(key)
            }
        };
        // The shortest name holding it ("population" beside "population
        // density"); none where two are as short ("population under 15",
        // "population over 75"): the word alone does not say which.
        let mut holding: Vec<&Column> = table
            .columns
            .iter()
            .filter(|c| holds(&plain_name(&c.name)))
            .collect();
        holding.sort_by_key(|c| plain_name(&c.name).split(' ').count());
        let words_in = |c: &Column| plain_name(&c.name).split(' ').count();
        let best = match holding.as_slice() {
            [a, b, ..] if words_in(a) == words_in(b) => None,
            [a, ..] => Some(*a),
            [] => None,
        };
        if let Some(c) = best {
            for w in *words {
                out.push((w.to_string(), c.name.clone(), plain_name(&c.name).len()));
            }
        }
        // A key of several words said another way inside the whole name:
        // "packs per person" for `Packs per capita`.
        if key.contains(' ') {
            for c in &table.columns {
                let plain = plain_name(&c.name);
                if plain == *key || !plain.contains(key) {
                    continue;
                }
                for w in words.iter().filter(|w| w.is_ascii()) {
                    out.push((plain.replace(key, w), c.name.clone(), plain.len()));
                }
            }
        }
        // "The heaviest brain" for `Brain weight`: a superlative that says
        // the key word, before the rest of a name holding it.
        for c in &table.columns {
            let plain = plain_name(&c.name);
            let parts: Vec<&str> = plain.split(' ').collect();
            if parts.len() < 2 || !parts.contains(key) {
                continue;
            }
            let rest = parts
                .iter()
                .filter(|p| *p != key)
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            for w in words.iter().filter(|w| super::is_superlative(w)) {
                out.push((format!("{w} {rest}"), c.name.clone(), plain.len()));
            }
        }
    }
    out.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.2.cmp(&b.2)));
    let mut seen = std::collections::HashSet::new();
    out.into_iter()
        .filter(|(f, _, _)| !f.is_empty() && seen.insert(f.clone()))
        .map(|(f, c, _)| (f, c))
        .collect()
}

/// Words that ask the plan for something it must then do, found in
/// `question` but not done by `plan`: a negation ("not", "excluding",
/// "outside") needs a "not" filter; a change ("growth", "rise") a change
/// plan; a gap or spread a difference; an ordinal before a superlative
/// ("the second highest"), a comparison with an average ("less than
/// the average price") and "only" of a group ("makers that only make
/// vans") ask for what no plan computes; a week is no period the reader
/// groups by. Left unplanned, such a word would be
/// answered as if it were not there ("not professors" read as
/// "professors"), so it is reported as not understood. Words inside a
/// column's name ("Change (%)", "Week ending") are the column's.
pub fn unplanned(question: &str, plan: &Plan, table: &Table) -> Vec<String> {
    let lower = question.to_lowercase();
    let names: Vec<String> = table.columns.iter().map(|c| plain_name(&c.name)).collect();
    let in_a_name = |w: &str| names.iter().any(|n| n.split(' ').any(|x| x == w));
    // A word of a category's value said in the question ("driver only
    // airbags") is the value's.
    let in_a_value = |w: &str| {
        table
            .columns
            .iter()
            .filter(|c| matches!(c.kind, Kind::Category | Kind::Bool))
            .any(|c| {
                c.values.distinct_cells().into_iter().any(|i| {
                    c.values.key(i).is_some_and(|v| {
                        let v = v.to_lowercase();
                        v.split(|ch: char| !ch.is_alphanumeric()).any(|x| x == w)
                            && lower.contains(&v)
                    })
                })
            })
    };
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .collect();
    let (filters, used) = plan.parts();
    let negated = filters.iter().any(|f| f.op == Op::Ne) || matches!(plan, Plan::Missing { .. });
    let changes = matches!(plan, Plan::Change { .. } | Plan::PercentChange { .. });
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or("");
        let prev = if i > 0 { words[i - 1] } else { "" };
        let after_next = words.get(i + 2).copied().unwrap_or("");
        let negation = super::is_negation(w, next);
        let change = [
            "growth",
            "grow",
            "grew",
            "grown",
            "increase",
            "increased",
            "decrease",
            "decreased",
            "rise",
            "rose",
            "drop",
            "dropped",
            "decline",
            "declined",
            "change",
            "changed",
        ]
        .contains(w);
        // ("The price range": the largest less the smallest; "in the
        // range" of two numbers is a filter.)
        let difference = ["gap", "spread", "difference"].contains(w)
            || (*w == "range"
                && !in_a_name(w)
                && ![next, after_next]
                    .iter()
                    .any(|x| x.chars().next().is_some_and(|c| c.is_ascii_digit())));
        let ordinal = [
            "second", "third", "fourth", "fifth", "2nd", "3rd", "4th", "5th",
        ]
        .contains(w)
            && (next.ends_with("est") || ["most", "least"].contains(&next));
        let versus_average = ["than", "above", "below", "over", "under"].contains(w)
            && ([next, after_next]
                .iter()
                .any(|x| ["average", "mean", "median"].contains(x)));
        let week = ["week", "weeks"].contains(w);
        // "Longer teeth than ascorbic acid", "more urban than white": a
        // comparison of two things, not with a number.
        let than_what = *w == "than"
            && !["other", "rather"].contains(&prev)
            && ![next, after_next].iter().any(|x| {
                x.chars().next().is_some_and(|c| c.is_ascii_digit())
                    || super::NUMBER_WORDS.contains(x)
                    || ["half", "a", "one", "zero"].contains(x)
            });
        // "At the start of 1980", "the end of the year": one row, which
        // the plan does not pick.
        let edge = ["start", "beginning", "end"].contains(w) && next == "of";
        // A rate of a column that holds counts ("the claim rate"): a ratio
        // no plan here computes. A column holding a rate or percent is
        // the rate itself ("poverty rate" is `Poverty (%)`).
        let rate = ["rate", "rates"].contains(w)
            && !used
                .iter()
                .copied()
                .chain(filters.iter().map(|f| f.column.as_str()))
                .any(|c| {
                    let c = c.to_lowercase();
                    // (率 is "rate", 每 "per": 婴儿死亡率（每千名活产）.)
                    ["rate", "%", "per ", "percent", "ratio", "index", "率", "每"]
                        .iter()
                        .any(|k| c.contains(k))
                });
        // "Which makers only make USA cars" asks of all of a group's rows.
        let only = ["only", "solely", "exclusively"].contains(w) && !in_a_value(w);
        // "Average monthly passengers" is one average of the months;
        // "monthly average" is an average per month. The first, read as
        // a series of changes, is not what was asked.
        let periodic = matches!(plan, Plan::Change { .. })
            && [
                "monthly",
                "yearly",
                "annual",
                "quarterly",
                "weekly",
                "daily",
            ]
            .contains(w)
            && ["average", "mean", "median", "total", "typical"].contains(&prev);
        // "How many men and how many women": two questions in one.
        let twice = *w == "many"
            && prev == "how"
            && words
                .windows(2)
                .filter(|p| p[0] == "how" && ["many", "much"].contains(&p[1]))
                .count()
                > 1;
        // "What fraction of professors are male": a share of some rows
        // among others; the plan's share is of all rows, so with
        // conditions on two columns the whole it is taken of is unsure.
        let share_of_part = ["share", "fraction", "proportion", "percentage", "percent"]
            .contains(w)
            && matches!(
                plan,
                Plan::Aggregate {
                    share: true,
                    group_by: None,
                    ..
                }
            )
            && {
                let mut cols: Vec<&str> = filters.iter().map(|f| f.column.as_str()).collect();
                cols.sort_unstable();
                cols.dedup();
                cols.len() > 1
            };
        // Seasons are no period the reader filters by.
        let season = ["summer", "winter", "spring", "autumn"].contains(w);
        // "How much longer are teeth with orange juice": a difference.
        let how_much_more = i >= 2
            && words[i - 2] == "how"
            && prev == "much"
            && (["more", "less", "fewer"].contains(w) || (w.ends_with("er") && w.len() > 4));
        // "..., and what is their average income": a second figure,
        // which only a plan giving a name and its value answers.
        let second_ask = prev == "and"
            && ["what", "how"].contains(w)
            && !matches!(
                plan,
                Plan::Aggregate {
                    with_value: true,
                    ..
                } | Plan::Extreme {
                    with_value: true,
                    ..
                }
            );
        // "Cereals on the top shelf", "in the highest bracket": a
        // superlative naming one value of a column (its largest) as a
        // place is a filter no plan here holds.
        let before_prev = if i > 1 { words[i - 2] } else { "" };
        let placed_superlative = prev == "the"
            && ["on", "in", "at", "from", "of"].contains(&before_prev)
            && !["most", "least", "fewest", "max", "min"].contains(w)
            && super::is_superlative(w)
            && names
                .iter()
                .any(|n| n.split(' ').next() == Some(next.trim_end_matches('s')) || n == next);
        let missing = only
            || placed_superlative
            || season
            || how_much_more
            || second_ask
            || share_of_part
            || twice
            || periodic
            || than_what
            || edge
            || rate
            || (negation && !negated)
            || ((change || difference) && !changes)
            || ordinal
            || versus_average
            || week;
        if missing && !in_a_name(w) && !out.iter().any(|o| o == w) {
            out.push((*w).to_owned());
        }
    }
    // "Which group has the lowest average": a superlative over groups
    // the plan neither sorts nor cuts (a figure per group) is not done.
    // So is one over a single figure of all the rows: "Which site had the
    // highest average yield?" read as the average yield is not answered.
    let unranked_groups = matches!(
        plan,
        Plan::Aggregate {
            group_by: Some(_),
            sort: None,
            func,
            ..
        } if !matches!(func, Func::Max | Func::Min)
    ) || matches!(
        plan,
        Plan::Aggregate {
            group_by: None,
            func: Func::Mean | Func::Median | Func::Sum,
            ..
        }
    );
    if unranked_groups {
        for (i, w) in words.iter().enumerate() {
            let superlative = super::is_superlative(w);
            // "At least 200 horsepower" is a bound, not a ranking.
            let bound = i > 0 && words[i - 1] == "at";
            if superlative && !bound && !in_a_name(w) && !out.iter().any(|o| o == w) {
                out.push((*w).to_owned());
            }
        }
        for w in super::LARGEST
            .iter()
            .chain(super::SMALLEST)
            .filter(|w| !w.is_ascii())
        {
            if lower.contains(w)
                && !names.iter().any(|n| n.contains(w))
                && !out.iter().any(|o| o == w)
            {
                out.push((*w).to_owned());
            }
        }
    }
    // "Which county has the most college graduates": rows counted per
    // group where most rows are a group of their own count nothing
    // the question asks (each county is one row); the word that asked
    // for the ranking is not carried out.
    if let Plan::Aggregate {
        func: Func::Count,
        group_by: Some(g),
        sort: Some(_),
        period: None,
        ..
    } = plan
    {
        if let Some(c) = table.column(g) {
            let n = c.values.count();
            let distinct = c.values.distinct_cells().len();
            // (Fewer than one and a half rows a group on average.)
            if n >= 10 && distinct * 3 >= n * 2 {
                let asked = words
                    .iter()
                    .find(|w| super::is_superlative(w))
                    .map_or_else(|| plain_name(g), |w| (*w).to_owned());
                if !out.contains(&asked) {
                    out.push(asked);
                }
            }
        }
    }
    // Chinese change words: 增长 (grew), 下降 (fell), 变化 (changed).
    for w in [
        "增长", "增加", "上升", "上涨", "下降", "下跌", "减少", "变化", "变动", "涨幅", "跌幅",
    ] {
        if lower.contains(w) && !changes && !names.iter().any(|n| n.contains(w)) {
            out.push(w.to_owned());
        }
    }
    // Chinese: 不是 (is not), 除了 ... 以外 (except), 不包括 (excluding).
    for w in super::ZH_NEGATIONS.iter().chain(super::ZH_NEGATION_ENDS) {
        if lower.contains(w) && !negated && !names.iter().any(|n| n.contains(w)) {
            out.push((*w).to_owned());
        }
    }
    out
}

/// The question with "the biggest loss" said as "the lowest <profit
/// column>" when the table has one: the largest loss is the smallest
/// profit, which the reader already computes (with the row's label).
pub fn losses_as_profits(question: &str, table: &Table) -> String {
    let Some(c) = super::profit_column(table) else {
        return question.to_owned();
    };
    let lower = question.to_lowercase();
    if lower.len() != question.len() {
        return question.to_owned();
    }
    let name = plain_name(&c.name);
    let mut out = question.to_owned();
    for big in ["biggest", "largest", "greatest", "worst", "heaviest"] {
        for loss in ["losses", "loss"] {
            let phrase = format!("{big} {loss}");
            if let Some(at) = lower.find(&phrase) {
                out.replace_range(at..at + phrase.len(), &format!("lowest {name}"));
                return out;
            }
        }
    }
    out
}

/// The question with a small number said in words ("two" to "ten", and
/// "one" and "zero" after a comparison) written in digits where it is a
/// number to compare or a value of a numeric column: after a comparison
/// ("at least two garage places", "more than five"), before "or more" and
/// the like ("two or more bedrooms"), or right before the name of a
/// numeric column ("eight cylinders"). Elsewhere words stay words ("the
/// five states with the most murders": how many rows to list; "which
/// one").
pub fn number_words(question: &str, table: &Table) -> String {
    const BEFORE: &[&str] = &[
        "at least",
        "at most",
        "more than",
        "less than",
        "fewer than",
        "greater than",
        "no more than",
        "no fewer than",
        "over",
        "under",
        "above",
        "below",
        "exactly",
        "up to",
    ];
    const AFTER: &[&str] = &[
        "or more",
        "or fewer",
        "or less",
        "or over",
        "or above",
        "or higher",
        "or lower",
        "or below",
        "and above",
        "and over",
        "and up",
        "and more",
    ];
    let lower = question.to_lowercase();
    // Offsets below are the lower-cased text's: they must be the question's.
    if lower.len() != question.len() {
        return question.to_owned();
    }
    let said = |w: &str| super::find_word(&lower, w).is_some();
    let words: Vec<(usize, &str)> = std::iter::once((0, "zero"))
        .chain(
            super::NUMBER_WORDS
                .iter()
                .enumerate()
                .map(|(i, w)| (i + 1, *w)),
        )
        .filter(|(_, w)| said(w))
        .collect();
    if words.is_empty() {
        return question.to_owned();
    }
    let numeric_forms: Vec<String> = table_forms(table)
        .into_iter()
        .filter(|(_, column)| table.column(column).is_some_and(|c| c.kind.is_numeric()))
        .map(|(form, _)| form)
        .collect();
    let mut at_words: Vec<(usize, usize, usize)> = Vec::new();
    for (n, w) in words {
        let mut from = 0;
        while let Some(k) = super::find_word(&lower[from..], w) {
            let at = from + k;
            from = at + w.len();
            let before = lower[..at].trim_end();
            let after = lower[at + w.len()..].trim_start();
            let compared = BEFORE.iter().any(|b| {
                before.ends_with(b)
                    && before[..before.len() - b.len()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric())
            }) || AFTER.iter().any(|a| starts_word(after, a));
            // "one" and "zero" name a number only when compared.
            let names_column = n >= 2 && numeric_forms.iter().any(|f| starts_word(after, f));
            if compared || names_column {
                at_words.push((at, w.len(), n));
            }
        }
    }
    let mut out = question.to_owned();
    at_words.sort_unstable();
    for (at, len, n) in at_words.into_iter().rev() {
        out.replace_range(at..at + len, &n.to_string());
    }
    out
}

/// The question with "half" after a comparison ("more than half women")
/// said as "50%", when the table has a column of percentages to compare
/// it with; otherwise left as it is, and "half" is not understood.
pub fn halves(question: &str, table: &Table) -> String {
    let lower = question.to_lowercase();
    // Most questions say no "half": the table's names are not read for them.
    if !lower.contains("half") {
        return question.to_owned();
    }
    // The percent column compared must be named in the question ("half
    // women" is `Women (%)`; "earn more than half" names none).
    let percent_named = table_forms(table).into_iter().any(|(form, column)| {
        table.column(&column).is_some_and(|c| {
            c.kind == Kind::Percent || unit_of(&c.name).is_some_and(|u| u == "%" || u == "percent")
        }) && super::find_word(&lower, &form).is_some()
    });
    if !percent_named || lower.len() != question.len() {
        return question.to_owned();
    }
    let mut out = question.to_owned();
    for phrase in [
        "more than half",
        "less than half",
        "fewer than half",
        "over half",
        "under half",
        "at least half",
        "at most half",
    ] {
        if let Some(at) = lower.find(phrase) {
            let half = at + phrase.len() - "half".len();
            let ends = lower[at + phrase.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if ends {
                out.replace_range(half..half + "half".len(), "50%");
                return out;
            }
        }
    }
    out
}

/// The question with a shared last word said once written out for each
/// ("murder and assault arrests" is "murder arrests and assault
/// arrests"), when both are names of columns and the first word alone
/// names none.
pub fn distribute(question: &str, table: &Table) -> String {
    // "By number of cylinders", "by the number of gears": grouped by the
    // column, nothing counted.
    let question = &by_number_of(question);
    let forms = table_forms(table);
    let is_form = |f: &str| forms.iter().any(|(form, _)| form == f);
    let lower = question.to_lowercase();
    // Byte offsets match between the two: lower-casing these questions'
    // letters keeps their lengths (checked below, else left as it is).
    if lower.len() != question.len() {
        return question.to_owned();
    }
    let mut out = question.to_owned();
    let mut inserted = 0;
    for joint in [" and ", " or "] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(joint) {
            let at = from + i;
            from = at + joint.len();
            let first = lower[..at]
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if first.is_empty() || is_form(first) {
                continue;
            }
            let after = &lower[at + joint.len()..];
            let second = forms
                .iter()
                .filter(|(f, _)| f.contains(' '))
                .find(|(f, _)| starts_word(after, f));
            let Some((form, column)) = second else {
                continue;
            };
            let tail = &form[form.find(' ').map_or(0, |k| k + 1)..];
            let joined = format!("{first} {tail}");
            let other = forms.iter().any(|(f, c)| *f == joined && c != column);
            if other {
                out.insert_str(at + inserted, &format!(" {tail}"));
                inserted += tail.len() + 1;
            }
        }
    }
    out
}

/// Whether `text` starts with `word` ending where a word ends: at the
/// text's end or a character that is no letter or digit; Chinese words
/// need no such end.
fn starts_word(text: &str, word: &str) -> bool {
    text.starts_with(word)
        && (word.chars().any(crate::lang::is_cjk)
            || text[word.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric()))
}

/// The unit in a column's brackets, lower-cased: `mph`, `$1000`, `%`.
pub fn unit_of(name: &str) -> Option<String> {
    // Full-width brackets too: 人口（千人）.
    let open = name.rfind(['(', '（'])?;
    let inner = &name[open + name[open..].chars().next()?.len_utf8()..];
    let close = inner.find([')', '）'])?;
    Some(inner[..close].trim().to_lowercase())
}

/// Units as people write them after a number, by the unit in a header's
/// brackets.
const UNIT_NAMES: &[(&str, &[&str])] = &[
    ("g", &["grams", "gram", "g"]),
    ("kg", &["kilograms", "kilogram", "kilos", "kg"]),
    ("mg", &["milligrams", "milligram", "mg"]),
    ("lb", &["pounds", "pound", "lbs", "lb"]),
    ("lbs", &["pounds", "pound", "lbs", "lb"]),
    ("mph", &["miles per hour", "mph"]),
    (
        "km/h",
        &["kilometres per hour", "kilometers per hour", "km/h", "kph"],
    ),
    ("km", &["kilometres", "kilometers", "km"]),
    ("cm", &["centimetres", "centimeters", "cm"]),
    ("mm", &["millimetres", "millimeters", "mm"]),
    ("m", &["metres", "meters", "m"]),
    ("in", &["inches", "inch"]),
    ("°f", &["degrees fahrenheit", "degrees", "°f"]),
    ("°c", &["degrees celsius", "degrees", "°c"]),
    ("%", &["percent", "per cent", "%"]),
    ("ppb", &["parts per billion", "ppb"]),
    ("ppm", &["parts per million", "ppm"]),
    ("years", &["years", "year"]),
    ("days", &["days", "day"]),
    ("hours", &["hours", "hour", "hrs"]),
    ("h", &["hours", "hour", "hrs", "h"]),
    ("周", &["weeks", "week", "周"]),
    ("weeks", &["weeks", "week"]),
    ("min", &["minutes", "minute", "min"]),
    ("s", &["seconds", "second", "secs", "sec"]),
    ("$", &["dollars", "dollar"]),
    ("usd", &["dollars", "dollar", "usd"]),
    ("kcal", &["calories", "kcal"]),
    ("cal", &["calories", "cal"]),
    // Chinese headers' units, as a question in either language says them.
    ("千米", &["kilometres", "kilometers", "km", "千米", "公里"]),
    ("公里", &["kilometres", "kilometers", "km", "千米", "公里"]),
    ("米", &["metres", "meters", "m", "米"]),
    (
        "厘米",
        &["centimetres", "centimeters", "cm", "厘米", "公分"],
    ),
    ("千克", &["kilograms", "kilogram", "kg", "千克", "公斤"]),
    ("公斤", &["kilograms", "kilogram", "kg", "千克", "公斤"]),
    ("克", &["grams", "gram", "g", "克"]),
    ("美元", &["dollars", "dollar", "usd", "美元"]),
    ("元", &["yuan", "rmb", "元"]),
];

/// A header's unit as a question may write it after a number: as
/// written, in full ("km" of `千米`, "kilometres"), and the first part of a
/// rate ("cents" of `cents/pack`).
pub(crate) fn unit_spellings(u: &str) -> Vec<String> {
    let mut out = vec![u.to_owned()];
    for (short, names) in UNIT_NAMES {
        if u == *short {
            out.extend(names.iter().map(|n| n.to_string()));
        }
    }
    if let Some((a, b)) = u.split_once('/') {
        if a.chars().all(char::is_alphabetic) && a.len() >= 3 {
            out.extend([format!("{a} per {b}"), format!("{a} a {b}"), a.to_owned()]);
        }
    }
    out.sort_by_key(|w| std::cmp::Reverse(w.len()));
    out.dedup();
    out
}

/// Words that may follow a number as its unit in this table: each
/// column's unit, said in full or as written, longest first.
fn unit_words(table: &Table) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &table.columns {
        let Some(u) = unit_of(&c.name) else { continue };
        if u.chars().any(char::is_alphabetic) && !u.contains(' ') {
            out.extend(unit_spellings(&u));
        }
        // "$1000" and "$" are dollars, "1000 lbs" pounds; "g" is grams.
        let base = u
            .trim_end_matches(|ch: char| ch.is_ascii_digit() || ch == ',')
            .trim_start_matches(|ch: char| ch.is_ascii_digit() || ch == ',' || ch == ' ');
        for (short, names) in UNIT_NAMES {
            if base == *short {
                out.extend(names.iter().map(|n| n.to_string()));
            }
        }
    }
    out.sort_by_key(|u| std::cmp::Reverse(u.len()));
    out.dedup();
    out
}

/// A value's forms, with its synonyms.
pub fn value_words(lower: &str) -> Vec<String> {
    let mut forms = value_forms(lower);
    for (words, key) in VALUE_SYNONYMS {
        if *key == lower {
            forms.extend(words.iter().map(|w| w.to_string()));
        }
    }
    forms
}

/// What the accounting found, for checking a plan against it.
#[derive(Debug, Default, Clone)]
pub struct Found {
    /// Columns named, with the words that named them.
    pub columns: Vec<(String, String)>,
    /// Category values named: (column, value, words).
    pub values: Vec<(String, String, String)>,
    /// Numbers written in the question (not years inside dates).
    pub numbers: Vec<(f64, String)>,
    /// Words nothing explains.
    pub unmatched: Vec<String>,
    /// Columns of names, one per row (a company, a state): mentioning
    /// them names the rows.
    pub names_rows: Vec<String>,
}

/// Row nouns: a word left over counts as naming the rows ("cars",
/// "companies") when it follows one of these or a value or number.
const ROW_NOUN_AFTER: &[&str] = &[
    "many", "of", "which", "what", "each", "every", "per", "all", "the", "among", "any", "most",
    "fewest", "few", "much",
];

/// Whether a value of a column reads as a word of the question's own
/// ("Total", "Average", "Mean" as a company or a product): such a value
/// counts only when written as in the cell, not opening the question.
pub fn value_is_ordinary_word(value: &str, question: &str) -> bool {
    let lower = value.to_lowercase();
    if !(OPERATIONS.contains(&lower.as_str()) || FILLER.contains(&lower.as_str())) {
        return false;
    }
    // Written as in the cell, and not merely capitalised as the first word.
    let mut from = 0;
    while let Some(i) = question[from..].find(value) {
        let at = from + i;
        if at > 0 {
            return false;
        }
        from = at + value.len();
    }
    true
}

/// How a question names a row of a numbered identifier column ("Sale
/// 100", "编号500", "#100"): with the column's name or a number sign only,
/// since a bare number is a figure ("sold for more than $100,000",
/// "超过500千米"). None for other columns and values.
pub(crate) fn numbered_row_forms(c: &Column, lower: &str) -> Option<Vec<String>> {
    if c.kind != Kind::Identifier || lower.parse::<f64>().is_err() {
        return None;
    }
    let name = plain_name(&c.name).to_lowercase();
    Some(vec![
        format!("{name} {lower}"),
        format!("{name}{lower}"),
        format!("#{lower}"),
    ])
}

/// How a question says a band value of a category ("<25", ">35", "65+",
/// "≤ 18"): "under 25", "drivers over 35", "65 and over", "25岁以下".
/// None for other values.
pub(crate) fn band_forms(lower: &str) -> Option<Vec<String>> {
    let v = lower.trim();
    let (below, n) = if let Some(n) = v.strip_prefix(['<', '≤']) {
        (true, n.trim_start_matches('=').trim())
    } else if let Some(n) = v.strip_prefix(['>', '≥']) {
        (false, n.trim_start_matches('=').trim())
    } else if let Some(n) = v.strip_suffix('+') {
        (false, n.trim())
    } else {
        return None;
    };
    if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let words: &[&str] = if below {
        &[
            "under",
            "below",
            "less than",
            "younger than",
            "小于",
            "低于",
        ]
    } else {
        &["over", "above", "more than", "older than", "大于", "超过"]
    };
    let mut out: Vec<String> = words.iter().map(|w| format!("{w} {n}")).collect();
    out.extend(
        words
            .iter()
            .filter(|w| !w.is_ascii())
            .map(|w| format!("{w}{n}")),
    );
    let after: &[&str] = if below {
        &[
            "以下",
            "岁以下",
            " or under",
            " or younger",
            " and under",
            " and younger",
        ]
    } else {
        &[
            "以上",
            "岁以上",
            " or over",
            " or older",
            " and over",
            " and older",
            "+",
        ]
    };
    out.extend(after.iter().map(|a| format!("{n}{a}")));
    Some(out)
}

/// The only ways a question names a coded value: a numbered row by its
/// column's name ([`numbered_row_forms`]) or a band by its words
/// ([`band_forms`]). Shared by the accounting and the reader's filters.
pub(crate) fn coded_value_forms(c: &Column, lower: &str) -> Option<Vec<String>> {
    numbered_row_forms(c, lower).or_else(|| band_forms(lower))
}

/// Accounts for the words of `question` over `table` (`names` are the
/// file's and sheet's words, which name the table itself).
pub fn account(question: &str, table: &Table, names: &str) -> Found {
    let mut cover = Cover::new(question);
    let own_words = table_name_words(table, names);
    let names_table = |w: &str| names_table(&own_words, w);
    let mut found = Found {
        names_rows: table
            .columns
            .iter()
            .filter(|c| {
                // A date per row (one row a month) names the rows too:
                // "的月份有多少个" counts the rows.
                c.kind == Kind::Identifier
                    || (matches!(c.kind, Kind::Text | Kind::Date | Kind::DateTime)
                        && c.values.distinct_cells().len() * 10 >= c.values.count() * 9)
                    // Short tables read their names as categories: two
                    // presidents Bush among eleven.
                    || (c.kind == Kind::Category && super::names_rows(c))
            })
            .map(|c| c.name.clone())
            .collect(),
        ..Found::default()
    };
    let mut counted_column = false;
    // "More than $6,000 per student" of `Spending per student`: the rest
    // of a column's name right after a number is that number's unit, and
    // names the column compared, not `Students`.
    // Of several columns ending so, the one otherwise named.
    let forms = table_forms(table);
    let mut tails: Vec<(String, Vec<&str>)> = Vec::new();
    for c in table.columns.iter().filter(|c| c.kind.is_numeric()) {
        let plain = plain_name(&c.name);
        for (i, _) in plain.match_indices(' ') {
            let tail = plain[i + 1..].to_owned();
            let after_number = tail.contains(' ')
                && cover.text.match_indices(&tail).any(|(at, _)| {
                    cover.text[..at]
                        .trim_end()
                        .ends_with(|ch: char| ch.is_ascii_digit() || ch == '%')
                });
            if !after_number {
                continue;
            }
            match tails.iter_mut().find(|(t, _)| *t == tail) {
                Some((_, cs)) => cs.push(&c.name),
                None => tails.push((tail, vec![&c.name])),
            }
        }
    }
    for (tail, columns) in tails {
        let named = |c: &&str| {
            forms.iter().any(|(f, col)| {
                col == c && !tail.contains(f.as_str()) && super::find_word(&cover.text, f).is_some()
            })
        };
        let column = match columns.as_slice() {
            [one] => Some(*one),
            _ => columns.iter().copied().find(|c| named(c)),
        };
        if let Some(c) = column {
            if !cover.mark(&tail).is_empty() {
                found.columns.push((c.to_owned(), tail));
            }
        }
    }
    // Values and columns, longest words first, so "unit price" is not
    // also "units" and "orange juice" is one value.
    // A word of the table's own name that is only part of a column's
    // ("deaths" of `Date of death` in a table of deaths) names the rows.
    let mut candidates: Vec<(String, Option<String>, String)> = forms
        .into_iter()
        .filter(|(f, c)| {
            let whole = plain_name(c);
            !names_table(f) || *f == whole || f.trim_end_matches('s') == whole
        })
        .map(|(f, c)| (f, None, c))
        .collect();
    for c in &table.columns {
        if matches!(
            c.kind,
            Kind::Category | Kind::Text | Kind::Identifier | Kind::Bool
        ) {
            // Ids are distinct per row: past 5,000 rows there are too many
            // to be named in a question, and sorting them is not free.
            if c.kind == Kind::Identifier && c.values.count() > 5000 {
                continue;
            }
            let cells = c.values.distinct_cells();
            if cells.len() > 5000 {
                continue;
            }
            for i in cells {
                let Some(v) = c.values.key(i) else { continue };
                let lower = v.to_lowercase();
                // One-letter values ("A", "B") only as written, in capitals;
                // a one-character Chinese value right before the table's
                // noun ("母猫" in a table of cats), as that pair.
                if lower.chars().count() < 2 {
                    if let Some(pair) = value_before_noun(question, &lower, &own_words) {
                        candidates.push((pair, Some(v.to_string()), c.name.clone()));
                    }
                    continue;
                }
                if value_is_ordinary_word(&v, question) {
                    continue;
                }
                // A numbered row ("Sale 100", "编号500", "#100") only with
                // its column's name or a number sign: a bare number is a
                // figure ("sold for more than $100,000", "超过500千米").
                if let Some(forms) = coded_value_forms(c, &lower) {
                    for f in forms {
                        candidates.push((f, Some(v.to_string()), c.name.clone()));
                    }
                    continue;
                }
                for f in value_words(&lower) {
                    // "Deaths" in a table of deaths names the rows, not
                    // the rows whose type is `Death`.
                    if f != lower && names_table(&f) {
                        continue;
                    }
                    if f == "us"
                        && !question
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|w| w == "US")
                    {
                        continue;
                    }
                    candidates.push((f, Some(v.to_string()), c.name.clone()));
                }
            }
        }
    }
    // Longest first; on a tie, a column's name before a value, and a
    // category's value before a name column's (as the reader claims them).
    let rank = |value: &Option<String>, column: &str| -> u8 {
        match (value, table.column(column).map(|c| c.kind)) {
            (None, _) => 0,
            (Some(_), Some(Kind::Category | Kind::Bool)) => 1,
            (Some(_), Some(Kind::Text)) => 2,
            _ => 3,
        }
    };
    candidates.sort_by(|a, b| {
        b.0.len()
            .cmp(&a.0.len())
            .then(rank(&a.1, &a.2).cmp(&rank(&b.1, &b.2)))
    });
    // Units written after a number name their column ("15 mph"); a unit
    // several columns share ("8 MB" of RAM or of disk) names none: it is
    // the number's, and the number's column is found by the plan.
    let units: Vec<(String, String)> = table
        .columns
        .iter()
        .filter_map(|c| unit_of(&c.name).map(|u| (u, c.name.clone())))
        .filter(|(u, _)| u.chars().any(char::is_alphabetic) && !u.contains(' ') && u.len() >= 2)
        .collect();
    for (u, column) in &units {
        if units.iter().filter(|(v, _)| v == u).count() == 1 {
            candidates.push((u.clone(), None, column.clone()));
        }
    }
    for (form, value, column) in &candidates {
        let at = cover.mark(form);
        if at.is_empty() {
            continue;
        }
        match value {
            Some(v) => found.values.push((column.clone(), v.clone(), form.clone())),
            None => {
                // "How many months", "across all years": a column named as
                // what is counted or spanned asks for no use of it.
                let spanned = at.iter().all(|&a| {
                    let before = cover.text[..a].trim_end();
                    [
                        "how many",
                        "number of",
                        "all",
                        "every",
                        "any",
                        "share of",
                        "percentage of",
                        "percent of",
                        "proportion of",
                        "fraction of",
                        "share of the",
                        "percentage of the",
                        "percent of the",
                        "多少个",
                        "多少种",
                        "多少家",
                        "几个",
                        "几种",
                        "几家",
                    ]
                    .iter()
                    .any(|w| before.ends_with(w))
                });
                // "Average boys christened per year" over a row a year: the
                // average of the rows, the year column no part of it.
                let per_row_period = ["year", "month", "quarter", "day", "week"]
                    .contains(&form.as_str())
                    && at.iter().all(|&a| {
                        let before = cover.text[..a].trim_end();
                        before.ends_with(" per") || before.ends_with(" a")
                    })
                    && ["average", "mean", "median", "typical"]
                        .iter()
                        .any(|w| super::find_word(&cover.text, w).is_some())
                    && table
                        .column(column)
                        .is_some_and(|c| super::one_row_per_value(table, c, &[]));
                if per_row_period {
                    continue;
                }
                if !spanned {
                    found.columns.push((column.clone(), form.clone()));
                } else {
                    counted_column = true;
                }
            }
        }
    }
    // The last word of a name no other column ends with ("price" for
    // "Sticker price"), as the reader finds it.
    for c in &table.columns {
        if let Some(word) = super::own_last_word(table, c) {
            for f in [format!("{word}s"), word.clone()] {
                // "Deaths" in a table of deaths names the rows.
                if names_table(&f) {
                    continue;
                }
                // "All causes": not the one column ending so.
                if super::find_word(&cover.text, &f)
                    .is_some_and(|a| super::quantified_at(&cover.text, a))
                {
                    continue;
                }
                // Counting ("how many months of prices") names things
                // counted, not the column, as the reader takes it.
                let at = cover.mark(&f);
                let counted = at.iter().all(|&a| super::counted_at(&cover.text, a));
                if !at.is_empty() && !counted {
                    found.columns.push((c.name.clone(), f));
                }
            }
        }
    }
    // "The 200m time" of `200m (s)`: a column of times said with "time".
    for (column, form) in found.columns.clone() {
        if table.column(&column).is_some_and(super::is_duration)
            && [" time", " times"]
                .iter()
                .any(|t| cover.text.contains(&format!("{form}{t}")))
        {
            cover.mark("times");
            cover.mark("time");
        }
    }
    // One-letter values written as capitals right after their column
    // ("wool A", "Group B").
    for c in &table.columns {
        if !matches!(c.kind, Kind::Category | Kind::Text) {
            continue;
        }
        for i in c.values.distinct_cells() {
            let Some(v) = c.values.key(i) else { continue };
            if v.chars().count() == 1 && v.chars().all(|ch| ch.is_uppercase()) {
                let needle = format!(" {v}");
                if let Some(at) = question.find(&needle) {
                    let start = at + 1;
                    if question[start + v.len()..]
                        .chars()
                        .next()
                        .is_none_or(|ch| !ch.is_alphanumeric())
                    {
                        cover.covered[start..start + v.len()]
                            .iter_mut()
                            .for_each(|c| *c = true);
                        found
                            .values
                            .push((c.name.clone(), v.to_string(), v.to_lowercase()));
                    }
                }
            }
        }
    }
    // A unit of words and digits ("per 100,000") is the column's scale,
    // not a number to compare with.
    for c in &table.columns {
        if let Some(u) = unit_of(&c.name) {
            if u.contains(' ') && u.chars().any(|ch| ch.is_ascii_digit()) {
                cover.mark(&u);
            }
        }
    }
    let units = unit_words(table);
    // Numbers: digits with separators, a currency sign, a suffix, and the
    // unit written after them ("10 grams", "15 mph").
    let text = cover.text.clone();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || ((bytes[i] == b',' || bytes[i] == b'.')
                        && i + 1 < bytes.len()
                        && bytes[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            let digits: String = text[start..i].chars().filter(|c| *c != ',').collect();
            // "1970s", "150k", "2nd", "31st".
            let mut end = i;
            for suffix in [
                "s", "k", "m", "bn", "st", "nd", "rd", "th", "%", "万", "亿", "千",
            ] {
                if starts_word(&text[i..], suffix) {
                    end = i + suffix.len();
                    break;
                }
            }
            // "4WD", "535i": a code, not a number ("150000美元" is one).
            if end == i
                && text[i..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
            {
                cover.covered[start..i].iter_mut().for_each(|c| *c = true);
                continue;
            }
            let covered_already = cover.covered[start..i].iter().all(|c| *c);
            cover.covered[start..end].iter_mut().for_each(|c| *c = true);
            if start > 0 && matches!(bytes[start - 1], b'$' | b'-') {
                cover.covered[start - 1] = true;
            }
            if !covered_already {
                if let Ok(n) = digits.parse::<f64>() {
                    found.numbers.push((n, text[start..end].to_owned()));
                }
            }
            let gap = text[end..].len() - text[end..].trim_start().len();
            let rest = &text[end + gap..];
            if let Some(u) = units.iter().find(|u| starts_word(rest, u)) {
                let from = end + gap;
                cover.covered[from..from + u.len()]
                    .iter_mut()
                    .for_each(|c| *c = true);
            }
            i = end.max(i);
        } else {
            i += 1;
        }
    }
    // Small numbers in words ("the five states") and signs ("inflation
    // was negative": compared with zero) are numbers the plan must use.
    // From two: the reader takes these as counts of rows to list, and
    // "one" is too often "which one" to count.
    for (n, w) in super::NUMBER_WORDS.iter().enumerate().skip(1) {
        if !cover.mark(w).is_empty() {
            found.numbers.push((n as f64 + 1.0, (*w).to_owned()));
        }
    }
    for w in ["negative", "positive"].iter().chain(super::LOSS_WORDS) {
        if !cover.mark(w).is_empty() {
            found.numbers.push((0.0, (*w).to_owned()));
        }
    }
    // "..., and how large was it": the figure with the name, which the
    // plan gives (`with_value`).
    for w in [
        "and how large",
        "and how big",
        "and how high",
        "and how low",
    ] {
        cover.mark(w);
    }
    // Negations: the plan must then hold a "not" filter (`unplanned`).
    let contractions = [
        "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't",
    ];
    for w in super::NEGATIONS
        .iter()
        .chain(&contractions)
        .chain(super::ZH_NEGATIONS)
        .chain(super::ZH_NEGATION_ENDS)
    {
        cover.mark(w);
    }
    // "Non-smokers" of a yes/no column `Smoker`: the rows where it is no
    // (the phrase reader's yes/no filter).
    let yes_no_named = table.columns.iter().any(|c| {
        super::yes_value(c).is_some()
            && super::spoken_forms(&c.name)
                .iter()
                .any(|f| cover.text.contains(&format!("non-{f}")))
    });
    if yes_no_named {
        cover.mark("non");
    }
    for w in super::MOST_COMMON {
        cover.mark(w);
    }
    // The superlatives the phrase reader acts on are words of operations
    // too, from its own lists ("peak" is the largest).
    for w in OPERATIONS
        .iter()
        .chain(FILLER)
        .chain(super::LARGEST)
        .chain(super::SMALLEST)
    {
        cover.mark(w);
    }
    for w in ZH_WORDS {
        cover.mark(w);
    }
    // The table's own name: its title, sheet and file.
    for w in &own_words {
        if w.chars().count() >= 3 {
            cover.mark(w);
            if let Some(s) = w.strip_suffix('s') {
                cover.mark(s);
            } else {
                cover.mark(&format!("{w}s"));
            }
        }
    }
    // What happened to the rows, said as a verb of the title's noun: in a
    // table of deaths, "killed" and "died" name the rows. Not where a
    // column counts that noun (`Deaths from disease` by month): the rows
    // are then months, and "how many died" asks about the column.
    for (verbs, noun) in TITLE_VERBS {
        let counted = table.columns.iter().any(|c| {
            c.kind.is_numeric()
                && plain_name(&c.name)
                    .split(' ')
                    .next()
                    .is_some_and(|w| w.starts_with(noun))
        });
        if !counted && own_words.iter().any(|w| w.contains(noun)) {
            for v in *verbs {
                cover.mark(v);
            }
        }
    }
    // "How long" asks for a duration: a column measured in time answers
    // it ("How long is the average mammal awake?" over `Awake (h)`).
    let timed = table.columns.iter().any(|c| {
        unit_of(&c.name).is_some_and(|u| {
            [
                "h", "hours", "hrs", "min", "minutes", "days", "weeks", "years", "months", "s",
                "seconds", "周", "天", "小时", "分钟",
            ]
            .contains(&u.as_str())
        })
    });
    if timed {
        cover.mark("how long");
    }
    // Left over: one noun naming the rows is allowed.
    let left = cover.left();
    let mut last_noun_end: Option<usize> = None;
    // A column already named as what is counted ("how many companies")
    // is the rows' name: no other word may be.
    let mut row_noun: Option<String> = counted_column.then(String::new);
    // Words of the categories' values: a leftover word close to one
    // ("rodents" beside `Rodentia`, "carnivores" beside `Carnivora` and
    // `Carnivore`) most likely means a subset of the rows, so it is not
    // read as the rows' name; it is left not understood, and the answer
    // asks rather than computing over every row.
    let category_words: Vec<String> = table
        .columns
        .iter()
        .filter(|c| c.kind == Kind::Category)
        .flat_map(|c| {
            c.values
                .distinct_cells()
                .into_iter()
                .filter_map(|i| c.values.key(i).map(|v| v.to_lowercase()))
                .collect::<Vec<_>>()
        })
        .flat_map(|v| {
            v.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 5)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let column_words: Vec<String> = table
        .columns
        .iter()
        .flat_map(|c| {
            plain_name(&c.name)
                .split(' ')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let near_value = |stem: &str| {
        let head: String = stem.chars().take(5).collect();
        stem.chars().count() >= 5
            && stem.chars().all(|c| c.is_ascii_alphabetic())
            && category_words.iter().any(|v| v.starts_with(&head))
            && !column_words.iter().any(|w| w.starts_with(&head))
    };
    for (at, word) in left {
        let word = word.trim_matches('\'').trim_end_matches("'s").to_owned();
        if word.is_empty() || word == "s" || word.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        // "震级超过6级": one character after a number that ends a measure's
        // name (震级, 楼层) is the number's unit.
        let mut chars = word.chars();
        if let (Some(ch), None) = (chars.next(), chars.next()) {
            if crate::lang::is_cjk(ch)
                && text[..at].ends_with(|c: char| c.is_ascii_digit())
                && table
                    .columns
                    .iter()
                    .any(|c| c.kind.is_numeric() && plain_name(&c.name).ends_with(ch))
            {
                continue;
            }
        }
        let stem = word.trim_end_matches('s').to_owned();
        let mut preceding = text[..at]
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .rev();
        let before = preceding.next().unwrap_or("");
        // "Total tips on the weekend": a noun after a preposition of place
        // or time says where or when, not what the rows are.
        let placed = before == "the"
            && preceding.next().is_some_and(|p| {
                [
                    "on", "in", "at", "during", "over", "from", "since", "until", "after",
                    "before", "near", "to", "into", "through", "within",
                ]
                .contains(&p)
            });
        // A word after a number compared with ("more than 2 tons") is
        // that number's unit, never the rows' name: one the table does not
        // measure in is not understood.
        let compared_number = before.chars().any(|c| c.is_ascii_digit()) && {
            let head = text[..at].trim_end();
            let head = head
                .trim_end_matches(|c: char| c.is_ascii_digit() || ",.$€£¥%".contains(c))
                .trim_end();
            [
                "than",
                "over",
                "above",
                "under",
                "below",
                "least",
                "most",
                "exceeding",
                "exceed",
                "exceeds",
                "beyond",
            ]
            .iter()
            .any(|w| head.ends_with(&format!(" {w}")))
        };
        // After a column's name a word may say which figure of it ("wind
        // speed", "sugar content"), but one that derives another quantity
        // from it ("population density", "claim rate") is not understood.
        let derived = [
            "density",
            "densities",
            "rate",
            "rates",
            "ratio",
            "ratios",
            "share",
            "shares",
            "proportion",
            "growth",
            "capita",
            "intensity",
            "concentration",
        ]
        .contains(&word.as_str());
        let after_column = found.columns.iter().any(|(_, w)| w.ends_with(before)) && !derived;
        let after_value = (before.chars().any(|c| c.is_ascii_digit()) && !compared_number)
            || found.values.iter().any(|(_, _, w)| w.ends_with(before))
            || after_column;
        let latin = word.chars().all(|c| !crate::lang::is_cjk(c));
        // A noun naming the rows ends its phrase: no value or column
        // follows it ("female assistant professors": "assistant" is part
        // of a value not found, not the rows' name).
        let end = at + word.len();
        let followed = text[end..].trim_start();
        // (A column said as a verb, "soldiers died of disease", follows
        // its subject: that noun names the rows.)
        let said_as_verb = |w: &str| {
            TITLE_VERBS
                .iter()
                .any(|(verbs, _)| verbs.iter().any(|v| w.starts_with(&format!("{v} "))))
        };
        let before_name = found
            .values
            .iter()
            .map(|(_, _, w)| w.as_str())
            .chain(
                found
                    .columns
                    .iter()
                    .map(|(_, w)| w.as_str())
                    .filter(|w| !said_as_verb(w)),
            )
            .any(|w| followed.starts_with(w));
        let zh_after = [
            "哪个", "哪家", "哪种", "多少", "几个", "几家", "有几", "各", "每", "的",
        ];
        // "小鸡数量", "公司的个数": a Chinese noun right before a word for
        // "how many" names what is counted.
        let zh_counted = !latin
            && ["数量", "的数量", "个数", "的个数", "总数", "的总数"]
                .iter()
                .any(|z| followed.starts_with(z));
        // "Japanese cars", "the most powerful car": a word describing the
        // noun that follows is no name of the rows; one the table does not
        // explain is not understood.
        // ("Japanese-made cars", "US-based firms": a word before "-made"
        // says where from.)
        let origin = ["-made", "-built", "-based", "-owned", "-produced", "-grown"]
            .iter()
            .any(|s| followed.starts_with(s));
        let adjective = [
            "ful", "ive", "ous", "able", "ible", "ese", "ian", "ish", "ean", "can", "ic", "less",
            "est",
        ]
        .iter()
        .any(|s| word.ends_with(s) && word.len() >= s.len() + 3)
            && followed
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .is_some_and(|n| n.chars().count() >= 3 && !crate::lang::is_stopword(n));
        // "Which Mercedes has the most horsepower?": a name written with
        // a capital inside the question that the table does not hold is
        // a thing not found, never the rows' noun.
        let proper = latin
            && at > 0
            && question.len() == text.len()
            && question[at..].starts_with(|c: char| c.is_uppercase())
            && !names_table(&word);
        let describes = latin && (origin || adjective || proper);
        // "美国产汽车": a Chinese noun right after a value names the rows
        // it is a value of.
        // "各类型汽车", "汽车价格": likewise right after a column's name
        // given for each of its values, or right before the figure named.
        let cjk_after_value = !latin
            && (found
                .values
                .iter()
                .any(|(_, _, w)| !w.is_empty() && text[..at].ends_with(w.as_str()))
                || found.columns.iter().any(|(_, w)| {
                    !w.is_empty()
                        && text[..at].ends_with(w.as_str())
                        && ["各", "每", "每种", "每个"]
                            .iter()
                            .any(|g| text[..at - w.len()].ends_with(g))
                })
                || found.columns.iter().any(|(_, w)| {
                    !w.is_empty() && text[at + word.len()..].starts_with(w.as_str())
                }));
        // "有多少次地震": a Chinese noun after 多少 or 几 and a measure word
        // names the rows.
        let zh_counted_with_measure = !latin && {
            let head = &text[..at];
            let head = head
                .strip_suffix(|c: char| crate::lang::is_cjk(c))
                .unwrap_or(head);
            head.ends_with("多少") || head.ends_with('几')
        };
        // (In Chinese a noun before the figure's name is whose figure it
        // is: "汽车价格".)
        let near = latin && near_value(&stem);
        let nounish = (!before_name || !latin)
            && !describes
            && !near
            && if latin {
                word.chars().count() >= 3 && !word.ends_with("ly")
            } else {
                word.chars().count() <= 3
                    && (cjk_after_value
                        || zh_counted
                        || zh_counted_with_measure
                        || zh_after
                            .iter()
                            .chain(super::WHICH_MEASURED)
                            .any(|z| text[..at].ends_with(z)))
            };
        // "Guinea pigs": the word right after the rows' noun is part of it.
        if row_noun.is_some()
            && latin
            && word.ends_with('s')
            && last_noun_end.is_some_and(|e| {
                text[e..at].trim().is_empty()
                    && text[..e].chars().next_back().is_some_and(|c| c.is_ascii())
            })
        {
            last_noun_end = Some(at + word.len());
            continue;
        }
        // "More than 1,000 soldiers died of disease": the noun before a
        // column said as a verb is who did what it counts.
        if latin
            && found
                .columns
                .iter()
                .any(|(_, w)| said_as_verb(w) && followed.starts_with(w.as_str()))
        {
            continue;
        }
        match &row_noun {
            Some(n) if *n == stem => continue,
            // A Chinese noun right after 多少, 哪个, 每 asks about the rows
            // ("多少天"); after 的 it may be a figure's name instead.
            None if nounish
                && ((!latin
                    && (cjk_after_value
                        || zh_counted
                        || zh_counted_with_measure
                        // Not after 各: "各地区" asks for each region, a
                        // grouping, not for the rows.
                        || ["多少", "几个", "哪个", "哪家", "哪种", "每"]
                            .iter()
                            .chain(super::WHICH_MEASURED)
                            .any(|z| text[..at].ends_with(z))))
                    || (ROW_NOUN_AFTER.contains(&before) && !placed)
                    || after_value
                    || before.is_empty()) =>
            {
                row_noun = Some(stem);
                last_noun_end = Some(at + word.len());
                continue;
            }
            _ => {}
        }
        if !found.unmatched.contains(&word) {
            found.unmatched.push(word);
        }
    }
    found
}

/// Parts of the question a plan leaves out: values it does not filter
/// on, columns it does not use, numbers it does not compare with.
pub fn ignored(plan: &Plan, found: &Found) -> Vec<String> {
    let (filters, used) = plan.parts();
    let names_rows = &found.names_rows;
    let mut out = Vec::new();
    let filtered = |column: &str, value: &str| {
        filters.iter().any(|f: &&Filter| {
            f.column == column
                && f.value
                    .split('\n')
                    .any(|v| v.trim().eq_ignore_ascii_case(value))
        })
    };
    for (column, value, words) in &found.values {
        // A value of the column the answer is grouped or labelled by
        // ("USA versus non-USA" by origin) is accounted for by the groups.
        if !filtered(column, value) && !used.contains(&column.as_str()) {
            out.push(words.clone());
        }
    }
    for (column, words) in &found.columns {
        // The column naming the rows ("companies", "states") says what the
        // rows are, whatever is computed over them.
        if names_rows.contains(column) {
            continue;
        }
        if !used.contains(&column.as_str()) && !filters.iter().any(|f| f.column == *column) {
            out.push(words.clone());
        }
    }
    for (n, words) in &found.numbers {
        let in_filter = filters.iter().any(|f| {
            f.value.split('\n').any(|v| {
                let v = v.trim();
                v.contains(&format!("{}", *n as i64))
                    || v.parse::<f64>().is_ok_and(|x| {
                        [1.0, 1e-3, 1e-6, 1e-9, 1e3, 1e-2, 100.0]
                            .iter()
                            .any(|s| (x - n * s).abs() < 1e-9 * n.abs().max(1.0))
                    })
            })
        });
        if !in_filter && !plan.uses_number(*n) {
            out.push(words.clone());
        }
    }
    out.dedup();
    out
}

/// Whether a function the question says (the reader's words for a mean
/// or a median: "average", "typical", "median", 平均, 中位数) is the one
/// the plan computes: a model's plan totalling
/// a column for "average share of ... by state" answers something else.
/// A question saying none, or saying two, leaves the plan free.
pub fn said_function_planned(question: &str, plan: &Plan) -> bool {
    let lower = question.to_lowercase();
    let said: Vec<Func> = [
        (Func::Mean, super::MEAN_WORDS),
        (Func::Median, super::MEDIAN_WORDS),
    ]
    .into_iter()
    .filter(|(_, words)| words.iter().any(|w| super::find_word(&lower, w).is_some()))
    .map(|(f, _)| f)
    .collect();
    let [one] = said.as_slice() else {
        return true;
    };
    match plan {
        Plan::Aggregate { func, .. }
        | Plan::Change { func, .. }
        | Plan::PercentChange { func, .. } => func == one,
        _ => false,
    }
}

/// Columns a plan uses that the question never named (by name, a value
/// of it, or as the rows' noun): a model's plan for "男生有多少人" that totals
/// `Age` answers something nobody asked. A table's only measure needs no
/// naming.
pub fn unasked(plan: &Plan, found: &Found, table: &Table) -> Vec<String> {
    let (filters, used) = plan.parts();
    let measures = table.columns.iter().filter(|c| c.kind.is_numeric()).count();
    let named = |c: &str| {
        found.columns.iter().any(|(n, _)| n == c)
            || found.values.iter().any(|(n, _, _)| n == c)
            || found.names_rows.iter().any(|n| n == c)
            || filters.iter().any(|f| f.column == c)
    };
    // Dates and years are named by the periods said ("per month", "in
    // 2008"), which the accounting reads as no column.
    let calendar = |c: &str| {
        table.column(c).is_some_and(|c| {
            c.kind.is_temporal()
                || [
                    "year", "quarter", "month", "date", "年份", "年", "季度", "月份",
                ]
                .contains(&plain_name(&c.name).as_str())
        })
    };
    used.iter()
        .filter(|c| !named(c) && !calendar(c))
        .filter(|c| !(measures == 1 && table.column(c).is_some_and(|c| c.kind.is_numeric())))
        .map(|c| c.to_string())
        .collect()
}

/// "By (the) number of X" said as "by X".
fn by_number_of(question: &str) -> String {
    let mut out = question.to_owned();
    for phrase in ["by the number of ", "by number of "] {
        while let Some(i) = out.to_lowercase().find(phrase) {
            out.replace_range(i..i + phrase.len(), "by ");
        }
    }
    out
}

/// How many of the table's columns have a plain name (see [`plain_name`])
/// meeting `pred`: whether a word or a part of a name says one column.
pub(crate) fn names_where(table: &Table, pred: impl Fn(&str) -> bool) -> usize {
    table
        .columns
        .iter()
        .filter(|o| pred(&plain_name(&o.name)))
        .count()
}
