"""Covers: any image in, a square baseline RGB JPEG out; a cover that cannot be had never raises."""
from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
import requests
from PIL import Image

from pysync_web.services.audio.covers import CoverImageError, cover_jpeg_from_url, fetch_cover, square_jpeg
from tests.fakes.audio import make_cover
from tests.fakes.server import FakeServer, Reply

GREEN = (0, 255, 0)
WHITE = (255, 255, 255)


def opened(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG" and image.mode == "RGB"
    return image


def close_to(pixel: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(channel - wanted) <= 12 for channel, wanted in zip(pixel, expected, strict=True))  # JPEG is lossy


def test_a_wide_png_is_cropped_to_its_centre() -> None:
    image = opened(square_jpeg(make_cover(900, 300)))  # red | green | blue thirds

    assert image.size == (300, 300)
    for corner in [(2, 2), (297, 2), (2, 297), (297, 297), (150, 150)]:
        assert close_to(image.getpixel(corner), GREEN), corner


def test_a_tall_image_is_cropped_too() -> None:
    assert opened(square_jpeg(make_cover(200, 500))).size == (200, 200)


@pytest.mark.parametrize(("size", "expected"), [(1000, 1000), (500, 500)])
def test_large_images_shrink_to_the_size_asked(size: int, expected: int) -> None:
    assert opened(square_jpeg(make_cover(2400, 1600, image_format="JPEG"), size=size)).size == (expected, expected)


def test_small_images_are_not_enlarged() -> None:
    assert opened(square_jpeg(make_cover(120, 90))).size == (90, 90)


def test_transparency_becomes_white_not_black() -> None:
    image = opened(square_jpeg(make_cover(300, 300, mode="RGBA")))  # right third transparent

    assert close_to(image.getpixel((290, 150)), WHITE)


@pytest.mark.parametrize(("image_format", "mode"), [("JPEG", "CMYK"), ("WEBP", "RGB"), ("GIF", "P"), ("PNG", "L")])
def test_any_common_input_becomes_an_rgb_jpeg(image_format: str, mode: str) -> None:
    image = opened(square_jpeg(make_cover(60, 30, image_format=image_format, mode=mode)))

    assert image.size == (30, 30)


def test_the_jpeg_is_baseline_for_hardware_players() -> None:
    assert not opened(square_jpeg(make_cover(300, 300))).info.get("progressive")


def test_bytes_that_are_no_image_raise_a_cover_error() -> None:
    with pytest.raises(CoverImageError, match="could not be read"):
        square_jpeg(b"<html>404</html>")


@pytest.fixture
def image_host() -> Iterator[FakeServer]:
    server = FakeServer()
    server.route("GET", r"/cover\.png", lambda _: Reply(200, make_cover(640, 360), {"Content-Type": "image/png"}))
    server.route("GET", r"/not-an-image", lambda _: Reply.text("<html>consent page</html>"))
    server.start()
    yield server
    server.stop()


def test_fetch_cover_returns_the_images_bytes(image_host: FakeServer) -> None:
    assert fetch_cover(f"{image_host.url}/cover.png", timeout=5) == make_cover(640, 360)


def test_fetch_cover_uses_the_callers_session(image_host: FakeServer) -> None:
    with requests.Session() as session:
        session.headers["User-Agent"] = "PySyncHub-test"
        fetch_cover(f"{image_host.url}/cover.png", timeout=5, session=session)

    assert image_host.requests[-1].headers["user-agent"] == "PySyncHub-test"


@pytest.mark.parametrize("path", ["/missing.jpg", "/broken.jpg"])
def test_a_failed_download_returns_none_with_a_warning(
    image_host: FakeServer, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    image_host.fail(r"/broken", Reply(500))

    with caplog.at_level(logging.WARNING):
        assert fetch_cover(f"{image_host.url}{path}", timeout=5) is None

    assert "cover not downloaded" in caplog.text


def test_an_unreachable_host_returns_none() -> None:
    assert fetch_cover("http://127.0.0.1:9/cover.jpg", timeout=2) is None


def test_cover_jpeg_from_url_gives_a_square_jpeg(image_host: FakeServer) -> None:
    jpeg = cover_jpeg_from_url(f"{image_host.url}/cover.png", timeout=5)

    assert jpeg is not None and opened(jpeg).size == (360, 360)


def test_cover_jpeg_from_url_never_raises_on_a_page_that_is_no_image(
    image_host: FakeServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert cover_jpeg_from_url(f"{image_host.url}/not-an-image", timeout=5) is None

    assert "not used" in caplog.text


def test_no_cover_url_means_no_cover() -> None:
    assert cover_jpeg_from_url(None, timeout=5) is None
