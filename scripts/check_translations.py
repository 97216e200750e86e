"""Fail when the Dutch translation is incomplete or the compiled .mo is out of date.

Every msgid in locale/nl must have a non-empty, non-fuzzy msgstr, and the compiled catalogue must
hold exactly what the .po says (run `make messages` after editing a .po file).
"""

from __future__ import annotations

import gettext
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "src" / "veerkracht" / "config" / "locale"


def _unquote(line: str) -> str:
    body = line.strip()
    if body.startswith('"') and body.endswith('"'):
        body = body[1:-1]
    return body.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def parse_po(path: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current:
                entries.append(current)
            current, key = {}, ""
            continue
        if line.startswith("#,"):
            current["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
            key, _, rest = line.partition(" ")
            current[key] = _unquote(rest)
        elif line.startswith('"') and key:
            current[key] = str(current.get(key, "")) + _unquote(line)
    return entries


def main() -> int:
    problems: list[str] = []
    for lang in ("nl", "en"):
        po = LOCALE / lang / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if not po.exists() or not mo.exists():
            problems.append(f"{po} or its .mo is missing: run `make messages`")
            continue
        catalogue = gettext.GNUTranslations(mo.open("rb"))._catalog  # type: ignore[attr-defined]
        for entry in parse_po(po):
            msgid = str(entry.get("msgid", ""))
            if not msgid:
                continue
            if "fuzzy" in str(entry.get("flags", "")):
                problems.append(f"{lang}: fuzzy translation for {msgid!r}")
            strs = [v for k, v in entry.items() if k.startswith("msgstr")]
            if lang == "nl" and any(not s for s in strs):
                problems.append(f"nl: missing translation for {msgid!r}")
            ctxt = entry.get("msgctxt")
            mo_key = f"{ctxt}\x04{msgid}" if ctxt else msgid
            if "msgid_plural" in entry:
                mo_key_plural = (mo_key, 0)
                if lang == "nl" and mo_key_plural not in catalogue:
                    problems.append(
                        f"{lang}: {msgid!r} not in the compiled .mo: run `make messages`"
                    )
            elif lang == "nl" and catalogue.get(mo_key) != entry.get("msgstr"):
                problems.append(
                    f"{lang}: {msgid!r} differs in the compiled .mo: run `make messages`"
                )
    for p in problems[:50]:
        print(p)
    if problems:
        print(f"{len(problems)} translation problem(s)")
        return 1
    print("translations complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
