#!/usr/bin/env python3
"""Checks that the repository stands on its own: no committed text file points at documents that
live outside it (the founding design and domain notes, the seed articles, the shared data folder
or a developer's machine). A figure's source must be its publication, listed in docs/SOURCES.md,
or a row of scenarios/data/observations.csv.

    self_contained_test.py SOURCE_DIR            check the tree (the files git tracks, else all)
    self_contained_test.py SOURCE_DIR --self-test also check that planted references are caught

Exit 0 when clean; 1 with one line per finding (path:line: text) otherwise.
"""
import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# Spelled in pieces so that this file does not match itself.
_NAMES = ["DOMAIN", "DESIGN", "STYLE"]
OUTSIDE = re.compile(
    r"\b(?:%s)\.md\b" % "|".join(_NAMES)
    + r"|\.\./" + "shared" + r"\b"
    + r"|(?<![\w-])" + "shared" + r"/(?:data|seeds)\b"
    + r"|/" + "work" + r"/(?:shared|main|wt-)",
    re.IGNORECASE)

SKIP_DIRS = {".git", "build", "third_party", "node_modules", "__pycache__"}
TEXT_SUFFIXES = {".md", ".txt", ".toml", ".csv", ".cpp", ".hpp", ".h", ".py", ".sh", ".cmake",
                 ".json", ".html", ".js", ".css", ".yml", ".yaml", ".in", ""}


def tracked_files(root):
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], check=True,
                             capture_output=True).stdout
        files = [root / p for p in out.decode().split("\0") if p]
        if files:
            return files
    except (OSError, subprocess.CalledProcessError):
        pass
    return [p for p in root.rglob("*")
            if p.is_file() and not (set(p.relative_to(root).parts) & SKIP_DIRS)]


def findings(root):
    found = []
    for path in tracked_files(root):
        rel = path.relative_to(root)
        if set(rel.parts) & SKIP_DIRS or path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                found.append("%s:%d: %s" % (rel, number, line.strip()[:160]))
    return found


def self_test():
    """A check that cannot fail proves nothing: plant each kind of reference and expect it."""
    planted = ["see " + "DOMAIN" + ".md §3.2", "# from " + "DESIGN" + ".md",
               "data in ../" + "shared" + "/data", "the " + "shared" + "/seeds article",
               "/" + "work" + "/shared/DOMAIN"]
    clean = ["docs/SOURCES.md §4", "scenarios/data/observations.csv", "a shared cost",
             "shared-data", "workers/shared"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i, text in enumerate(planted + clean):
            (root / ("f%d.md" % i)).write_text(text + "\n", encoding="utf-8")
        hits = {line.split(":")[0] for line in findings(root)}
        for i, text in enumerate(planted + clean):
            expected = i < len(planted)
            if (("f%d.md" % i) in hits) != expected:
                print("self-test: %r %s" % (text, "not caught" if expected else "wrongly caught"))
                ok = False
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source_dir")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    ok = self_test() if args.self_test else True
    found = findings(Path(args.source_dir).resolve())
    for line in found:
        print(line)
    if found:
        print("%d references outside the repository" % len(found))
    return 0 if ok and not found else 1


if __name__ == "__main__":
    sys.exit(main())
