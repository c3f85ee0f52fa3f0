#!/usr/bin/env python3
"""Checks that the README's "Your first scenario" still works as written: the shipped scenario it
copies and the region it picks exist, its two scenario files validate with the program, and what
`ulcsim validate` prints for them is what the README shows (lines the README trims with "…" aside).

    readme_first_scenario_test.py SOURCE_DIR ULCSIM

Exit 0 when it holds; 1 with one line per problem otherwise.
"""
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SECTION = "## Your first scenario"


def section(readme):
    start = readme.index(SECTION)
    end = readme.find("\n## ", start + len(SECTION))
    return readme[start:end if end >= 0 else len(readme)]


def check(source_dir, ulcsim):
    problems = []
    text = section((source_dir / "README.md").read_text(encoding="utf-8"))

    for copied in re.findall(r"^cp (\S+) \S+$", text, re.MULTILINE):
        if not (source_dir / copied).is_file():
            problems.append("copies %s, which is not in the repository" % copied)
    code = re.search(r"Kabupaten Temanggung, `([0-9.]+)`", text)
    regions = (source_dir / "scenarios/data/regions.csv").read_text(encoding="utf-8")
    if not code or not re.search(r"^%s,[0-9]+,Kabupaten Temanggung," % re.escape(code.group(1)),
                                 regions, re.MULTILINE):
        problems.append("the region code it names is not Kabupaten Temanggung's in regions.csv")

    files = re.findall(r"```toml\n(.*?)```", text, re.DOTALL)
    if len(files) != 2:
        return problems + ["expected the two scenario files as toml blocks, found %d" % len(files)]
    shown = re.search(r"```\n\$ ulcsim validate (\S+) (\S+)\n(.*?)```", text, re.DOTALL)
    if not shown:
        return problems + ["no `ulcsim validate` output shown"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, body in zip(shown.group(1, 2), files):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(body, encoding="utf-8")
        run = subprocess.run([str(ulcsim), "validate", *shown.group(1, 2)], cwd=root,
                             capture_output=True, text=True)
    if run.returncode != 0:
        problems.append("ulcsim validate exits %d: %s" % (run.returncode, run.stderr.strip()))
    printed = run.stdout.splitlines()
    for line in shown.group(3).splitlines():
        if line.strip() != "…" and line not in printed:
            problems.append("the README shows %r, ulcsim validate does not print it" % line)
    return problems


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    problems = check(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
    for p in problems:
        print("README.md, %s: %s" % (SECTION[3:], p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
