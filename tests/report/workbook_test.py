#!/usr/bin/env python3
"""The Excel workbooks of `--xlsx` against the CSV files written beside them.

    python3 tests/report/workbook_test.py ULCSIM SCENARIO_DIR run|forecast|compare|sweep|target|refusals

An .xlsx file is a zip of XML: this reads it with the standard library alone (zipfile and
xml.etree), so the test needs nothing installed. For each command on kota-magelang-2025 with
4 replicates it checks that the workbook has the command's sheets in order; that every sheet
copied from a CSV has the CSV's rows, texts equal, numbers stored as numbers (never as text)
and equal to the CSV's to 1e-9 (relative), months stored as dates with a yyyy-mm format; that
the header row is frozen; and that the planner's summary agrees with the CSV figures it
restates. `refusals` checks the bad outputs: a missing folder, a folder that cannot be written,
a name not ending in .xlsx, an input (through a symbolic link) and the command's own -o, each
refused with exit status 2 and a message, and nothing written.

Exit status 0 when everything holds, 1 otherwise.
"""

import csv
import datetime
import math
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats Excel does not write out (ECMA-376 Part 1, 18.8.30), those used here.
BUILT_IN = {0: "General", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 49: "@"}
EXCEL_EPOCH = datetime.date(1899, 12, 30)
TOLERANCE = 1e-9

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


class Cell:
    def __init__(self, kind, value, number_format):
        self.kind = kind  # "number", "text" or "empty"
        self.value = value
        self.number_format = number_format

    def is_date(self):
        return self.kind == "number" and "yy" in self.number_format and "mm" in self.number_format

    def month(self):
        day = EXCEL_EPOCH + datetime.timedelta(days=self.value)
        return f"{day.year:04d}-{day.month:02d}" if day.day == 1 else None


def column_index(reference):
    letters = re.match(r"[A-Z]+", reference).group(0)
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


class Workbook:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        names = self.zip.namelist()
        self.shared = []
        if "xl/sharedStrings.xml" in names:
            for item in ET.fromstring(self.zip.read("xl/sharedStrings.xml")).iter(MAIN + "si"):
                self.shared.append("".join(t.text or "" for t in item.iter(MAIN + "t")))
        styles = ET.fromstring(self.zip.read("xl/styles.xml"))
        custom = {int(f.get("numFmtId")): f.get("formatCode")
                  for f in styles.iter(MAIN + "numFmt")}
        self.formats = []
        for xf in styles.find(MAIN + "cellXfs").iter(MAIN + "xf"):
            code = int(xf.get("numFmtId", "0"))
            self.formats.append(custom.get(code, BUILT_IN.get(code, f"builtin {code}")))
        relations = {r.get("Id"): r.get("Target") for r in
                     ET.fromstring(self.zip.read("xl/_rels/workbook.xml.rels")).iter(
                         PACKAGE_REL + "Relationship")}
        self.sheets = {}
        self.order = []
        for sheet in ET.fromstring(self.zip.read("xl/workbook.xml")).iter(MAIN + "sheet"):
            target = relations[sheet.get(REL + "id")].lstrip("/")
            self.sheets[sheet.get("name")] = target if target.startswith("xl/") else "xl/" + target
            self.order.append(sheet.get("name"))

    def xml(self, name):
        return ET.fromstring(self.zip.read(self.sheets[name]))

    def rows(self, name):
        """The sheet's rows as lists of Cell, the header row included."""
        rows = []
        for row in self.xml(name).iter(MAIN + "row"):
            cells = {}
            for c in row.iter(MAIN + "c"):
                kind = c.get("t", "n")
                style = self.formats[int(c.get("s", "0"))]
                v = c.find(MAIN + "v")
                if kind == "s":
                    cell = Cell("text", self.shared[int(v.text)], style)
                elif kind == "inlineStr":
                    cell = Cell("text", "".join(t.text or "" for t in c.iter(MAIN + "t")), style)
                elif kind in ("str", "b", "e"):
                    cell = Cell("text", v.text if v is not None else "", style)
                elif v is None:
                    cell = Cell("empty", None, style)
                else:
                    cell = Cell("number", float(v.text), style)
                cells[column_index(c.get("r"))] = cell
            width = max(cells) + 1 if cells else 0
            rows.append([cells.get(i, Cell("empty", None, "")) for i in range(width)])
        return rows

    def frozen_header(self, name):
        pane = self.xml(name).find(f"{MAIN}sheetViews/{MAIN}sheetView/{MAIN}pane")
        return pane is not None and pane.get("ySplit") == "1" and pane.get("state") == "frozen"


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def close(a, b):
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=1e-12)


