#!/usr/bin/env python3
"""Build ulcsim's region tables from the source data in ./sources/.

Outputs (next to this script):
  provinces.csv  one row per province (38), sorted by Kemendagri code
  regions.csv    one row per kabupaten/kota (514), sorted by Kemendagri code
  employment_by_province.csv
                 employed workers of each province at each BPS Sakernas month
                 the sources give (Aug 2023, Feb 2024, Aug 2024)
  README.md      column descriptions, estimation method, weaknesses, sources

Standard library only. Deterministic: the same sources give byte-identical
outputs ("\\n" line endings, fixed number formatting, exact rational arithmetic
for the employment split).

Usage:
  python3 scenarios/data/build_region_data.py
  python3 scenarios/data/build_region_data.py --refresh-from DIR
    (first copies the source files byte-for-byte from DIR into ./sources/)
"""

import argparse
import csv
import hashlib
import math
import os
import shutil
import sys
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
SRC_DIR = os.path.join(HERE, "sources")

F_PROV = "wilayah_provinsi_kemendagri_2025.csv"
F_KABKOTA = "wilayah_kabkota_kemendagri_2025.csv"
F_KEC = "wilayah_kecamatan_kemendagri_2025.csv"
F_DESA = "wilayah_desa_kelurahan_kemendagri_2025.csv"
F_FORMAL = "bps_formal_worker_share_by_province_2020_2024.csv"
F_BPJSTK = "bpjstk_active_nonactive_by_province_2023-12_partial.csv"
F_SOURCES_MD = "SOURCES.md"
SOURCE_FILES = [F_PROV, F_KABKOTA, F_KEC, F_DESA, F_FORMAL, F_BPJSTK, F_SOURCES_MD]

# ---- Invariants (Kemendagri 2025, docs/SOURCES.md section 1) -------------------
EXPECT_PROVINCES = 38
EXPECT_KABKOTA = 514
EXPECT_KABUPATEN = 416
EXPECT_KOTA = 98
EXPECT_KECAMATAN = 7285
EXPECT_DESA = 75266
EXPECT_KELURAHAN = 8496
EXPECT_DESA_KEL = 83762

# ---- Employment anchors (scenarios/data/observations.csv) ------------------
NATIONAL_EMPLOYED = 144_640_000      # BPS Sakernas Aug 2024 [EXACT]
JATENG_CODE = "33"
JATENG_EMPLOYED = 20_860_000         # BPS Jateng Aug 2024 [EXACT]
# Published (or directly derived) kab/kota figures: code -> (employed, note)
FIXED_KABKOTA = {
    "33.08": (796_325, "Kabupaten Magelang: employed 796,325 (BPS, 2023) [EXACT for 2023]"),
    "13.73": (36_100, "Kota Sawahlunto: 38,256 labour force x (1 - TPT 0.0555) = 36,100 (2024) [ESTIMATE]"),
}
FORMAL_YEARS = [2024, 2023, 2022, 2021, 2020]  # preference order

# The employment series (employment_by_province.csv): national employed at each Sakernas
# month the sources give, and Jawa Tengah's where BPS Jateng published it. Each is a row of
# scenarios/data/observations.csv, named here so the table can cite it.
SERIES_NATIONAL = {
    "2023-08": (139_850_000, "ID-2023-08-employed-all"),
    "2024-02": (142_180_000, "ID-2024-02-employed-all"),
    "2024-08": (NATIONAL_EMPLOYED, "ID-2024-08-employed-all"),
}
SERIES_JATENG = {
    "2023-08": (19_990_000, "33-2023-08-employed-all"),
    "2024-08": (JATENG_EMPLOYED, "33-2024-08-employed-all"),
}
SERIES_BASIS = "2024-08"  # the month of provinces.csv's employed_workers
SERIES_COLUMNS = ["province_code", "month", "employed_workers", "method", "label",
                  "observation_rows"]

PROV_COLUMNS = ["code", "name", "n_kabkota", "n_desa", "n_kelurahan", "population",
                "employed_workers", "employed_method", "formal_share",
                "bpjstk_active_2023_12", "bpjstk_nonactive_2023_12",
                "coverage_share_2023_12"]
REGION_COLUMNS = ["code", "province_code", "name", "kind", "n_kecamatan", "n_desa",
                  "n_kelurahan", "population", "area_km2", "employed_workers",
                  "employed_method", "formal_share", "km_to_office"]

SUMMARY_REGIONS = ["33.71", "33.08", "13.73", "34.71"]


class DataError(Exception):
    pass


class Checker:
    """Collects invariant failures and aborts with all of them listed."""

    def __init__(self):
        self.errors = []

    def check(self, cond, msg):
        if not cond:
            self.errors.append(msg)

    def equal(self, what, got, expected):
        self.check(got == expected, "%s: got %r, expected %r" % (what, got, expected))

    def abort_if_failed(self, stage):
        if self.errors:
            lines = ["FAILED (%s): %d invariant(s) violated:" % (stage, len(self.errors))]
            lines += ["  - " + e for e in self.errors[:50]]
            if len(self.errors) > 50:
                lines.append("  ... and %d more" % (len(self.errors) - 50))
            raise DataError("\n".join(lines))


# ---- helpers ---------------------------------------------------------------

def read_csv(name):
    path = os.path.join(SRC_DIR, name)
    if not os.path.exists(path):
        raise DataError("missing source file %s (run with --refresh-from DIR)" % path)
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def to_int(value, what):
    try:
        return int(value)
    except ValueError:
        raise DataError("%s: not an integer: %r" % (what, value))


