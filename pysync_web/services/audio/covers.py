"""Cover art as every player and DJ app accepts it: a square, baseline RGB JPEG of modest size.

Platforms hand out PNG, WebP, 16:9 YouTube thumbnails, CMYK or transparent images; CDJs, car stereos
and older iPods show only plain JPEGs and choke on huge ones. A cover is supplemental: failing to
get one is logged and the track is tagged without it (MeTube's rule).
"""
from __future__ import annotations

import io
import logging

import requests
from PIL import Image, ImageOps, UnidentifiedImageError

from pysync_web.errors import PySyncError

log = logging.getLogger(__name__)

_JPEG_QUALITY = 90
_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # real covers are < 2 MB; more is a wrong URL or an attack
_MAX_SOURCE_PIXELS = 50_000_000  # refuse decompression bombs long before Pillow's own limit


class CoverImageError(PySyncError):
    """The bytes are not an image Pillow can read."""


def square_jpeg(image_bytes: bytes, size: int = 1000) -> bytes:
    """Centre-crop to a square, at most `size` px a side, as an RGB JPEG (quality 90)."""
    try:
        with Image.open(io.BytesIO(image_bytes)) as opened:
            if opened.width * opened.height > _MAX_SOURCE_PIXELS:
                raise CoverImageError(f"the cover image is too large ({opened.width}x{opened.height})")
            opened.seek(0)  # animated GIF/WebP: the first frame
            image = ImageOps.exif_transpose(opened)  # phone photos store rotation in EXIF only
            image = _flatten_to_rgb(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise CoverImageError(f"the cover image could not be read: {error}") from None
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    square = image.crop((left, top, left + side, top + side))
    if side > size:
        square = square.resize((size, size), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    # Baseline, not progressive: several hardware players cannot decode progressive JPEG covers.
    square.save(output, format="JPEG", quality=_JPEG_QUALITY, optimize=True)
    return output.getvalue()


def _flatten_to_rgb(image: Image.Image) -> Image.Image:
    # Transparency goes onto white (how a browser shows a logo); JPEG cannot store alpha, and a plain
    # convert("RGB") would turn transparent pixels black. CMYK, greyscale and palette become RGB.
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def jpeg_dimensions(jpeg: bytes) -> tuple[int, int]:
    """Width and height, which FLAC and Ogg picture blocks must state."""
    with Image.open(io.BytesIO(jpeg)) as image:
        return image.size


def fetch_cover(url: str, timeout: float, session: requests.Session | None = None) -> bytes | None:
    """The image at `url`, or None (with a warning logged) when it cannot be downloaded."""
    http = session or requests.Session()
    try:
        with http.get(url, timeout=timeout, stream=True) as response:
            response.raise_for_status()
            data = response.raw.read(_MAX_DOWNLOAD_BYTES + 1, decode_content=True)
    except (requests.RequestException, OSError) as error:
        log.warning("cover not downloaded from %s: %s", url, error)
        return None
    finally:
        if session is None:
            http.close()
    if len(data) > _MAX_DOWNLOAD_BYTES:
        log.warning("cover not used: %s is larger than %d bytes", url, _MAX_DOWNLOAD_BYTES)
        return None
    if not data:
        log.warning("cover not used: %s answered with no data", url)
        return None
    return data


def cover_jpeg_from_url(
    url: str | None, timeout: float, session: requests.Session | None = None, size: int = 1000
) -> bytes | None:
    """What the download pipeline tags with: the cover at `url` made square, or None. Never raises."""
    if not url:
        return None
    image = fetch_cover(url, timeout, session)
    if image is None:
        return None
    try:
        return square_jpeg(image, size)
    except CoverImageError as error:
        log.warning("cover from %s not used: %s", url, error)
        return None