def same_as_csv(book, sheet, csv_path, numeric_columns=None):
    """The sheet holds the CSV's rows: texts as texts, months as dates, numbers as numbers."""
    table = read_csv(csv_path)
    rows = book.rows(sheet)
    where = f"{sheet} vs {os.path.basename(csv_path)}"
    check(book.frozen_header(sheet), f"{sheet}: the header row is not frozen")
    if not check(len(rows) == len(table), f"{where}: {len(rows)} rows, the CSV {len(table)}"):
        return
    check(len(rows[0]) == len(table[0]), f"{where}: {len(rows[0])} columns, the CSV {len(table[0])}")
    for header in rows[0]:
        check(header.kind == "text", f"{where}: a header is not text")
    numbers = dates = 0
    for r in range(1, len(rows)):
        for c, expected in enumerate(table[r]):
            cell = rows[r][c] if c < len(rows[r]) else Cell("empty", None, "")
            at = f"{where}: row {r + 1}, column {c + 1} ({table[0][c]})"
            if expected == "":
                check(cell.kind == "empty", f"{at}: {cell.value!r}, the CSV is empty")
            elif re.fullmatch(r"\d{4}-\d{2}", expected):
                if check(cell.is_date(), f"{at}: {cell.value!r} is not a date ({cell.number_format})"):
                    check(cell.month() == expected, f"{at}: {cell.month()}, the CSV {expected}")
                    dates += 1
            elif numeric_columns is not None and c not in numeric_columns:
                check(cell.kind == "text" and cell.value == expected,
                      f"{at}: {cell.value!r}, the CSV {expected!r}")
            else:
                try:
                    value = float(expected)
                except ValueError:
                    check(cell.kind == "text" and cell.value == expected,
                          f"{at}: {cell.value!r}, the CSV {expected!r}")
                    continue
                if check(cell.kind == "number", f"{at}: {cell.value!r} is not a number"):
                    check(close(cell.value, value), f"{at}: {cell.value!r}, the CSV {expected}")
                    numbers += 1
    check(numbers > 0, f"{where}: no number compared")
    return numbers, dates


def summary_rows(book):
    """Summary sheet rows by (scenario, figure): (month cell, mean, p05, p95)."""
    out = {}
    for row in book.rows("Summary")[1:]:
        cells = row + [Cell("empty", None, "")] * (9 - len(row))
        out[(cells[0].value, cells[2].value)] = cells
    return out


def run(command, expect=0):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != expect:
        failures.append(f"{' '.join(command)}: exit {result.returncode}, expected {expect}\n"
                        f"{result.stderr[-2000:]}")
    return result