def round_half_up(fr, ndigits):
    """Round a Fraction half-up to ndigits decimals; returns a fixed-point string."""
    scale = 10 ** ndigits
    n = fr * scale
    q = (n.numerator * 2 + n.denominator) // (2 * n.denominator)  # fr >= 0 here
    s = str(q).rjust(ndigits + 1, "0")
    return s[:-ndigits] + "." + s[-ndigits:] if ndigits else s


def largest_remainder(total, weights):
    """Split integer `total` over keys in proportion to integer `weights` (dict).

    Floors each exact quota, then gives the leftover units to the largest
    fractional remainders (ties broken by key, ascending). Returns a dict that
    sums exactly to `total`.
    """
    wsum = sum(weights.values())
    if wsum <= 0:
        raise DataError("largest_remainder: non-positive weight sum")
    quotas = {k: Fraction(total * w, wsum) for k, w in weights.items()}
    out = {k: q.numerator // q.denominator for k, q in quotas.items()}
    left = total - sum(out.values())
    order = sorted(weights, key=lambda k: (-(quotas[k] - out[k]), k))
    for k in order[:left]:
        out[k] += 1
    assert sum(out.values()) == total
    return out


def km_to_office(area_km2):
    """Mean distance from a uniform point in a disc of the given area to its centre."""
    radius = math.sqrt(area_km2 / math.pi)
    return "%.1f" % (2.0 * radius / 3.0)


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(columns)
        for r in rows:
            w.writerow([r[c] for c in columns])


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def fmt_int(n):
    return "{:,}".format(n)


# ---- build -----------------------------------------------------------------

def refresh_sources(src_dir):
    os.makedirs(SRC_DIR, exist_ok=True)
    for name in SOURCE_FILES:
        src = os.path.join(src_dir, name)
        if not os.path.isfile(src):
            raise DataError("--refresh-from: %s not found" % src)
        shutil.copyfile(src, os.path.join(SRC_DIR, name))


def load_and_check():
    chk = Checker()

    # -- provinces
    prov_rows = read_csv(F_PROV)
    provs = {}
    for r in prov_rows:
        code = r["kode_prov"]
        chk.check(len(code) == 2 and code.isdigit(), "province code %r is not 2 digits" % code)
        chk.check(code not in provs, "duplicate province code %s" % code)
        p = {
            "code": code,
            "name": r["nama"].strip(),
            "n_kabupaten": to_int(r["n_kabupaten"], code),
            "n_kota": to_int(r["n_kota"], code),
            "n_kecamatan": to_int(r["n_kecamatan"], code),
            "n_desa": to_int(r["n_desa"], code),
            "n_kelurahan": to_int(r["n_kelurahan"], code),
            "pop_m": to_int(r["penduduk_pria"], code),
            "pop_f": to_int(r["penduduk_wanita"], code),
            "population": to_int(r["penduduk_total"], code),
        }
        chk.equal("province %s population male+female" % code,
                  p["pop_m"] + p["pop_f"], p["population"])
        provs[code] = p
    chk.equal("number of provinces", len(provs), EXPECT_PROVINCES)

    # -- kab/kota
    kk_rows = read_csv(F_KABKOTA)
    kabkota = {}
    for r in kk_rows:
        code = r["kode_kabkota"]
        pcode = r["kode_prov"]
        chk.check(code not in kabkota, "duplicate kab/kota code %s" % code)
        chk.check(len(code) == 5 and code[2] == "." and code.replace(".", "").isdigit(),
                  "kab/kota code %r is not NN.NN" % code)
        chk.check(pcode in provs, "kab/kota %s: province %s does not exist" % (code, pcode))
        chk.check(code.startswith(pcode + "."),
                  "kab/kota %s: code does not start with its province %s" % (code, pcode))
        jenis = r["jenis"].strip().lower()
        chk.check(jenis in ("kabupaten", "kota"), "kab/kota %s: unknown jenis %r" % (code, r["jenis"]))
        expected_kind = "kota" if code[3] == "7" else "kabupaten"
        chk.equal("kab/kota %s kind vs code convention" % code, jenis, expected_kind)
        area = r["luas_km2"].strip()
        chk.check(area != "" and Decimal(area) > 0, "kab/kota %s: missing/zero area" % code)
        k = {
            "code": code,
            "province_code": pcode,
            "name": r["nama"].strip(),
            "kind": jenis,
            "n_kecamatan": to_int(r["n_kecamatan"], code),
            "n_desa": to_int(r["n_desa"], code),
            "n_kelurahan": to_int(r["n_kelurahan"], code),
            "pop_m": to_int(r["penduduk_pria"], code),
            "pop_f": to_int(r["penduduk_wanita"], code),
            "population": to_int(r["penduduk_total"], code),
            "area": Decimal(area) if area else Decimal(0),
        }
        chk.equal("kab/kota %s population male+female" % code,
                  k["pop_m"] + k["pop_f"], k["population"])
        chk.check(k["population"] > 0, "kab/kota %s: population is not positive" % code)
        kabkota[code] = k
    chk.equal("number of kab/kota", len(kabkota), EXPECT_KABKOTA)
    chk.equal("number of kabupaten", sum(k["kind"] == "kabupaten" for k in kabkota.values()),
              EXPECT_KABUPATEN)
    chk.equal("number of kota", sum(k["kind"] == "kota" for k in kabkota.values()), EXPECT_KOTA)
    chk.abort_if_failed("provinces and kab/kota")

    # -- kecamatan
    kec = {}
    for r in read_csv(F_KEC):
        code = r["kode_kecamatan"]
        parent = r["kode_kabkota"]
        chk.check(code not in kec, "duplicate kecamatan code %s" % code)
        chk.check(parent in kabkota, "kecamatan %s: kab/kota %s does not exist" % (code, parent))
        chk.check(code.startswith(parent + "."),
                  "kecamatan %s: code does not start with %s" % (code, parent))
        kec[code] = {"parent": parent,
                     "n_desa": to_int(r["n_desa"], code),
                     "n_kelurahan": to_int(r["n_kelurahan"], code)}
    chk.equal("number of kecamatan", len(kec), EXPECT_KECAMATAN)

    # -- desa / kelurahan (the authoritative count)
    cnt_kec = {c: {"desa": 0, "kelurahan": 0} for c in kec}
    seen = set()
    for r in read_csv(F_DESA):
        code = r["kode_desa"]
        parent = r["kode_kecamatan"]
        jenis = r["jenis"].strip().lower()
        chk.check(code not in seen, "duplicate desa/kelurahan code %s" % code)
        seen.add(code)
        chk.check(parent in kec, "desa %s: kecamatan %s does not exist" % (code, parent))
        chk.check(code.startswith(parent + "."), "desa %s: code does not start with %s" % (code, parent))
        seg = code.rsplit(".", 1)[-1]
        chk.check(len(seg) == 4 and seg.isdigit(), "desa %s: village segment is not 4 digits" % code)
        chk.check(jenis in ("desa", "kelurahan"), "desa %s: unknown jenis %r" % (code, r["jenis"]))
        chk.equal("desa %s jenis vs code convention" % code, jenis,
                  "kelurahan" if seg[:1] == "1" else "desa")
        if parent in cnt_kec and jenis in ("desa", "kelurahan"):
            cnt_kec[parent][jenis] += 1
    n_desa = sum(c["desa"] for c in cnt_kec.values())
    n_kel = sum(c["kelurahan"] for c in cnt_kec.values())
    chk.equal("number of desa+kelurahan", len(seen), EXPECT_DESA_KEL)
    chk.equal("number of desa", n_desa, EXPECT_DESA)
    chk.equal("number of kelurahan", n_kel, EXPECT_KELURAHAN)
    chk.abort_if_failed("kecamatan and desa/kelurahan")

    # -- cross-check every stated count against counts from the lower level
    for c, k in sorted(kec.items()):
        chk.equal("kecamatan %s n_desa vs desa file" % c, k["n_desa"], cnt_kec[c]["desa"])
        chk.equal("kecamatan %s n_kelurahan vs desa file" % c, k["n_kelurahan"], cnt_kec[c]["kelurahan"])
    cnt_kk = {c: {"kec": 0, "desa": 0, "kelurahan": 0} for c in kabkota}
    for c, k in kec.items():
        cnt_kk[k["parent"]]["kec"] += 1
        cnt_kk[k["parent"]]["desa"] += cnt_kec[c]["desa"]
        cnt_kk[k["parent"]]["kelurahan"] += cnt_kec[c]["kelurahan"]
    for c, k in sorted(kabkota.items()):
        chk.equal("kab/kota %s n_kecamatan vs kecamatan file" % c, k["n_kecamatan"], cnt_kk[c]["kec"])
        chk.equal("kab/kota %s n_desa vs desa file" % c, k["n_desa"], cnt_kk[c]["desa"])
        chk.equal("kab/kota %s n_kelurahan vs desa file" % c, k["n_kelurahan"], cnt_kk[c]["kelurahan"])
    for pc, p in sorted(provs.items()):
        members = [k for k in kabkota.values() if k["province_code"] == pc]
        chk.check(members, "province %s has no kab/kota" % pc)
        chk.equal("province %s n_kabupaten" % pc, p["n_kabupaten"],
                  sum(k["kind"] == "kabupaten" for k in members))
        chk.equal("province %s n_kota" % pc, p["n_kota"], sum(k["kind"] == "kota" for k in members))
        chk.equal("province %s n_kecamatan" % pc, p["n_kecamatan"], sum(cnt_kk[k["code"]]["kec"] for k in members))
        chk.equal("province %s n_desa" % pc, p["n_desa"], sum(cnt_kk[k["code"]]["desa"] for k in members))
        chk.equal("province %s n_kelurahan" % pc, p["n_kelurahan"],
                  sum(cnt_kk[k["code"]]["kelurahan"] for k in members))
        chk.equal("province %s population vs sum of kab/kota" % pc, p["population"],
                  sum(k["population"] for k in members))
    chk.abort_if_failed("count cross-checks")

    # -- BPS formal share
    formal = {}
    formal_fallback = []  # (code, name, year used)
    national_formal = None
    for r in read_csv(F_FORMAL):
        code = r["kode_prov"]
        value, year = None, None
        for y in FORMAL_YEARS:
            v = r["pct_formal_%d" % y].strip()
            if v:
                value, year = Decimal(v), y
                break
        if code == "00":
            national_formal = value
            continue
        chk.check(code in provs, "formal share: unknown province code %s" % code)
        chk.check(code not in formal, "formal share: duplicate province %s" % code)
        chk.check(value is not None, "formal share: province %s has no value in any year" % code)
        if value is None:
            continue
        chk.check(Decimal(0) < value < Decimal(100), "formal share %s out of range: %s" % (code, value))
        formal[code] = value / Decimal(100)
        if year != FORMAL_YEARS[0]:
            formal_fallback.append((code, provs.get(code, {}).get("name", code), year))
    for pc in provs:
        chk.check(pc in formal, "formal share: province %s missing" % pc)

    # -- BPJS TK active / non-active (partial)
    bpjstk = {}
    for r in read_csv(F_BPJSTK):
        code = r["kode_prov"]
        chk.check(code in provs, "BPJS TK: unknown province code %s" % code)
        chk.check(code not in bpjstk, "BPJS TK: duplicate province %s" % code)
        bpjstk[code] = (to_int(r["peserta_aktif_2023_12"], code),
                        to_int(r["peserta_nonaktif_2023_12"], code))
    for fc in FIXED_KABKOTA:
        chk.check(fc in kabkota, "fixed kab/kota %s does not exist" % fc)
    chk.check(JATENG_CODE in provs, "Jawa Tengah (%s) missing" % JATENG_CODE)
    chk.abort_if_failed("formal share / BPJS TK")

    return provs, kabkota, formal, formal_fallback, national_formal, bpjstk


def estimate_employment(provs, kabkota):
    chk = Checker()
    nat_pop = sum(p["population"] for p in provs.values())
    rest_emp = NATIONAL_EMPLOYED - JATENG_EMPLOYED
    rest_pop = nat_pop - provs[JATENG_CODE]["population"]
    ratio = Fraction(rest_emp, rest_pop)

    prov_emp = {JATENG_CODE: JATENG_EMPLOYED}
    prov_emp.update(largest_remainder(
        rest_emp, {c: p["population"] for c, p in provs.items() if c != JATENG_CODE}))
    prov_method = {c: ("bps_province" if c == JATENG_CODE else "national_ratio") for c in provs}

    kk_emp, kk_method = {}, {}
    within_ratio = {}
    for pc in sorted(provs):
        members = sorted(c for c, k in kabkota.items() if k["province_code"] == pc)
        fixed = {c: FIXED_KABKOTA[c][0] for c in members if c in FIXED_KABKOTA}
        free = {c: kabkota[c]["population"] for c in members if c not in FIXED_KABKOTA}
        remaining = prov_emp[pc] - sum(fixed.values())
        chk.check(remaining > 0, "province %s: fixed kab/kota exceed province total" % pc)
        split = largest_remainder(remaining, free)
        if fixed:
            within_ratio[pc] = Fraction(remaining, sum(free.values()))
        tag = "province_share" if pc == JATENG_CODE else "national_ratio"
        for c in members:
            if c in fixed:
                kk_emp[c], kk_method[c] = fixed[c], "bps_kabkota"
            else:
                kk_emp[c], kk_method[c] = split[c], tag
        chk.equal("province %s: kab/kota employed sum" % pc,
                  sum(kk_emp[c] for c in members), prov_emp[pc])
    chk.equal("national employed (provinces)", sum(prov_emp.values()), NATIONAL_EMPLOYED)
    chk.equal("national employed (kab/kota)", sum(kk_emp.values()), NATIONAL_EMPLOYED)
    chk.equal("Jawa Tengah employed", prov_emp[JATENG_CODE], JATENG_EMPLOYED)
    chk.abort_if_failed("employment estimate")
    return prov_emp, prov_method, kk_emp, kk_method, ratio, nat_pop, within_ratio


def estimate_employment_series(provs, prov_emp):
    """Employed workers by province at each month of SERIES_NATIONAL.

    Jawa Tengah takes its BPS figure where there is one; at a month without one, the
    nation's figure times the mean of Jawa Tengah's shares of the nation at the months with
    one. The rest of the nation is split over the other provinces by population, as
    provinces.csv splits Aug 2024, so the basis month reproduces provinces.csv exactly.
    """
    chk = Checker()
    jateng_shares = [Fraction(SERIES_JATENG[m][0], SERIES_NATIONAL[m][0]) for m in SERIES_JATENG]
    mean_share = sum(jateng_shares, Fraction(0)) / len(jateng_shares)
    rows = []
    for month in sorted(SERIES_NATIONAL):
        national, national_row = SERIES_NATIONAL[month]
        if month in SERIES_JATENG:
            jateng, jateng_row = SERIES_JATENG[month]
            jateng_method, jateng_label = "bps_province", "EXACT"
            jateng_rows = jateng_row
        else:
            q = mean_share * national
            jateng = (q.numerator * 2 + q.denominator) // (2 * q.denominator)
            jateng_method, jateng_label = "mean_share_of_nation", "ESTIMATE"
            jateng_rows = " ".join([national_row] + [SERIES_JATENG[m][1] for m in sorted(SERIES_JATENG)])
        rest = largest_remainder(national - jateng, {c: p["population"] for c, p in provs.items()
                                                     if c != JATENG_CODE})
        for pc in sorted(provs):
            if pc == JATENG_CODE:
                value, method, label, cited = jateng, jateng_method, jateng_label, jateng_rows
            else:
                value, method, label = rest[pc], "national_share", "ESTIMATE"
                cited = " ".join(dict.fromkeys([national_row] + jateng_rows.split()))
            rows.append({"province_code": pc, "month": month, "employed_workers": value,
                         "method": method, "label": label, "observation_rows": cited})
        chk.equal("employment series %s: provinces sum to the nation" % month,
                  sum(r["employed_workers"] for r in rows if r["month"] == month), national)
    for r in rows:
        if r["month"] == SERIES_BASIS:
            chk.equal("employment series %s %s = provinces.csv" % (r["province_code"], r["month"]),
                      r["employed_workers"], prov_emp[r["province_code"]])
    chk.abort_if_failed("employment series")
    return rows, mean_share


def build():
    provs, kabkota, formal, formal_fallback, national_formal, bpjstk = load_and_check()
    prov_emp, prov_method, kk_emp, kk_method, ratio, nat_pop, within_ratio = \
        estimate_employment(provs, kabkota)
    series, jateng_mean_share = estimate_employment_series(provs, prov_emp)

    def share4(code):
        return str(formal[code].quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))

    prov_out = []
    for pc in sorted(provs):
        p = provs[pc]
        act, nonact = bpjstk.get(pc, ("", ""))
        cov = round_half_up(Fraction(act, prov_emp[pc]), 4) if pc in bpjstk else ""
        prov_out.append({
            "code": pc, "name": p["name"], "n_kabkota": p["n_kabupaten"] + p["n_kota"],
            "n_desa": p["n_desa"], "n_kelurahan": p["n_kelurahan"],
            "population": p["population"], "employed_workers": prov_emp[pc],
            "employed_method": prov_method[pc], "formal_share": share4(pc),
            "bpjstk_active_2023_12": act, "bpjstk_nonactive_2023_12": nonact,
            "coverage_share_2023_12": cov,
        })

    reg_out = []
    for c in sorted(kabkota):
        k = kabkota[c]
        reg_out.append({
            "code": c, "province_code": k["province_code"], "name": k["name"], "kind": k["kind"],
            "n_kecamatan": k["n_kecamatan"], "n_desa": k["n_desa"], "n_kelurahan": k["n_kelurahan"],
            "population": k["population"], "area_km2": "%.3f" % k["area"],
            "employed_workers": kk_emp[c], "employed_method": kk_method[c],
            "formal_share": share4(k["province_code"]),
            "km_to_office": km_to_office(float(k["area"])),
        })

    write_csv(os.path.join(HERE, "provinces.csv"), PROV_COLUMNS, prov_out)
    write_csv(os.path.join(HERE, "regions.csv"), REGION_COLUMNS, reg_out)
    write_csv(os.path.join(HERE, "employment_by_province.csv"), SERIES_COLUMNS, series)

    stats = {
        "nat_pop": nat_pop, "ratio": ratio, "within_ratio": within_ratio,
        "n_desa": sum(p["n_desa"] for p in provs.values()),
        "n_kel": sum(p["n_kelurahan"] for p in provs.values()),
        "n_kec": sum(p["n_kecamatan"] for p in provs.values()),
        "formal_fallback": formal_fallback, "national_formal": national_formal,
        "implied_formal": sum(prov_emp[c] * formal[c] for c in provs),
        "bpjstk_provs": sorted(bpjstk),
        "bpjstk_active_sum": sum(a for a, _ in bpjstk.values()),
        "bpjstk_emp_sum": sum(prov_emp[c] for c in bpjstk),
        "over_100": [(r["code"], r["name"], r["coverage_share_2023_12"]) for r in prov_out
                     if r["coverage_share_2023_12"] and Decimal(r["coverage_share_2023_12"]) > 1],
        "missing_bpjstk": [(r["code"], r["name"]) for r in prov_out if r["code"] not in bpjstk],
        "km": sorted((Decimal(r["km_to_office"]), r["code"]) for r in reg_out),
        "series": series, "jateng_mean_share": jateng_mean_share,
    }
    write_readme(stats, prov_out, reg_out)
    print_summary(stats, prov_out, reg_out)


