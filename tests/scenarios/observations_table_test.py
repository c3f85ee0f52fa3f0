#!/usr/bin/env python3
"""Checks scenarios/data/observations.csv, the table of dated observations.

Usage:
    observations_table_test.py [SOURCE_DIR] [--table PATH]

SOURCE_DIR is the repository root (default: two folders above this file). --table checks
another copy of the table against the repository's region lists, source copies and
docs/SOURCES.md (used to try deliberately broken copies). Without --table the script also runs
its self-test: a set of deliberately broken copies of the real table, each of which must be
rejected by the check that names the defect. Exit status 0 = every check passed.

Standard library only. The rules are described in scenarios/data/OBSERVATIONS.md.
"""

import argparse
import csv
import io
import re
import sys
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

COLUMNS = ["id", "month", "period", "region", "measure", "segment", "denominator", "payer",
           "value", "unit", "definition", "source", "label", "note"]

LABELS = {"EXACT", "QUOTED", "ESTIMATE"}

COUNT_UNITS = {"persons", "companies", "desa", "donors", "agencies", "months", "IDR"}

# measure -> units it may be given in
MEASURES = {
    # BPJS Ketenagakerjaan membership, stocks
    "active": {"persons"},
    "nonactive": {"persons"},
    "registered": {"persons"},
    "participants": {"persons"},
    "unprotected": {"persons"},
    "new_participants": {"persons"},
    "employers_registered": {"companies"},
    # membership shares
    "coverage_share": {"share"},
    "registered_share": {"share"},
    "uncovered_share": {"share"},
    # programmes that pay premiums for others
    "programme_members": {"persons"},
    "programme_listed": {"persons"},
    "programme_verified": {"persons"},
    "programme_months": {"months"},
    "target_attainment": {"share"},
    "sponsors": {"persons", "desa", "donors", "agencies"},
    "sponsor_share": {"share"},
    "civil_servants": {"persons"},
    "budget": {"IDR"},
    # stated targets, kept apart from observations
    "target_share": {"share"},
    "target_count": {"persons"},
    # population and labour force (BPS unless the definition says otherwise)
    "population": {"persons"},
    "working_age": {"persons"},
    "labour_force": {"persons"},
    "employed": {"persons"},
    "unemployed": {"persons"},
    "potential_workers": {"persons"},
    "participation_rate": {"share"},
    "unemployment_rate": {"share"},
    "employment_share": {"share"},
}

# measures whose rows say who pays (column payer)
PAYER_MEASURES = {"programme_members", "programme_listed", "programme_verified", "programme_months",
                  "sponsors", "sponsor_share", "budget"}

SEGMENTS = {
    # BPJS Ketenagakerjaan membership segments
    "all", "pu", "bpu", "jakon", "pmi", "vulnerable", "non_asn", "village_apparatus", "asn",
    "male", "female", "micro",
    # BPS employment groups
    "formal", "informal", "employee", "own_account", "employer_temporary", "employer_permanent",
    "unpaid_family", "casual_agri", "casual_nonagri", "agriculture", "age_15_59",
}

DENOMINATORS = {"employed", "labour_force", "working_age", "segment_workers", "potential_workers",
                "programme_target", "civil_servants", "unstated"}

PAYERS = {"apbd_kabkota", "apbd_province", "apbdes", "apbd+apbdes", "dbhcht", "dbh_sawit",
          "asn", "crowdfunding", "csr", "baznas"}

# Text that points outside the repository (the table must stand on its own).
OUTSIDE = re.compile(r"DOMAIN\.md|DESIGN\.md|STYLE\.md|\.\./shared|shared/(?:data|seeds)|/work/|"
                     r"\bseeds?/|seed file|\b\d{3}_[0-9a-f]{16}\.txt", re.IGNORECASE)

ID_REF = re.compile(r"(?<![\w.+-])((?:ID|\d{2}(?:\.\d{2})?(?:\+\d{2}(?:\.\d{2})?)*)-\d{4}-\d{2}-[a-z0-9-]*[a-z0-9])")

