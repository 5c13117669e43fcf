"""Drop repeated catalogue entries (same msgctxt and msgid), keeping the first and the file's own wrapping.

Branches append translations at the end of the .po files and git merges them as a union, so an entry two
branches both added appears twice, which msgfmt refuses. Run: python scripts/po_dedupe.py locale/*/LC_MESSAGES/*.po
"""

import re
import sys


def _key(entry: str):
    lines = [ln for ln in entry.splitlines() if not ln.startswith("#")]
    text = "\n".join(lines)
    ctxt = re.search(r'^msgctxt (".*?"(?:\n".*?")*)', text, re.M)
    mid = re.search(r'^msgid (".*?"(?:\n".*?")*)', text, re.M)
    if not mid:
        return None
    join = lambda s: "".join(re.findall(r'"(.*)"', s))  # noqa: E731
    return (join(ctxt.group(1)) if ctxt else None, join(mid.group(1)))


def dedupe(path: str) -> int:
    with open(path, encoding="utf-8") as fh:
        entries = re.split(r"\n\s*\n", fh.read().strip("\n"))
    seen, kept, dropped = set(), [], 0
    for entry in entries:
        key = _key(entry)
        if key is not None and key in seen:
            dropped += 1
            continue
        seen.add(key)
        kept.append(entry)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(kept) + "\n")
    return dropped


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {dedupe(name)} repeated entries dropped")
