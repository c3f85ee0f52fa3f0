#!/usr/bin/env python3
"""The downloads of `ulcsim serve` against the commands they stand for.

    python3 tests/serve/planner_downloads_test.py ULCSIM

Starts `ulcsim serve` on a free port and, for Kota Magelang with a programme, a regulation in
force before the run (the status quo: the baseline keeps it) and an outreach campaign within
it (a lever: the baseline removes it), downloads scenario.toml, baseline.toml, the results as
XLSX and the report page. Then runs `ulcsim compare baseline.toml scenario.toml --xlsx` and
`ulcsim report` on its result, and checks that the served workbook has the same sheets and
cells (texts equal, numbers to 1e-9 relative), that the served page is the page `report`
writes, byte for byte, in both languages, that the page's summary carries the workbook's
numbers and says what the baseline removed and kept, that a download works before and after
the page's comparison ran, and that bad fields are 400 with located messages.

Workbooks are read with the standard library alone (tests/report/workbook_test.py).
Exit status 0 when everything holds, 1 otherwise.
"""

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "report"))
from workbook_test import Workbook  # noqa: E402

failures = []

FORM = [("region", "33.71"), ("start", "2025-01"), ("months", "12"), ("replicates", "3"),
        ("seed", "5"), ("kind", "apbd_kabkota"), ("budget", "300000000"),
        ("funded_months", "12"), ("segments", "vulnerable"), ("member_share", "0.1"),
        ("regulation_from", "2024-07"), ("regulation_months", "0"),
        ("register_multiplier", "2"), ("outreach_from", "2025-04"), ("outreach_months", "6"),
        ("awareness_gain", "0.03"), ("fear_reduction", "0.05")]


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def get(base, path, fields):
    """(status, headers, body bytes) of a GET with the fields as its query."""
    url = base + path + "?" + urllib.parse.urlencode(fields)
    try:
        with urllib.request.urlopen(url, timeout=300) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def post_compare(base, fields):
    request = urllib.request.Request(
        base + "/api/compare", data=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=300) as r:
        return r.status, json.loads(r.read())


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    check(result.returncode == 0,
          f"{' '.join(command)}: exit {result.returncode}\n{result.stderr[-2000:]}")
    return result


def same_cell(a, b):
    if a.kind != b.kind:
        return False
    if a.kind == "number":
        return math.isclose(a.value, b.value, rel_tol=1e-9, abs_tol=1e-12) and \
            a.number_format == b.number_format
    return a.value == b.value


def same_workbook(served, expected, what):
    check(served.order == expected.order, f"{what}: sheets {served.order}, compare's {expected.order}")
    check(served.order == ["Summary", "Comparison", "Measures"], f"{what}: sheets {served.order}")
    cells = 0
    for sheet in expected.order:
        if sheet not in served.order:
            continue
        a, b = served.rows(sheet), expected.rows(sheet)
        if not check(len(a) == len(b), f"{what} {sheet}: {len(a)} rows, compare's {len(b)}"):
            continue
        for r, (row_a, row_b) in enumerate(zip(a, b)):
            check(len(row_a) == len(row_b), f"{what} {sheet} row {r + 1}: {len(row_a)} cells, "
                                            f"compare's {len(row_b)}")
            for c, (x, y) in enumerate(zip(row_a, row_b)):
                cells += 1
                check(same_cell(x, y), f"{what} {sheet} row {r + 1} column {c + 1}: "
                                       f"{x.kind} {x.value!r}, compare's {y.kind} {y.value!r}")
    check(cells > 100, f"{what}: only {cells} cells compared")


def report_data(html):
    m = re.search(rb'<script type="application/json" id="report-data">(.*?)</script>', html,
                  re.S)
    return json.loads(m.group(1)) if m else None


