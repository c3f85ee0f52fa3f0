#!/usr/bin/env python3
"""Opens `ulcsim report` pages in headless Chromium and checks that every chart was drawn.

    python3 tests/cli/report_browser_test.py ULCSIM SCENARIO_DIR ARTEFACT_DIR [--page PAGE.html]

Makes run files with ULCSIM (kota-magelang-2025: one region with a programme; jawa-tengah at
scale 200: 35 kabupaten/kota; a forecast of kota-magelang-2025; a compare of the 2024 and
2025 scenarios; a sweep of the 2025 programme's quota), writes reports in English and Indonesian (one of them with two runs, for the
side-by-side comparison), and opens each in Chromium; the Indonesian pages must open with the
planner's summary and hold no English label or jargon. A page fails when Chromium logs any console message (this Chromium logs console
errors, warnings and uncaught exceptions alike as INFO:CONSOLE, and the page itself logs
nothing), when the page's script did not write its #render-status, or when an expected chart
is missing, has a canvas of zero size or drew no data point. A screenshot of each page is
saved in ARTEFACT_DIR and its path printed. With --page it only checks that page (to show
that a broken page fails).

Exit status 0 when every page passes, 1 when one fails, 77 (skipped) without Chromium.
"""

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr",
                  "--v=0", "--virtual-time-budget=5000"]


def find_chromium():
    for candidate in CHROMIUM_CANDIDATES:
        path = shutil.which(candidate)
        if path:
            return path
    return None


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
    return result.stdout


