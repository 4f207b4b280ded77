"""`chainrule train`: train the reference network on the bundled digits or a CSV.

``chainrule train [--preset seed | --model SPEC --loss LOSS] [--dataset digits | --dataset
FILE.csv --target COLUMN] [--hidden 64,32] [--epochs N] [--lr η] [--batch B] [--seed S]
[--plot curves.png]``. The network's input and output sizes come from the data, the hidden
sizes from ``--hidden``. A progress bar per epoch shows the loss and accuracies; the last
line is the test accuracy. Exit status 0 after training, 2 for a bad option, spec or dataset,
or a loss that diverged (the message names the epoch).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from chainrule.commands.options import add_network_arguments

if TYPE_CHECKING:  # the CLI imports every command; keep numpy out of that path
    from chainrule.nn.training import EpochRecord

DEFAULT_HIDDEN = (64, 32)
DEFAULT_EPOCHS = 60
DEFAULT_LR = 1.0
DEFAULT_BATCH = 32


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare this command's options."""
    add_network_arguments(parser)
    parser.add_argument(
        "--dataset",
        metavar="NAME|FILE.csv",
        default="digits",
        help="'digits' (scikit-learn's bundled 8×8 digits) or a CSV file with a header row "
        "(default: digits)",
    )
    parser.add_argument(
        "--target", metavar="COLUMN", help="the CSV column holding the class labels"
    )
    parser.add_argument(
        "--hidden",
        metavar="SIZES",
        help="hidden layer sizes, innermost first (default: 64,32 for the seed network)",
    )
    parser.add_argument(
        "--epochs",
        type=int,
        default=DEFAULT_EPOCHS,
        metavar="N",
        help=f"passes over the training split (default: {DEFAULT_EPOCHS})",
    )
    parser.add_argument(
        "--lr",
        type=float,
        default=DEFAULT_LR,
        metavar="η",
        help=f"SGD learning rate (default: {DEFAULT_LR:g})",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=DEFAULT_BATCH,
        metavar="B",
        help=f"examples per SGD step (default: {DEFAULT_BATCH})",
    )
    parser.add_argument(
        "--momentum", type=float, default=0.0, metavar="μ", help="SGD momentum (default: 0)"
    )
    parser.add_argument(
        "--weight-decay", type=float, default=0.0, metavar="λ", help="L2 weight decay (default: 0)"
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="seeds the weights, the split and the shuffling (default: 0)",
    )
    parser.add_argument(
        "--dtype",
        choices=("float32", "float64"),
        default="float32",
        help="floating-point precision (default: float32)",
    )
    parser.add_argument(
        "--plot", metavar="FILE", help="write loss and accuracy curves (PNG, SVG, PDF)"
    )


def run(args: argparse.Namespace) -> int:
    """Train, print the test accuracy, optionally plot; 0 on success."""
    import importlib.util
    import time

    from chainrule.errors import ChainruleError
    from chainrule.model.spec import ModelSpec, parse_spec, preset
    from chainrule.nn import SGD, Dataset, Network, load_csv, load_digits
    from chainrule.nn.training import fit

    if args.model is not None:
        spec: ModelSpec = parse_spec(args.model, args.loss or "cross_entropy")
    else:
        if args.loss is not None:
            raise ChainruleError("--loss goes with --model; a preset has its own loss.")
        spec = preset(args.preset or "seed")
    hidden = _hidden_sizes(args.hidden, spec.depth)
    if args.epochs < 1:
        raise ChainruleError(f"--epochs must be at least 1, not {args.epochs}.")
    if args.batch < 1:
        raise ChainruleError(f"--batch must be at least 1, not {args.batch}.")
    sgd = SGD(args.lr, args.momentum, args.weight_decay)
    if args.plot and importlib.util.find_spec("matplotlib") is None:
        # Say so before training, not after it.
        raise ChainruleError(
            "--plot draws with matplotlib, which is not installed: run "
            "pip install 'chainrule[train]'."
        )

    data: Dataset
    if args.dataset == "digits":
        if args.target is not None:
            raise ChainruleError("--target names a CSV column; the digits need none.")
        data = load_digits(seed=args.seed)
    else:
        if not args.dataset.lower().endswith(".csv") and "/" not in args.dataset:
            raise ChainruleError(
                f"`{args.dataset}` is not a dataset chainrule knows; use digits or a CSV file."
            )
        if args.target is None:
            raise ChainruleError("Name the CSV column that holds the classes with --target.")
        data = load_csv(args.dataset, args.target, seed=args.seed)

    sizes = (data.n_features, *hidden, data.n_classes)
    net = Network(spec, sizes, dtype=args.dtype, seed=args.seed)
    print(
        f"{data.name}: {data.x_train.shape[0]} training and {data.x_test.shape[0]} test "
        f"examples, {data.n_features} features, {data.n_classes} classes"
    )
    print(
        f"network: {spec.text()}, loss {spec.loss}, sizes {'-'.join(map(str, sizes))}, "
        f"{args.dtype}; SGD lr {sgd.lr:g}, batch {args.batch}, {args.epochs} epochs"
    )
    start = time.perf_counter()
    with _progress(args.epochs) as on_epoch:
        history = fit(
            net,
            data,
            epochs=args.epochs,
            sgd=sgd,
            batch=args.batch,
            seed=args.seed,
            on_epoch=on_epoch,
        )
    seconds = time.perf_counter() - start
    final = history.final
    right = round(final.test_accuracy * data.x_test.shape[0])
    print(
        f"final training loss {final.train_loss:.4g}, training accuracy "
        f"{100 * final.train_accuracy:.2f}%"
    )
    print(
        f"test accuracy {100 * final.test_accuracy:.2f}% ({right}/{data.x_test.shape[0]}) "
        f"after {args.epochs} epochs in {seconds:.1f} s"
    )
    if args.plot:
        from chainrule.nn.plot import plot_curves

        path = plot_curves(history, args.plot, f"{spec.text()} on {data.name}")
        print(f"curves written to {path}")
    return 0


def _hidden_sizes(text: str | None, depth: int) -> tuple[int, ...]:
    """The L − 1 hidden sizes from ``--hidden`` (default 64, 32, 32, …)."""
    from chainrule.errors import ChainruleError

    if text is None:
        return (DEFAULT_HIDDEN + (DEFAULT_HIDDEN[-1],) * depth)[: depth - 1]
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    if not all(p.isdigit() and int(p) > 0 for p in pieces):
        raise ChainruleError(
            f"--hidden takes positive whole numbers separated by commas, such as 64,32; "
            f"not `{text}`."
        )
    if len(pieces) != depth - 1:
        raise ChainruleError(
            f"This network has {depth} layers, so --hidden needs {depth - 1} sizes, "
            f"not {len(pieces)}."
        )
    return tuple(int(p) for p in pieces)


class _progress:
    """A Rich progress bar over epochs on stderr, showing the loss and accuracies."""

    def __init__(self, epochs: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._bar = Progress(
            TextColumn("epoch"),
            MofNCompleteColumn(),
            BarColumn(),
            TextColumn("{task.fields[stats]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self._task = self._bar.add_task("train", total=epochs, stats="")

    def __enter__(self) -> Callable[[EpochRecord], None]:
        self._bar.start()

        def on_epoch(record: EpochRecord) -> None:
            stats = (
                f"loss {record.train_loss:.4f}  train {100 * record.train_accuracy:.1f}%  "
                f"test {100 * record.test_accuracy:.1f}%"
            )
            self._bar.update(self._task, advance=1, stats=stats)

        return on_epoch

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()
