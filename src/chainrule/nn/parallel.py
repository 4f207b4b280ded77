"""Running a large batch as two row blocks at once: a helper thread and a one-thread BLAS.

Owns :func:`lockstep` (phases of work on a persistent helper thread and on the caller's,
meeting between phases) and :func:`one_blas_thread` (BLAS limited to one thread while the
blocks run). No formula lives here; the network hands in closures that call the rule table on
row blocks.

Why this shape: a training step of the seed network at batch 2048 spends ~10% of its time
in elementwise passes (sigmoid, σ′, softmax) that NumPy runs on one core while the second
idles, and splitting each pass across threads costs a thread wake-up (50–100 µs on this VM)
per pass. Running the whole forward and backward pass of each half of the batch on its own
core, with one BLAS thread each, needs a wake-up at the start and one meeting, keeps every
pass parallel and keeps the products as efficient as BLAS's own two-thread split. Only the
weight gradients cross the halves: partial sums added in a fixed order, and the first layer's
made after the meeting, each core half of its rows, so a step is deterministic.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
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


def lockstep(there: Sequence[Callable[[], None]], here: Sequence[Callable[[], None]]) -> None:
    """Phase k of ``there`` (on the helper) and of ``here`` (on this thread) together, each
    side starting phase k + 1 only when both have finished phase k.

    For work whose second part needs both halves of the first (the network's first-layer
    weight gradient needs the whole batch's error). The first real exception is raised
    here; when another thread of the program is using the helper, the phases run here,
    side by side in turn.
    """
    if len(there) != len(here):
        raise ValueError("Both sides need the same number of phases.")
    barrier = _PairBarrier()
    if _get_helper().try_both(_in_lockstep(barrier, 1, there), _in_lockstep(barrier, 0, here)):
        return
    for here_phase, there_phase in zip(here, there, strict=True):
        here_phase()
        there_phase()


class _PairBarrier:
    """A barrier for exactly two threads, from two plain locks.

    The last to arrive finds the other's lock released and goes straight on; only the first
    waits, on one lock. Cheaper than :class:`threading.Barrier`'s Condition (a no-op
    two-phase :func:`lockstep` measured 52 µs against 73). What remains is the waiter's
    wake-up, and then its wait for the GIL: on a VM whose idle vCPU halts, each sleep costs
    50–100 µs (measured at this meeting; spinning on a C spinlock instead gained nothing,
    as the spinner then sleeps on the GIL).
    """

    def __init__(self) -> None:
        self._arrived = (threading.Lock(), threading.Lock())
        for lock in self._arrived:
            lock.acquire()
        self._broken = False

    def wait(self, side: int) -> None:
        """Side 0 or 1 arrives; return when the other has arrived too (once per meeting)."""
        self._arrived[side].release()
        self._arrived[1 - side].acquire()
        if self._broken:
            raise threading.BrokenBarrierError

    def abort(self, side: int) -> None:
        """Side ``side`` failed: the other side's next meeting raises instead of waiting."""
        self._broken = True
        self._arrived[side].release()


def _in_lockstep(
    barrier: _PairBarrier, side: int, phases: Sequence[Callable[[], None]]
) -> Callable[[], None]:
    """One side's phases as one job, meeting the other side at ``barrier`` between them.

    A failing phase breaks the barrier, so the other side stops at its next meeting with
    a :class:`threading.BrokenBarrierError` instead of waiting for ever.
    """

    def run() -> None:
        for k, phase in enumerate(phases):
            if k:
                barrier.wait(side)
            try:
                phase()
            except BaseException:
                barrier.abort(side)
                raise

    return run


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