# Aug 2023 employment-status groups (they partition the employed).
STATUS_SEGMENTS = ["employee", "own_account", "employer_temporary", "employer_permanent",
                   "unpaid_family", "casual_agri", "casual_nonagri"]

EAST = ["75", "76", "81", "82", "91", "92", "93", "94", "95", "96"]


class Failures:
    def __init__(self):
        self.items = []

    def add(self, check, message):
        self.items.append((check, message))

    def checks(self):
        return {c for c, _ in self.items}


def half_unit(value):
    """Half the rounding unit implied by the trailing zeros of an integer count: a figure
    published as 41.56 million is stored as 41560000 and is good to +-5,000."""
    digits = str(int(value))
    zeros = len(digits) - len(digits.rstrip("0"))
    return Decimal(10) ** zeros / 2 if zeros else Decimal(0)


def read_codes(source_dir):
    codes = set()
    for name in ("provinces.csv", "regions.csv"):
        with open(source_dir / "scenarios" / "data" / name, newline="", encoding="utf-8") as f:
            codes.update(r["code"] for r in csv.DictReader(f))
    return codes


def parse_table(text, fail):
    """Returns the rows as dicts; file-level problems go to fail."""
    if text.startswith("\ufeff"):
        fail.add("format", "file starts with a byte-order mark")
        text = text[1:]
    if not text.endswith("\r\n"):
        fail.add("format", "file does not end with CRLF")
    # Line breaks outside quoted fields must be CRLF (RFC 4180); none of our fields spans lines.
    for number, line in enumerate(text.split("\r\n")[:-1], start=1):
        if "\n" in line or "\r" in line:
            fail.add("format", "line %d: line break other than CRLF" % number)
            break
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as e:
        fail.add("format", "not valid CSV: %s" % e)
        return []
    if not records or records[0] != COLUMNS:
        fail.add("format", "header must be exactly: " + ",".join(COLUMNS))
        return []
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if len(record) != len(COLUMNS):
            fail.add("format", "line %d: %d fields, expected %d" % (number, len(record), len(COLUMNS)))
            continue
        row = dict(zip(COLUMNS, record))
        row["_line"] = number
        rows.append(row)
    return rows