def test(ulcsim, tmp):
    server = subprocess.Popen([ulcsim, "serve", "--port", "0", "--threads", "2",
                               "--max-agents", "20000"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not check(m is not None, f"serve printed {line!r}"):
            return
        base = f"http://127.0.0.1:{m.group(1)}"
        exchange(ulcsim, base, tmp)
    finally:
        server.terminate()
        server.wait(timeout=30)


def exchange(ulcsim, base, tmp):
    paths = {}
    for name in ("scenario.toml", "baseline.toml"):
        status, _, body = get(base, "/api/" + name, FORM)
        check(status == 200, f"{name}: status {status}")
        paths[name] = os.path.join(tmp, name)
        with open(paths[name], "wb") as f:
            f.write(body)
    baseline_text = open(paths["baseline.toml"], encoding="utf-8").read()
    check("regulation-1" in baseline_text and "outreach-1" not in baseline_text
          and "[[programme]]" not in baseline_text,
          "baseline.toml does not keep exactly the regulation in force before the run")

    # Before the page's comparison: the download runs it.
    status, headers, cold = get(base, "/api/results.xlsx", FORM)
    check(status == 200, f"results.xlsx (not held): status {status} {cold[:300]!r}")
    check(headers.get("Content-Type", "").startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        f"results.xlsx: Content-Type {headers.get('Content-Type')}")
    check(headers.get("Content-Disposition") == 'attachment; filename="results.xlsx"',
          f"results.xlsx: Content-Disposition {headers.get('Content-Disposition')}")

    # After it: the held comparison.
    status, answer = post_compare(base, FORM)
    check(status == 200, f"compare: status {status}")
    status, _, held = get(base, "/api/results.xlsx", FORM)
    check(status == 200, f"results.xlsx (held): status {status}")
    pages = {}
    for lang in ("id", "en"):
        status, headers, pages[lang] = get(base, "/api/report.html", FORM + [("lang", lang)])
        check(status == 200, f"report.html lang={lang}: status {status} {pages[lang][:300]!r}")
        check(headers.get("Content-Type", "").startswith("text/html"),
              f"report.html: Content-Type {headers.get('Content-Type')}")
    if failures:
        return
    for name, body in (("cold.xlsx", cold), ("held.xlsx", held)):
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(body)

    # What the commands write of the downloaded scenarios.
    result = os.path.join(tmp, "baseline-vs-planner.h5")
    cli_xlsx = os.path.join(tmp, "compare.xlsx")
    run([ulcsim, "compare", paths["baseline.toml"], paths["scenario.toml"], "-o", result,
         "--xlsx", cli_xlsx, "--threads", "2", "-q"])
    for lang in ("id", "en"):
        run([ulcsim, "report", result, "--lang", lang, "-o", os.path.join(tmp, f"{lang}.html")])
    if failures:
        return
    expected = Workbook(cli_xlsx)
    same_workbook(Workbook(os.path.join(tmp, "cold.xlsx")), expected, "results.xlsx (run)")
    same_workbook(Workbook(os.path.join(tmp, "held.xlsx")), expected, "results.xlsx (held)")
    for lang in ("id", "en"):
        with open(os.path.join(tmp, f"{lang}.html"), "rb") as f:
            check(pages[lang] == f.read(),
                  f"report.html lang={lang} is not the page `ulcsim report` writes")
    check(b'<html lang="id">' in pages["id"] and b'<html lang="en">' in pages["en"],
          "report.html: not in the language asked for")

    # The page's summary carries the workbook's numbers and the page's answer.
    data = report_data(pages["id"])
    if not check(data and len(data["summaries"]) == 1, "report.html: no summary"):
        return
    s = data["summaries"][0]
    summary = {(row[0].value, row[2].value): row for row in expected.rows("Summary")[1:]}
    worker_months = summary[("planner", "added covered worker-months, whole run")][4].value
    check(math.isclose(s["added_worker_months"]["mean"], worker_months, rel_tol=1e-9),
          f"report.html: added worker-months {s['added_worker_months']['mean']}, "
          f"the workbook {worker_months}")
    measure = {m["name"]: m for m in answer["measures"]}["covered_worker_months"]
    check(math.isclose(s["added_worker_months"]["mean"], measure["difference"]["mean"],
                       rel_tol=1e-9),
          f"report.html: added worker-months {s['added_worker_months']['mean']}, the page's "
          f"comparison {measure['difference']['mean']}")
    check(s["cost_per_added_worker_year_idr"] is not None and math.isclose(
        s["cost_per_added_worker_year_idr"]["mean"],
        summary[("planner", "extra rupiah ÷ added covered worker-years")][4].value, rel_tol=1e-9),
        "report.html: the cost per added worker-year is not the workbook's")
    levers = {"removed": [["programme", "programme-1", "2025-01"],
                          ["policy", "outreach-1", "2025-04"]],
              "kept": [["policy", "regulation-1", "2024-07"]]}
    for where, got in (("report.html", s["baseline_levers"]), ("compare", answer["baseline_levers"])):
        check({k: [[l["kind"], l["name"], l["start"]] for l in got[k]] for k in got} == levers,
              f"{where}: baseline_levers {got}")
    line = summary[("planner", "what the baseline removed and kept")][8].value
    check(line == "The baseline removes programme programme-1 (from 2025-01) and policy "
                  "outreach-1 (from 2025-04); it keeps policy regulation-1 (in force from "
                  "2024-07).", f"Summary sheet: {line!r}")

    # Bad fields: the located messages, 400, and no run.
    bad_region = [(k, "99.99" if k == "region" else v) for k, v in FORM]
    for path, fields, message in (
            ("/api/results.xlsx", bad_region, "region: unknown region code '99.99'"),
            ("/api/report.html", bad_region, "region: unknown region code '99.99'"),
            ("/api/report.html", FORM + [("lang", "fr")], "lang: expected id or en, got 'fr'"),
            ("/api/results.xlsx", [(k, "x" if k == "budget" else v) for k, v in FORM],
             "programme[0].budget: expected a number, got 'x'")):
        status, headers, body = get(base, path, fields)
        check(status == 400, f"{path} with a bad field: status {status}")
        check(headers.get("Content-Type") == "application/json",
              f"{path} with a bad field: Content-Type {headers.get('Content-Type')}")
        errors = json.loads(body).get("errors", []) if status == 400 else []
        check(any(message in e for e in errors), f"{path}: {errors}, expected {message!r}")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        test(os.path.abspath(sys.argv[1]), tmp)
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        print("planner downloads: ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
