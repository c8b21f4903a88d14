"""What the bench drivers (bench.py, shapes.py) share: the repository's paths, a timestamped
log, checks that collect what failed, the last JSON line of a run's stderr, `git` output."""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FAILS = []
# The driver's name in log lines; set once by the driver.
NAME = ["bench"]


def log(msg):
    print(f"[{NAME[0]} {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def check(ok, what):
    log(("ok: " if ok else "ASSERTION FAILED: ") + what)
    if not ok:
        FAILS.append(what)


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON line in: {text[-500:]}")


def git(*args):
    try:
        return subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"
