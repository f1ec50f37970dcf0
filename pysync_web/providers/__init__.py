"""Where audio comes from for tracks that have none of their own: search -> list[Candidate]."""
from pysync_web.providers.base import AudioProvider, Candidate
from pysync_web.providers.registry import PROVIDERS, build_providers

__all__ = ["PROVIDERS", "AudioProvider", "Candidate", "build_providers"]
