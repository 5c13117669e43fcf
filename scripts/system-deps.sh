#!/bin/sh
# Installs the Debian packages khs needs when they are missing:
# Pango for WeasyPrint's PDFs, poppler-utils to read PDFs back, gettext for
# translations, Chromium for the browser tests (its headless shell runs them).
set -e
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v chromium-headless-shell >/dev/null 2>&1 || missing="$missing chromium-headless-shell"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
[ -z "$missing" ] && exit 0
echo "Installing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
