"""Being built: see the UI issue."""
from pysync_web.ui.context import AppContext
from pysync_web.ui.layout import frame


def queue_page(context: AppContext, **params: object) -> None:
    with frame("Queue"):
        pass