def open_page(chromium, page, screenshot):
    """The page's DOM after its scripts ran, and the console lines Chromium logged."""
    url = "file://" + os.path.abspath(page)
    profile = tempfile.mkdtemp(prefix="ulcsim-chromium-")
    try:
        common = CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]
        dom = subprocess.run([chromium, *common, "--dump-dom", url], capture_output=True,
                             text=True, timeout=180)
        shot = subprocess.run([chromium, *common, f"--screenshot={screenshot}",
                               "--window-size=1280,3000", "--hide-scrollbars", url],
                              capture_output=True, text=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    console = [line for line in (dom.stderr + shot.stderr).splitlines()
               if ":CONSOLE" in line or "Uncaught" in line]
    return dom.stdout, console


def check_page(chromium, page, expected, screenshot):
    """Problems found with `page`; `expected` are regular expressions for chart ids that must
    each match at least one drawn chart."""
    dom, console = open_page(chromium, page, screenshot)
    problems = [f"console: {line}" for line in console]
    match = re.search(r'<pre id="render-status"[^>]*>(.*?)</pre>', dom, re.S)
    if not match:
        problems.append("no #render-status: the page's script did not finish")
        return problems
    charts = {}
    for line in html.unescape(match.group(1)).splitlines():
        chart_id, size, points = line.split()
        width, height = (int(v) for v in size.split("x"))
        charts[chart_id] = (width, height, int(points))
    for chart_id, (width, height, points) in charts.items():
        if width == 0 or height == 0:
            problems.append(f"{chart_id}: canvas is {width}x{height}")
        if points == 0:
            problems.append(f"{chart_id}: no data points")
    for pattern in expected:
        if not any(re.fullmatch(pattern, c) for c in charts):
            problems.append(f"no chart matching {pattern} (drawn: {', '.join(sorted(charts))})")
    if not os.path.exists(screenshot) or os.path.getsize(screenshot) == 0:
        problems.append(f"no screenshot at {screenshot}")
    print(f"{page}: {len(charts)} charts drawn; screenshot {screenshot}")
    return problems


def main():
    args = sys.argv[1:]
    only = None
    if "--page" in args:
        i = args.index("--page")
        only = args[i + 1]
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__)
    ulcsim, scenarios, artefacts = args
    chromium = find_chromium()
    if not chromium:
        print("skipped: no chromium (setup.sh installs it)")
        return 77
    os.makedirs(artefacts, exist_ok=True)

    if only:
        shot = os.path.join(artefacts, os.path.basename(only) + ".png")
        problems = check_page(chromium, only, [r"fan-0-all"], shot)
        for p in problems:
            print(f"FAIL {only}: {p}")
        return 1 if problems else 0

    work = tempfile.mkdtemp(prefix="ulcsim-report-test-")
    try:
        km = os.path.join(work, "km.h5")
        jt = os.path.join(work, "jt.h5")
        fc = os.path.join(work, "fc.h5")
        run([ulcsim, "run", os.path.join(scenarios, "kota-magelang-2025.toml"), "-o", km,
             "--replicates", "5", "--quiet"])
        run([ulcsim, "run", os.path.join(scenarios, "kota-magelang-2024.toml"), "-o",
             os.path.join(work, "km2024.h5"), "--replicates", "5", "--quiet"])
        run([ulcsim, "run", os.path.join(scenarios, "jawa-tengah.toml"), "-o", jt,
             "--set", "population.scale=200", "--replicates", "4", "--months", "24", "--quiet"])
        run([ulcsim, "forecast", os.path.join(scenarios, "kota-magelang-2025.toml"), "-o", fc,
             "--replicates", "5", "--by", "2025-12", "--by", "2026-12", "--quiet"])
        sweep = os.path.join(work, "sweep.h5")
        run([ulcsim, "sweep", os.path.join(scenarios, "kota-magelang-2025.toml"), "--vary",
             "programme.kota-magelang-apbd.quota_workers=1000:3000:3", "-o", sweep,
             "--replicates", "3", "--quiet"])
        cmp = os.path.join(work, "cmp.h5")
        run([ulcsim, "compare", os.path.join(scenarios, "kota-magelang-2024.toml"),
             os.path.join(scenarios, "kota-magelang-2025.toml"), "-o", cmp, "--replicates", "5",
             "--quiet"])

        fan = [rf"fan-0-{s}" for s in ("all", "formal", "informal", "vulnerable")]
        cases = [
            ("km-id.html", [km, os.path.join(work, "km2024.h5")], ["--lang", "id"],
             fan + [r"fan-1-all", r"area-0-0", r"payers-0", r"payers-1", r"members-0",
                    r"spending-0", r"members-1", r"added-0", r"added-1", r"difference-1"]),
            ("jt-en.html", [jt], [], fan + [r"area-0-\d+", r"payers-0"]),
            ("forecast-id.html", [fc], ["--lang", "id"],
             fan + [r"forecast-0", r"payers-0", r"members-0", r"spending-0", r"added-0"]),
            ("compare-en.html", [cmp], [], [r"added-0"]),
            ("sweep-id.html", [sweep], ["--lang", "id"], [r"sweep-0"]),
        ]
        failures = 0
        for name, files, extra, expected in cases:
            page = os.path.join(artefacts, name)
            run([ulcsim, "report", *files, "-o", page, *extra])
            size = os.path.getsize(page)
            print(f"{page}: {size} bytes")
            if "http://" in open(page, encoding="utf-8").read().replace(
                    "http://www.w3.org", ""):
                print(f"FAIL {name}: the page refers to the network")
                failures += 1
            for p in check_page(chromium, page, expected, page[:-5] + ".png"):
                print(f"FAIL {name}: {p}")
                failures += 1
        # Indonesian labels and number formatting reach the side-by-side table.
        km_dom, _ = open_page(chromium, os.path.join(artefacts, "km-id.html"),
                              os.path.join(artefacts, "km-id.png"))
        if "semua pekerja" not in km_dom or not re.search(r"\d,\d%", km_dom):
            print("FAIL km-id.html: no Indonesian labels or number formatting")
            failures += 1
        # The planner's summary comes first, names the area, and leaves no English or
        # jargon behind in Indonesian (the forecast's table included).
        fc_dom, _ = open_page(chromium, os.path.join(artefacts, "forecast-id.html"),
                              os.path.join(artefacts, "forecast-id.png"))
        for name, dom in (("km-id.html", km_dom), ("forecast-id.html", fc_dom)):
            main = dom[dom.find('<main id="report">'):dom.find("</main>")]
            text = html.unescape(re.sub(r"<[^>]+>", " ", main))
            if text.find("Ringkasan:") < 0 or text.find("Ringkasan:") > text.find("Cakupan pekerja"):
                print(f"FAIL {name}: the summary is not the first section")
                failures += 1
            for leftover in ("nasional", "nation", "all regions of the scenario", "kabkota",
                             "q2,5", "q97,5", "coverage_share", "Workers", "Summary"):
                if leftover in text:
                    print(f"FAIL {name}: '{leftover}' in the Indonesian page")
                    failures += 1
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
