"""Dashboard panels this app offers (see khs/dashboard.py)."""


def panels(request) -> list[dict]:
    return []
