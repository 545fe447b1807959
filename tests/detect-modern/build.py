"""Builds tests/detect-modern/samples.jsonl from the L2R data set.

L2R (Hao, Li, Zhao, Yang, Mao: "Learning to Rewrite: Generalized
LLM-Generated Text Detection", ACL 2025; github.com/ranhli/l2r_data,
CC BY 3.0) holds, for 21 kinds of text, 200 human passages and each
passage rewritten by four chat models (GPT-3.5-turbo, GPT-4o,
Gemini 1.5 Pro, Llama 3 70B). This script takes, from 19 of the kinds
(not Code, which is not prose, and not TravelTourism, whose files repeat
TechnicalWriting's), the same pair numbers in every kind, and for each
pair the human passage and one model's version, the model turning with
each pair taken so every model covers every kind. The output is in the
format of ../shared/detect-eval (id, text, label, domain, generator,
source); a pair's two texts share their number, so fitting and reporting
can keep a pair together and hold out one generator at a time.

It then adds student essays from OUTFOX (Koike, Kaneko, Okazaki, AAAI
2024; github.com/ryuryukke/OUTFOX, Apache-2.0, essays from the Kaggle
Feedback Prize corpus): for one problem statement, the essay a US
student in grades 6-12 wrote and the essays ChatGPT (gpt-3.5-turbo-0613),
text-davinci-003 and FLAN-T5-XXL wrote from the statement alone, so these
machine texts are written afresh, not rewritten. The validation split is
used, one model's essay per pair, turning as above. GPT-3.5-turbo is one
generator in both sources.

Gemini's files lack the passages it refused, so its versions are matched
to their passages by shared words (rewrite_of).

Usage: python3 build.py L2R_DIR OUTFOX_DIR [PAIRS_PER_KIND] [ESSAY_PAIRS]
(each a checkout or a bare git directory)
"""

import json
import os
import pickle
import subprocess
import sys

KINDS = [
    "AcademicResearch", "ArtCulture", "Business", "EducationMaterial",
    "Entertainment", "Environmental", "Finance", "FoodCusine",
    "GovernmentPublic", "LegalDocument", "LiteratureCreativeWriting",
    "MedicalText", "NewsArticle", "OnlineContent", "PersonalCommunication",
    "ProductReview", "Religious", "Sports", "TechnicalWriting",
]
MODELS = ["GPT-3-Turbo", "GPT-4o", "Gemini-1.5-Pro", "Llama-3-70B"]
SHORT = {"GPT-3-Turbo": "gpt35turbo", "GPT-4o": "gpt4o",
         "Gemini-1.5-Pro": "gemini15pro", "Llama-3-70B": "llama3x70b"}
# Longest text kept, in characters: the detector reads about 1,000 tokens
# in a window, and long texts only make the evaluation slow.
MAX_CHARS = 2400
MIN_WORDS = 50


def load(root, path):
    # A checkout, or a bare git directory (a mirror) read at HEAD.
    if os.path.isfile(os.path.join(root, path)):
        with open(os.path.join(root, path), "rb") as f:
            raw = f.read()
    else:
        raw = subprocess.check_output(["git", "-C", root, "show", "HEAD:" + path])
    data = json.loads(raw)
    return list(data.values()) if isinstance(data, dict) else list(data)


def trim(text):
    text = text.strip()
    if len(text) <= MAX_CHARS:
        return text
    cut = text[:MAX_CHARS]
    end = max(cut.rfind(". "), cut.rfind(".\n"))
    return cut[: end + 1] if end > MAX_CHARS // 2 else cut


def words(text):
    return set(text.lower().split())


def rewrite_of(human, n, rewrites):
    """The model's version of human passage n. Most files keep the human
    file's order; Gemini's skip the passages it refused, so its n-th text
    can belong to an earlier passage: take the one nearest n that shares
    the most words with the passage, and none when nothing shares enough."""
    best, best_share = None, 0.0
    theirs = words(human)
    for text in rewrites[max(0, n - 60) : n + 1]:
        mine = words(str(text))
        share = len(theirs & mine) / max(1, len(theirs | mine))
        if share > best_share:
            best, best_share = str(text), share
    return best if best_share >= 0.2 else None


ESSAY_MODELS = [("chatgpt", "gpt35turbo"), ("text_davinci_003", "davinci003"),
                ("flan_t5_xxl", "flant5xxl")]


def essays(root, pairs):
    """Pairs of (human, machine) student essays from OUTFOX's validation split."""
    def pick(path):
        # The files are pickled lists of strings (the data set's own format).
        if os.path.isfile(os.path.join(root, path)):
            with open(os.path.join(root, path), "rb") as f:
                return pickle.load(f)
        return pickle.loads(subprocess.check_output(["git", "-C", root, "show", "HEAD:" + path]))

    human = pick("data/common/valid/valid_humans.pkl")
    machine = {m: pick(f"data/{m}/valid/valid_lms.pkl") for m, _ in ESSAY_MODELS}
    out = []
    for n in range(len(human)):
        if len(out) == 2 * pairs:
            break
        folder, short = ESSAY_MODELS[(len(out) // 2) % len(ESSAY_MODELS)]
        h, a = str(human[n]).strip(), str(machine[folder][n]).strip()
        if min(len(h.split()), len(a.split())) < MIN_WORDS:
            continue
        base = f"essay-{short}-{n:03d}"
        source = f"ryuryukke/OUTFOX data/{{common,{folder}}}/valid [{n}]"
        for suffix, text, label in (("h", h, "human"), ("a", a, "ai")):
            out.append({"id": f"{base}-{suffix}", "text": trim(text), "label": label,
                        "domain": "essay", "generator": short, "source": source})
    return out


def main():
    root = sys.argv[1]
    outfox = sys.argv[2]
    per_kind = int(sys.argv[3]) if len(sys.argv) > 3 else 24
    essay_pairs = int(sys.argv[4]) if len(sys.argv) > 4 else 96
    out = []
    for kind in KINDS:
        human = load(root, f"{kind}/human.json")
        machine = {m: load(root, f"{kind}/{m}.json") for m in MODELS}
        taken = 0
        # Pair numbers spread over the file in a fixed order.
        for n in [(i * 37) % 200 for i in range(200)]:
            if taken == per_kind:
                break
            model = MODELS[(taken + KINDS.index(kind)) % len(MODELS)]
            h = str(human[n])
            a = rewrite_of(h, n, machine[model])
            if a is None:
                continue
            if min(len(h.split()), len(a.split())) < MIN_WORDS:
                continue
            domain = kind.lower()
            base = f"{domain}-{SHORT[model]}-{n:03d}"
            source = f"ranhli/l2r_data {kind}/{{human,{model}}}.json [{n}]"
            out.append({"id": base + "-h", "text": trim(h), "label": "human",
                        "domain": domain, "generator": SHORT[model],
                        "source": source})
            out.append({"id": base + "-a", "text": trim(a), "label": "ai",
                        "domain": domain, "generator": SHORT[model],
                        "source": source})
            taken += 1
    out += essays(outfox, essay_pairs)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "samples.jsonl"), "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(out)} texts, {len(out) // 2} pairs")


if __name__ == "__main__":
    main()
