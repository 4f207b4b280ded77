"""Time one full SGD step of the seed network: chainrule against PyTorch eager and JAX jit.

The seed network ``softmax(W3 σ(W2 σ(W1 x)))`` with cross-entropy at d=784, d1=256, d2=128,
k=10, float32, no biases, batch sizes 1, 32, 256 and 2048. One step is forward, backward and
the SGD update.

The chainrule side runs twice: in this process with the environment as it is, and in a
worker process with ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` unset (as on a user's
machine; OpenBLAS reads them only when it loads, hence the process). Each side also times
NumPy's own float32 matmul (GFLOP/s on large square products) and reports which BLAS kernel
ran (threadpoolctl), and the fraction of that matmul peak the step reaches at batch 2048,
counting 2·m·n·k FLOPs for each of the 3 forward and 5 backward products.

Why rounds: the machines this runs on have slow spells lasting seconds (a neighbour's load;
the same step can take 1.5× as long for a while), so timing each contender in one block,
one after another, compares them under different conditions. Instead every round times a
short block of each contender at each batch size, in an order that rotates between rounds,
with a pause between blocks so one contender's spinning worker threads (OpenBLAS, OpenMP)
have gone idle before the next starts. A time is the median over rounds of each block's
median; the spread across rounds is printed beside it. The fraction of the matmul peak is
the median over rounds of (step FLOPs / step time / peak), both measured in that round.

Usage::

    python bench/train_step.py [--json] [--quick] [--rounds N]

With ``--json`` the last line is ``{"batches": {"1": {"chainrule_s": …, "torch_s": …,
"jax_s": …}, …}, "fraction_of_matmul_peak_at_2048": …}`` where ``chainrule_s`` and the
fraction are the unset (user's machine) run; ``chainrule_as_set_s`` and the ``…_as_set``
keys are the run with the environment as it is.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

SIZES = (784, 256, 128, 10)
BATCHES = (1, 32, 256, 2048)
LR = 0.01
UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
PAUSE = 0.15
"""Seconds between blocks: OpenBLAS's idle threads spin for ~0.1 s before they sleep."""

Step = Callable[[], object]


def step_flops(m: int) -> int:
    """FLOPs of the 8 matrix products of one step: 3 forward, 5 backward (no ∂L/∂x)."""
    d, d1, d2, k = SIZES
    forward = m * d * d1 + m * d1 * d2 + m * d2 * k
    backward = (d2 * m * k + m * k * d2) + (d1 * m * d2 + m * d2 * d1) + d * m * d1
    return 2 * (forward + backward)


def block_median(step: Step, seconds: float, min_reps: int = 7) -> float:
    """The median of one block of timed repetitions after a short warm-up."""
    start = time.perf_counter()
    for _ in range(3):
        step()
    once = max((time.perf_counter() - start) / 3, 1e-7)
    reps = int(min(4000, max(min_reps, seconds / once)))
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def batch_data(m: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(m)
    x = rng.standard_normal((m, SIZES[0])).astype(np.float32)
    labels = rng.integers(0, SIZES[-1], m)
    return x, labels


def blas_info() -> dict[str, Any]:
    from threadpoolctl import threadpool_info

    for info in threadpool_info():
        if info.get("user_api") == "blas":
            return {
                "kernel": info.get("architecture"),
                "library": f"{info.get('internal_api')} {info.get('version')}",
                "threads": info.get("num_threads"),
            }
    return {"kernel": None, "library": None, "threads": None}


# ----------------------------------------------------------------------------- contenders


def chainrule_steps() -> dict[str, Step]:
    from chainrule.model import preset
    from chainrule.nn import SGD, Network, one_hot

    net = Network(preset("seed"), SIZES, dtype=np.float32, seed=0)
    sgd = SGD(LR)
    steps: dict[str, Step] = {}
    for m in BATCHES:
        x, labels = batch_data(m)
        y = one_hot(labels, SIZES[-1], np.float32)
        steps[str(m)] = lambda x=x, y=y: net.train_step(x, y, sgd)
    steps["peak"] = matmul_peak_step()
    return steps


def matmul_peak_step() -> Step:
    """One 2048² float32 matmul (the larger of the sizes that gave the peak here)."""
    rng = np.random.default_rng(0)
    n = 2048
    a = rng.standard_normal((n, n)).astype(np.float32)
    b = rng.standard_normal((n, n)).astype(np.float32)
    c = np.empty((n, n), np.float32)
    return lambda: np.matmul(a, b, out=c)


PEAK_FLOPS = 2 * 2048**3


def torch_steps(threads: int) -> dict[str, Step] | str:
    try:
        import torch
    except ImportError:
        return "PyTorch is not installed (pip install torch==2.13.0); skipped."
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    d, d1, d2, k = SIZES
    model = torch.nn.Sequential(
        torch.nn.Linear(d, d1, bias=False),
        torch.nn.Sigmoid(),
        torch.nn.Linear(d1, d2, bias=False),
        torch.nn.Sigmoid(),
        torch.nn.Linear(d2, k, bias=False),
    )
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    steps: dict[str, Step] = {}
    for m in BATCHES:
        x_np, labels_np = batch_data(m)
        x, labels = torch.from_numpy(x_np), torch.from_numpy(labels_np)

        def step(x: Any = x, labels: Any = labels) -> None:
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(x), labels)
            loss.backward()
            opt.step()

        steps[str(m)] = step
    return steps


