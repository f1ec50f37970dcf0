"""Add a playlist through the page and watch its downloads finish, live, in a real browser."""
import re

import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -r requirements-dev.txt)")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from tests.browser.conftest import body_text, console_errors, open_page, wait_until

pytestmark = pytest.mark.browser

QUEUE_INDICATOR = "//header//button[contains(., '⬇')]"
IDLE = re.compile(r"⬇\s*0\s*·\s*0 queued")
EPISODES = 4


def indicator(driver) -> str:
    return driver.find_element(By.XPATH, QUEUE_INDICATOR).text


def test_a_new_playlist_downloads_while_the_page_watches(browser, hub, feeds):
    url = feeds.publish("/night.rss", EPISODES, title="Night Shift", audio_seconds=3)
    open_page(browser, hub.url + "/")
    wait_until(lambda: IDLE.search(indicator(browser)), timeout_s=30,
               what=f"the first playlist's downloads: {indicator(browser)!r}\n{hub.output()}")
    browser.execute_script("window.notReloaded = true")
    link_box = next(box for box in browser.find_elements(By.CSS_SELECTOR, ".q-page input") if box.is_displayed())
    link_box.send_keys(url, Keys.ENTER)
    wait_until(lambda: "Night Shift" in body_text(browser), timeout_s=30, what="the added playlist")
    busy = wait_until(lambda: not IDLE.search(text := indicator(browser)) and text, timeout_s=15,
                      what="the queue indicator to show the downloads")
    assert "failed" not in busy
    wait_until(lambda: IDLE.search(indicator(browser)), timeout_s=45, what="the downloads to finish")
    assert "failed" not in indicator(browser)
    wait_until(lambda: re.search(rf"{EPISODES}\s*/\s*{EPISODES}", body_text(browser)), timeout_s=5,
               what=f"the playlist row to count {EPISODES} of {EPISODES} files")
    assert browser.execute_script("return window.notReloaded === true"), "the page reloaded instead of updating"
    assert console_errors(browser) == []
