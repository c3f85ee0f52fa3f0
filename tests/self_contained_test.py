#!/usr/bin/env python3
"""Checks that the repository stands on its own: no committed text file points at documents that
live outside it (the founding design and domain notes, the seed articles, the shared data folder
or a developer's machine), every relative link of the documentation (README.md, docs/*.md,
scenarios/README.md) leads to a file of the repository, and to a heading of it when the link names
one, and every publication the shipped scenarios cite (in comments and `source` keys) is listed in
docs/SOURCES.md. A figure's source must be its publication, listed in docs/SOURCES.md, or a row of
scenarios/data/observations.csv.

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


# The documents whose links are checked, relative to the source folder.
LINKED_DOCS = ["README.md", "docs/*.md", "scenarios/README.md"]
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^\s*(```|~~~)")


def heading_anchors(text):
    """The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped but
    for hyphens and underscores, spaces as hyphens, repeats numbered -1, -2, …"""
    anchors, seen, fenced = set(), {}, False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        m = None if fenced else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else "%s-%d" % (slug, n))
    return anchors


def prose_lines(text):
    """(line number, line) outside fenced code, with inline code spans blanked."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, re.sub(r"`[^`]*`", "``", line)


def broken_links(root):
    """Relative links of the documentation that lead nowhere: path:line: target (why)."""
    found = []
    for pattern in LINKED_DOCS:
        for doc in sorted(root.glob(pattern)):
            text = doc.read_text(encoding="utf-8")
            rel = doc.relative_to(root)
            for number, line in prose_lines(text):
                for target in LINK.findall(line):
                    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
                        continue  # https:, mailto: …: outside by design, not a file
                    path, _, anchor = target.partition("#")
                    dest = (doc.parent / path).resolve() if path else doc
                    why = None
                    if path.startswith("/"):
                        why = "an absolute path"
                    elif root.resolve() not in dest.parents and dest != root.resolve():
                        why = "outside the repository"
                    elif not dest.exists():
                        why = "no such file"
                    elif anchor and dest.suffix == ".md" and dest.is_file():
                        if anchor not in heading_anchors(dest.read_text(encoding="utf-8")):
                            why = "no heading '#%s' there" % anchor
                    if why:
                        found.append("%s:%d: %s (%s)" % (rel, number, target, why))
    return found


# What names a publication in a scenario's comments and `source` keys: an article's identifier
# (news 553526, 251QlYwtc72, p7qm65396: five or more letters and digits, three or more of them
# digits, not a rupiah amount or a value) and an outlet's address (jateng.antaranews,
# koranbernas.id), not a file or a scenario key.
ARTICLE_ID = re.compile(r"(?<![\w.,=-])([A-Za-z0-9]*\d[A-Za-z0-9]*)(?![\w,-]|\.\d)")
ADDRESS = re.compile(r"(?<![\w/.@-])([a-z]{3,}(?:\.[a-z]{2,})+)(?![\w/])")
SCENARIO_TABLES = {"run", "regions", "population", "behaviour", "benefits", "programme", "policy",
                   "ulc", "commuting", "observation"}


def citations(line):
    """The publication identifiers and addresses a scenario line cites."""
    text = line.split("#", 1)[1] if "#" in line else ""
    source = re.match(r'\s*source\s*=\s*"(.*)"', line)
    if source:
        text += " " + source.group(1)
    found = [t for t in ARTICLE_ID.findall(text)
             if len(t) >= 5 and sum(c.isdigit() for c in t) >= 3 and not t.startswith("Rp")]
    found += [t for t in ADDRESS.findall(text)
              if not re.search(r"\.(md|csv|toml|py|h5|html|sh)$", t)
              and t.split(".")[0] not in SCENARIO_TABLES]
    return found


def unlisted_citations(root):
    """Publications the shipped scenarios cite that docs/SOURCES.md does not list."""
    listed_file = root / "docs" / "SOURCES.md"
    if not listed_file.exists():
        return []
    squash = lambda t: re.sub(r"[^a-z0-9]", "", t.lower())
    listed = squash(listed_file.read_text(encoding="utf-8"))
    found = []
    for scenario in sorted(root.glob("scenarios/**/*.toml")):
        rel = scenario.relative_to(root)
        if set(rel.parts) & SKIP_DIRS or "tests" in rel.parts:
            continue
        for number, line in enumerate(scenario.read_text(encoding="utf-8").splitlines(), 1):
            for cited in citations(line):
                if squash(cited) not in listed:
                    found.append("%s:%d: %s (not in docs/SOURCES.md)" % (rel, number, cited))
    return found


def self_test():
    """A check that cannot fail proves nothing: plant each kind of reference and expect it."""
    planted = ["see " + "DOMAIN" + ".md §3.2", "# from " + "DESIGN" + ".md",
               "data in ../" + "shared" + "/data", "the " + "shared" + "/seeds article",
               "/" + "work" + "/shared/DOMAIN"]
    clean = ["docs/SOURCES.md §4", "scenarios/data/observations.csv", "a shared cost",
             "shared-data", "workers/shared"]
    ok = True
    ok = links_self_test() and ok
    ok = citations_self_test() and ok
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


def links_self_test():
    """Plants links that lead nowhere beside links that are fine, and expects exactly the first."""
    docs = {
        "README.md": "# Title\n\n## Your first scenario\n\n## Your first scenario\n\n"
                     "[ok](docs/A.md) [ok](docs/A.md#the-model-odd) [ok](#your-first-scenario-1)\n"
                     "[ok](https://example.org/x.md) [ok](scenarios/) `[code](nowhere.md)`\n"
                     "```\n[fenced](nowhere.md)\n```\n"
                     "[bad](docs/missing.md)\n[bad](docs/A.md#no-such-heading)\n"
                     "[bad](../outside.md)\n[bad](#nowhere)\n",
        "docs/A.md": "# The model (ODD)\n\n[ok](../README.md) [ok](B.md)\n[bad](C.md)\n",
        "docs/B.md": "# B\n",
    }
    expected = {"README.md:12", "README.md:13", "README.md:14", "README.md:15", "docs/A.md:4"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        for name, text in docs.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        (root / "scenarios").mkdir()
        got = {":".join(line.split(":")[:2]) for line in broken_links(root)}
    if got != expected:
        print("self-test of links: expected %s, got %s" % (sorted(expected), sorted(got)))
        return False
    return True


def citations_self_test():
    """Plants citations that docs/SOURCES.md lacks beside ones it lists and text that cites
    nothing, and expects exactly the first."""
    sources = "- **ANTARA Jawa Tengah**, news 553526 (jateng.antaranews.com)\n- **Koran Bernas (koranbernas.id)**\n"
    scenario = "\n".join([
        'source = "jateng.antaranews 553526 (Oct 2024); size ESTIMATE"',
        "# koranbernas.id (12 Mar 2025): 7,961 in 2025; docs/PRIORS.md §1; data/regions.csv",
        "budget = 206_035_200 # Rp206,035,200 = 2,044 × 6 × Rp16,800; --set programme.x.quota=2300",
        'source = "radar.example 123456 (QUOTED)"',
        "# kumparan 251QlYwtc72 (7 May 2025)",
    ])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        (root / "docs" / "SOURCES.md").write_text(sources, encoding="utf-8")
        (root / "scenarios").mkdir()
        (root / "scenarios" / "a.toml").write_text(scenario + "\n", encoding="utf-8")
        got = sorted(line.split(": ", 1)[1] for line in unlisted_citations(root))
    expected = sorted(["radar.example (not in docs/SOURCES.md)", "123456 (not in docs/SOURCES.md)",
                       "251QlYwtc72 (not in docs/SOURCES.md)"])
    if got != expected:
        print("self-test of citations: expected %s, got %s" % (expected, got))
        return False
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source_dir")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    ok = self_test() if args.self_test else True
    root = Path(args.source_dir).resolve()
    found = findings(root)
    for line in found:
        print(line)
    if found:
        print("%d references outside the repository" % len(found))
    broken = broken_links(root)
    for line in broken:
        print(line)
    if broken:
        print("%d relative links that lead nowhere" % len(broken))
    unlisted = unlisted_citations(root)
    for line in unlisted:
        print(line)
    if unlisted:
        print("%d publications cited by scenarios but not listed in docs/SOURCES.md" % len(unlisted))
    return 0 if ok and not found and not broken and not unlisted else 1


if __name__ == "__main__":
    sys.exit(main())
