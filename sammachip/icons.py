"""The portal's icons: one small SVG sprite of the Bootstrap icons its templates use.

The sprite (``static/icons.svg``) replaces Bootstrap Icons' font and stylesheet: 220 KB on a
phone's first visit for the dozen icons the portal shows. ``manage.py icons`` writes it again
from the npm package (``package-lock.json`` pins the version) after a template uses a new
icon; ``tests/test_icons.py`` fails until it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

SPRITE = Path(settings.BASE_DIR) / "static" / "icons.svg"
SOURCE = Path(settings.NODE_MODULES) / "bootstrap-icons" / "icons"
SVG = "http://www.w3.org/2000/svg"
FILE = re.compile(r'<svg [^>]*viewBox="(?P<viewbox>[0-9 ]+)"[^>]*>(?P<shapes>.*)</svg>', re.S)
USE = re.compile(r"""{%\s*icon\s+["']([a-z0-9-]+)["']""")


def used_icons() -> set[str]:
    """The names in every ``{% icon "name" %}`` of the project's templates."""
    names = set()
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(directory).rglob("*.html"):
            names.update(USE.findall(path.read_text(encoding="utf-8")))
    return names


def symbol(name: str) -> str:
    """One icon of the npm package as a ``<symbol id="name">`` with its shapes."""
    text = (SOURCE / f"{name}.svg").read_text(encoding="utf-8")
    svg = FILE.fullmatch(text.strip())
    shapes = "".join(line.strip() for line in svg["shapes"].splitlines())
    return f'<symbol id="{name}" viewBox="{svg["viewbox"]}">{shapes}</symbol>'


def sprite(names) -> str:
    symbols = "\n".join(symbol(name) for name in sorted(names))
    return f'<svg xmlns="{SVG}">\n{symbols}\n</svg>\n'
