"""The icon sprite: what the templates use is in it, drawn from the npm package, and served."""

import re
from pathlib import Path

from django.conf import settings

from sammachip import icons
from tests.factories import OfficerFactory


def test_the_sprite_is_written_from_the_icons_the_templates_use():
    used = icons.used_icons()
    assert {"journal-plus", "pin-angle", "people-fill"} <= used
    assert icons.SPRITE.read_text(encoding="utf-8") == icons.sprite(used), (
        "a template uses an icon the sprite lacks (or no longer uses one it has): "
        "run `.venv/bin/python manage.py icons`"
    )


def test_a_symbol_keeps_the_package_icon_s_shapes():
    source = (icons.SOURCE / "pin-angle.svg").read_text(encoding="utf-8")
    path = re.search(r'<path d="([^"]+)"', source)[1]
    assert f'<symbol id="pin-angle" viewBox="0 0 16 16"><path d="{path}"/></symbol>' in (
        icons.sprite({"pin-angle"})
    )


def test_no_template_asks_for_the_icon_font_any_more():
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(directory).rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert 'class="bi ' not in text, path
            assert "bootstrap-icons" not in text, path


def test_a_page_points_its_icons_at_the_sprite(client, db):
    officer = OfficerFactory()
    client.force_login(officer.user)
    page = client.get("/").content.decode()
    names = re.findall(r'<use href="[^"#]*icons[^"#]*\.svg#([a-z0-9-]+)"></use>', page)
    assert "people-fill" in names
    sprite = icons.SPRITE.read_text(encoding="utf-8")
    for name in names:
        assert f'<symbol id="{name}" ' in sprite
