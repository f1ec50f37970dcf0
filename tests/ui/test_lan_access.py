"""LAN access: the gate in front of every route and socket, the passcode page, the Settings section."""
import asyncio
import re
from collections.abc import AsyncIterator
from functools import partial
from urllib.parse import quote

import httpx
import pytest
from nicegui import app
from nicegui.testing.user import User
from nicegui.testing.user_simulation import user_simulation
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from pysync_web.config import Settings
from pysync_web.services.passcodes import PasscodeService, format_passcode
from pysync_web.ui import lan_access
from pysync_web.ui.app import root
from pysync_web.ui.context import AppContext
from pysync_web.ui.lan_access import LanAccess, LanGate, bind_host, lan_section, lan_urls, start_lan_access
from pysync_web.ui.pages.login import SESSION_COOKIE, register_login_page, safe_next

PHONE = ("192.168.1.20", 50000)
LOGIN_CLIENT = "login-client-id"


@pytest.fixture
def passcodes(tmp_path) -> PasscodeService:
    service = PasscodeService(tmp_path)
    service.passcode = service.ensure()  # the test's copy of what the host console showed
    return service


@pytest.fixture
def gated(passcodes) -> Starlette:
    """A bare app behind the gate, so each rule is tested without NiceGUI."""
    async def echo(request):
        return PlainTextResponse(f"reached {request.url.path}")

    inner = Starlette(routes=[Route("/{path:path}", echo, methods=["GET", "POST"])])
    return LanGate(inner, LanAccess(passcodes, "0.0.0.0", 8080, is_login_client=lambda i: i == LOGIN_CLIENT))


def client_for(app, address=PHONE, cookies=None) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app, client=address), base_url="http://hub",
                             cookies=cookies)


async def test_this_computer_needs_no_passcode(gated):
    for address in (("127.0.0.1", 5000), ("::1", 5000)):
        async with client_for(gated, address) as client:
            assert (await client.get("/library")).text == "reached /library"


async def test_a_phone_is_sent_to_the_login_page_and_comes_back_after(gated):
    async with client_for(gated) as client:
        response = await client.get("/playlist/3?tab=tracks")
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={quote('/playlist/3?tab=tracks', safe='')}"


async def test_other_loopback_addresses_and_lan_addresses_are_not_trusted(gated):
    for address in (("127.0.0.2", 5000), ("10.0.0.8", 5000), ("::ffff:192.168.1.20", 5000)):
        async with client_for(gated, address) as client:
            assert (await client.get("/")).status_code == 303


async def test_non_page_requests_get_401(gated):
    async with client_for(gated) as client:
        assert (await client.post("/settings")).status_code == 401
        assert (await client.get("/_nicegui/auto/media/x/song.mp3")).status_code == 401
        assert (await client.get("/_nicegui/client/abc/upload/1")).status_code == 401


async def test_the_login_page_and_its_assets_are_public(gated):
    async with client_for(gated) as client:
        for path in ("/login", "/login/session", "/favicon.ico", f"/_nicegui/{lan_access.nicegui_version}/static/x.js"):
            assert (await client.get(path)).status_code == 200, path


async def test_the_socket_is_open_only_to_login_pages_without_a_session(gated):
    socket = "/_nicegui_ws/socket.io/?EIO=4&transport=polling"
    async with client_for(gated) as client:
        assert (await client.get(f"{socket}&client_id={LOGIN_CLIENT}")).status_code == 200
        assert (await client.get(f"{socket}&client_id=some-page-client")).status_code == 401
        assert (await client.get(socket)).status_code == 401


async def test_a_websocket_upgrade_is_refused_before_it_is_accepted(gated):
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "websocket.connect"}

    scope = {"type": "websocket", "path": "/_nicegui_ws/socket.io/", "query_string": b"EIO=4&client_id=x",
             "headers": [], "client": PHONE}
    await gated(scope, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1008}]


async def test_a_signed_session_opens_everything(gated, passcodes):
    token = passcodes.sign_in(PHONE[0], passcodes.passcode)
    async with client_for(gated, cookies={SESSION_COOKIE: token}) as client:
        assert (await client.get("/queue")).text == "reached /queue"
        assert (await client.get("/_nicegui_ws/socket.io/?EIO=4&client_id=any")).status_code == 200
    forged = token[:-1] + ("1" if token.endswith("0") else "0")
    async with client_for(gated, cookies={SESSION_COOKIE: forged}) as client:
        assert (await client.get("/queue")).status_code == 303