def check_rows(rows, codes, sources_md, fail):
    ids = defaultdict(list)
    for r in rows:
        where = "line %d (%s)" % (r["_line"], r["id"] or "no id")
        for column in ("id", "month", "period", "region", "measure", "segment", "value", "unit",
                       "definition", "source", "label"):
            if not r[column].strip():
                fail.add("required", "%s: empty %s" % (where, column))
        for column in COLUMNS:
            if r[column] != r[column].strip():
                fail.add("required", "%s: %s has surrounding whitespace" % (where, column))
            if OUTSIDE.search(r[column]):
                fail.add("outside", "%s: %s refers to a file outside the repository: %r"
                         % (where, column, OUTSIDE.search(r[column]).group(0)))
        ids[r["id"]].append(r["_line"])

        m = re.fullmatch(r"(\d{4})-(\d{2})", r["month"])
        if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2050:
            fail.add("month", "%s: month %r is not YYYY-MM between 2000-01 and 2050-12" % (where, r["month"]))

        if r["label"] not in LABELS:
            fail.add("label", "%s: label %r not in %s" % (where, r["label"], sorted(LABELS)))
        if r["label"] == "ESTIMATE" and not r["note"].strip():
            fail.add("label", "%s: an ESTIMATE needs its arithmetic in note" % where)

        units = MEASURES.get(r["measure"])
        if units is None:
            fail.add("vocabulary", "%s: unknown measure %r" % (where, r["measure"]))
        elif r["unit"] not in units:
            fail.add("vocabulary", "%s: unit %r not allowed for measure %s (allowed: %s)"
                     % (where, r["unit"], r["measure"], sorted(units)))
        parts = r["segment"].split("+")
        if any(p not in SEGMENTS for p in parts) or len(set(parts)) != len(parts):
            fail.add("vocabulary", "%s: segment %r not in the vocabulary" % (where, r["segment"]))
        if r["unit"] == "share":
            if r["denominator"] not in DENOMINATORS:
                fail.add("vocabulary", "%s: a share needs a denominator from %s, not %r"
                         % (where, sorted(DENOMINATORS), r["denominator"]))
        elif r["denominator"]:
            fail.add("vocabulary", "%s: denominator given for a count (%s)" % (where, r["unit"]))
        if r["payer"] and r["payer"] not in PAYERS:
            fail.add("vocabulary", "%s: unknown payer %r" % (where, r["payer"]))
        if r["measure"] in PAYER_MEASURES and not r["payer"]:
            fail.add("vocabulary", "%s: %s needs a payer" % (where, r["measure"]))

        try:
            v = Decimal(r["value"])
            if not v.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            fail.add("value", "%s: value %r is not a number" % (where, r["value"]))
        else:
            r["_v"] = v
            if r["unit"] == "share" and not Decimal(0) <= v <= Decimal(2):
                fail.add("value", "%s: share %s outside [0, 2]" % (where, v))
            if r["unit"] in COUNT_UNITS and (v < 0 or v != v.to_integral_value() or "." in r["value"]):
                fail.add("value", "%s: %s must be a non-negative integer, not %r" % (where, r["unit"], r["value"]))
            if r["unit"] == "months" and not 1 <= v <= 12:
                fail.add("value", "%s: months %s outside 1..12" % (where, v))

        if r["region"] != "ID":
            parts = r["region"].split("+")
            unknown = [p for p in parts if p not in codes]
            if unknown or len(set(parts)) != len(parts):
                fail.add("region", "%s: region %r has codes not in provinces.csv/regions.csv: %s"
                         % (where, r["region"], unknown or "duplicates"))

        prefix = "%s-%s-%s-%s" % (r["region"], r["month"], r["measure"].replace("_", "-"),
                                  r["segment"].replace("_", "-").replace("+", "-"))
        if not (r["id"] == prefix or r["id"].startswith(prefix + "-")):
            fail.add("id", "%s: id must start with %r" % (where, prefix))

        for citation in r["source"].split("; "):
            outlet = citation.split(",")[0].strip()
            if outlet and outlet not in sources_md:
                fail.add("sources", "%s: source %r is not listed in docs/SOURCES.md" % (where, outlet))

    for ident, lines in ids.items():
        if len(lines) > 1:
            fail.add("id", "id %r on lines %s" % (ident, lines))
    for r in rows:
        for ref in ID_REF.findall(r["note"] + " " + r["definition"]):
            if ref not in ids:
                fail.add("id", "line %d (%s): note names row %r, which does not exist" % (r["_line"], r["id"], ref))

    groups = defaultdict(list)
    for r in rows:
        groups[(r["region"], r["month"], r["measure"], r["segment"])].append(r)
    for key, group in groups.items():
        definitions = [g["definition"] for g in group]
        if len(set(definitions)) != len(definitions):
            fail.add("duplicate", "%s: %d rows with the same region, month, measure and segment "
                     "and the same definition (lines %s)" % (key, len(group), [g["_line"] for g in group]))


def index(rows):
    """(region, month, measure, segment) -> the only row's value, for keys with one row."""
    groups = defaultdict(list)
    for r in rows:
        if "_v" in r:
            groups[(r["region"], r["month"], r["measure"], r["segment"])].append(r["_v"])
    return {k: v[0] for k, v in groups.items() if len(v) == 1}