def jax_steps() -> dict[str, Step] | str:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return "JAX is not installed (pip install jax jaxlib); skipped."
    jax.config.update("jax_platforms", "cpu")

    def loss_fn(params: list[Any], x: Any, y: Any) -> Any:
        h = jax.nn.sigmoid(x @ params[0])
        h = jax.nn.sigmoid(h @ params[1])
        return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(h @ params[2]), axis=1))

    def sgd_step(params: list[Any], x: Any, y: Any) -> tuple[list[Any], Any]:
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        return [p - LR * g for p, g in zip(params, grads, strict=True)], loss

    step_jit = jax.jit(sgd_step, donate_argnums=0)
    rng = np.random.default_rng(0)
    steps: dict[str, Step] = {}
    for m in BATCHES:
        params = [
            jnp.asarray(rng.standard_normal((a, b)).astype(np.float32) / np.sqrt(a))
            for a, b in itertools.pairwise(SIZES)
        ]
        x_np, labels = batch_data(m)
        x = jnp.asarray(x_np)
        y = jnp.asarray(np.eye(SIZES[-1], dtype=np.float32)[labels])
        state = {"params": params}

        def step(x: Any = x, y: Any = y, state: dict[str, Any] = state) -> None:
            new, loss = step_jit(state["params"], x, y)
            loss.block_until_ready()
            state["params"] = new

        step()  # compile outside the timed blocks
        steps[str(m)] = step
    return steps


# ----------------------------------------------------------------------------- the worker


def worker() -> int:
    """The unset-environment side: answers ``time <name> <seconds>`` and ``info`` lines."""
    steps = chainrule_steps()
    print(json.dumps({"ready": True, "blas": blas_info()}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        name, seconds = words[1], float(words[2])
        print(json.dumps({"seconds": block_median(steps[name], seconds)}), flush=True)
    return 0


class Worker:
    """The unset-environment chainrule side, in its own process, timed on request."""

    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in UNSET}
        self._proc = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.blas = self._read()["blas"]

    def _read(self) -> dict[str, Any]:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise SystemExit("the unset-environment worker stopped; run it alone to see why")
        result: dict[str, Any] = json.loads(line)
        return result

    def time(self, name: str, seconds: float) -> float:
        assert self._proc.stdin is not None
        self._proc.stdin.write(f"time {name} {seconds}\n")
        self._proc.stdin.flush()
        return float(self._read()["seconds"])

    def close(self) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.write("quit\n")
        self._proc.stdin.flush()
        self._proc.wait(timeout=30)


# ----------------------------------------------------------------------------- the rounds


def run_rounds(rounds: int, seconds: float) -> dict[str, Any]:
    """Times per contender and batch (a list, one per round), and the peaks per round."""
    as_set = chainrule_steps()
    threads = int(blas_info()["threads"] or 1)
    unset = Worker()
    contenders: dict[str, Callable[[str], float] | str] = {
        "chainrule_s": lambda name: unset.time(name, seconds),
        "chainrule_as_set_s": lambda name: block_median(as_set[name], seconds),
    }
    for key, steps in (("torch_s", torch_steps(threads)), ("jax_s", jax_steps())):
        if isinstance(steps, str):
            contenders[key] = steps
        else:
            contenders[key] = lambda name, steps=steps: block_median(steps[name], seconds)
    timed = [k for k, v in contenders.items() if not isinstance(v, str)]
    times: dict[str, dict[str, list[float]]] = {k: {str(m): [] for m in BATCHES} for k in timed}
    peaks: dict[str, list[float]] = {"chainrule_s": [], "chainrule_as_set_s": []}
    try:
        for r in range(rounds):
            order = timed[r % len(timed) :] + timed[: r % len(timed)]
            for key in ("chainrule_s", "chainrule_as_set_s"):
                time.sleep(PAUSE)
                run = contenders[key]
                assert not isinstance(run, str)
                peaks[key].append(PEAK_FLOPS / run("peak") / 1e9)
            for m in map(str, BATCHES):
                for key in order:
                    time.sleep(PAUSE)
                    run = contenders[key]
                    assert not isinstance(run, str)
                    times[key][m].append(run(m))
    finally:
        unset.close()
    skipped = {k: v for k, v in contenders.items() if isinstance(v, str)}
    return {"times": times, "peaks": peaks, "skipped": skipped, "blas_unset": unset.blas}


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1e6:.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:.2f} ms"


