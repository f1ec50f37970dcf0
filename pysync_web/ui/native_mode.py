"""`--native`: the app in its own window through pywebview, when this machine can show one.

NiceGUI's native mode exits when pywebview is missing, and a window process without a display or a
GUI toolkit dies or hangs. So we check first and fall back to serving in the browser, saying why.
"""
from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Mapping

WINDOW_SIZE = (1200, 800)
NATIVE_INSTALL_HINT = "see README, Native window"
# pywebview's Linux back ends: GTK with WebKit2 through PyGObject, or Qt WebEngine through qtpy.
GTK_WEBKIT = "gi.repository.WebKit2"
QT_WEBENGINES = tuple(f"{binding}.QtWebEngineWidgets" for binding in ("PyQt6", "PyQt5", "PySide6", "PySide2"))


def _has_module(name: str) -> bool:
    if name == GTK_WEBKIT:
        return _has_gtk_webkit()
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _has_gtk_webkit() -> bool:
    """PyGObject finds typelibs only when asked for a version, which is what pywebview asks for."""
    try:
        import gi
    except ImportError:
        return False
    for version in ("4.1", "4.0"):
        try:
            gi.require_version("WebKit2", version)
            return True
        except ValueError:
            continue
    return False


def native_window_problem(platform: str = sys.platform, environ: Mapping[str, str] = os.environ,
                          has_module: Callable[[str], bool] = _has_module) -> str | None:
    """Why a native window cannot open here, in a few words; None when it can."""
    if not has_module("webview"):
        return f"pywebview is not installed ({NATIVE_INSTALL_HINT})"
    if platform.startswith("linux"):
        if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
            return "there is no display (DISPLAY and WAYLAND_DISPLAY are not set)"
        qt = has_module("qtpy") and any(has_module(name) for name in QT_WEBENGINES)
        if not qt and not has_module(GTK_WEBKIT):
            return f"pywebview has no GUI toolkit: install its Qt or GTK support ({NATIVE_INSTALL_HINT})"
    return None


def use_native_window(requested: bool, url: str) -> bool:
    """Whether to open a native window; when it was asked for but cannot open, say so in one line."""
    if not requested:
        return False
    problem = native_window_problem()
    if problem:
        print(f"No native window: {problem}. Serving in the browser instead at {url}", flush=True)
        return False
    return True
