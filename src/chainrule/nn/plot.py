"""Loss and accuracy curves of a training run, drawn with matplotlib (an optional extra).

Owns :func:`plot_curves`. matplotlib is imported here, inside the function, with the
non-interactive Agg backend, so training needs no display and no matplotlib unless asked.
"""

from __future__ import annotations

from pathlib import Path

from chainrule.errors import ChainruleError
from chainrule.nn.data import TRAIN_EXTRA
from chainrule.nn.training import History


def plot_curves(history: History, path: str | Path, title: str = "") -> Path:
    """Write loss (left) and accuracy (right) per epoch, train and test, to an image file.

    The format follows the suffix (``.png``, ``.svg``, ``.pdf``).

    Raises:
        ChainruleError: matplotlib is missing, or the file cannot be written.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ChainruleError(
            f"--plot draws with matplotlib, which is not installed: run {TRAIN_EXTRA}."
        ) from None
    out = Path(path)
    epochs = [r.epoch for r in history.epochs]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    try:
        left.plot(epochs, [r.train_loss for r in history.epochs], label="train")
        left.plot(epochs, [r.test_loss for r in history.epochs], label="test")
        left.set(xlabel="epoch", ylabel="mean loss", title="Loss")
        left.set_yscale("log")
        right.plot(epochs, [100 * r.train_accuracy for r in history.epochs], label="train")
        right.plot(epochs, [100 * r.test_accuracy for r in history.epochs], label="test")
        right.set(xlabel="epoch", ylabel="accuracy (%)", title="Accuracy")
        for ax in (left, right):
            ax.grid(alpha=0.3)
            ax.legend()
        if title:
            fig.suptitle(title)
        fig.tight_layout()
        try:
            fig.savefig(out, dpi=120)
        except (OSError, ValueError) as exc:
            raise ChainruleError(f"The plot cannot be written to `{out}` ({exc}).") from None
    finally:
        plt.close(fig)
    return out
