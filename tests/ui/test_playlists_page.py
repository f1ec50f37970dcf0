from nicegui import ui

from pysync_web.ui.pages.playlists import EMPTY_HINT


async def test_empty_library_tells_what_to_do(app_user):
    await app_user.open("/")
    await app_user.should_see(EMPTY_HINT)


async def test_add_a_feed_through_the_page(app_user, fake_feeds):
    url = fake_feeds.publish("/show.rss", 3, title="Night Shift")
    await app_user.open("/")
    app_user.find(marker="playlist-url").type(url)
    app_user.find(marker="add-playlist").click()
    await app_user.should_see("Night Shift", retries=100)
    await app_user.should_see("0/3 files")
    await app_user.should_not_see(EMPTY_HINT)


async def test_bad_link_shows_an_inline_error_and_adds_nothing(app_user, ui_services):
    await app_user.open("/")
    app_user.find(marker="playlist-url").type("https://example.com/nothing")
    app_user.find(marker="add-playlist").click()
    await app_user.should_see("not a supported site", retries=100)
    assert ui_services.catalog.playlist_summaries() == []


async def test_listing_shows_existing_playlists(app_user, ui_services, fake_feeds):
    ui_services.playlists.add(fake_feeds.publish("/a.rss", 2, title="Morning Show"))
    await app_user.open("/")
    await app_user.should_see("Morning Show")
    await app_user.should_see(kind=ui.item)
