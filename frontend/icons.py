"""Draw the installed app's icons (static/pwa/): the portal's people mark, white on its blue.

    .venv/bin/python frontend/icons.py

Run once; the PNGs are committed. A maskable icon keeps its mark inside the middle 80 %
(the safe zone a phone's round or squircle mask leaves whole)."""

from pathlib import Path

from PIL import Image, ImageDraw

BLUE = (13, 110, 253)  # Bootstrap's primary: the portal's navigation bar
OUT = Path(__file__).resolve().parents[1] / "static" / "pwa"


def people(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    """Three people, the middle one in front, as the navigation bar's people-fill icon."""
    c, u = size / 2, size * scale / 10
    for dx, dy, r in ((-2.2, 0.3, 0.85), (2.2, 0.3, 0.85), (0, -0.4, 1.15)):
        x, y = c + dx * u, c + dy * u - 1.2 * u
        draw.ellipse((x - r * u, y - r * u, x + r * u, y + r * u), fill="white")
        body = 1.7 * r
        draw.pieslice(
            (x - body * u, y + 1.2 * r * u, x + body * u, y + (1.2 + 2 * body) * r * u),
            180,
            360,
            fill="white",
            outline=BLUE if dx == 0 else None,
            width=max(1, int(u * 0.25)),
        )


def icon(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), BLUE if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if not maskable:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=BLUE)
    people(draw, size, 0.62 if maskable else 0.78)
    return image


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
