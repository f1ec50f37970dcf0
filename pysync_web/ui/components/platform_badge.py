"""A playlist's or track's platform at a glance: its colour and icon, with the name on wider screens."""
from __future__ import annotations

from nicegui import ui

from pysync_web.models import Platform
from pysync_web.ui.theme import PLATFORM_COLORS, PLATFORM_ICONS

# "YouTube / yt-dlp" is the platform's full label; a badge has room for the short one.
SHORT_LABELS = {Platform.SPOTIFY: "Spotify", Platform.SOUNDCLOUD: "SoundCloud", Platform.YTDLP: "YouTube"}


def platform_badge(platform: Platform) -> ui.badge:
    """White on the platform's brand colour, which reads the same in light and dark mode; on a phone
    only the icon shows (the full name stays in the tooltip)."""
    with ui.badge(color=PLATFORM_COLORS[platform], text_color="white") \
            .classes("items-center gap-1 px-2 py-1 no-wrap").tooltip(platform.label) \
            .mark(f"platform-{platform.value}") as badge:
        ui.icon(PLATFORM_ICONS[platform], size="14px")
        ui.label(SHORT_LABELS[platform]).classes("gt-xs")
    return badge
