"""Every page in a real browser: loads cleanly, navigates, dark mode, phone layout; screenshots."""
import pytest

pytest.importorskip("selenium", reason="selenium is not installed (pip install -r requirements-dev.txt)")

from selenium.webdriver.common.by import By  # noqa: E402

from tests.browser.conftest import (
    DESKTOP, PHONE, PLAYLIST_TITLE, body_text, console_errors, open_page, wait_until,
)

pytestmark = pytest.mark.browser

# (path, screenshot name); the playlist added before the app started has id 1.
PAGES = [("/", "playlists"), ("/playlist/1", "playlist"), ("/library", "library"), ("/queue", "queue"),
         ("/settings", "settings")]
NAV_BUTTON = "//header//button[.//span[normalize-space()='{}']]"
DARK_TOGGLE = "//header//button[.//i[normalize-space()='dark_mode' or normalize-space()='light_mode']]"
QUEUE_INDICATOR = "//header//button[contains(., '⬇')]"
MENU_BUTTON = "//header//button[.//i[normalize-space()='menu']]"


def is_dark(driver) -> bool:
    return driver.execute_script("return document.body.classList.contains('body--dark')")


@pytest.mark.parametrize(("path", "name"), PAGES, ids=[name for _, name in PAGES])
def test_page_loads_without_console_errors(browser, hub, screenshot, path, name):
    console_errors(browser)  # start clean
    open_page(browser, hub.url + path)
    assert browser.title.endswith("PySync Hub")
    assert browser.find_element(By.XPATH, QUEUE_INDICATOR).is_displayed()
    if name == "playlist":
        wait_until(lambda: PLAYLIST_TITLE in body_text(browser), what="the playlist's name on its page")
    screenshot(browser, f"{name}-light")
    assert console_errors(browser) == []


def test_navigation_buttons_switch_pages_without_reloading(browser, hub):
    open_page(browser, hub.url + "/")
    browser.execute_script("window.notReloaded = true")
    for label, path in (("Library", "/library"), ("Queue", "/queue"), ("Settings", "/settings"),
                        ("Playlists", "/")):
        browser.find_element(By.XPATH, NAV_BUTTON.format(label)).click()
        wait_until(lambda path=path: browser.current_url == hub.url + path, what=f"{label} to open {path}")
        wait_until(lambda label=label: browser.title.startswith(label), what=f"the {label} page title")
    assert browser.execute_script("return window.notReloaded === true")
    assert console_errors(browser) == []


def test_dark_mode_toggles_and_is_remembered(browser, hub, screenshot):
    open_page(browser, hub.url + "/")
    assert not is_dark(browser)
    browser.find_element(By.XPATH, DARK_TOGGLE).click()
    try:
        wait_until(lambda: is_dark(browser), what="dark mode")
        for path, name in PAGES:
            open_page(browser, hub.url + path)
            assert is_dark(browser), f"{path} forgot dark mode"
            screenshot(browser, f"{name}-dark")
        assert console_errors(browser) == []
    finally:
        browser.find_element(By.XPATH, DARK_TOGGLE).click()
        wait_until(lambda: not is_dark(browser), what="light mode again")


def test_phone_layout_never_scrolls_sideways(browser, hub, screenshot):
    width, height = PHONE
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    try:
        for path, name in PAGES:
            open_page(browser, hub.url + path)
            assert browser.execute_script("return document.documentElement.scrollWidth") <= width, path
            assert sticking_out(browser, width) == [], f"{path}: cut off at the right edge"
            assert browser.find_element(By.XPATH, MENU_BUTTON).is_displayed(), "no navigation menu on a phone"
            screenshot(browser, f"{name}-phone")
        browser.find_element(By.XPATH, MENU_BUTTON).click()
        wait_until(lambda: browser.find_elements(By.XPATH, "//div[contains(@class,'q-menu')]//*[.='Queue']"),
                   what="the navigation menu")
        browser.find_element(By.XPATH, "//div[contains(@class,'q-menu')]//*[.='Queue']").click()
        wait_until(lambda: browser.current_url == hub.url + "/queue", what="the menu to open the queue")
        assert console_errors(browser) == []
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        browser.set_window_size(*DESKTOP)


def sticking_out(driver, width: int) -> list[str]:
    """Visible page elements reaching past the right edge (clipped by `overflow-x: hidden` or not),
    except inside a container that scrolls on its own."""
    return driver.execute_script("""
        const width = arguments[0], found = [];
        const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
        for (const el of document.querySelectorAll('.q-page *, .q-header *')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
            let parent = el.parentElement, inScroller = false;
            while (parent && parent !== document.body && !inScroller) {
                inScroller = scrolls(parent);
                parent = parent.parentElement;
            }
            const name = [el.tagName.toLowerCase(), ...[...el.classList].slice(0, 3)].join('.');
            if (!inScroller) found.push(`${name} right=${Math.round(box.right)}`);
        }
        return found.slice(0, 5);
    """, width)