def check_sum(fail, name, total, parts, extra_tolerance=Decimal(0)):
    """total = sum(parts) within the rounding the stated digits imply."""
    tolerance = half_unit(total) + sum(half_unit(p) for p in parts) + extra_tolerance
    difference = abs(total - sum(parts))
    if difference > tolerance:
        fail.add("crosscheck", "%s: %s vs parts summing to %s (difference %s > tolerance %s)"
                 % (name, total, sum(parts), difference, tolerance))


def check_arithmetic(rows, source_dir, fail):
    v = index(rows)

    def need(*keys):
        missing = [k for k in keys if k not in v]
        for k in missing:
            fail.add("crosscheck", "expected exactly one row for %s" % (k,))
        return not missing

    # National BPJS Ketenagakerjaan series: segments add up to the total within rounding.
    for month, segments in [("2017-12", ["pu", "bpu"]), ("2018-12", ["pu+jakon", "bpu"]),
                            ("2021-11", ["pu", "bpu", "jakon"]), ("2023-12", ["pu", "bpu", "jakon"])]:
        keys = [("ID", month, "active", s) for s in ["all"] + segments]
        if need(*keys):
            check_sum(fail, "ID %s active = %s" % (month, " + ".join(segments)), v[keys[0]], [v[k] for k in keys[1:]])
    keys = [("ID", "2023-12", "nonactive", s) for s in ("all", "pu", "bpu")]
    if need(*keys):
        check_sum(fail, "ID 2023-12 nonactive = pu + bpu", v[keys[0]], [v[k] for k in keys[1:]])
    keys = [("ID", "2023-12", "active", s) for s in ("all", "male", "female")]
    if need(*keys):
        check_sum(fail, "ID 2023-12 active = male + female", v[keys[0]], [v[k] for k in keys[1:]])
    keys = [("ID", "2023-12", m, "all") for m in ("registered", "active", "nonactive")]
    if need(*keys):
        check_sum(fail, "ID 2023-12 registered = active + nonactive", v[keys[0]], [v[k] for k in keys[1:]])

    # Every province: registered = active + non-active, exactly (the province counts are exact).
    for (region, month, measure, segment), value in v.items():
        if measure == "registered" and segment == "all" and re.fullmatch(r"\d{2}", region):
            a, n = v.get((region, month, "active", "all")), v.get((region, month, "nonactive", "all"))
            if a is None or n is None:
                fail.add("crosscheck", "%s %s: registered without active and non-active" % (region, month))
            elif value != a + n:
                fail.add("crosscheck", "%s %s: registered %s != active %s + non-active %s" % (region, month, value, a, n))

    # Dec 2023 by province: 28 published + the estimated 10 = national, within the national rounding.
    east_region = "+".join(EAST)
    with open(source_dir / "scenarios/data/sources/bpjstk_active_nonactive_by_province_2023-12_partial.csv",
              newline="", encoding="utf-8") as f:
        published = list(csv.DictReader(f))
    for measure, column in [("active", "peserta_aktif_2023_12"), ("nonactive", "peserta_nonaktif_2023_12")]:
        for p in published:
            key = (p["kode_prov"], "2023-12", measure, "all")
            if v.get(key) != Decimal(p[column]):
                fail.add("transcription", "%s %s: table has %s, the source copy %s" % (p["kode_prov"], measure, v.get(key), p[column]))
        if not need(("ID", "2023-12", measure, "all"), (east_region, "2023-12", measure, "all")):
            continue
        listed = sum(Decimal(p[column]) for p in published)
        national = v[("ID", "2023-12", measure, "all")]
        aggregate = v[(east_region, "2023-12", measure, "all")]
        if abs(listed + aggregate - national) > half_unit(national):
            fail.add("crosscheck", "Dec 2023 %s: 28 provinces %s + the 10 missing %s != national %s within %s"
                     % (measure, listed, aggregate, national, half_unit(national)))
        east = [v.get((c, "2023-12", measure, "all")) for c in EAST]
        if None in east:
            fail.add("crosscheck", "Dec 2023 %s: an estimate is missing for one of %s" % (measure, EAST))
        elif sum(east) != aggregate:
            fail.add("crosscheck", "Dec 2023 %s: the 10 estimated provinces sum to %s, not %s" % (measure, sum(east), aggregate))
        provinces = {k[0] for k in v if k[1:] == ("2023-12", measure, "all") and re.fullmatch(r"\d{2}", k[0])}
        if len(provinces) != 38:
            fail.add("crosscheck", "Dec 2023 %s: %d provinces have a row, expected 38" % (measure, len(provinces)))

    # BPS formal share: every value of the source copy is in the table, and nothing else.
    expected = {}
    with open(source_dir / "scenarios/data/sources/bps_formal_worker_share_by_province_2020_2024.csv",
              newline="", encoding="utf-8") as f:
        for p in csv.DictReader(f):
            for year in range(2020, 2025):
                pct = p["pct_formal_%d" % year]
                if not pct:
                    continue
                region = "ID" if p["kode_prov"] == "00" else p["kode_prov"]
                if year <= 2023 and region == "91":
                    region = "91+93+94+95"  # Papua before the 2022 split
                if year <= 2023 and region == "92":
                    region = "92+96"  # Papua Barat before Papua Barat Daya
                expected[(region, "%d-08" % year)] = Decimal(pct) / 100
    table = {(k[0], k[1]): val for k, val in v.items()
             if k[2] == "employment_share" and k[3] == "formal" and k[1][:4] in {"2020", "2021", "2022", "2023", "2024"}
             and k[1].endswith("-08")}
    for key, val in expected.items():
        if table.get(key) != val:
            fail.add("transcription", "formal share %s %s: table has %s, the source copy %s" % (key[0], key[1], table.get(key), val))
    for key in table.keys() - expected.keys():
        fail.add("transcription", "formal share %s %s is in the table but not in the source copy" % key)

    # BPS labour force: employed + unemployed = labour force; formal + informal.
    for (region, month, measure, segment), value in v.items():
        if measure == "labour_force" and segment == "all":
            e, u = v.get((region, month, "employed", "all")), v.get((region, month, "unemployed", "all"))
            if e is not None and u is not None:
                check_sum(fail, "%s %s labour force = employed + unemployed" % (region, month), value, [e, u])
        if measure == "employment_share" and segment == "formal":
            informal = v.get((region, month, "employment_share", "informal"))
            if informal is not None and abs(value + informal - 1) > Decimal("0.0002"):
                fail.add("crosscheck", "%s %s: formal %s + informal %s share != 1" % (region, month, value, informal))
        if measure == "employed" and segment == "all":
            f_, i_ = v.get((region, month, "employed", "formal")), v.get((region, month, "employed", "informal"))
            if f_ is not None and i_ is not None:
                check_sum(fail, "%s %s employed = formal + informal" % (region, month), value, [f_, i_])
    status = [v.get(("ID", "2023-08", "employment_share", s)) for s in STATUS_SEGMENTS]
    if None in status:
        fail.add("crosscheck", "Aug 2023 employment status: a group is missing")
    elif abs(sum(status) - 1) > Decimal("0.0005"):
        fail.add("crosscheck", "Aug 2023 employment status shares sum to %s, not 1" % sum(status))

    # Regionally funded vulnerable workers, Dec 2024: the five provinces within the national total.
    national = v.get(("ID", "2024-12", "programme_members", "vulnerable"))
    top = [val for (region, month, measure, segment), val in v.items()
           if month == "2024-12" and measure == "programme_members" and segment == "vulnerable"
           and re.fullmatch(r"\d{2}", region)]
    if national is None or len(top) != 5 or sum(top) > national:
        fail.add("crosscheck", "Dec 2024 funded vulnerable workers: 5 provinces %s must not exceed the national %s" % (top, national))


