#!/usr/bin/env python3
"""Reads the four arms of the subsidy-trial replica (run files written by make.sh) and prints
the table of results/experiments/README.md as CSV: per arm, enrolment in the first year, the
share covered at the end of the activation window, coverage during and after the subsidy
relative to control, and the programme's cost per covered member-month.

    table.py RUN_DIR   (RUN_DIR/<arm>.h5 for arm in control, full, full-assisted, half)
"""
import sys

import h5py
import numpy as np

ARMS = ["control", "full", "full-assisted", "half"]
WINDOW = 2  # months of the activation window
FUNDED = 12  # months each member is funded
PUBLISHED = {  # Banerjee et al., AER 2021 (see README.md); "" where no figure was at hand
    "control": ("about 8%", "", "", ""),
    "full": ("", "", "", ""),
    "full-assisted": ("about 30%", "", "", ""),
    "half": ("", "", "", ""),
    "subsidy arms": ("", "more than 8 × control", "about 2 × control", "no higher than control"),
}


def arm(path):
    with h5py.File(path, "r") as f:
        s = f["series"]
        total = lambda name: s[name][...].sum(axis=(2, 3))  # replicate × month
        labour = total("labour_force")
        covered = total("covered")
        enrolled = total("enrolled")
        spent = f["programs/spent_idr"][...].sum(axis=2) if "programs/spent_idr" in f else 0 * covered
        members = f["programs/members"][...].sum(axis=2) if "programs/members" in f else 0 * covered
    return {
        # enrolments per eligible worker in the first 12 months (re-enrolments count again)
        "enrolment_year1": (enrolled[:, :FUNDED].sum(axis=1) / labour[:, 0]).mean(),
        "covered_after_window": (covered[:, WINDOW - 1] / labour[:, WINDOW - 1]).mean(),
        # mean coverage while members are funded (months 1 … 13: the last cohort's 12
        # months), and in the 12 months after the last funded month
        "during": (covered[:, : FUNDED + WINDOW - 1] / labour[:, : FUNDED + WINDOW - 1]).mean(),
        "after": (covered[:, FUNDED + WINDOW - 1 :] / labour[:, FUNDED + WINDOW - 1 :]).mean(),
        "member_months": members.sum(axis=1).mean(),
        "spent": spent.sum(axis=1).mean(),
        "covered_months": covered.sum(axis=1).mean(),
    }


def main():
    runs = sys.argv[1]
    r = {a: arm(f"{runs}/{a}.h5") for a in ARMS}
    c = r["control"]
    print(
        "arm,enrolment_first_year,covered_end_of_window,coverage_during_vs_control,"
        "coverage_after_vs_control,programme_idr_per_funded_member_month,"
        "programme_idr_per_covered_worker_month,published_enrolment"
    )
    for a in ARMS:
        x = r[a]
        per_member = x["spent"] / x["member_months"] if x["member_months"] else 0
        print(
            f"{a},{x['enrolment_year1']:.3f},{x['covered_after_window']:.3f},"
            f"{x['during'] / c['during']:.2f},{x['after'] / c['after']:.2f},"
            f"{per_member:.0f},{x['spent'] / x['covered_months']:.0f},{PUBLISHED[a][0]}"
        )


if __name__ == "__main__":
    main()