def test_run(ulcsim, scenarios, tmp):
    scenario = os.path.join(scenarios, "kota-magelang-2025.toml")
    out = os.path.join(tmp, "run.h5")
    xlsx = os.path.join(tmp, "run.xlsx")
    run([ulcsim, "run", scenario, "--replicates", "4", "-q", "-o", out, "--xlsx", xlsx])
    if failures:
        return
    book = Workbook(xlsx)
    check(book.order == ["Summary", "Coverage", "Programmes"], f"run: sheets {book.order}")
    summary_csv = os.path.join(tmp, "run.summary.csv")
    programmes_csv = os.path.join(tmp, "run.programmes.csv")
    same_as_csv(book, "Coverage", summary_csv, numeric_columns=set(range(5, 32)))
    same_as_csv(book, "Programmes", programmes_csv, numeric_columns=set(range(3, 24)))
    # Percentages are shares with a % format; rupiah and workers with thousands.
    header = [c.value for c in book.rows("Coverage")[0]]
    first = book.rows("Coverage")[1]
    for c, name in enumerate(header):
        if name.startswith("coverage rate"):
            check("%" in first[c].number_format, f"Coverage: {name} has no % format")
            check(name.endswith("(%)"), f"Coverage: {name} does not name its units")
        if name.endswith("(Rp)") or name.endswith("(workers)"):
            check("#,##0" in first[c].number_format, f"Coverage: {name}: {first[c].number_format}")

    # The summary restates the CSV's figures: the whole area, all segments.
    table = read_csv(summary_csv)
    head = table[0]
    nation = [r for r in table[1:] if r[0] == "nation" and r[3] == "all"]
    last = nation[-1]
    s = summary_rows(book)
    name = "kota-magelang-2025"
    end = s[(name, "covered workers, last month")]
    check(end[3].is_date() and end[3].month() == last[4], "Summary: the last month is not a date")
    check(close(end[4].value, float(last[head.index("covered_mean")])),
          f"Summary: covered workers {end[4].value}, the CSV {last[head.index('covered_mean')]}")
    for column, statistic in ((5, "covered_p05"), (6, "covered_p95")):
        check(close(end[column].value, float(last[head.index(statistic)])),
              f"Summary: {statistic} {end[column].value}, the CSV {last[head.index(statistic)]}")
    coverage = s[(name, "coverage of resident workers, last month")]
    check(close(coverage[4].value, float(last[head.index("coverage_rate_mean")])),
          f"Summary: coverage {coverage[4].value}, the CSV {last[head.index('coverage_rate_mean')]}")
    check("%" in coverage[4].number_format, "Summary: coverage has no % format")
    programmes = read_csv(programmes_csv)
    spent = programmes[0].index("spent_idr_mean")
    total = sum(float(r[spent]) for r in programmes[1:] if r[0] == "kota-magelang-apbd")
    money = s[(name, "programme kota-magelang-apbd")]
    check(total > 0 and close(money[4].value, total),
          f"Summary: programme rupiah {money[4].value}, the programmes CSV sums to {total}")
    check(money[4].number_format == "#,##0", f"Summary: rupiah as {money[4].number_format}")
    check((name, "probability of reaching it within the run") in s, "Summary: no ULC rows")


def test_forecast(ulcsim, scenarios, tmp):
    scenario = os.path.join(scenarios, "kota-magelang-2025.toml")
    out = os.path.join(tmp, "forecast.h5")
    xlsx = os.path.join(tmp, "forecast.xlsx")
    run([ulcsim, "forecast", scenario, "--replicates", "4", "--threshold", "0.2", "-q", "-o",
         out, "--xlsx", xlsx])
    if failures:
        return
    book = Workbook(xlsx)
    check(book.order == ["Summary", "Forecast", "Coverage", "Programmes"],
          f"forecast: sheets {book.order}")
    same_as_csv(book, "Forecast", os.path.join(tmp, "forecast.forecast.csv"),
                numeric_columns={3, 5, 11, 12} | set(range(13, 40)))
    same_as_csv(book, "Coverage", os.path.join(tmp, "forecast.summary.csv"),
                numeric_columns=set(range(5, 32)))
    same_as_csv(book, "Programmes", os.path.join(tmp, "forecast.programmes.csv"),
                numeric_columns=set(range(3, 24)))
    threshold = [r for r in summary_rows(book).items() if r[0][1] == "threshold"]
    check(len(threshold) == 1 and close(threshold[0][1][4].value, 0.2),
          f"forecast: the summary's threshold is not 20%: {threshold}")