def run(table_text, source_dir):
    fail = Failures()
    codes = read_codes(source_dir)
    sources_md = (source_dir / "docs" / "SOURCES.md").read_text(encoding="utf-8")
    rows = parse_table(table_text, fail)
    if rows:
        check_rows(rows, codes, sources_md, fail)
        check_arithmetic(rows, source_dir, fail)
    elif not fail.items:
        fail.add("required", "the table has no rows")
    return fail, rows


def replace_field(text, row_id, column, new):
    """The table text with one field of one row replaced."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    i = COLUMNS.index(column)
    for record in records:
        if record and record[0] == row_id:
            record[i] = new
            break
    else:
        raise KeyError(row_id)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(records)
    return out.getvalue()


def self_test(text, source_dir):
    """Deliberately broken copies of the real table; each must fail the named check."""
    first_row = next(csv.reader(io.StringIO(text.split("\r\n")[1], newline="")))
    cases = [
        ("typo in a transcribed province count", "transcription",
         replace_field(text, "33-2023-12-active-all", "value", "3947423")),
        ("national BPU inflated", "crosscheck",
         replace_field(text, "ID-2023-12-active-bpu", "value", "9910000")),
        ("a label outside the set", "label", replace_field(text, first_row[0], "label", "GUESS")),
        ("an ESTIMATE without its arithmetic", "label",
         replace_field(text, "13.73-2024-08-employed-all", "note", "")),
        ("an unknown measure", "vocabulary", replace_field(text, first_row[0], "measure", "coverage")),
        ("a share above 2", "value", replace_field(text, "13.73-2024-03-coverage-share-all", "value", "10.5")),
        ("a month that does not exist", "month", replace_field(text, first_row[0], "month", "2024-13")),
        ("an unknown region code", "region",
         replace_field(text, "33.71-2024-10-registered-share-all", "region", "33.99")),
        ("a duplicated row", "id", text + text.split("\r\n")[1] + "\r\n"),
        ("a reference outside the repository", "outside",
         replace_field(text, first_row[0], "note", "see " + "DOMAIN" + ".md section 3")),
        ("a province's registered count off by one", "crosscheck",
         replace_field(text, "34-2023-12-registered-all", "value", "749079")),
        ("two rows with the same key and definition", "duplicate",
         replace_field(text, "34-2024-12-target-share-all-feb", "definition",
                       next(r for r in csv.reader(io.StringIO(text, newline=""))
                            if r and r[0] == "34-2024-12-target-share-all")[COLUMNS.index("definition")])),
        ("LF line endings", "format", text.replace("\r\n", "\n")),
        ("no rows", "required", text.split("\r\n")[0] + "\r\n"),
    ]
    problems = []
    for name, check, broken in cases:
        fail, _ = run(broken, source_dir)
        if check not in fail.checks():
            problems.append("self-test: a copy with %s passed check %r (failed only %s)"
                            % (name, check, sorted(fail.checks()) or "nothing"))
    return problems, len(cases)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source_dir", nargs="?", default=str(Path(__file__).resolve().parents[2]))
    parser.add_argument("--table", help="check this copy of the table instead of the repository's")
    args = parser.parse_args()
    source_dir = Path(args.source_dir)
    path = Path(args.table) if args.table else source_dir / "scenarios" / "data" / "observations.csv"
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print("FAIL [format] %s is not UTF-8: %s" % (path, e))
        return 1
    fail, rows = run(text, source_dir)
    for check, message in fail.items:
        print("FAIL [%s] %s" % (check, message))
    status = 1 if fail.items else 0
    if not args.table and not fail.items:
        problems, n = self_test(text, source_dir)
        for p in problems:
            print("FAIL [self-test] " + p)
        status = 1 if problems else 0
        print("self-test: %d broken copies, %d rejected as expected" % (n, n - len(problems)))
    print("%s: %d rows, %s" % (path, len(rows), "ok" if status == 0 else "%d problems" % len(fail.items)))
    return status


if __name__ == "__main__":
    sys.exit(main())
