"""Fixtures shared by the whole suite: the fake platform servers live in tests/fakes/."""
pytest_plugins: list[str] = ["nicegui.testing.user_plugin", "tests.fakes.soundcloud", "tests.fakes.feeds", "tests.fakes.spotify"]
