"""The worker's hand-over of frames to the socket's sender (:mod:`mlplab.playground.worker`).

The jobs run here one at a time from the test (no thread), so an interleaving of the worker
thread and the event loop that happens only now and then under load is played exactly.
"""

import json
from types import SimpleNamespace

from mlplab.playground.worker import Scheduler


def run(sched, expect):
    """The job the worker thread would run next (it must be ``expect``), run."""
    job, _ = sched._pick()
    assert job is not None and job[1] == expect, job
    getattr(sched, "_" + job[1])(job[0])


def test_a_frame_built_while_the_last_one_is_on_its_way_reaches_the_page():
    """Before: the paused frame waited for a wake-up that never came; the page showed
    'playing' forever after Pause (seen twice in CI, a browser test waiting 60 s)."""
    wakes = []
    sched = Scheduler()
    c = sched.attach("s", SimpleNamespace(session=None), lambda: wakes.append(1), drawn=True)
    run(sched, "open")
    run(sched, "frame")  # the data and the first frame
    assert sched.take(c)[1] is False and sched.take(c)[1] is True  # data, then the frame
    sched.frame_drawn(c)
    sched.post(c, '{"type":"play"}')
    run(sched, "message")
    run(sched, "frame")  # after a message, a frame (playing)
    # the user presses Pause; the worker picks the frame after it before the sender has
    # taken the playing frame ...
    sched.post(c, '{"type":"pause"}')
    run(sched, "message")
    job, _ = sched._pick()
    assert job == (c, "frame")
    playing, is_frame = sched.take(c)  # ... the sender takes the playing frame meanwhile ...
    assert is_frame and json.loads(playing)["playing"] is True
    sched._frame(c)  # ... and the worker finishes the paused one
    assert sched.take(c) is None  # the playing frame is not drawn yet: the paused one waits
    wakes.clear()
    sched.frame_drawn(c)  # the page has drawn the playing frame
    assert wakes, "the sender must be woken: a frame waits for it"
    paused, is_frame = sched.take(c)
    assert is_frame and json.loads(paused)["playing"] is False


def test_no_wake_up_when_no_frame_waits():
    wakes = []
    sched = Scheduler()
    c = sched.attach("s", SimpleNamespace(session=None), lambda: wakes.append(1), drawn=True)
    run(sched, "open")
    run(sched, "frame")
    while sched.take(c) is not None:
        pass
    wakes.clear()
    sched.frame_drawn(c)
    assert not wakes
