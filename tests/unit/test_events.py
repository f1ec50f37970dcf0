import asyncio
import threading

from pysync_web.worker.events import DownloadEvent, EventBus, EventKind, ProgressThrottle


def test_subscribers_hear_events_until_they_unsubscribe():
    bus, heard = EventBus(), []
    unsubscribe = bus.subscribe(heard.append)
    bus.publish(DownloadEvent(EventKind.QUEUED, job_id=1))
    unsubscribe()
    bus.publish(DownloadEvent(EventKind.QUEUED, job_id=2))
    assert [e.job_id for e in heard] == [1]


def test_a_failing_subscriber_does_not_stop_the_others():
    bus, heard = EventBus(), []
    bus.subscribe(lambda event: 1 / 0)
    bus.subscribe(heard.append)
    bus.publish(DownloadEvent(EventKind.DONE))
    assert len(heard) == 1


async def test_events_from_worker_threads_are_delivered_on_the_loop():
    bus, delivered_on = EventBus(), []
    bus.bind(asyncio.get_running_loop())
    bus.subscribe(lambda event: delivered_on.append(threading.current_thread()))
    worker = threading.Thread(target=lambda: bus.publish(DownloadEvent(EventKind.PROGRESS)))
    worker.start()
    worker.join()
    await asyncio.sleep(0.05)
    assert delivered_on == [threading.main_thread()]


def test_progress_throttle_lets_four_a_second_through():
    now = [0.0]
    throttle = ProgressThrottle(clock=lambda: now[0])
    passed = 0
    for _ in range(100):  # 100 hooks over one second
        passed += throttle.ready()
        now[0] += 0.01
    assert passed == 4
