#!/usr/bin/env python3
"""The second reading of the faithfulness evaluation, written apart from
Deskpilot's check (crates/core/src/support.rs) and stricter than it:

- every run of digits in a point must stand in the cited text, written the
  same way once separators are removed (42,000 = 42000; 42k is NOT 42,000
  here, nor is "twelve" 12, nor is a rounding accepted);
- every capitalised word, at the start of a sentence too (unless it is a
  function word), must stand in the cited text as a word or a word's start
  (two letters of inflection allowed);
- month and weekday names, negations and words for a change of state must
  stand in the cited text;
- in Chinese, digits, negation characters and change words likewise.

With --english-openers, a word opening a sentence that reads as ordinary
English ("However", "Describing", "It's", "I") is not taken for a name.

Reads the JSON lines of faithfulness_eval and prints, per run (before: the
model's points as written; after: what Deskpilot shows), the share of
points with a detail their cited passages lack by each reading, and the
share of points this reading finds supported that the check dropped.
With --list, also prints each point shown after the check that this
reading flags, with its document and the details it lacks.
Usage: judge.py [--english-openers] [--list] FILE [FILE ...]
"""
import json
import re
import sys
from collections import defaultdict

FUNCTION = set("""a an the this that these those it its in on at of for to from by with and or but
as is are was were be been has have had will would can could may might should do does did not no
he she they we you i his her their our your there here when where which who what how why if then
than so such also after before during while over under about into out up down one two three each
all some any many most more less both either neither""".split())
NEGATIONS = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"}
CHANGES = ["postpon", "delay", "cancel", "suspend", "terminat", "withdr", "reject", "deni", "deny",
           "halt", "resign", "banned", "revers", "abandon", "scrap", "defer", "revok", "recall",
           "dismiss", "fired", "sacked", "bankrupt", "veto", "overturn", "closed", "shut"]
CJK_NEG = "不没未无非"
CJK_CHANGES = ["取消", "推迟", "延期", "暂停", "终止", "撤回", "拒绝", "否决", "辞职", "禁止", "放弃", "破产"]
DATES = {m for m in """january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday""".split()}


def norm_digits(text):
    return re.sub(r"(?<=\d)[,\s\u00a0'](?=\d{3}\b)", "", text)


def words(text):
    # One apostrophe for both spellings: "We’ve" is "We've".
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.lower().replace("’", "'"))


# Words that open English sentences without naming anything: discourse
# words and the pronoun I. With --english-openers, such a word (and a
# gerund, an -ly adverb or a contraction) opening a sentence is not read
# as a name; by default every capitalised word is.
OPENERS = set("""however moreover furthermore additionally also overall meanwhile therefore thus
instead finally first second third lastly then today yesterday now still yet indeed besides
although though because since unless while despite many several some most other another each
every both these those such i""".split())
ENGLISH_OPENERS = "--english-openers" in sys.argv


def ordinary_opener(point, start, word):
    """Whether `word` at `start` opens a sentence and reads as ordinary
    English (only with --english-openers)."""
    if not ENGLISH_OPENERS:
        return False
    before = point[:start].rstrip(" \"'“‘(")
    opens = not before or before[-1] in ".!?:;"
    lower = word.lower().replace("’", "'")
    plain = lower.endswith(("ing", "ly")) or "'" in lower or lower in OPENERS
    return opens and plain


