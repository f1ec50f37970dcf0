"""LAN access: serve other devices on the network, but only after they enter the passcode.

The gate is a plain ASGI middleware, so it sees websocket upgrades as well as HTTP requests (a
Starlette BaseHTTPMiddleware would let websockets through untouched). This computer (127.0.0.1,
::1) needs no passcode; any other client needs the signed session cookie that the login page sets.
Without it, pages redirect to the login page, everything else gets 401, and NiceGUI's socket is
refused unless it belongs to a login page, which needs its socket for the passcode field. A reverse
proxy on this computer stays safe: uvicorn takes the client address from X-Forwarded-For when the
proxy is 127.0.0.1.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

import ifaddr
import segno
from nicegui import Client, app, run, ui
from nicegui.version import __version__ as nicegui_version
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from pysync_web.config import Settings
from pysync_web.errors import PySyncError
from pysync_web.services.passcodes import SESSION_MAX_AGE_S, PasscodeService, format_passcode
from pysync_web.ui.context import AppContext
from pysync_web.ui.pages.login import LOGIN_PATH, SESSION_COOKIE, SESSION_PATH, register_login_page

TRUSTED_CLIENTS = frozenset({"127.0.0.1", "::1", "::ffff:127.0.0.1"})
_PUBLIC_PATHS = frozenset({LOGIN_PATH, SESSION_PATH, "/favicon.ico"})
_ASSETS_PREFIX = f"/_nicegui/{nicegui_version}/"  # the JS/CSS any page (the login page too) loads
_SOCKET_PREFIX = "/_nicegui_ws/"


def is_trusted_client(host: str | None) -> bool:
    return host in TRUSTED_CLIENTS


def bind_host(settings: Settings) -> str:
    """LAN access listens on every interface, unless the user chose an address themselves."""
    loopback = settings.host in ("127.0.0.1", "localhost", "::1")
    return "0.0.0.0" if settings.lan_access and loopback else settings.host


def needs_gate(host: str) -> bool:
    return host not in ("127.0.0.1", "localhost", "::1")


def lan_urls(port: int) -> list[str]:
    """This computer's IPv4 addresses that other devices can reach, as URLs, private networks first."""
    addresses = {ipaddress.ip_address(ip.ip) for adapter in ifaddr.get_adapters() for ip in adapter.ips
                 if ip.is_IPv4}
    usable = [a for a in addresses if not (a.is_loopback or a.is_link_local)]
    return [f"http://{a}:{port}" for a in sorted(usable, key=lambda a: (not a.is_private, a))]


def _is_login_client(client_id: str) -> bool:
    client = Client.instances.get(client_id)
    return client is not None and client.page.path == LOGIN_PATH


@dataclass
class LanAccess:
    """The running app's LAN state: its passcode and who may pass the gate."""
    passcodes: PasscodeService
    host: str
    port: int
    is_login_client: Callable[[str], bool] = field(default=_is_login_client)
    new_passcode: str | None = None  # made at this start: printed once, then forgotten

    def announce(self) -> None:
        """The addresses to open on other devices, and the passcode when it is new."""
        for url in lan_urls(self.port) if self.host == "0.0.0.0" else [f"http://{self.host}:{self.port}"]:
            print(f"On your network: {url}", flush=True)
        if self.new_passcode:
            print(f"LAN passcode: {format_passcode(self.new_passcode)} (shown only now; other devices enter "
                  "it once. Settings can make a new one.)", flush=True)
            self.new_passcode = None
        else:
            print("Other devices need the LAN passcode. Lost it? Make a new one in Settings on this computer, "
                  f"or delete {self.passcodes.path} and start again.", flush=True)

    def allows(self, scope: Scope) -> bool:
        client = scope.get("client")
        if client and is_trusted_client(client[0]):
            return True
        path: str = scope.get("path", "")
        if path in _PUBLIC_PATHS or path.startswith(_ASSETS_PREFIX):
            return True
        if self.passcodes.session_valid(HTTPConnection(scope).cookies.get(SESSION_COOKIE)):
            return True
        if path.startswith(_SOCKET_PREFIX):
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            return self.is_login_client((query.get("client_id") or [""])[0])
        return False


