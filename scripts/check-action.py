#!/usr/bin/env python3
"""Check an action.yml against GitHub's action metadata syntax (composite actions).

Rules from "Metadata syntax for GitHub Actions": name, description and runs are required;
inputs need a description, `required` is a boolean and `default` a string; a composite
action's outputs need a description and a value; runs.using is a known runtime; a
composite step is either `run` (then `shell` is required) or `uses`, with only the keys
a composite step may have; ids are unique and well formed; branding uses a known colour.
Beyond the schema: every `inputs.X` and `steps.Y.outputs` an expression names exists
(steps only before the one that reads them).

Usage: scripts/check-action.py [action.yml]
"""
import re
import sys

import yaml

TOP = {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
INPUT_KEYS = {"description", "required", "default", "deprecationMessage"}
STEP_KEYS = {"run", "shell", "uses", "with", "name", "id", "if", "env",
             "working-directory", "continue-on-error"}
USING = {"composite", "node20", "node24", "docker"}
COLORS = {"white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"}
SHELLS = {"bash", "pwsh", "python", "sh", "cmd", "powershell"}
ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def main(path):
    errors = []
    err = errors.append
    with open(path) as f:
        meta = yaml.safe_load(f)
    if not isinstance(meta, dict):
        sys.exit(f"{path}: not a mapping")
    for k in sorted(set(meta) - TOP):
        err(f"unknown top-level key `{k}`")
    for k in ("name", "description", "runs"):
        if k not in meta:
            err(f"missing required key `{k}`")
    for k in ("name", "description", "author"):
        if k in meta and not isinstance(meta[k], str):
            err(f"`{k}` must be a string")

    inputs = meta.get("inputs") or {}
    if not isinstance(inputs, dict):
        err("`inputs` must be a mapping")
        inputs = {}
    for iid, spec in inputs.items():
        if not ID.match(str(iid)):
            err(f"input id `{iid}` must start with a letter or _ and hold only letters, digits, - and _")
        if not isinstance(spec, dict):
            err(f"input `{iid}` must be a mapping")
            continue
        for k in sorted(set(spec) - INPUT_KEYS):
            err(f"input `{iid}`: unknown key `{k}`")
        if not isinstance(spec.get("description"), str):
            err(f"input `{iid}`: `description` (a string) is required")
        if "required" in spec and not isinstance(spec["required"], bool):
            err(f"input `{iid}`: `required` must be a boolean")
        if "default" in spec and not isinstance(spec["default"], str):
            err(f"input `{iid}`: `default` must be a string, not {type(spec['default']).__name__}"
                " (quote it)")

    runs = meta.get("runs") or {}
    using = runs.get("using") if isinstance(runs, dict) else None
    if using not in USING:
        err(f"runs.using must be one of {sorted(USING)}, not {using!r}")
    outputs = meta.get("outputs") or {}
    for oid, spec in (outputs.items() if isinstance(outputs, dict) else []):
        if not ID.match(str(oid)):
            err(f"output id `{oid}` is malformed")
        if not isinstance(spec, dict) or not isinstance(spec.get("description"), str):
            err(f"output `{oid}`: `description` is required")
            continue
        if using == "composite" and not isinstance(spec.get("value"), str):
            err(f"output `{oid}`: a composite action's output needs `value`")

    step_ids = []
    if using == "composite":
        steps = runs.get("steps")
        if not isinstance(steps, list) or not steps:
            err("runs.steps (a non-empty list) is required for a composite action")
            steps = []
        for i, step in enumerate(steps):
            where = f"step {i + 1} ({step.get('name') or step.get('id') or step.get('uses') or '?'})"
            for k in sorted(set(step) - STEP_KEYS):
                err(f"{where}: unknown key `{k}`")
            if ("run" in step) == ("uses" in step):
                err(f"{where}: exactly one of `run` and `uses`")
            if "run" in step:
                if step.get("shell") not in SHELLS and not str(step.get("shell", "")).count("{0}"):
                    err(f"{where}: a composite `run` step needs `shell` (bash, pwsh, ...)")
                if "with" in step:
                    err(f"{where}: `with` belongs to `uses` steps")
            if "uses" in step and not re.match(r"^[\w.-]+/[\w./-]+@[\w.-]+$|^\./|^docker://",
                                                 str(step["uses"])):
                err(f"{where}: `uses` must be owner/repo@ref, ./path or docker://image")
            for k in ("env", "with"):
                if k in step and not isinstance(step[k], dict):
                    err(f"{where}: `{k}` must be a mapping")
            texts = [str(v) for k, v in step.items() if k in ("run", "if", "working-directory", "shell")]
            texts += [str(v) for k in ("env", "with") for v in (step.get(k) or {}).values()]
            exprs = [m for t in texts for m in EXPR.findall(t)]
            if "if" in step:
                exprs.append(str(step["if"]))
            for e in exprs:
                for name in re.findall(r"\binputs\.([\w-]+)", e):
                    if name not in inputs:
                        err(f"{where}: `inputs.{name}` is not an input")
                for sid in re.findall(r"\bsteps\.([\w-]+)\.outputs", e):
                    if sid not in step_ids:
                        err(f"{where}: `steps.{sid}` is not an earlier step's id")
            if "id" in step:
                if not ID.match(str(step["id"])):
                    err(f"{where}: id `{step['id']}` is malformed")
                if step["id"] in step_ids:
                    err(f"{where}: id `{step['id']}` is used twice")
                step_ids.append(step["id"])
    for oid, spec in (outputs.items() if isinstance(outputs, dict) else []):
        for e in EXPR.findall(str((spec or {}).get("value", ""))):
            for sid in re.findall(r"\bsteps\.([\w-]+)\.outputs", e):
                if sid not in step_ids:
                    err(f"output `{oid}`: `steps.{sid}` is not a step id")

    branding = meta.get("branding")
    if branding is not None:
        if not isinstance(branding, dict) or set(branding) - {"icon", "color"}:
            err("branding takes only `icon` and `color`")
        elif "color" in branding and branding["color"] not in COLORS:
            err(f"branding.color must be one of {sorted(COLORS)}")

    if errors:
        for e in errors:
            print(f"{path}: {e}")
        sys.exit(1)
    print(f"{path}: valid action metadata ({len(inputs)} inputs, {len(outputs)} outputs, "
          f"{len(runs.get('steps') or [])} steps)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "action.yml")
