"""Fixtures shared by the whole suite: the fake platform servers live in tests/fakes/."""
pytest_plugins: list[str] = [
    # tests.fakes.audio first: the fakes that serve audio import it, and a plugin imported before it is
    # registered misses pytest's assertion rewriting.
    "nicegui.testing.user_plugin", "tests.fakes.audio", "tests.fakes.soundcloud", "tests.fakes.feeds",
    "tests.fakes.spotify", "tests.fakes.invidious",
]
