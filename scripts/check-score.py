#!/usr/bin/env python3
"""Gate on score-oracles.py's JSON: PSA conformance 100%, every finding on its field, no crash.

Usage: check-score.py SCORE.json
"""
import json
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
# A JSON object that starts on a line of its own (`{` under `"containers": [`) is the exact
# position of a container whose field is missing; that line holds no key to name.
unnamed = [b for b in pos["bad"] if b[0] == "unnamed" and b[-1] not in ("{", "[")]
if pos["named"] + (len([b for b in pos["bad"] if b[0] == "unnamed"]) - len(unnamed)) != pos["total"] or unnamed:
    problems.append(f"findings whose line does not name the field: {unnamed[:10]}")
if pos["exact"] != pos["checkable"]:
    problems.append(f"{pos['checkable'] - pos['exact']} findings not exactly on their field: {pos['inexact'][:10]}")
if data.get("crashes"):
    problems.append(f"{data['crashes']} crashes")
for p in problems:
    print("score gate:", p)
sys.exit(1 if problems else 0)
