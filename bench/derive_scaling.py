"""Time to derive (and to verify) sigmoid networks of depth 1, 10, 50 and 100.

Run: ``python bench/derive_scaling.py``. Prints a table; not a test. Verification checks
every printed formula on one random instance (the CLI uses three) at small widths.
"""

from __future__ import annotations

import time

from chainrule.derive import derive
from chainrule.model.spec import Layer, ModelSpec

DEPTHS = (1, 10, 50, 100)


def network(depth: int) -> ModelSpec:
    layers = [Layer(i, "sigmoid", True) for i in range(1, depth)]
    layers.append(Layer(depth, "softmax", True))
    return ModelSpec(tuple(layers), "cross_entropy")


def best_of(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print(
        f"{'depth':>5}  {'formulas':>8}  {'derive (s)':>10}  {'derive+verify (s)':>17}  "
        f"{'per layer (ms)':>14}"
    )
    for depth in DEPTHS:
        spec = network(depth)
        n = len(derive(spec, verify=False).formulas)
        plain = best_of(lambda spec=spec: derive(spec, verify=False), 3)
        checked = best_of(lambda spec=spec: derive(spec, verify=True, instances=1), 1)
        print(
            f"{depth:>5}  {n:>8}  {plain:>10.3f}  {checked:>17.3f}  {1000 * plain / depth:>14.2f}"
        )


if __name__ == "__main__":
    main()