def spread(values: list[float]) -> str:
    """The median and the range across rounds, as ±% of the median."""
    mid = statistics.median(values)
    lo, hi = min(values), max(values)
    return f"{fmt(mid)} ({(lo / mid - 1) * 100:+.0f}/{(hi / mid - 1) * 100:+.0f}%)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 7; 2 quick)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker()
    rounds = args.rounds or (2 if args.quick else 7)
    seconds = 0.15 if args.quick else 0.4
    result = run_rounds(rounds, seconds)
    times, peaks = result["times"], result["peaks"]
    flops = step_flops(2048)

    def fraction(key: str) -> float:
        per_round = [
            flops / t / (p * 1e9) for t, p in zip(times[key]["2048"], peaks[key], strict=True)
        ]
        return statistics.median(per_round)

    frac_unset, frac_set = fraction("chainrule_s"), fraction("chainrule_as_set_s")
    blas_set = blas_info()
    print(f"seed network {'-'.join(map(str, SIZES))}, float32, one SGD step")
    print(
        f"{rounds} rounds of {seconds:.2f} s blocks per contender and batch, order rotating; "
        "median over rounds (range across rounds)"
    )
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for label, blas, key in (
        ("as set", blas_set, "chainrule_as_set_s"),
        ("OPENBLAS_* unset", result["blas_unset"], "chainrule_s"),
    ):
        print(
            f"  chainrule/numpy, environment {label}: BLAS kernel {blas['kernel']} "
            f"({blas['library']}, {blas['threads']} threads), numpy float32 matmul peak "
            f"{statistics.median(peaks[key]):.0f} GFLOP/s"
        )
    for key, message in result["skipped"].items():
        print(f"  {key.removesuffix('_s')}: {message}")
    columns = ["chainrule_s", "chainrule_as_set_s", "torch_s", "jax_s"]
    titles = ["chainrule unset", "chainrule as set", "torch", "jax"]
    print(f"{'batch':>6} " + " ".join(f"{t:>24}" for t in titles))
    rows: dict[str, dict[str, float | None]] = {}
    for m in map(str, BATCHES):
        rows[m] = {
            key: statistics.median(times[key][m]) if key in times else None for key in columns
        }
        cells = [spread(times[key][m]) if key in times else "—" for key in columns]
        print(f"{m:>6} " + " ".join(f"{c:>24}" for c in cells))
    for peer in ("torch_s", "jax_s"):
        if peer in times:
            ratios = [
                f"{statistics.median(times[peer][str(m)]) / rows[str(m)]['chainrule_s']:.2f}×"  # type: ignore[operator]
                for m in BATCHES
            ]
            print(f"  {peer.removesuffix('_s')} / chainrule (unset): {', '.join(ratios)}")
    print(
        f"fraction of numpy's matmul peak at batch 2048: {frac_unset:.0%} unset "
        f"({flops / rows['2048']['chainrule_s'] / 1e9:.0f} GFLOP/s), {frac_set:.0%} as set"  # type: ignore[operator]
    )
    if args.json:
        print(
            json.dumps(
                {
                    "batches": rows,
                    "fraction_of_matmul_peak_at_2048": frac_unset,
                    "fraction_of_matmul_peak_at_2048_as_set": frac_set,
                    "matmul_peak_gflops": {
                        "unset": statistics.median(peaks["chainrule_s"]),
                        "as_set": statistics.median(peaks["chainrule_as_set_s"]),
                    },
                    "blas_kernel": {
                        "unset": result["blas_unset"]["kernel"],
                        "as_set": blas_set["kernel"],
                    },
                    "rounds": rounds,
                    "per_round": times,
                    "load_average": os.getloadavg()[0],
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
