"""Colours and small CSS rules shared by every page, in light and dark mode."""
from __future__ import annotations

from nicegui import ui

from pysync_web.models import Platform

PLATFORM_COLORS = {Platform.SPOTIFY: "#1DB954", Platform.SOUNDCLOUD: "#FF5500", Platform.YTDLP: "#FF0033"}
PLATFORM_ICONS = {Platform.SPOTIFY: "album", Platform.SOUNDCLOUD: "cloud", Platform.YTDLP: "smart_display"}


def apply_theme() -> None:
    ui.colors(primary="#3F51B5", secondary="#26A69A", accent="#9C27B0", positive="#21BA45",
              negative="#E53935", warning="#F2C037", info="#31CCEC")
    # Phones: no horizontal scrolling anywhere; long titles wrap instead of widening the page.
    ui.add_css("""
        html, body { overflow-x: hidden; }
        .nicegui-content { padding: 0; }
        .break-anywhere { overflow-wrap: anywhere; }
    """)
