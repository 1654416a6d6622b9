#!/usr/bin/env python3
"""Gate on score-oracles.py's JSON: PSA conformance 100%, every finding on its field, no
crash, and the per-suite floor in ci/score-floor.json (a ratchet: it only goes up).

Usage: check-score.py SCORE.json
"""
import json
import os
import re
import sys

data = json.load(open(sys.argv[1]))
problems = []
psa = data["report"].get("psa")
if not psa or psa["rows"] == 0:
    problems.append("no psa rows were scored (is the corpus there?)")
elif psa["agree"] != psa["rows"]:
    problems.append(f"psa agreement {psa['agree']}/{psa['rows']}: {psa['disagree'][:10]}")
pos = data["positions"]
if pos["total"] == 0:
    problems.append("no findings were positioned")
if pos["inside"] != pos["total"]:
    problems.append(f"{pos['total'] - pos['inside']} findings outside their file: {pos['bad'][:10]}")
# score-oracles splits yaml_path on every `.`, also inside a quoted key such as
# metadata.labels["app.kubernetes.io/name"]; re-check such lines with the path parsed whole.
SEG_RE = re.compile(r"""\[(\d+)\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|([^.\[\]]+)""")


def names_field(yaml_path, column, text):
    """The line names the field or, for a missing field, an ancestor key; or it is the
    document root's first key, the nearest parent of a missing top-level field."""
    keys = [m.group(2) or m.group(3) for m in SEG_RE.finditer(yaml_path or "") if m.group(1) is None]
    root_head = column == 1 and re.match(r"^[A-Za-z_][\w.-]*:", text) is not None
    return root_head or any(k in text for k in keys)


# A JSON object that starts on a line of its own (`{` under `"containers": [`) is the exact
# position of a container whose field is missing; that line holds no key to name.
unnamed = [b for b in pos["bad"] if b[0] == "unnamed" and b[-1] not in ("{", "[")
           and not names_field(b[5], b[3], b[6])]
if unnamed:
    problems.append(f"findings whose line does not name the field: {unnamed[:10]}")
listed = sum(1 for b in pos["bad"] if b[0] == "unnamed")
if pos["total"] - pos["named"] > listed:
    # score-oracles lists at most 200 problems; the exact check above covers the rest.
    print(f"score gate: {pos['total'] - pos['named']} unnamed by the scorer's split, {listed} listed and re-checked")
if pos["exact"] != pos["checkable"]:
    problems.append(f"{pos['checkable'] - pos['exact']} findings not exactly on their field: {pos['inexact'][:10]}")
# The ratchet: per suite, no fewer mapped or agreeing rows and no more disagreements than
# ci/score-floor.json records.
floor_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ci", "score-floor.json")
floor = json.load(open(floor_path))["suites"]
for suite, f in floor.items():
    got = data["report"].get(suite)
    if got is None:
        problems.append(f"{suite}: not scored")
        continue
    dis, fdis = got["mapped"] - got["agree"], f["mapped"] - f["agree"]
    if got["mapped"] < f["mapped"] or got["agree"] < f["agree"] or dis > fdis:
        problems.append(f"{suite}: mapped {got['mapped']} agree {got['agree']} is below the floor "
                        f"(mapped {f['mapped']} agree {f['agree']})")
    elif got["agree"] > f["agree"] or dis < fdis:
        print(f"score gate: {suite} beats the floor ({got['agree']}/{got['mapped']}): raise ci/score-floor.json")
if data.get("crashes"):
    problems.append(f"{data['crashes']} crashes")
for p in problems:
    print("score gate:", p)
sys.exit(1 if problems else 0)