def ratio_str(fr, nd=6):
    return round_half_up(fr, nd)


def print_summary(st, prov_out, reg_out):
    regs = {r["code"]: r for r in reg_out}
    provs = {r["code"]: r for r in prov_out}
    n_kabupaten = sum(r["kind"] == "kabupaten" for r in reg_out)
    print("provinces.csv: %d rows; regions.csv: %d rows (%d kabupaten, %d kota)"
          % (len(prov_out), len(reg_out), n_kabupaten, len(reg_out) - n_kabupaten))
    print("national: population %s, employed %s, kecamatan %s, desa %s, kelurahan %s"
          % (fmt_int(st["nat_pop"]), fmt_int(sum(r["employed_workers"] for r in prov_out)),
             fmt_int(st["n_kec"]), fmt_int(st["n_desa"]), fmt_int(st["n_kel"])))
    print("national ratio (non-Jateng employed / population): %s" % ratio_str(st["ratio"]))
    j = provs[JATENG_CODE]
    print("Jawa Tengah (33): population %s, employed %s [%s], formal %s, coverage 2023-12 %s"
          % (fmt_int(j["population"]), fmt_int(j["employed_workers"]), j["employed_method"],
             j["formal_share"], j["coverage_share_2023_12"]))
    for c in SUMMARY_REGIONS:
        r = regs[c]
        print("%s %s: population %s, employed %s [%s], area %s km2, km_to_office %s, formal %s"
              % (c, r["name"], fmt_int(r["population"]), fmt_int(r["employed_workers"]),
                 r["employed_method"], r["area_km2"], r["km_to_office"], r["formal_share"]))
    if st["formal_fallback"]:
        for code, name, year in st["formal_fallback"]:
            print("NOTE: formal share for %s %s uses %d (2024 blank)" % (code, name, year))
    else:
        print("formal share: all 38 provinces have a 2024 value")
    for code, name, cov in st["over_100"]:
        print("NOTE: coverage_share_2023_12 > 1 for %s %s (%s)" % (code, name, cov))


