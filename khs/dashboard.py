"""The dashboard is made of panels; each app offers its own through `<app>/dashboard.py`."""

from importlib import import_module

PANEL_MODULES = ["membership.dashboard", "meetings.dashboard", "billing.dashboard", "publishing.dashboard"]


def dashboard_panels(request) -> list[dict]:
    """[{"template": ..., "context": {...}}, ...] for what this user should see first."""
    panels = []
    for name in PANEL_MODULES:
        panels.extend(import_module(name).panels(request))
    return panels
