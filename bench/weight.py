"""What a phone downloads on its first visit to a page: the HTML and every static file it
asks for (stylesheets, the fonts they name, scripts, the icon sprite), raw and as
WhiteNoise serves it (gzip when a compressed copy was collected). Prints figures only.

    .venv/bin/python manage.py collectstatic --noinput -v0
    .venv/bin/python bench/weight.py            # the demo's officer home (make run's data)
"""

import gzip
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammachip.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(24).hex())

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

ASKED = re.compile(r'(?:href|src)="(/static/[^"#]+)')
FONT = re.compile(r"""url\(["']?([^)"']+\.woff2)""")


def sizes(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    packed = path.with_name(path.name + ".gz")
    return len(raw), packed.stat().st_size if packed.exists() else len(raw)


def main(username="phuwiang-officer1", url="/"):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    html = client.get(url).content
    rows = [("page HTML", len(html), len(gzip.compress(html)))]
    for asked in dict.fromkeys(ASKED.findall(html.decode())):
        path = Path(settings.STATIC_ROOT) / asked.removeprefix(settings.STATIC_URL)
        rows.append((asked, *sizes(path)))
        if path.suffix == ".css":
            for font in dict.fromkeys(FONT.findall(path.read_text(encoding="utf-8"))):
                rows.append((f"  {font}", *sizes((path.parent / font).resolve())))
    for name, raw, sent in rows:
        print(f"{name[:70]:<70} {raw / 1024:8.1f} KB {sent / 1024:8.1f} KB sent")
    print(
        f"{'total, ' + str(len(rows)) + ' files':<70} "
        f"{sum(r[1] for r in rows) / 1024:8.1f} KB "
        f"{sum(r[2] for r in rows) / 1024:8.1f} KB sent"
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