class LanGate:
    """ASGI middleware: `app.add_middleware(LanGate, access=...)`."""

    def __init__(self, app: ASGIApp, access: LanAccess):
        self.app, self.access = app, access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.access.allows(scope):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # before accept: the server answers 403
        elif scope["method"] in ("GET", "HEAD") and not scope["path"].startswith("/_nicegui"):
            target = scope["path"] + (f"?{scope['query_string'].decode('latin-1')}" if scope["query_string"] else "")
            await RedirectResponse(f"{LOGIN_PATH}?{urlencode({'next': target})}", 303)(scope, receive, send)
        else:
            await PlainTextResponse(f"Sign in first at {LOGIN_PATH}", 401)(scope, receive, send)


_running: LanAccess | None = None


def running_lan_access() -> LanAccess | None:
    """The gate of this process, when it listens beyond this computer."""
    return _running


def start_lan_access(settings: Settings, host: str, port: int) -> LanAccess | None:
    """Before ui.run: guard the app when it listens beyond this computer (None when it does not)."""
    global _running
    if not needs_gate(host):
        return None
    access = LanAccess(PasscodeService(settings.data_dir), host, port)
    access.new_passcode = access.passcodes.ensure()
    app.add_middleware(LanGate, access=access)
    register_login_page(access.passcodes, is_trusted_client)
    _running = access
    return access


def lan_section(context: AppContext) -> None:
    """For the Settings page: the addresses to open on a phone (with a QR code) and the passcode."""
    access = running_lan_access()
    with ui.column().classes("w-full gap-3").mark("lan-section"):
        if access is None:
            ui.label("LAN access turns on at the next start of PySync Hub." if context.services.settings.lan_access
                     else "Only this computer can open PySync Hub. To use it from a phone or another computer "
                          "on your network, start it with: python main.py --lan (or turn on LAN access and "
                          "restart).").classes("opacity-80").mark("lan-off")
            return
        _addresses(lan_urls(access.port))
        _passcode(access.passcodes)


def _addresses(urls: list[str]) -> None:
    if not urls:
        ui.label("No network address found: is this computer connected to a network?") \
            .classes("text-warning").mark("lan-urls")
        return
    ui.label("Open one of these on a device on the same network, or scan the code with a phone:") \
        .classes("opacity-80")
    with ui.row().classes("w-full items-start gap-4"):
        qr = ui.image(_qr_data_uri(urls[0])).classes("w-40 h-40 rounded").props("no-spinner no-transition") \
            .mark("lan-qr")
        with ui.column().classes("gap-1 min-w-0").mark("lan-urls"):
            for url in urls:
                with ui.row().classes("items-center gap-1 no-wrap"):
                    ui.link(url, url, new_tab=True).classes("font-mono break-anywhere")
                    if len(urls) > 1:
                        ui.button(icon="qr_code", on_click=lambda url=url: qr.set_source(_qr_data_uri(url))) \
                            .props("flat round").tooltip("Show its QR code")


def _qr_data_uri(url: str) -> str:
    # Dark on white whatever the theme: scanners need the contrast and the quiet zone.
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2, dark="#000", light="#fff")


def _passcode(passcodes: PasscodeService) -> None:
    days = SESSION_MAX_AGE_S // 86400

    @ui.refreshable
    def status() -> None:
        made = passcodes.created_at()
        ui.label(f"Passcode made on {made.astimezone():%d %b %Y, %H:%M}. Other devices enter it once and "
                 f"stay signed in for {days} days; this computer needs none." if made else
                 "No passcode yet.").classes("opacity-80").mark("lan-passcode-status")

    async def renew(dialog: ui.dialog) -> None:
        dialog.close()
        try:
            passcode = await run.io_bound(passcodes.renew)
        except (PySyncError, OSError) as error:
            ui.notify(f"Could not make a new passcode: {error}", type="negative")
            return
        status.refresh()
        with ui.dialog() as shown, ui.card().classes("items-center gap-3 p-6"):
            ui.label("New passcode").classes("text-h6")
            ui.label(format_passcode(passcode)).classes("text-h4 font-mono").mark("new-passcode-value")
            ui.label("It is shown only this once. Devices signed in with the old passcode must sign in "
                     "again with this one.").classes("opacity-80 text-center")
            ui.button("Done", on_click=shown.close).props("unelevated")
        shown.open()

    status()
    with ui.dialog() as confirm, ui.card().classes("gap-3"):
        ui.label("Make a new passcode? Every other device will have to sign in again.")
        with ui.row().classes("w-full justify-end"):
            ui.button("Cancel", on_click=confirm.close).props("flat")
            ui.button("New passcode", on_click=lambda: renew(confirm)).props("unelevated color=negative") \
                .mark("confirm-new-passcode")
    ui.button("New passcode", icon="key", on_click=confirm.open).props("outline").mark("new-passcode")
