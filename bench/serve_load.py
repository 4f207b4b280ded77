"""Load test for ``chainrule serve``: N check requests, C at a time, against a local server.

Usage: ``python bench/serve_load.py [--requests 200] [--concurrency 8] [--distinct]
[--url http://127.0.0.1:PORT]``. Without ``--url`` it starts ``chainrule serve --port 0``
itself and stops it afterwards. Prints p50/p99/max latency, throughput and errors; exits 1
when any request failed. ``--distinct`` makes every request's text different (a comment
line with its number), so no two requests are the same check.

Only loopback addresses are accepted as targets, and the run is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

import httpx

from chainrule.checker import seed_text


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def start_server() -> tuple[subprocess.Popen[str], str]:
    """``chainrule serve --port 0`` as a child; returns it and its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "chainrule", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "http://" not in line:
        proc.kill()
        raise SystemExit(f"the server did not start: {line.strip()}")
    return proc, line.split("http://", 1)[1].split("/", 1)[0]


async def fire(
    base: str, n: int, concurrency: int, distinct: bool, budget: float
) -> tuple[list[float], list[str]]:
    text = seed_text()
    latencies: list[float] = []
    errors: list[str] = []
    gate = asyncio.Semaphore(concurrency)
    deadline = time.monotonic() + budget

    async def one(client: httpx.AsyncClient, i: int) -> None:
        body = {"text": f"% request {i}\n{text}" if distinct else text}
        async with gate:
            if time.monotonic() > deadline:
                errors.append("skipped: the time budget ran out")
                return
            started = time.perf_counter()
            try:
                r = await client.post(f"{base}/api/check", json=body)
                if r.status_code != 200 or "steps" not in r.json():
                    errors.append(f"HTTP {r.status_code}: {r.text[:120]}")
            except httpx.HTTPError as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
            latencies.append(time.perf_counter() - started)

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(*(one(client, i) for i in range(n)))
    return latencies, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--distinct", action="store_true", help="a different text per request")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds for the whole run")
    args = parser.parse_args(argv)
    proc = None
    if args.url:
        if not _loopback(args.url):
            raise SystemExit("--url must be a loopback address (127.0.0.1, localhost, [::1]).")
        base = args.url.rstrip("/")
    else:
        proc, netloc = start_server()
        base = f"http://{netloc}"
    try:
        # One request first, so the server's one-time start-up is not counted as latency.
        httpx.post(f"{base}/api/check", json={"text": seed_text()}, timeout=60)
        started = time.perf_counter()
        latencies, errors = asyncio.run(
            fire(base, args.requests, args.concurrency, args.distinct, args.budget)
        )
        wall = time.perf_counter() - started
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")
    print(
        f"{len(latencies)} requests, {args.concurrency} at a time"
        f"{', distinct texts' if args.distinct else ', the same text'}: "
        f"p50 {statistics.median(ordered):.3f} s, p99 {p99:.3f} s, max {ordered[-1]:.3f} s; "
        f"{len(latencies) / wall:.1f} requests/s; {len(errors)} errors"
    )
    for e in errors[:5]:
        print("  error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
