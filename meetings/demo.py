"""Demo data of this app for load_demo (filled in by its issue)."""


def load() -> str:
    return ""