def test_compare(ulcsim, scenarios, tmp):
    # The 2024 programme (6 months) against its renewal for 2025, over the same 36 months.
    out = os.path.join(tmp, "compare.h5")
    xlsx = os.path.join(tmp, "compare.xlsx")
    run([ulcsim, "compare", os.path.join(scenarios, "kota-magelang-2024.toml"),
         os.path.join(scenarios, "kota-magelang-2025.toml"), "--replicates", "4", "-q", "-o", out,
         "--xlsx", xlsx])
    if failures:
        return
    book = Workbook(xlsx)
    check(book.order == ["Summary", "Comparison", "Measures"], f"compare: sheets {book.order}")
    table = read_csv(os.path.join(tmp, "compare.csv"))
    same_as_csv(book, "Measures", os.path.join(tmp, "compare.csv"),
                numeric_columns=set(range(3, 9)))
    head = table[0]
    scenarios_in = []
    for r in table[1:]:
        if r[2] not in scenarios_in:
            scenarios_in.append(r[2])
    base_name, other = scenarios_in[0], scenarios_in[1]
    worker_months = [r for r in table[1:] if r[0] == "covered_worker_months" and r[2] == other][0]
    expected = float(worker_months[head.index("difference_mean")])
    # Every month's added workers add up to the added worker-months compare reports.
    monthly = book.rows("Comparison")
    check(book.frozen_header("Comparison"), "Comparison: the header row is not frozen")
    months = [row for row in monthly[1:] if row[0].value == other]
    check(len(months) == 36, f"Comparison: {len(months)} months of {other}, expected 36")
    check(all(row[1].value == base_name and row[2].is_date() for row in months),
          "Comparison: a row is not against the base, or its month not a date")
    added = sum(row[3].value for row in months)
    check(close(added, expected),
          f"Comparison: the months add up to {added} worker-months, the CSV says {expected}")
    s = summary_rows(book)
    total = s[(other, "added covered worker-months, whole run")]
    check(close(total[4].value, expected),
          f"Summary: added worker-months {total[4].value}, the CSV {expected}")
    cost = [r for r in table[1:] if r[0] == "cost_per_added_covered_worker_year_idr"
            and r[2] == other][0][head.index("difference_mean")]
    if cost:
        figure = s[(other, "extra rupiah ÷ added covered worker-years")]
        check(close(figure[4].value, float(cost)),
              f"Summary: cost per added worker-year {figure[4].value}, the CSV {cost}")
    check(s[(base_name, "baseline")][8].value.startswith("the base of the comparison"),
          "Summary: the base scenario is not named as the base")


def test_sweep(ulcsim, scenarios, tmp):
    scenario = os.path.join(scenarios, "kota-magelang-2025.toml")
    out = os.path.join(tmp, "sweep.h5")
    xlsx = os.path.join(tmp, "sweep.xlsx")
    run([ulcsim, "sweep", scenario, "--vary", "programme.kota-magelang-apbd.quota_workers=1000:3000:3",
         "--replicates", "4", "-q", "-o", out, "--xlsx", xlsx])
    if failures:
        return
    book = Workbook(xlsx)
    check(book.order == ["Sweep"], f"sweep: sheets {book.order}")
    table = read_csv(os.path.join(tmp, "sweep.csv"))
    same_as_csv(book, "Sweep", os.path.join(tmp, "sweep.csv"))
    check(len(table) == 4, f"sweep: {len(table) - 1} grid points, expected 3")


