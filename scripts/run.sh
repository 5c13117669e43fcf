#!/usr/bin/env sh
# `make run`: the web server and a background worker side by side; stopping one (Ctrl+C) stops both.
set -u
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
$PY manage.py worker &
WORKER=$!
# Without the autoreloader the web server is one process, so stopping it leaves nothing behind.
$PY manage.py runserver --noreload "127.0.0.1:$PORT" &
WEB=$!
stop() {
  kill "$WEB" "$WORKER" 2>/dev/null || true
  wait "$WEB" "$WORKER" 2>/dev/null || true
}
trap 'stop; exit 130' INT TERM
wait "$WEB"
stop
