"""The providers the audio_providers setting names, in its order: the download service tries them in turn."""
from __future__ import annotations

from collections.abc import Callable

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.providers.base import AudioProvider
from pysync_web.providers.invidious import InvidiousProvider
from pysync_web.providers.soundcloud import SoundCloudProvider
from pysync_web.providers.youtube import YouTubeMusicProvider, YouTubeProvider

PROVIDERS: dict[str, Callable[[Settings], AudioProvider]] = {
    provider.name: provider
    for provider in (YouTubeMusicProvider, YouTubeProvider, SoundCloudProvider, InvidiousProvider)
}


def build_providers(settings: Settings) -> list[AudioProvider]:
    """One provider per name in settings.provider_names, in order; a name listed twice counts once.

    Raises PySyncError for an unknown name, an empty list, or a provider that is not configured
    (invidious without an instance URL), so a bad setting is reported before any download starts.
    """
    names = list(dict.fromkeys(name.lower() for name in settings.provider_names))
    valid = ", ".join(PROVIDERS)
    if not names:
        raise PySyncError(f"No audio providers are set: set PYSYNC_AUDIO_PROVIDERS to some of {valid}.")
    unknown = [name for name in names if name not in PROVIDERS]
    if unknown:
        raise PySyncError(
            f"Unknown audio provider{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} in "
            f"the audio providers setting (PYSYNC_AUDIO_PROVIDERS); valid names are {valid}."
        )
    return [PROVIDERS[name](settings) for name in names]
