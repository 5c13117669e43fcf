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
    return out.stdout.splitlines()


def _served_processes(tmp_path, *make_args):
    """Run the line `make run` ends with (scripts/run.sh) with a stand-in Python that records each process
    it is asked to start, its arguments and the SITE_URL it sees; return {manage.py command: (args, SITE_URL)}."""
    line = next(line for line in _run_commands(*make_args) if "scripts/run.sh" in line)
    words = shlex.split(line)
    assigned = dict(w.split("=", 1) for w in words[: words.index("sh")])
    log = tmp_path / "started"
    stub = tmp_path / "python"
    # The stand-in web server stays up until the worker has started, as a real one would.
    stub.write_text(
        "#!/bin/sh\n"
        f"log={shlex.quote(str(log))}\n"
        'printf "%s|%s\\n" "$*" "$SITE_URL" >> "$log"\n'
        'if [ "$2" = runserver ]; then\n'
        '  for _ in $(seq 100); do grep -q "^manage.py worker" "$log" && exit 0; sleep 0.1; done\n'
        "fi\n"
    )
    stub.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    env.update(assigned, PY=str(stub))
    done = subprocess.run(["sh", *words[words.index("sh") + 1 :]], cwd=ROOT, env=env, timeout=30)
    assert done.returncode == 0
    started = {}
    for entry in log.read_text().splitlines():
        args, site_url = entry.rsplit("|", 1)
        argv = args.split()
        started[argv[1]] = (argv, site_url)
    return started


def test_make_run_on_another_port_prints_sign_in_links_on_that_port(tmp_path):
    started = _served_processes(tmp_path, "PORT=8123")
    serve, site_url = started["runserver"]
    assert "127.0.0.1:8123" in serve
    assert site_url == "http://127.0.0.1:8123"
    # The worker sends the mails, so it builds its links on the same address.
    assert started["worker"][1] == "http://127.0.0.1:8123"
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


def test_a_given_site_url_wins_over_the_port(tmp_path):
    started = _served_processes(tmp_path, "PORT=8123", "SITE_URL=https://khs.example.no")
    assert "127.0.0.1:8123" in started["runserver"][0]
    assert started["runserver"][1] == "https://khs.example.no"
    assert started["worker"][1] == "https://khs.example.no"
