"""Time one full SGD step of the seed network: chainrule against PyTorch eager and JAX jit.

The seed network ``softmax(W3 σ(W2 σ(W1 x)))`` with cross-entropy at d=784, d1=256, d2=128,
k=10, float32, no biases, batch sizes 1, 32, 256 and 2048. One step is forward, backward and
the SGD update. Each time is the median of many repetitions after a warm-up.

The chainrule side runs twice: in this process with the environment as it is, and in a
subprocess with ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` unset (as on a user's
machine; OpenBLAS reads them only when it loads, hence the subprocess). Each run also times
NumPy's own float32 matmul (GFLOP/s on large square products) and reports which BLAS kernel
ran (threadpoolctl), and the fraction of that matmul peak the step reaches at batch 2048,
counting 2·m·n·k FLOPs for each of the 3 forward and 5 backward products.

Usage::

    python bench/train_step.py [--json] [--quick]

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


def step_flops(m: int) -> int:
    """FLOPs of the 8 matrix products of one step: 3 forward, 5 backward (no ∂L/∂x)."""
    d, d1, d2, k = SIZES
    forward = m * d * d1 + m * d1 * d2 + m * d2 * k
    backward = (d2 * m * k + m * k * d2) + (d1 * m * d2 + m * d2 * d1) + d * m * d1
    return 2 * (forward + backward)


def median_seconds(step: Callable[[], object], budget: float, min_reps: int = 15) -> float:
    """Median of repeated timings after a warm-up; repetitions sized to ``budget`` seconds."""
    start = time.perf_counter()
    for _ in range(5):
        step()
    once = max((time.perf_counter() - start) / 5, 1e-7)
    reps = int(min(5000, max(min_reps, budget / once)))
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


def matmul_peak(budget: float) -> float:
    """NumPy's float32 matmul GFLOP/s: the best median over a few large square sizes."""
    best = 0.0
    rng = np.random.default_rng(0)
    for n in (1024, 2048):
        a = rng.standard_normal((n, n)).astype(np.float32)
        b = rng.standard_normal((n, n)).astype(np.float32)
        c = np.empty((n, n), np.float32)
        seconds = median_seconds(lambda a=a, b=b, c=c: np.matmul(a, b, out=c), budget, 7)
        best = max(best, 2 * n**3 / seconds / 1e9)
    return best


def chainrule_side(budget: float) -> dict[str, Any]:
    """Time chainrule's step at every batch size, NumPy's matmul peak, and the BLAS kernel."""
    from chainrule.model import preset
    from chainrule.nn import SGD, Network, one_hot

    net = Network(preset("seed"), SIZES, dtype=np.float32, seed=0)
    sgd = SGD(LR)
    times = {}
    for m in BATCHES:
        x, labels = batch_data(m)
        y = one_hot(labels, SIZES[-1], np.float32)
        times[str(m)] = median_seconds(lambda x=x, y=y: net.train_step(x, y, sgd), budget)
    return {"times": times, "peak_gflops": matmul_peak(budget), "blas": blas_info()}


def torch_side(budget: float, threads: int) -> dict[str, float] | str:
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
    times = {}
    for m in BATCHES:
        x_np, labels_np = batch_data(m)
        x, labels = torch.from_numpy(x_np), torch.from_numpy(labels_np)

        def step(x: Any = x, labels: Any = labels) -> None:
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(x), labels)
            loss.backward()
            opt.step()

        times[str(m)] = median_seconds(step, budget)
    return times


def jax_side(budget: float) -> dict[str, float] | str:
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
    times = {}
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

        times[str(m)] = median_seconds(step, budget)
    return times


def run_unset_worker(budget: float) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", "--budget", str(budget)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"the unset-environment run failed:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1e6:8.1f} µs" if seconds < 1e-3 else f"{seconds * 1e3:8.2f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    parser.add_argument("--quick", action="store_true", help="shorter timing budget")
    parser.add_argument("--budget", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    budget = args.budget or (0.3 if args.quick else 1.5)
    if args.worker:
        print(json.dumps(chainrule_side(budget)))
        return 0

    as_set = chainrule_side(budget)
    unset = run_unset_worker(budget)
    threads = int(as_set["blas"]["threads"] or 1)
    torch_times = torch_side(budget, threads)
    jax_times = jax_side(budget)

    flops = step_flops(2048)
    frac_unset = flops / unset["times"]["2048"] / (unset["peak_gflops"] * 1e9)
    frac_set = flops / as_set["times"]["2048"] / (as_set["peak_gflops"] * 1e9)
    print(f"seed network {'-'.join(map(str, SIZES))}, float32, one SGD step (median)")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for label, run in (("as set", as_set), ("OPENBLAS_* unset", unset)):
        blas = run["blas"]
        print(
            f"  chainrule/numpy, environment {label}: BLAS kernel {blas['kernel']} "
            f"({blas['library']}, {blas['threads']} threads), numpy float32 matmul peak "
            f"{run['peak_gflops']:.0f} GFLOP/s"
        )
    for name, result in (("PyTorch", torch_times), ("JAX", jax_times)):
        if isinstance(result, str):
            print(f"  {name}: {result}")
    header = (
        f"{'batch':>6} {'chainrule unset':>16} {'chainrule as set':>17} {'torch':>12} {'jax':>12}"
    )
    print(header)
    rows: dict[str, dict[str, float | None]] = {}
    for m in map(str, BATCHES):
        t = torch_times.get(m) if isinstance(torch_times, dict) else None
        j = jax_times.get(m) if isinstance(jax_times, dict) else None
        rows[m] = {
            "chainrule_s": unset["times"][m],
            "torch_s": t,
            "jax_s": j,
            "chainrule_as_set_s": as_set["times"][m],
        }
        print(
            f"{m:>6} {fmt(unset['times'][m]):>16} {fmt(as_set['times'][m]):>17} "
            f"{fmt(t):>12} {fmt(j):>12}"
        )
    print(
        f"fraction of numpy's matmul peak at batch 2048: {frac_unset:.0%} unset "
        f"({flops / unset['times']['2048'] / 1e9:.0f} GFLOP/s), {frac_set:.0%} as set"
    )
    if args.json:
        print(
            json.dumps(
                {
                    "batches": rows,
                    "fraction_of_matmul_peak_at_2048": frac_unset,
                    "fraction_of_matmul_peak_at_2048_as_set": frac_set,
                    "matmul_peak_gflops": {
                        "unset": unset["peak_gflops"],
                        "as_set": as_set["peak_gflops"],
                    },
                    "blas_kernel": {
                        "unset": unset["blas"]["kernel"],
                        "as_set": as_set["blas"]["kernel"],
                    },
                    "load_average": os.getloadavg()[0],
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
