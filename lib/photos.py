"""Visit photos: checked by their content, stripped of location, resized for phones.

No Django here; the form calls ``process`` on the uploaded bytes and stores what it returns.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
GPS_IFD = 0x8825  # the EXIF tag that holds the GPS position
DISPLAY_SIZE = (1280, 1280)
THUMB_SIZE = (320, 320)


class PhotoRejected(ValueError):
    """The upload is not a photo we keep; ``code`` says why (for a translated message)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class ProcessedPhoto:
    original: bytes  # full size, JPEG, GPS removed unless kept on purpose
    display: bytes  # upright, at most 1280 px, no metadata
    thumb: bytes  # upright, at most 320 px, no metadata
    had_location: bool
    kept_location: bool


def _jpeg(image: Image.Image, *, quality: int, exif: bytes | None = None) -> bytes:
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    out = io.BytesIO()
    options = {"quality": quality, "optimize": True}
    if exif:
        options["exif"] = exif
    image.save(out, "JPEG", **options)
    return out.getvalue()


def process(
    data: bytes, *, keep_location: bool = False, max_bytes: int, max_pixels: int
) -> ProcessedPhoto:
    if len(data) > max_bytes:
        raise PhotoRejected("too_large")
    if not data:
        raise PhotoRejected("empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise PhotoRejected("not_image")
            if probe.width * probe.height > max_pixels:
                raise PhotoRejected("too_many_pixels")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except PhotoRejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise PhotoRejected("not_image") from None

    exif = image.getexif()
    had_location = GPS_IFD in exif
    if not keep_location and had_location:
        del exif[GPS_IFD]
    original = _jpeg(image, quality=90, exif=exif.tobytes() if len(exif) else None)

    upright = ImageOps.exif_transpose(image)
    display = upright.copy()
    display.thumbnail(DISPLAY_SIZE)
    thumb = upright.copy()
    thumb.thumbnail(THUMB_SIZE)
    return ProcessedPhoto(
        original=original,
        display=_jpeg(display, quality=80),
        thumb=_jpeg(thumb, quality=75),
        had_location=had_location,
        kept_location=keep_location and had_location,
    )
