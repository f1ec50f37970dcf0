from pysync_web.ui.native_mode import GTK_WEBKIT, native_window_problem, use_native_window

DISPLAY = {"DISPLAY": ":0"}


def modules(*present: str):
    return lambda name: name in present


def test_without_pywebview_it_says_how_to_get_it():
    assert "pywebview is not installed" in native_window_problem("linux", DISPLAY, modules())
    assert "pywebview is not installed" in native_window_problem("darwin", {}, modules())


def test_linux_without_a_display_is_refused():
    problem = native_window_problem("linux", {}, modules("webview", GTK_WEBKIT))
    assert "no display" in problem


def test_wayland_counts_as_a_display():
    assert native_window_problem("linux", {"WAYLAND_DISPLAY": "wayland-0"}, modules("webview", GTK_WEBKIT)) is None


def test_linux_needs_gtk_or_qt_bindings():
    assert "Qt or GTK" in native_window_problem("linux", DISPLAY, modules("webview"))
    assert "Qt or GTK" in native_window_problem("linux", DISPLAY, modules("webview", "qtpy"))
    assert "Qt or GTK" in native_window_problem("linux", DISPLAY, modules("webview", "qtpy", "PyQt6"))
    assert native_window_problem("linux", DISPLAY, modules("webview", "qtpy", "PyQt6.QtWebEngineWidgets")) is None
    assert native_window_problem("linux", DISPLAY, modules("webview", GTK_WEBKIT)) is None


def test_windows_and_macos_need_only_pywebview():
    assert native_window_problem("win32", {}, modules("webview")) is None
    assert native_window_problem("darwin", {}, modules("webview")) is None


def test_a_refused_window_is_said_in_one_line(capsys, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert use_native_window(True, "http://127.0.0.1:8080") is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "Serving in the browser instead at http://127.0.0.1:8080" in out
    assert use_native_window(False, "http://127.0.0.1:8080") is False
    assert capsys.readouterr().out == ""
