"""Files the portal hands out: spreadsheets people open in Excel."""

import re
from urllib.parse import quote

from django.http import HttpResponse

from districts.lib.spreadsheets import XLSX_CONTENT_TYPE


def attachment(filename: str) -> str:
    """A Content-Disposition for ``filename`` (RFC 6266): a Thai name as ``filename*``
    (UTF-8), after a plain ASCII ``filename`` for clients that know no better."""
    stem, dot, ext = filename.rpartition(".")
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "download"
    plain = f"{plain}{dot}{ext}" if dot else plain
    if plain == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{plain}\"; filename*=utf-8''{quote(filename)}"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx download; households and incomes are personal data: no cache keeps one."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment(filename)
    response["Cache-Control"] = "no-store"
    return response
