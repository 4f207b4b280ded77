"""A small pool of worker processes that run checks under a hard time bound.

Why processes: a check is CPU-bound Python, so in a thread it would share the GIL with the
server and every other request; and a process that runs past its bound can be killed, which
a thread cannot. Why a pool of long-lived ones: a fresh process pays for imports and for
building the parser (about a second) on every request; a worker pays once, at start-up.

Each worker runs one job at a time. A job that is not done ``timeout`` seconds after it was
handed over is abandoned: its worker is killed and replaced, and the caller gets a
``timeout`` :class:`Outcome`. Identical requests are answered from a small cache (checks are
deterministic), and concurrent identical requests share one run.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import anyio.to_thread

GRACE = 5.0
"""Seconds a job may run past its own time limit before its worker is killed."""

CACHE_SIZE = 256
"""Results remembered for identical requests."""


@dataclass(frozen=True)
class Outcome:
    """How a job ended: ``ok`` (``value`` holds the result), ``user`` (a ChainruleError:
    ``message`` is its sentence), ``timeout``, or ``bug`` (anything else)."""

    status: str
    value: Any = None
    message: str = ""


def run_outcome(job: Callable[..., Any], args: tuple[Any, ...]) -> Outcome:
    from chainrule.errors import ChainruleError

    try:
        return Outcome("ok", job(*args))
    except ChainruleError as exc:
        return Outcome("user", message=str(exc))
    except Exception as exc:  # a bug in chainrule: report it, do not hide it
        return Outcome("bug", message=f"{type(exc).__name__}: {exc}")


def _serve(conn: Connection, warm: Callable[[], object] | None) -> None:
    """A worker's body: answer ``(job, args)`` messages until the pipe closes."""
    if warm is not None:
        run_outcome(warm, ())  # build parsers and caches before the first real request
    while True:
        try:
            job, args = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        conn.send(run_outcome(job, args))


class _Worker:
    def __init__(self, warm: Callable[[], object] | None) -> None:
        # spawn, not fork: the server has threads, and forking a threaded process is unsafe.
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, warm), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class Workers:
    """``size`` worker processes (default: one per CPU), started on first use.

    Args:
        size: how many jobs run at once; the rest wait for a free worker, and the wait does
            not count against their time bound.
        warm: a job each worker runs once when it starts (e.g. check the seed example).
    """

    def __init__(self, size: int | None = None, warm: Callable[[], object] | None = None) -> None:
        self.size = max(1, size or os.cpu_count() or 1)
        self._warm = warm
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self._cache: OrderedDict[Hashable, Outcome] = OrderedDict()
        self._running: dict[Hashable, threading.Event] = {}

    def start(self) -> None:
        """Start every worker now (otherwise the first requests start them)."""
        with self._lock:
            while len(self._all) < self.size:
                worker = _Worker(self._warm)
                self._all.append(worker)
                self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            for worker in self._all:
                worker.stop()
            self._all.clear()
            self._idle = queue.Queue()

    def _run_uncached(
        self, job: Callable[..., Any], args: tuple[Any, ...], timeout: float
    ) -> Outcome:
        if len(self._all) < self.size:
            self.start()
        worker = self._idle.get()
        try:
            worker.conn.send((job, args))
            if worker.conn.poll(timeout):
                result: Outcome = worker.conn.recv()
                self._idle.put(worker)
                return result
            outcome = Outcome("timeout", message=f"the job ran past {timeout:g} s")
        except (EOFError, OSError):
            outcome = Outcome("bug", message="the worker process stopped unexpectedly")
        # The worker is stuck or dead: replace it, so the pool keeps its size.
        worker.stop()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
                fresh = _Worker(self._warm)
                self._all.append(fresh)
                self._idle.put(fresh)
        return outcome

    def run_blocking(
        self, job: Callable[..., Any], args: tuple[Any, ...], timeout: float
    ) -> Outcome:
        """Run ``job(*args)`` in a worker, or answer from the cache (blocking)."""
        key = (job.__module__, job.__qualname__, args)
        while True:
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    return self._cache[key]
                waiting = self._running.get(key)
                if waiting is None:
                    self._running[key] = threading.Event()
                    break
            waiting.wait()  # the same request is running: share its result
        try:
            outcome = self._run_uncached(job, args, timeout)
        finally:
            with self._lock:
                self._running.pop(key).set()
        if outcome.status in ("ok", "user"):  # deterministic results only
            with self._lock:
                self._cache[key] = outcome
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return outcome

    async def run(self, job: Callable[..., Any], *args: Any, timeout: float) -> Outcome:
        """Run ``job(*args)`` in a worker without blocking the event loop."""
        # The thread only waits (for a worker, then on a pipe), holding no GIL for long.
        return await anyio.to_thread.run_sync(self.run_blocking, job, args, timeout)