def test_lan_mode_listens_everywhere_unless_an_address_was_chosen(tmp_path):
    assert bind_host(Settings(data_dir=tmp_path, lan_access=True)) == "0.0.0.0"
    assert bind_host(Settings(data_dir=tmp_path, lan_access=True, host="10.0.0.2")) == "10.0.0.2"
    assert bind_host(Settings(data_dir=tmp_path)) == "127.0.0.1"


def test_lan_urls_leave_out_loopback():
    assert all("//127." not in url and url.endswith(":8123") for url in lan_urls(8123))


def test_the_login_page_only_sends_people_to_this_server():
    assert safe_next("/library?x=1") == "/library?x=1"
    for target in ("https://evil.example", "//evil.example", "/\\evil.example", None, ""):
        assert safe_next(target) == "/"


def client_for_app(address=PHONE) -> httpx.AsyncClient:
    return client_for(app, address)


# --- the real app: the passcode page and the gate around NiceGUI -------------------------------------


@pytest.fixture
async def login_user(passcodes, ui_services) -> AsyncIterator[User]:
    """The whole app with its login page, where every client counts as another device."""
    async with user_simulation(root=partial(root, AppContext.create(ui_services))) as user:
        register_login_page(passcodes, is_trusted=lambda host: False)
        yield user


async def test_a_wrong_passcode_says_so_and_a_right_one_signs_in(login_user, passcodes):
    await login_user.open("/login?next=/library")
    login_user.find(marker="passcode").type("00000000x")
    login_user.find(marker="sign-in").click()
    await login_user.should_see("not right", retries=100)
    login_user.find(marker="passcode").clear().type(format_passcode(passcodes.passcode))
    login_user.find(marker="sign-in").click()
    for _ in range(100):
        if SESSION_COOKIE in login_user.http_client.cookies:
            break
        await asyncio.sleep(0.02)
    assert passcodes.session_valid(login_user.http_client.cookies[SESSION_COOKIE])
    await login_user.should_not_see(marker="passcode")  # it went on to the page it came for


async def test_a_used_ticket_asks_for_the_passcode_again(login_user):
    async with client_for_app() as client:
        response = await client.get("/login/session?ticket=made-up&next=/queue")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fqueue"


async def test_the_gate_guards_the_real_app_and_its_socket(ui_services, tmp_path, monkeypatch):
    monkeypatch.setattr(lan_access, "_running", None)  # restored afterwards: other tests see LAN off
    async with user_simulation(root=partial(root, AppContext.create(ui_services))):
        start_lan_access(Settings(data_dir=tmp_path), "0.0.0.0", 8080)
        async with client_for_app() as phone:
            assert (await phone.get("/library")).status_code == 303
            login = await phone.get("/login")
            assert login.status_code == 200 and "Passcode" in login.text
            login_client = re.search(r"'client_id': '([0-9a-f-]+)'", login.text).group(1)
            socket = "/_nicegui_ws/socket.io/?EIO=4&transport=polling&client_id="
            assert (await phone.get(socket + login_client)).status_code == 200
            assert (await phone.get(socket + "00000000-0000-0000-0000-000000000000")).status_code == 401
        async with client_for_app(("127.0.0.1", 5000)) as host:
            assert (await host.get("/login?next=/queue")).headers["location"] == "/queue"


# --- the Settings section ----------------------------------------------------------------------------


@pytest.fixture
async def section_user(ui_services) -> AsyncIterator[User]:
    context = AppContext.create(ui_services)
    async with user_simulation(root=lambda: lan_section(context)) as user:
        yield user


async def test_settings_say_how_to_turn_lan_access_on(section_user, monkeypatch):
    monkeypatch.setattr(lan_access, "_running", None)
    await section_user.open("/")
    await section_user.should_see("python main.py --lan")


async def test_settings_show_addresses_a_qr_code_and_make_a_new_passcode(section_user, passcodes, monkeypatch):
    monkeypatch.setattr(lan_access, "_running", LanAccess(passcodes, "0.0.0.0", 8080))
    monkeypatch.setattr(lan_access, "lan_urls", lambda port: [f"http://192.168.1.20:{port}", "http://10.0.0.3:8080"])
    await section_user.open("/")
    await section_user.should_see("http://192.168.1.20:8080")
    await section_user.should_see("http://10.0.0.3:8080")
    qr = section_user.find(marker="lan-qr").elements.pop()
    assert qr.source.startswith("data:image/svg+xml")
    await section_user.should_see(marker="lan-passcode-status")
    section_user.find(marker="new-passcode").click()
    section_user.find(marker="confirm-new-passcode").click()
    await section_user.should_see(marker="new-passcode-value", retries=100)
    shown = section_user.find(marker="new-passcode-value").elements.pop().text
    assert shown != format_passcode(passcodes.passcode)
    assert passcodes.session_valid(passcodes.sign_in(PHONE[0], shown))