def test_target(ulcsim, scenarios, tmp):
    scenario = os.path.join(scenarios, "kota-magelang-2025.toml")
    xlsx = os.path.join(tmp, "target.xlsx")
    result = run([ulcsim, "target", scenario, "--programme", "kota-magelang-apbd", "--vary",
                  "months", "--reach", "0.335", "--at", "2025-12", "--probability", "0.5",
                  "--replicates", "4", "-q", "--xlsx", xlsx])
    if failures:
        return
    book = Workbook(xlsx)
    check(book.order == ["Summary", "Target"], f"target: sheets {book.order}")
    rows = book.rows("Target")
    check(book.frozen_header("Target"), "Target: the header row is not frozen")
    tried = re.search(r"Candidates tried: (\d+)", result.stdout)
    check(tried and len(rows) - 1 == int(tried.group(1)),
          f"Target: {len(rows) - 1} candidates, the terminal says {tried and tried.group(1)}")
    answers = [row for row in rows[1:] if len(row) > 7 and row[7].value == "answer"]
    values = [row[0].value for row in rows[1:]]
    check(values == sorted(values) and len(set(values)) == len(values),
          f"Target: the candidates are not in the lever's order: {values}")
    check(len(values) > 2, f"Target: only {len(values)} candidates: the search was not tested")
    for row in rows[1:]:
        probability, reached, replicates = row[1].value, row[2].value, row[3].value
        check(all(c.kind == "number" for c in row[:7]), "Target: a figure is not a number")
        check(close(probability, reached / replicates),
              f"Target: P = {probability} but {reached} of {replicates} replicates")
        check("%" in row[1].number_format and "%" in row[4].number_format,
              "Target: a probability or coverage without a % format")
    answer = re.search(r"Answer: (\d+) months?: P = (\d+)%", result.stdout)
    if answer:
        check(len(answers) == 1 and answers[0][0].value == int(answer.group(1)),
              f"Target: the answer row is not {answer.group(1)} months")
        check(answers and round(answers[0][1].value * 100) == int(answer.group(2)),
              "Target: the answer's probability differs from the terminal's")
    else:
        check(not answers, "Target: an answer row where the terminal gives none")


def test_refusals(ulcsim, scenarios, tmp):
    scenario = os.path.join(scenarios, "kota-magelang-2025.toml")
    before = open(scenario, "rb").read()
    out = os.path.join(tmp, "refused.h5")
    common = [ulcsim, "run", scenario, "--replicates", "1", "--months", "2", "-q", "-o", out]
    cases = [
        ("missing folder", [os.path.join(tmp, "no-such-folder", "book.xlsx")], "does not exist"),
        ("not .xlsx", [os.path.join(tmp, "book.csv")], "must end in .xlsx"),
        ("the output", [out.replace(".h5", ".xlsx")], "the command writes"),
    ]
    if os.path.isdir("/proc"):  # a folder no one may create a file in, even root
        cases.append(("an unwritable folder", ["/proc/ulcsim-workbook.xlsx"], "cannot"))
    link = os.path.join(tmp, "scenario-link.xlsx")
    os.symlink(scenario, link)
    cases.append(("an input", [link], "this command reads it"))
    for what, xlsx, message in cases:
        command = common + ["--xlsx"] + xlsx
        if what == "the output":
            command = [c if c != out else out.replace(".h5", ".xlsx") for c in command]
        result = run(command, expect=2)
        check(message in result.stderr, f"--xlsx {what}: no '{message}' in {result.stderr!r}")
        check(not os.path.exists(out) and not os.path.exists(out.replace(".h5", ".xlsx")),
              f"--xlsx {what}: an output was written")
        check(not os.path.exists(os.path.join(tmp, "book.csv")), f"--xlsx {what}: wrote a file")
    # -o naming an input is refused alike.
    result = run([ulcsim, "run", scenario, "--replicates", "1", "-q", "-o", link], expect=2)
    check("this command reads it" in result.stderr, f"-o over an input: {result.stderr!r}")
    check(open(scenario, "rb").read() == before, "the scenario file was changed")
    leftovers = [f for f in os.listdir(tmp) if f != "scenario-link.xlsx"]
    check(not leftovers, f"files left behind: {leftovers}")


TESTS = {"run": test_run, "forecast": test_forecast, "compare": test_compare,
         "sweep": test_sweep, "target": test_target, "refusals": test_refusals}


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in TESTS:
        print(__doc__, file=sys.stderr)
        return 2
    ulcsim, scenarios, which = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        TESTS[which](os.path.abspath(ulcsim), os.path.abspath(scenarios), tmp)
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        print(f"workbook {which}: ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
