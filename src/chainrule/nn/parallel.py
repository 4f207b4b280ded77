"""Running a large batch as two row blocks at once: a helper thread and a one-thread BLAS.

Owns :func:`pair` (work on a persistent helper thread and on the caller's at once, and a
last piece on whichever finishes second), :class:`Gate` (one side telling the other it may
go on) and :func:`one_blas_thread` (BLAS limited to one thread while the blocks run). No
formula lives here; the network hands in closures that call the rule table on row blocks.

Why this shape: a training step of the seed network at batch 2048 spends ~10% of its time
in elementwise passes (sigmoid, σ′, softmax) that NumPy runs on one core while the second
idles, and splitting each pass across threads costs a thread wake-up (50–100 µs on this VM)
per pass. Running the whole forward and backward pass of each half of the batch on its own
core, with one BLAS thread each, needs one wake-up at the start and none in the middle,
keeps every pass parallel and keeps the products as efficient as BLAS's own two-thread
split. Only the weight gradients cross the halves: partial sums added in a fixed order, so a
step is deterministic.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any


class _Helper:
    """One daemon thread that runs a job when told and says when it is done."""

    def __init__(self) -> None:
        # Plain locks as binary semaphores: the cheapest wake-up the standard library has
        # (a ThreadPoolExecutor's futures cost about twice as much per round trip).
        self._go = threading.Lock()
        self._go.acquire()
        self._done = threading.Lock()
        self._done.acquire()
        self._busy = threading.Lock()
        self._job: Callable[[], None] | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._loop, name="chainrule-rows", daemon=True).start()

    def _loop(self) -> None:
        while True:
            self._go.acquire()
            try:
                if self._job is not None:
                    self._job()
            except BaseException as error:  # handed to the caller, raised on its thread
                self._error = error
            finally:
                self._done.release()

    def try_both(self, there: Callable[[], None], here: Callable[[], None]) -> bool:
        """Run ``there`` here and ``here`` on the caller's thread, and wait for both; False,
        having run nothing, when another thread of the program is using the helper."""
        if not self._busy.acquire(blocking=False):
            return False
        try:
            self._job, self._error = there, None
            self._go.release()
            here_error: BaseException | None = None
            try:
                here()
            except BaseException as error:
                here_error = error
            finally:
                self._done.acquire()
                self._job = None
            _raise_first_cause(here_error, self._error)
            return True
        finally:
            self._busy.release()


def _raise_first_cause(*errors: BaseException | None) -> None:
    """Raise the first error that is not just a side stopped by its partner's failure."""
    raised = [e for e in errors if e is not None]
    causes = [e for e in raised if not isinstance(e, threading.BrokenBarrierError)]
    if causes or raised:
        raise (causes or raised)[0]


_helper: _Helper | None = None


def _forget_helper() -> None:
    """After a fork the child has no helper thread; it starts a new one when it needs one."""
    global _helper
    _helper = None


os.register_at_fork(after_in_child=_forget_helper)


def _get_helper() -> _Helper:
    global _helper
    if _helper is None:
        _helper = _Helper()
    return _helper


def pair(
    there: Callable[[], None],
    here: Callable[[], None],
    last: Callable[[], None],
    gate: Gate | None = None,
) -> None:
    """``there`` on the helper and ``here`` on this thread at once, then ``last`` on
    whichever side finishes second: the work after both halves needs no meeting first.

    ``here`` may wait on ``gate``, which ``there`` opens (never the other way round: when
    another thread of the program is using the helper, the three run here in the order
    ``there``, ``here``, ``last``). When ``there`` fails, the gate is broken, so ``here``
    stops instead of waiting for ever. The first real exception is raised here, and
    ``last`` does not run.
    """
    finished = threading.Lock()

    def then_last(side: Callable[[], None], opens: Gate | None) -> Callable[[], None]:
        def run() -> None:
            try:
                side()
            except BaseException:
                if opens is not None:
                    opens.break_()
                raise
            if not finished.acquire(blocking=False):  # the other side finished first
                last()

        return run

    if not _get_helper().try_both(then_last(there, gate), then_last(here, None)):
        there()
        here()
        last()


class Gate:
    """A one-way signal between the two sides of :func:`pair`: one opens it, the other
    waits until it is open.

    A plain lock, like the helper's own hand-offs: opening it before the other side
    arrives (the usual case) costs the waiter nothing. :func:`pair` breaks it when the
    opening side fails, so the waiter raises instead of waiting for ever.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lock.acquire()
        self._broken = False

    def open(self) -> None:
        """Let the waiting side go on (once)."""
        self._lock.release()

    def break_(self) -> None:
        """The opening side failed: the waiter raises :class:`threading.BrokenBarrierError`."""
        self._broken = True
        with contextlib.suppress(RuntimeError):  # already open
            self._lock.release()

    def wait(self) -> None:
        """Return once the gate is open (at most once per gate)."""
        self._lock.acquire()
        if self._broken:
            raise threading.BrokenBarrierError


def available() -> bool:
    """Whether splitting a batch can pay: two or more cores and a BLAS we can limit."""
    return _cores() >= 2 and bool(_blas_libraries())


@functools.cache
def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@functools.cache
def _blas_libraries() -> tuple[Any, ...]:
    """threadpoolctl's controllers for the loaded BLAS libraries (none without it)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return ()
    return tuple(ThreadpoolController().select(user_api="blas").lib_controllers)


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS runs single-threaded inside the block, and as before after it.

    Two halves each calling a multi-threaded BLAS would put four threads on two cores. The
    limit is process-wide, so another thread's products in the meantime also get one thread.
    """
    libraries = [(lib, lib.get_num_threads()) for lib in _blas_libraries()]
    for lib, threads in libraries:
        if threads != 1:
            lib.set_num_threads(1)
    try:
        yield
    finally:
        for lib, threads in libraries:
            if threads != 1:
                lib.set_num_threads(threads)
