#!/usr/bin/env python3
"""Gate on score-oracles.py's JSON: PSA conformance 100%, every finding on its field, no crash.

Usage: check-score.py SCORE.json
"""
import json
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


def names_field(yaml_path, text):
    keys = [m.group(2) or m.group(3) for m in SEG_RE.finditer(yaml_path or "") if m.group(1) is None]
    return any(k in text for k in keys[-3:])


# A JSON object that starts on a line of its own (`{` under `"containers": [`) is the exact
# position of a container whose field is missing; that line holds no key to name.
unnamed = [b for b in pos["bad"] if b[0] == "unnamed" and b[-1] not in ("{", "[")
           and not names_field(b[5], b[6])]
if unnamed:
    problems.append(f"findings whose line does not name the field: {unnamed[:10]}")
listed = sum(1 for b in pos["bad"] if b[0] == "unnamed")
if pos["total"] - pos["named"] > listed:
    # score-oracles lists at most 200 problems; the exact check above covers the rest.
    print(f"score gate: {pos['total'] - pos['named']} unnamed by the scorer's split, {listed} listed and re-checked")
if pos["exact"] != pos["checkable"]:
    problems.append(f"{pos['checkable'] - pos['exact']} findings not exactly on their field: {pos['inexact'][:10]}")
if data.get("crashes"):
    problems.append(f"{data['crashes']} crashes")
for p in problems:
    print("score gate:", p)
sys.exit(1 if problems else 0)
