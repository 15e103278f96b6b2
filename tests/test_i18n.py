"""Thai first: every string the user sees has a Thai translation."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "th" / "LC_MESSAGES" / "django.po"


def po_entries():
    """(msgid, msgstr, flags) for every entry but the header."""
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if not match:
            continue
        msgid, msgstr = ("".join(re.findall(r'"(.*)"', part)) for part in match.groups())
        if msgid:
            yield msgid, msgstr, "#, fuzzy" in block


def test_every_message_has_a_thai_translation_and_none_is_fuzzy():
    entries = list(po_entries())
    assert len(entries) > 100
    assert [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy] == []


def test_every_template_loads_i18n():
    missing = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if "{% load i18n" not in path.read_text(encoding="utf-8")
    ]
    assert missing == []
