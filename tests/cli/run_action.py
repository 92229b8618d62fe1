#!/usr/bin/env python3
"""Runs the steps of a composite GitHub action (action.yml) here, as a
GitHub runner would, for tests/cli/test_action.sh.

    run_action.py ACTION_DIR WORKSPACE RUNNER_DIR [NAME=VALUE...]

Composite actions get no INPUT_* variables: their ${{ inputs.NAME }}
expressions are replaced by the inputs given (or the action's defaults)
in each step's run: block and env: values; any other ${{ }} expression is
refused, since only GitHub could give it a value. Each run: block is
written to a file and run with its shell as GitHub runs it (bash:
bash --noprofile --norc -eo pipefail FILE), in WORKSPACE, with the
variables a runner sets: GITHUB_ACTIONS=true, CI=true, GITHUB_WORKSPACE,
GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_STEP_SUMMARY, GITHUB_PATH and
GITHUB_ENV (files in RUNNER_DIR), plus the step's env:. The first step
that fails ends the run with its status, as it ends a job.
"""
import os
import re
import subprocess
import sys

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
INPUT = re.compile(r"inputs\.([A-Za-z_][A-Za-z0-9_-]*)$")
SHELLS = {
    "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"],
    "sh": ["sh", "-e"],
}


def substitute(text, inputs):
    def one(m):
        name = INPUT.match(m.group(1))
        if not name:
            raise SystemExit("run_action: unsupported expression ${{ %s }}"
                             % m.group(1))
        if name.group(1) not in inputs:
            raise SystemExit("run_action: no input %r" % name.group(1))
        return inputs[name.group(1)]
    return EXPR.sub(one, str(text))


def main():
    action_dir, workspace, runner = sys.argv[1:4]
    given = dict(a.split("=", 1) for a in sys.argv[4:])
    with open(os.path.join(action_dir, "action.yml")) as f:
        action = yaml.safe_load(f)
    declared = action.get("inputs", {})
    unknown = set(given) - set(declared)
    if unknown:
        raise SystemExit("run_action: the action has no input %s"
                         % ", ".join(sorted(unknown)))
    inputs = {k: str(v.get("default", "")) for k, v in declared.items()}
    inputs.update(given)
    if action["runs"]["using"] != "composite":
        raise SystemExit("run_action: not a composite action")

    os.makedirs(os.path.join(runner, "temp"), exist_ok=True)
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))
            and k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "BUILD")}
    base.update({
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": workspace,
        "GITHUB_ACTION_PATH": action_dir,
        "RUNNER_TEMP": os.path.join(runner, "temp"),
        "GITHUB_STEP_SUMMARY": os.path.join(runner, "step_summary.md"),
        "GITHUB_PATH": os.path.join(runner, "path"),
        "GITHUB_ENV": os.path.join(runner, "env"),
    })
    for n, step in enumerate(action["runs"]["steps"]):
        if "run" not in step:
            raise SystemExit("run_action: step %d uses another action" % n)
        shell = step.get("shell")
        if shell not in SHELLS:
            raise SystemExit("run_action: step %d: shell %r" % (n, shell))
        env = dict(base)
        for k, v in (step.get("env") or {}).items():
            env[k] = substitute(v, inputs)
        script = os.path.join(runner, "step%d.%s" % (n, shell))
        with open(script, "w") as f:
            f.write(substitute(step["run"], inputs))
        print("::group::%s" % step.get("name", "step %d" % n), flush=True)
        rc = subprocess.call(SHELLS[shell] + [script], cwd=workspace,
                             env=env)
        print("::endgroup::", flush=True)
        if rc != 0:
            print("run_action: step %d (%s) ended with status %d"
                  % (n, step.get("name", ""), rc), file=sys.stderr)
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
