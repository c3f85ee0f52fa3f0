#!/usr/bin/env bash
# Rewrites the generated key tables of scenarios/README.md (between its `<!-- keys … -->`
# and `<!-- end of keys -->` markers) with what `ulcsim keys --markdown` writes now, after a
# change to the table of scenario keys (engine/scenario/scenario_keys.cpp).
#
#   tools/update_key_reference.sh [BIN]     (default BIN: build/ci/engine/cli/ulcsim)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/ci/engine/cli/ulcsim}
readme=$here/../scenarios/README.md
"$bin" keys --markdown | python3 -c '
import re, sys
generated = sys.stdin.read()
blocks = {m.group(1): m.group(0) for m in
          re.finditer(r"<!-- keys (.*?): generated.*?<!-- end of keys -->", generated, re.S)}
path = sys.argv[1]
text = open(path).read()
seen = set()
def replace(m):
    heading = m.group(1)
    if heading not in blocks:
        sys.exit(f"{path}: a key table for {heading}, which the table of keys no longer has")
    seen.add(heading)
    return blocks[heading]
text = re.sub(r"<!-- keys (.*?): generated.*?<!-- end of keys -->", replace, text, flags=re.S)
for heading in blocks.keys() - seen:
    sys.exit(f"{path}: no place for the key table of {heading}: add its markers by hand")
open(path, "w").write(text)
' "$readme"
