"""`--lan` with a real browser on "another device", and `--native` on a machine without a display.

Another device is simulated on this machine: a small TCP relay connects to the app from 127.0.0.2,
which the gate does not trust (only 127.0.0.1 and ::1 are this computer), so the browser behind the
relay goes through the passcode page, the session cookie and the guarded socket like a phone would.
"""
from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Iterator

import pytest
import requests

from tests.browser.conftest import (
    RunningApp, body_text, console_errors, open_page, start_app, wait_until, write_settings,
)

OTHER_DEVICE = "127.0.0.2"


class Relay:
    """Accepts on 127.0.0.1:<port> and connects onwards from OTHER_DEVICE; bytes pass unchanged."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                inbound, _ = self.listener.accept()
            except OSError:  # closed
                return
            try:
                outbound = socket.create_connection(("127.0.0.1", self.target_port),
                                                    source_address=(OTHER_DEVICE, 0))
            except OSError:  # the app has stopped
                inbound.close()
                continue
            for source, sink in ((inbound, outbound), (outbound, inbound)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def lan_hub(tmp_path, feeds) -> Iterator[RunningApp]:
    write_settings(tmp_path / "data", feeds.url)
    app = start_app(tmp_path / "data", "--lan", ready="LAN passcode:")
    yield app
    app.stop()


@pytest.mark.browser
def test_another_device_signs_in_with_the_passcode(new_browser, lan_hub):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    passcode = re.search(r"LAN passcode: (\d{4} \d{4})", lan_hub.output()).group(1)
    assert re.search(r"On your network: http://[\d.]+:\d+", lan_hub.output())
    relay = Relay(lan_hub.port)
    phone = new_browser()
    try:
        phone.get(f"http://127.0.0.1:{relay.port}/queue")
        wait_until(lambda: "/login?next=%2Fqueue" in phone.current_url, what="the passcode page")
        open_page(phone, phone.current_url)
        box = phone.find_element(By.CSS_SELECTOR, "input")
        box.send_keys("1111 1111", Keys.ENTER)
        wait_until(lambda: "not right" in body_text(phone), what="the wrong passcode to be refused")
        box.send_keys(Keys.CONTROL, "a")  # clear() would bypass Vue's model
        box.send_keys(passcode, Keys.ENTER)
        wait_until(lambda: phone.current_url == f"http://127.0.0.1:{relay.port}/queue",
                   what=f"the queue page; the page says: {body_text(phone)!r}")
        open_page(phone, phone.current_url)  # rendered and connected: the socket let the session in
        assert phone.title.startswith("Queue")
        assert [e for e in console_errors(phone) if "/login" not in e] == []
    finally:
        relay.close()
    # This computer itself needs no passcode, and anything without the cookie stays locked.
    assert requests.get(lan_hub.url + "/queue", allow_redirects=False, timeout=5).status_code == 200


def test_native_without_a_display_serves_in_the_browser(tmp_path, feeds):
    write_settings(tmp_path / "data", feeds.url)
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    app = start_app(tmp_path / "data", "--native", environ=environ)
    try:
        lines = [line for line in app.output().splitlines() if "native window" in line.lower()]
        assert len(lines) == 1 and "Serving in the browser instead" in lines[0]
        assert requests.get(app.url + "/queue", timeout=5).status_code == 200
    finally:
        app.stop()
