#!/usr/bin/env python3
"""Self-check of the bad-input corpus (does not run ulcsim).

For every case NN-*.toml in this folder it checks the comment header, prints each
`# expect:` line next to the source line it points at (so a wrong LINE is easy to see),
and checks that the file parses as TOML with tomllib unless it is a malformed-TOML case
(an expect whose MESSAGE contains "invalid TOML"). Files in bases/ must parse too.

    python3 tests/scenario/bad_input/check_corpus.py            # check and print
    python3 tests/scenario/bad_input/check_corpus.py --quiet    # only problems
    python3 tests/scenario/bad_input/check_corpus.py --quiet --ulcsim build/ulcsim
                                                       # also run `ulcsim validate` on each case

With --ulcsim BIN every case is also run as `BIN validate tests/scenario/bad_input/CASE [ARGS]` from
the repository root and checked the way the test harness checks it (exit status 2, empty
stdout, one matching stderr line per expect); error lines that no expect accounts for are
listed as "extra" (not a failure). BIN may be a command with arguments, quoted as one word.

Exits 1 if a check fails.
"""
import pathlib
import re
import shlex
import subprocess
import sys
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
CASE_NAME = re.compile(r"^\d\d-[a-z0-9.-]+\.toml$")
HEADER = re.compile(r"^# (what|args|expect): (.+)$")
EXPECT = re.compile(r"^(-|\d+|bases/[a-z0-9-]+\.toml:\d+) (\S+) \| (.+)$")
TABLE_HEADER = re.compile(r"^\s*\[\[?[^\]]+\]\]?\s*(#.*)?$")


def last_segment(key):
    seg = re.split(r"\.(?![^\[]*\])", key)[-1]  # last dotted segment
    return re.sub(r"\[\d+\]$", "", seg)


def check_case(path, quiet):
    problems = []
    lines = path.read_text(encoding="utf-8").split("\n")
    header = []
    for line in lines:
        m = HEADER.match(line)
        if not m:
            break
        header.append(m.groups())
    kinds = [k for k, _ in header]
    if not kinds or kinds[0] != "what":
        problems.append("header must start with '# what:'")
    if kinds.count("what") != 1 or kinds.count("args") > 1:
        problems.append("exactly one '# what:' and at most one '# args:'")
    expects = [v for k, v in header if k == "expect"]
    if not expects:
        problems.append("no '# expect:' line")
    if kinds != sorted(kinds, key=["what", "args", "expect"].index):
        problems.append("header order must be what, args, expect")
    args = next((v for k, v in header if k == "args"), None)
    malformed = False
    out = [f"{path.name}: {header[0][1] if header else '?'}"]
    if args:
        out.append(f"    args: {args}")
    for e in expects:
        m = EXPECT.match(e)
        if not m:
            problems.append(f"bad expect line: {e!r}")
            continue
        where, key, msg = m.groups()
        if "invalid TOML" in msg:
            malformed = True
        if where == "-":
            if not args or "--set" not in args:
                problems.append(f"LINE '-' but no --set in '# args:': {e!r}")
            out.append(f"    {e}\n        (--set)")
            continue
        if ":" in where:
            fname, n = where.split(":")
            src = (HERE / fname).read_text(encoding="utf-8").split("\n")
        else:
            n, src = where, lines
        n = int(n)
        if not 1 <= n <= len(src):
            problems.append(f"LINE {n} outside the file: {e!r}")
            continue
        text = src[n - 1]
        out.append(f"    {e}\n        {n:3}: {text}")
        if n == 1 and ":" not in where and "missing required key" in msg:
            continue  # absent top-level table
        if not text.strip() or (text.lstrip().startswith("#") and n > len(header)):
            problems.append(f"LINE {n} is blank or a comment: {e!r}")
        elif key != "-" and not TABLE_HEADER.match(text):
            seg = last_segment(key)
            if seg.strip('"') not in text:
                problems.append(f"line {n} does not mention {seg!r}: {e!r}")
    if not malformed:
        try:
            tomllib.loads("\n".join(lines))
        except tomllib.TOMLDecodeError as err:
            problems.append(f"does not parse as TOML: {err}")
    else:
        try:
            tomllib.loads("\n".join(lines))
            problems.append("malformed-TOML case parses with tomllib")
        except tomllib.TOMLDecodeError as err:
            out.append(f"    tomllib: {err}")
    if not quiet or problems:
        print("\n".join(out))
    return problems


def run_case(path, ulcsim):
    """Runs one case through ulcsim and checks its expects; returns the problems."""
    root = HERE.parents[2]
    rel = path.relative_to(root).as_posix()
    header = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        m = HEADER.match(line)
        if not m:
            break
        header.append(m.groups())
    args = next((v.split() for k, v in header if k == "args"), [])
    cmd = shlex.split(ulcsim) + ["validate", rel] + args
    r = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    err = r.stderr.splitlines()
    problems, used = [], set()
    if r.returncode != 2:
        problems.append(f"exit status {r.returncode}, not 2")
    if r.stdout:
        problems.append(f"wrote to stdout: {r.stdout[:200]!r}")
    for kind, value in header:
        m = EXPECT.match(value) if kind == "expect" else None
        if not m:
            continue
        where, key, msg = m.groups()
        if where == "-":
            loc = "--set"
        elif ":" in where:
            loc = where + ":"
        else:
            loc = f"{rel}:{where}:"
        hits = [i for i, l in enumerate(err)
                if loc in l and (key == "-" or f"error: {key}:" in l) and msg in l]
        if not hits:
            problems.append(f"not reported: {value}")
        used.update(hits)
    if problems:
        problems += [f"  stderr: {l}" for l in err]
    else:
        for i, l in enumerate(err):
            if i not in used:
                print(f"{path.name}: extra: {l}")
    return problems


def main():
    quiet = "--quiet" in sys.argv
    ulcsim = None
    if "--ulcsim" in sys.argv:
        ulcsim = sys.argv[sys.argv.index("--ulcsim") + 1]
    failures = 0
    cases = sorted(p for p in HERE.glob("*.toml"))
    numbers = []
    for p in cases:
        if not CASE_NAME.match(p.name):
            print(f"{p.name}: name is not NN-short-name.toml")
            failures += 1
            continue
        numbers.append(int(p.name[:2]))
        for prob in check_case(p, quiet):
            print(f"  PROBLEM {p.name}: {prob}")
            failures += 1
        if ulcsim:
            probs = run_case(p, ulcsim)
            for prob in probs:
                print(f"  ULCSIM {p.name}: {prob}")
            failures += 1 if probs else 0
    if numbers != list(range(1, len(numbers) + 1)):
        print(f"case numbers are not 01..{len(numbers):02}: {numbers}")
        failures += 1
    for p in sorted((HERE / "bases").glob("*.toml")):
        try:
            tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            print(f"  PROBLEM bases/{p.name}: does not parse as TOML: {err}")
            failures += 1
    print(f"{len(cases)} cases, {failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