def unsupported(point, cited):
    """The details of `point` that `cited` lacks, by this reading."""
    out = []
    cited_digits = set(re.findall(r"\d+(?:\.\d+)?", norm_digits(cited)))
    for n in re.findall(r"\d+(?:\.\d+)?", norm_digits(point)):
        if n not in cited_digits:
            out.append(n)
    cited_words = set(words(cited))
    low = cited.lower()

    def present(w):
        w = w.lower().replace("’", "'")
        w = re.sub(r"'s$", "", w)
        if w in cited_words:
            return True
        return any(c.startswith(w[: max(3, len(w) - 2)]) and abs(len(c) - len(w)) <= 2 for c in cited_words)

    for m in re.finditer(r"\b[A-Z][\w'’-]*", point):
        w = m.group(0)
        if ordinary_opener(point, m.start(), w):
            continue
        for part in w.split("-"):
            if not part or part.lower() in FUNCTION or part.isdigit():
                continue
            if not present(part):
                out.append(part)
    for w in words(point):
        if w in DATES and w != "may" and not present(w):
            out.append(w)
        if (w in NEGATIONS or w.endswith("n't")) and not any(x in cited_words or x in low for x in NEGATIONS | {"n't"}):
            out.append(w)
        for stem in CHANGES:
            if w.startswith(stem) and not any(c.startswith(stem) for c in cited_words):
                out.append(w)
    for ch in CJK_NEG:
        if ch in point and not any(c in cited for c in CJK_NEG):
            out.append(ch)
    for c in CJK_CHANGES:
        if c in point and c not in cited:
            out.append(c)
    return sorted(set(out))


def main(paths):
    rows = [json.loads(l) for p in paths for l in open(p, encoding="utf-8") if l.strip()]
    by = defaultdict(lambda: {"points": 0, "judge": 0, "check": 0})
    cited_of = {}
    for r in rows:
        r.setdefault("task", "summary")
    for r in rows:
        if r["run"] not in ("before", "after"):
            continue
        task = r["task"]
        for key in [(r["model"], r["run"], f"{task}: all"), (r["model"], r["run"], f"{task}: {r['kind']}")]:
            s = by[key]
            s["points"] += 1
            s["judge"] += bool(unsupported(r["point"], r["cited"]))
            s["check"] += bool(r["check_missing"])
        if r["run"] == "before":
            cited_of[(r["model"], task, r["doc"], r["point"])] = r["cited"]
    print("| model | run | kind | points | with an unsupported detail (judge) | (check) |")
    print("|---|---|---|---:|---:|---:|")
    order = lambda kv: (kv[0][0], kv[0][2].split(":")[0] != "summary", not kv[0][2].endswith(": all"), kv[0][2], kv[0][1] != "before")
    for (model, run, kind), s in sorted(by.items(), key=order):
        n = s["points"]
        print(f"| {model} | {run} | {kind} | {n} | {s['judge']} ({100 * s['judge'] / max(n, 1):.1f}%) | {s['check']} ({100 * s['check'] / max(n, 1):.1f}%) |")
    # Points the check dropped that this reading finds supported.
    for model, task in sorted({(r["model"], r["task"]) for r in rows}):
        mine = [r for r in rows if r["model"] == model and r["task"] == task]
        dropped = [r for r in mine if r["run"] == "checked" and r["outcome"] == "dropped"]
        rewritten = [r for r in mine if r["run"] == "checked" and r["outcome"] == "rewritten"]
        supported_before = sum(1 for r in mine if r["run"] == "before" and not unsupported(r["point"], r["cited"]))
        wrong = [r for r in dropped if (model, task, r["doc"], r["point"]) in cited_of
                 and not unsupported(r["point"], cited_of[(model, task, r["doc"], r["point"])])]
        what = "points" if task == "summary" else "answer sentences"
        print(f"\n{model}, {task}: the check rewrote {len(rewritten)} and dropped {len(dropped)} {what}; "
              f"of the {supported_before} the judge finds supported before, {len(wrong)} were dropped "
              f"({100 * len(wrong) / max(supported_before, 1):.1f}%).")
    if "--list" in sys.argv:
        print("\nFlagged after the check:")
        for r in rows:
            if r["run"] == "after":
                lacks = unsupported(r["point"], r["cited"])
                if lacks:
                    print(f"- [{r['task']}, {r['kind']}, {r['doc']}] {r['point']!r} lacks {lacks}")


if __name__ == "__main__":
    main([a for a in sys.argv[1:] if not a.startswith("--")])
