"""`make run` serves links that work on the port it serves."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_commands(*make_args):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    # -n prints the commands without running them; the install step is taken as done.
    out = subprocess.run(
        ["make", "-n", "-o", "install", "run", *make_args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return [line for line in out.stdout.splitlines() if "manage.py" in line]


def _site_url_of(line):
    words = shlex.split(line)
    assigned = dict(w.split("=", 1) for w in words if "=" in w and not w.startswith("-") and "/" not in w[:1])
    return assigned.get("SITE_URL")


def test_make_run_on_another_port_prints_sign_in_links_on_that_port():
    lines = _run_commands("PORT=8123")
    serve = next(line for line in lines if "runserver" in line)
    assert "127.0.0.1:8123" in serve
    site_url = _site_url_of(serve)
    assert site_url == "http://127.0.0.1:8123"
    # The link the served process would mail: settings read SITE_URL from the environment.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(SITE_URL=site_url, DATABASE_URL="sqlite:///:memory:")
    printed = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert printed.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8123", printed.stderr


def test_a_given_site_url_wins_over_the_port():
    lines = _run_commands("PORT=8123", "SITE_URL=https://khs.example.no")
    serve = next(line for line in lines if "runserver" in line)
    assert _site_url_of(serve) == "https://khs.example.no"