# ---- README ----------------------------------------------------------------

def write_readme(st, prov_out, reg_out):
    regs = {r["code"]: r for r in reg_out}
    provs = {r["code"]: r for r in prov_out}
    ratio = ratio_str(st["ratio"])
    jw = st["within_ratio"].get(JATENG_CODE)
    sw = st["within_ratio"].get("13")
    implied = Decimal(st["implied_formal"]) / Decimal(NATIONAL_EMPLOYED)
    km_min, km_max = st["km"][0], st["km"][-1]
    km_med = st["km"][len(st["km"]) // 2]
    if st["formal_fallback"]:
        fallback = "; ".join("%s %s uses %d" % f for f in st["formal_fallback"])
    else:
        fallback = ("none (all 38 provinces have a 2024 value; the script would list any "
                    "fallback here)")
    src_rows = []
    for name in SOURCE_FILES:
        path = os.path.join(SRC_DIR, name)
        src_rows.append("| `sources/%s` | %s | `%s` |" % (name, fmt_int(os.path.getsize(path)),
                                                         sha256(path)[:16]))
    over = ", ".join("%s %s (%s)" % o for o in st["over_100"]) or "none"
    missing = ", ".join("%s %s" % m for m in st["missing_bpjstk"])

    L = []
    a = L.append
    a("# Region data for ulcsim")
    a("")
    a("Generated by `build_region_data.py` from the files in `sources/`. Do not edit the CSV files "
      "or this README by hand; change the script and regenerate:")
    a("")
    a("```")
    a("python3 scenarios/data/build_region_data.py")
    a("```")
    a("")
    a("To re-copy the sources first, byte for byte, from a folder DIR holding fresh downloads (named as in `sources/SOURCES.md`): "
      "`python3 scenarios/data/build_region_data.py --refresh-from DIR`.")
    a("The script uses only the Python standard library, is deterministic (byte-identical output on "
      "every run, `\\n` line endings) and fails loudly if any invariant listed below is violated.")
    a("")
    a("Origin, commits and licences of every source file: see [`sources/SOURCES.md`](sources/SOURCES.md). "
      "Labels as in `docs/PRIORS.md`: **EXACT** = as published, **ESTIMATE** = derived here.")
    a("")
    a("## Files")
    a("")
    a("| file | content |")
    a("| --- | --- |")
    a("| `provinces.csv` | %d provinces, sorted by Kemendagri code |" % len(prov_out))
    a("| `regions.csv` | %d kabupaten/kota (%d kabupaten, %d kota), sorted by Kemendagri code |"
      % (len(reg_out), sum(r["kind"] == "kabupaten" for r in reg_out),
         sum(r["kind"] == "kota" for r in reg_out)))
    a("| `employment_by_province.csv` | employed workers of each province at each BPS Sakernas month "
      "of the sources (%s), for `population.workforce_from` |" % ", ".join(sorted(SERIES_NATIONAL)))
    a("| `build_region_data.py` | the build script |")
    a("| `sources/` | verbatim copies of the source files (table below) |")
    a("")
    a("| source copy | bytes | sha256 (first 16 hex) |")
    a("| --- | --- | --- |")
    L.extend(src_rows)
    a("")
    a("## `provinces.csv`")
    a("")
    a("| column | unit / type | meaning | status |")
    a("| --- | --- | --- | --- |")
    a("| `code` | text, 2 digits | Kemendagri province code (e.g. `33`). Equals the BPS code except in Papua (91–96 differ) | EXACT |")
    a("| `name` | text | province name as in the Kemendagri file | EXACT |")
    a("| `n_kabkota` | count | kabupaten + kota in the province | EXACT |")
    a("| `n_desa` | count | desa (village code segment `2xxx`) | EXACT |")
    a("| `n_kelurahan` | count | kelurahan (village code segment `1xxx`); Aceh shows 0 because all gampong carry `2xxx` codes | EXACT |")
    a("| `population` | persons | Dukcapil administrative population, about 2024/25 (via cahyadsn/wilayah) | EXACT (administrative) |")
    a("| `employed_workers` | persons | employed persons (BPS \"bekerja\"), Aug 2024 basis; see below | EXACT for Jawa Tengah, ESTIMATE otherwise |")
    a("| `employed_method` | tag | `bps_province` (published BPS figure) or `national_ratio` (population × national ratio) | — |")
    a("| `formal_share` | fraction 0–1, 4 decimals | share of employed in formal employment, BPS Sakernas Aug 2024 (percent ÷ 100) | EXACT |")
    a("| `bpjstk_active_2023_12` | persons | BPJS Ketenagakerjaan active participants, Dec 2023 (Kemnaker Satu Data via spn.or.id); blank where the source is missing | EXACT (as transcribed) |")
    a("| `bpjstk_nonactive_2023_12` | persons | non-active participants, Dec 2023; blank where missing | EXACT (as transcribed) |")
    a("| `coverage_share_2023_12` | fraction, 4 decimals | `bpjstk_active_2023_12 / employed_workers`; blank where active is unknown | ESTIMATE |")
    a("")
    a("## `regions.csv`")
    a("")
    a("| column | unit / type | meaning | status |")
    a("| --- | --- | --- | --- |")
    a("| `code` | text `NN.NN` | Kemendagri kab/kota code (e.g. `33.71`) | EXACT |")
    a("| `province_code` | text, 2 digits | parent province; always present in `provinces.csv` | EXACT |")
    a("| `name` | text | name as in the Kemendagri file (surrounding whitespace stripped) | EXACT |")
    a("| `kind` | `kabupaten` / `kota` | from the Kemendagri file (agrees with the convention: code segment starting with `7` = kota) | EXACT |")
    a("| `n_kecamatan` | count | kecamatan in the kab/kota | EXACT |")
    a("| `n_desa` | count | desa; checked against the desa/kelurahan file | EXACT |")
    a("| `n_kelurahan` | count | kelurahan; checked against the desa/kelurahan file | EXACT |")
    a("| `population` | persons | Dukcapil administrative population, about 2024/25 | EXACT (administrative) |")
    a("| `area_km2` | km², 3 decimals | area (Kemendagri 2025 / BIG) | EXACT |")
    a("| `employed_workers` | persons, integer | employed persons, Aug 2024 basis; see below | ESTIMATE except `bps_kabkota` rows |")
    a("| `employed_method` | tag | `bps_kabkota`, `province_share` or `national_ratio`; see below | — |")
    a("| `formal_share` | fraction 0–1, 4 decimals | the **province's** BPS 2024 formal share (no kab/kota value in our data) | ESTIMATE for the kab/kota |")
    a("| `km_to_office` | km, 1 decimal | mean distance from a worker to the nearest BPJS TK office, geometric model below | ESTIMATE |")
    a("")
    a("## How `employed_workers` was estimated")
    a("")
    a("Only three employment figures below national level were found (rows of `scenarios/data/observations.csv`); everything "
      "else is spread by population. Steps, in order:")
    a("")
    a("1. **Fixed kab/kota (`bps_kabkota`).**")
    for code in sorted(FIXED_KABKOTA):
        a("   - `%s` %s." % (code, FIXED_KABKOTA[code][1]))
    a("2. **Province totals.**")
    a("   - Jawa Tengah (33) = 20,860,000, BPS Jateng Aug 2024 [EXACT] → tag `bps_province`.")
    a("   - Every other province [ESTIMATE] → tag `national_ratio`:")
    a("")
    a("     ```")
    a("     employed = population × (144,640,000 − 20,860,000) / (%s − %s)"
      % (fmt_int(st["nat_pop"]), fmt_int(provs[JATENG_CODE]["population"])))
    a("              = population × 123,780,000 / %s"
      % fmt_int(st["nat_pop"] - provs[JATENG_CODE]["population"]))
    a("              = population × %s" % ratio)
    a("     ```")
    a("")
    a("     National ratio = **%s** employed per resident. 144,640,000 is BPS Sakernas Aug 2024 "
      "national employed [EXACT]; %s is the sum of the Dukcapil province populations. So the "
      "provinces sum to exactly 144,640,000. "
      "(For comparison, Jawa Tengah's own ratio is 20,860,000 / %s = %s.)"
      % (ratio, fmt_int(st["nat_pop"]), fmt_int(provs[JATENG_CODE]["population"]),
         round_half_up(Fraction(JATENG_EMPLOYED, provs[JATENG_CODE]["population"]), 6)))
    a("3. **Kab/kota within a province.** The province total minus any fixed kab/kota in it is split "
      "over the remaining kab/kota in proportion to population. Tag `province_share` for Jawa Tengah's "
      "rows, `national_ratio` for other provinces' rows.")
    if jw is not None:
        a("   - Jawa Tengah: (20,860,000 − 796,325) over the other 34 kab/kota = %s employed per resident."
          % round_half_up(jw, 6))
    if sw is not None:
        a("   - Sumatera Barat: (%s − 36,100) over the other 18 kab/kota = %s employed per resident."
          % (fmt_int(provs["13"]["employed_workers"]), round_half_up(sw, 6)))
    a("4. **Rounding.** Integers by the largest-remainder method (floor every exact quota, then give the "
      "leftover persons to the largest fractional parts, ties by code), first over the 37 non-Jateng "
      "provinces, then over the kab/kota of each province. Kab/kota rows sum exactly to their "
      "province, and provinces sum exactly to 144,640,000.")
    a("")
    a("Examples: Kota Magelang (33.71) %s; Kabupaten Magelang (33.08) %s; Kota Sawahlunto (13.73) %s; "
      "Kota Yogyakarta (34.71) %s."
      % tuple(fmt_int(regs[c]["employed_workers"]) for c in ("33.71", "33.08", "13.73", "34.71")))
    a("")
    a("## `employment_by_province.csv`")
    a("")
    a("Employed workers of each province over time, read when a scenario sets "
      "`population.workforce_from = \"bps_employment_by_province\"` (see `scenarios/README.md`). "
      "One row per province and month, sorted by province then month.")
    a("")
    a("| column | unit / type | meaning |")
    a("| --- | --- | --- |")
    a("| `province_code` | text, 2 digits | Kemendagri province code, as in `provinces.csv` |")
    a("| `month` | `YYYY-MM` | the Sakernas round (August or February) |")
    a("| `employed_workers` | persons | employed persons (BPS \"bekerja\") |")
    a("| `method` | tag | `bps_province`, `national_share` or `mean_share_of_nation`; see below |")
    a("| `label` | EXACT / ESTIMATE | as in `docs/PRIORS.md` |")
    a("| `observation_rows` | ids, space-separated | the rows of `observations.csv` the figure is "
      "built from (each names its publication) |")
    a("")
    a("BPS publishes employment for every province, but the sources collected here hold only the "
      "national figure (Sakernas Aug 2023, Feb 2024 and Aug 2024 releases) and Jawa Tengah's "
      "(BPS Jawa Tengah, Aug 2023 and Aug 2024). So:")
    a("")
    a("- **Jawa Tengah** takes its BPS figure [EXACT, `bps_province`] in Aug 2023 (19,990,000) and "
      "Aug 2024 (20,860,000). In Feb 2024 it has none: the national figure times the mean of its "
      "shares of the nation in those two Augusts (%s) [ESTIMATE, `mean_share_of_nation`]."
      % round_half_up(st["jateng_mean_share"], 6))
    a("- **Every other province** gets the national figure less Jawa Tengah's, split by "
      "population exactly as `provinces.csv` splits Aug 2024 (largest remainder) [ESTIMATE, "
      "`national_share`]. Every province outside Jawa Tengah therefore moves with the nation less Jawa Tengah: "
      "the table carries no provincial differences in growth beyond Jawa Tengah's.")
    a("- The provinces sum exactly to the national figure at each month, and the Aug 2024 rows "
      "are `provinces.csv`'s `employed_workers` (the basis of the region data), which the script "
      "checks.")
    a("")
    totals = {}
    for r in st["series"]:
        totals.setdefault(r["month"], 0)
        totals[r["month"]] += r["employed_workers"]
    jt = {r["month"]: r["employed_workers"] for r in st["series"] if r["province_code"] == JATENG_CODE}
    a("| month | nation | Jawa Tengah |")
    a("| --- | ---: | ---: |")
    for m in sorted(totals):
        a("| %s | %s | %s |" % (m, fmt_int(totals[m]), fmt_int(jt[m])))
    a("")
    a("Between its months the engine interpolates each province geometrically; before the first "
      "and after the last it applies the province's mean annual growth over the table "
      "(Aug 2023 to Aug 2024: nation +%s%%, Jawa Tengah +%s%%), times "
      "`population.workforce_growth_factor` (a documented assumption, not data)."
      % (round_half_up(Fraction(totals["2024-08"], totals["2023-08"]) * 100 - 100, 2),
         round_half_up(Fraction(jt["2024-08"], jt["2023-08"]) * 100 - 100, 2)))
    a("")
    a("## Other derived columns")
    a("")
    a("- **`formal_share`** = BPS percent ÷ 100, rounded half-up to 4 decimals (Jawa Tengah 40.36%% → "
      "%s). If a province's 2024 value were blank, the latest non-blank earlier year would be used. "
      "Provinces using an earlier year: %s." % (provs[JATENG_CODE]["formal_share"], fallback))
    a("  - Check: the employed-weighted mean of the province shares is %s, against BPS's national "
      "42.05%% [ESTIMATE vs EXACT]." % implied.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    a("- **`coverage_share_2023_12`** = Dec 2023 active participants ÷ the Aug 2024 employed estimate "
      "[ESTIMATE]. Blank for the %d provinces missing from the partial source: %s. "
      "Over the %d provinces with data: %s active ÷ %s employed = %s."
      % (len(st["missing_bpjstk"]), missing, len(st["bpjstk_provs"]),
         fmt_int(st["bpjstk_active_sum"]), fmt_int(st["bpjstk_emp_sum"]),
         round_half_up(Fraction(st["bpjstk_active_sum"], st["bpjstk_emp_sum"]), 4)))
    a("  - Values above 1: %s. BPJS TK counts participants where the employer registers them "
      "(many head offices are in Jakarta) and many Jakarta workers commute from neighbouring "
      "provinces, while employed workers are estimated from where people are registered as living; "
      "so this ratio is not a residents' coverage rate (probable explanation, not verified)." % over)
    a("- **`km_to_office`** = (2/3)·√(area_km2 / π), rounded to 0.1 km [ESTIMATE]. It assumes one BPJS TK "
      "office at the centre of a disc with the kab/kota's area and workers spread uniformly over it "
      "(mean distance from a uniform point in a disc of radius R to its centre is 2R/3). "
      "Range %s km (%s) to %s km (%s), median %s km."
      % (km_min[0], regs[km_min[1]]["name"], km_max[0], regs[km_max[1]]["name"], km_med[0]))
    a("")
    a("## Known weaknesses")
    a("")
    a("- **Population is Dukcapil administrative data, about 2024/25, not BPS projections.** The "
      "Dukcapil semester is not stated by the source. All `national_ratio` and `province_share` "
      "employment figures inherit its errors (e.g. registered residence vs actual residence).")
    a("- **Employment outside Jawa Tengah is one national ratio applied to population.** It ignores "
      "provincial differences in age structure, participation (TPAK) and unemployment (TPT). Kota "
      "and kabupaten get the same employed-per-resident ratio within a province.")
    a("- **Mixed reference dates.** Kabupaten Magelang's 796,325 is for 2023 and Kota Sawahlunto's "
      "36,100 is a 2024 estimate; both are subtracted from Aug 2024 province totals. Coverage uses "
      "Dec 2023 participants over Aug 2024 employed.")
    a("- **Kota and kabupaten share the province formal share**, although cities are far more formal "
      "in reality, so formal_share is probably too low for kota and too high for rural kabupaten.")
    a("- **Kota Magelang check**: the estimate of %s employed is above the roughly 60,000 workers "
      "implied by a local press quote (about 2023) and BPS's 57,133 for 2015 (`scenarios/data/observations.csv`, rows 33.71); the "
      "population-share method may not fit small cities well."
      % fmt_int(regs["33.71"]["employed_workers"]))
    a("- **Distances are a geometric estimate**: one office per kab/kota at the centre of a disc; real "
      "office locations, branch (KCP) counts, roads, islands and settlement patterns are ignored.")
    a("- **BPJS TK by province is partial** (28 of 38; the 10 eastern provinces hold about 1.78m "
      "active participants in total, not assigned here) and was transcribed by hand from a news page.")
    a("- **Papua codes**: codes are Kemendagri, not BPS (BPS 94 = Papua, Kemendagri 91 = Papua). The "
      "BPS 2024 PAPUA BARAT share excludes Papua Barat Daya; PAPUA 2020–2023 values refer to the "
      "old undivided province (not used here because 2024 values exist).")
    a("")
    a("## Invariants checked by the script")
    a("")
    a("38 provinces; 514 kab/kota (416 kabupaten, 98 kota); 7,285 kecamatan; 83,762 desa+kelurahan "
      "(75,266 desa, 8,496 kelurahan); every stated desa/kelurahan/kecamatan/kab/kota count agrees "
      "with the count from the level below; desa/kelurahan type agrees with the code convention; "
      "every kab/kota's province exists; province population = sum of its kab/kota; kab/kota "
      "employed sums to the province total; national employed = 144,640,000; the employment "
      "series sums to the national figure at each month and equals `provinces.csv` in Aug 2024.")
    text = "\n".join(line.rstrip() for line in L) + "\n"
    with open(os.path.join(HERE, "README.md"), "w", newline="", encoding="utf-8") as fh:
        fh.write(text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--refresh-from", metavar="DIR",
                    help="first copy the source files byte-for-byte from DIR into sources/")
    args = ap.parse_args(argv)
    try:
        if args.refresh_from:
            refresh_sources(args.refresh_from)
        build()
    except DataError as e:
        print(str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
