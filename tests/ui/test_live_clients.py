"""Several browsers at once: each sees live changes, and a page that goes away stops listening."""
import httpx
from nicegui import core
from nicegui.testing.user import User



def subscriber_count(context) -> int:
    return len(context.services.events._subscribers)


async def test_two_browsers_follow_the_queue_and_closed_pages_unsubscribe(context_user, ui_context, fake_feeds):
    phone = User(httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url="http://test"))
    ui_context.services.playlists.add(fake_feeds.publish("/show.rss", 2, title="Night Shift"))
    baseline = subscriber_count(ui_context)
    await context_user.open("/queue")
    await phone.open("/queue")
    assert subscriber_count(ui_context) > baseline
    for browser in (context_user, phone):
        await browser.should_see("2 queued")
    job = ui_context.services.downloads.jobs.all()[0]
    ui_context.services.downloads.cancel_queued(job.id)
    for browser in (context_user, phone):
        await browser.should_see("1 queued", retries=20)  # the header indicator, live, in both
    with_both = subscriber_count(ui_context)
    phone.client.delete()  # what NiceGUI does when a closed tab does not come back
    assert subscriber_count(ui_context) <= with_both - 2  # its header indicator and its queue page
    ui_context.services.downloads.cancel_queued(ui_context.services.downloads.jobs.all()[1].id)
    await context_user.should_see("0 queued", retries=20)  # the laptop still follows
