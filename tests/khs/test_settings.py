import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7Hq2!pL9#vR4@kT8$wZ1%yN6^bM3&cF5*dG0(eJ)aS_uQ+iO=rW-tY",
    "ALLOWED_HOSTS": "khs.example.no",
    "DATABASE_URL": "sqlite:////tmp/khs-deploy-check.sqlite3",
}


def manage(*args, env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "name,value,expected",
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("DB_CONN_MAX_AGE", "forever", "DB_CONN_MAX_AGE='forever' is not a whole number"),
        ("SECRET_KEY", "short", "SECRET_KEY must be a real secret"),
    ],
)
def test_bad_setting_stops_the_start_with_a_clear_message(name, value, expected):
    result = manage("check", env_overrides={**PRODUCTION, name: value})
    assert result.returncode != 0
    assert expected in result.stderr


def test_production_without_secret_key_refuses_to_start():
    env = dict(PRODUCTION)
    del env["SECRET_KEY"]
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_pages_carry_a_strict_same_origin_content_security_policy(client, db):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_no_template_has_inline_script_or_style():
    """The policy allows no inline script or style: templates load ours from static/."""
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if "pdf" in path.parts or "mail" in path.parts:
            continue  # PDFs and mails are not pages: WeasyPrint and mail readers, no CSP
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"<style\b|\sstyle=\"|\son\w+=\"", text):
            offenders.append(path.name)
    assert offenders == []
