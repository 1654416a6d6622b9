#!/usr/bin/env python3
"""Run a composite action.yml's steps the way a GitHub runner does, without GitHub.

Each `run` step is written to a file and run with GitHub's bash command line
(`bash --noprofile --norc -eo pipefail FILE`) in its working directory, with the step's
`env`, a fresh GITHUB_OUTPUT file, and the job's GITHUB_STEP_SUMMARY, GITHUB_ENV and
GITHUB_PATH files (which later steps then see). `${{ }}` expressions over inputs, steps,
github, runner and env are evaluated, and so are `if:` conditions (==, !=, &&, ||, !,
success(), failure(), always()). `uses` steps cannot run here: each is listed, with its
`with:` evaluated, and gets no outputs (a cache miss). Prints a JSON report (the action's
outputs, each step's outcome, the uses steps) and exits 1 when a step failed.

Usage: scripts/run-action.py ACTION_DIR WORKSPACE [--input NAME=VALUE]... [--report FILE]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)
TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))|"
                   r"(?P<fn>(?:success|failure|always|cancelled)\(\))|"
                   r"(?P<ctx>[A-Za-z_][\w-]*(?:\.[\w-]+)*)|(?P<num>\d+))")


class Runner:
    def __init__(self, action_dir, workspace, inputs):
        self.action_dir = os.path.abspath(action_dir)
        self.workspace = os.path.abspath(workspace)
        with open(os.path.join(self.action_dir, "action.yml")) as f:
            self.meta = yaml.safe_load(f)
        self.inputs = {k: str((v or {}).get("default", "")) for k, v in
                       (self.meta.get("inputs") or {}).items()}
        for k, v in inputs.items():
            if k not in self.inputs:
                raise SystemExit(f"unknown input `{k}`")
            self.inputs[k] = v
        self.tmp = tempfile.mkdtemp(prefix="action-run-")
        self.files = {n: os.path.join(self.tmp, n) for n in ("summary.md", "env", "path")}
        for p in self.files.values():
            open(p, "w").close()
        self.steps = {}
        self.failed = False
        self.env = dict(os.environ)
        self.env.update({
            "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": self.workspace,
            "GITHUB_ACTION_PATH": self.action_dir, "GITHUB_REPOSITORY": "example/repo",
            "GITHUB_SHA": "0" * 40, "GITHUB_REF": "refs/heads/main", "GITHUB_RUN_ID": "1",
            "GITHUB_STEP_SUMMARY": self.files["summary.md"], "GITHUB_ENV": self.files["env"],
            "GITHUB_PATH": self.files["path"], "RUNNER_TEMP": os.path.join(self.tmp, "temp"),
            "RUNNER_TOOL_CACHE": os.path.join(self.tmp, "toolcache"),
            "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
        })
        os.makedirs(self.env["RUNNER_TEMP"], exist_ok=True)

    # --- expressions ---------------------------------------------------------------
    def context(self, path):
        parts = path.split(".")
        head = parts[0]
        if head == "inputs":
            return self.inputs.get(parts[1], "")
        if head == "steps":
            step = self.steps.get(parts[1], {})
            if len(parts) >= 4 and parts[2] == "outputs":
                return step.get("outputs", {}).get(parts[3], "")
            return step.get(parts[2], "") if len(parts) > 2 else ""
        if head == "github":
            return {"action_path": self.action_dir, "workspace": self.workspace,
                    "repository": "example/repo", "sha": "0" * 40,
                    "action_ref": ""}.get(parts[1], "")
        if head == "runner":
            return {"temp": self.env["RUNNER_TEMP"], "os": "Linux", "arch": "X64",
                    "tool_cache": self.env["RUNNER_TOOL_CACHE"]}.get(parts[1], "")
        if head == "env":
            return self.env.get(parts[1], "")
        if head in ("true", "false"):
            return head == "true"
        if head == "null":
            return None
        raise SystemExit(f"unsupported expression context `{path}`")

    def evaluate(self, expr):
        py, pos, expr = [], 0, expr.strip()
        while pos < len(expr):
            m = TOKEN.match(expr, pos)
            if not m or m.end() == pos:
                raise SystemExit(f"unsupported expression `{expr}`")
            pos = m.end()
            if m["str"]:
                py.append(repr(m["str"][1:-1].replace("''", "'")))
            elif m["op"]:
                py.append({"&&": " and ", "||": " or ", "!": " not "}.get(m["op"], m["op"]))
            elif m["fn"]:
                py.append({"success()": repr(not self.failed), "failure()": repr(self.failed),
                           "always()": "True", "cancelled()": "False"}[m["fn"]])
            elif m["ctx"]:
                py.append(repr(self.context(m["ctx"])))
            else:
                py.append(m["num"])
        return eval(" ".join(py), {"__builtins__": {}})  # only literals remain

    def interpolate(self, text):
        def one(m):
            v = self.evaluate(m.group(1))
            return ("true" if v else "false") if isinstance(v, bool) else str(v if v is not None else "")
        return EXPR.sub(one, str(text))

    def condition(self, step):
        cond = step.get("if")
        if cond is None:
            return not self.failed
        cond = str(cond).strip()
        m = EXPR.fullmatch(cond)
        cond = m.group(1) if m else cond
        if not re.search(r"\b(success|failure|always|cancelled)\(\)", cond):
            cond = f"success() && ({cond})"
        return bool(self.evaluate(cond))

    # --- steps ---------------------------------------------------------------------
    @staticmethod
    def read_kv(path):
        out, lines = {}, open(path).read().splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            i += 1
            if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
                name, delim = line.split("<<", 1)
                value = []
                while i < len(lines) and lines[i] != delim:
                    value.append(lines[i])
                    i += 1
                i += 1
                out[name] = "\n".join(value)
            elif "=" in line:
                name, value = line.split("=", 1)
                out[name] = value
        return out

    def run(self):
        report = {"steps": [], "uses": []}
        for n, step in enumerate(self.meta["runs"]["steps"]):
            name = step.get("name") or step.get("id") or f"step {n + 1}"
            entry = {"name": name, "id": step.get("id")}
            if not self.condition(step):
                entry["outcome"] = "skipped"
                report["steps"].append(entry)
                if step.get("id"):
                    self.steps[step["id"]] = {"outputs": {}, "outcome": "skipped"}
                continue
            if "uses" in step:
                with_ = {k: self.interpolate(v) for k, v in (step.get("with") or {}).items()}
                report["uses"].append({"uses": step["uses"], "with": with_})
                entry["outcome"] = "not run here (uses)"
                report["steps"].append(entry)
                if step.get("id"):
                    self.steps[step["id"]] = {"outputs": {}, "outcome": "success"}
                continue
            env = dict(self.env)
            env.update(self.read_kv(self.files["env"]))
            extra = [p for p in open(self.files["path"]).read().splitlines() if p]
            if extra:
                env["PATH"] = os.pathsep.join(reversed(extra)) + os.pathsep + env["PATH"]
            env.update({k: self.interpolate(v) for k, v in (step.get("env") or {}).items()})
            out_file = os.path.join(self.tmp, f"output-{n}")
            open(out_file, "w").close()
            env["GITHUB_OUTPUT"] = out_file
            script = os.path.join(self.tmp, f"step-{n}.sh")
            with open(script, "w") as f:
                f.write(self.interpolate(step["run"]))
            cwd = os.path.join(self.workspace, self.interpolate(step.get("working-directory", ".")))
            shell = step.get("shell")
            if shell not in ("bash", "sh"):
                raise SystemExit(f"{name}: shell `{shell}` is not simulated")
            cmd = ["bash", "--noprofile", "--norc", "-eo", "pipefail", script] if shell == "bash" \
                else ["sh", "-e", script]
            print(f"::group::{name}", flush=True)
            rc = subprocess.call(cmd, cwd=cwd, env=env)
            print("::endgroup::", flush=True)
            outcome = "success" if rc == 0 else "failure"
            entry.update(outcome=outcome, exit=rc)
            report["steps"].append(entry)
            if step.get("id"):
                self.steps[step["id"]] = {"outputs": self.read_kv(out_file), "outcome": outcome}
            if rc != 0 and not step.get("continue-on-error"):
                self.failed = True
        report["outputs"] = {k: self.interpolate(v.get("value", "")) for k, v in
                             (self.meta.get("outputs") or {}).items()}
        report["summary"] = open(self.files["summary.md"]).read()
        report["failed"] = self.failed
        return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("action_dir")
    ap.add_argument("workspace")
    ap.add_argument("--input", action="append", default=[])
    ap.add_argument("--report")
    a = ap.parse_args()
    inputs = dict(i.split("=", 1) for i in a.input)
    report = Runner(a.action_dir, a.workspace, inputs).run()
    text = json.dumps(report, indent=2)
    if a.report:
        with open(a.report, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    sys.exit(1 if report["failed"] else 0)


if __name__ == "__main__":
    main()
