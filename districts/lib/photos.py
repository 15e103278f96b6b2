"""Visit photos: checked by their content, stripped of location and text, resized for phones.

No Django here; the form calls ``process`` on the uploaded bytes and stores what it returns.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, UnidentifiedImageError

# MPO is a JPEG with an MPF segment (a second, smaller picture, or depth) that many phones
# write; Pillow names it by that segment, and only the first picture is kept.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
GPS_IFD = 0x8825  # the EXIF tag that holds the GPS position
EXIF_IFD = 0x8769
# EXIF tags that hold free text someone typed or a camera filled with who owns it: like a
# JPEG comment they can say where a photo was taken or whose house it is, so none is kept.
TEXT_TAGS = {
    0x010E,  # ImageDescription
    0x013B,  # Artist
    0x02BC,  # XMP packet
    0x8298,  # Copyright
    0x9C9B,  # XPTitle
    0x9C9C,  # XPComment
    0x9C9D,  # XPAuthor
    0x9C9E,  # XPKeywords
    0x9C9F,  # XPSubject
}
EXIF_TEXT_TAGS = {
    0x927C,  # MakerNote: the maker's own format, anything at all
    0x9286,  # UserComment
    0xA420,  # ImageUniqueID
    0xA430,  # CameraOwnerName
    0xA431,  # BodySerialNumber
    0xA435,  # LensSerialNumber
}
ORIENTATION = 0x0112
# how to turn a picture upright for each EXIF orientation (as ImageOps.exif_transpose does)
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
DISPLAY_SIZE = (1280, 1280)
THUMB_SIZE = (320, 320)


class PhotoRejected(ValueError):
    """The upload is not a photo we keep; ``code`` says why (for a translated message)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class ProcessedPhoto:
    original: bytes  # full size, JPEG, camera EXIF only: GPS unless kept on purpose, no text
    display: bytes  # upright, at most 1280 px, no metadata
    thumb: bytes  # upright, at most 320 px, no metadata
    had_location: bool
    kept_location: bool


def _flat(image: Image.Image) -> Image.Image:
    """RGB or greyscale, transparency on white: what a JPEG holds."""
    if image.mode in ("RGB", "L"):
        return image
    background = Image.new("RGB", image.size, "white")
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _jpeg(image: Image.Image, *, quality: int, exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    # Pillow writes the comment (COM) of the image it was read from unless told otherwise;
    # phone apps put the address or the position there.
    options = {"quality": quality, "optimize": True, "comment": b""}
    if exif:
        options["exif"] = exif
    image.save(out, "JPEG", **options)
    return out.getvalue()


def _within(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    """The image made smaller to fit ``box`` (never larger), as a new image of that size only.

    ``thumbnail`` on a ``copy`` would hold a second full-size picture (150 MB for 50 MP)
    while it works.
    """
    if image.width <= box[0] and image.height <= box[1]:
        return image
    scale = min(box[0] / image.width, box[1] / image.height)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _kept_exif(exif: Image.Exif, *, keep_location: bool) -> bytes | None:
    for tag in TEXT_TAGS & set(exif):
        del exif[tag]
    camera = exif.get_ifd(EXIF_IFD)
    for tag in EXIF_TEXT_TAGS & set(camera):
        del camera[tag]
    if not keep_location and GPS_IFD in exif:
        del exif[GPS_IFD]
    return exif.tobytes() if len(exif) else None


def pixel_count(source: IO[bytes]) -> int:
    """Width × height from the file's header, without decoding it; 0 if it is no image.

    A visit's photos are weighed together before any is decoded (``process``), so that ten
    large ones are refused at once rather than after a minute of work.
    """
    position = source.tell()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as probe:
                return probe.width * probe.height
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return 0
    finally:
        source.seek(position)


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
    turn = UPRIGHT.get(exif.get(ORIENTATION))
    image = _flat(image)  # one full-size picture in memory from here on
    original = _jpeg(image, quality=90, exif=_kept_exif(exif, keep_location=keep_location))
    # the original keeps its orientation tag; what phones show is turned upright, after it is
    # made small (the boxes are square, so turning does not change what fits)
    display = _within(image, DISPLAY_SIZE)
    if turn is not None:
        display = display.transpose(turn)
    thumb = _within(display, THUMB_SIZE)
    return ProcessedPhoto(
        original=original,
        display=_jpeg(display, quality=80),
        thumb=_jpeg(thumb, quality=75),
        had_location=had_location,
        kept_location=keep_location and had_location,
    )
