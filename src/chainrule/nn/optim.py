"""Stochastic gradient descent with optional momentum and weight decay, updating in place.

Owns :class:`SGD`, with PyTorch's semantics (``torch.optim.SGD``, no dampening, no
Nesterov): ``g ← ∂L/∂W + λW``, ``v ← μv + g`` (``v = g`` on the first step), ``W ← W − ηv``.
Without momentum the network hands over gradients already multiplied by η (it scales the
output error once, which the linear backward pass carries to every gradient), so the update
is one subtraction per parameter: no temporary, one pass over each weight.
"""

from __future__ import annotations

import math

import numpy as np

from chainrule.errors import ChainruleError
from chainrule.nn.buffers import Array


class SGD:
    """The optimiser: learning rate η, momentum μ, weight decay λ, and the momentum buffers.

    One ``SGD`` serves one network (its buffers are keyed by parameter name).

    Example:
        >>> sgd = SGD(lr=0.5, momentum=0.9)
        >>> sgd.gradient_scale
        1.0
    """

    def __init__(self, lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        if not (math.isfinite(lr) and lr > 0):
            raise ChainruleError(f"The learning rate must be a positive number, not {lr}.")
        if not (math.isfinite(momentum) and 0 <= momentum < 1):
            raise ChainruleError(f"Momentum must be at least 0 and below 1, not {momentum}.")
        if not (math.isfinite(weight_decay) and weight_decay >= 0):
            raise ChainruleError(f"Weight decay must be 0 or more, not {weight_decay}.")
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.weight_decay = float(weight_decay)
        self._velocity: dict[str, Array] = {}

    @property
    def gradient_scale(self) -> float:
        """What the gradients handed to :meth:`apply` are multiplied by: η without momentum."""
        return self.lr if self.momentum == 0 else 1.0

    @property
    def plain_step(self) -> tuple[float, float] | None:
        """``(α, β)`` with the update ``W ← βW + αG``, G the gradient times
        :attr:`gradient_scale`, when the step needs nothing but G (no momentum): then the
        network can add the gradient straight into the weights as BLAS computes it.
        None with momentum, whose velocity needs the gradient itself."""
        if self.momentum:
            return None
        return -1.0, 1.0 - self.lr * self.weight_decay

    def apply(self, name: str, param: Array, grad: Array) -> None:
        """Update ``param`` in place from ``grad`` (which holds ``gradient_scale · ∂L/∂param``).

        ``grad`` is used as scratch space and is garbage afterwards.
        """
        if self.momentum == 0:
            if self.weight_decay:
                # W − η(g + λW) = W(1 − ηλ) − ηg, and grad already holds ηg.
                param *= 1.0 - self.lr * self.weight_decay
            param -= grad
            return
        if self.weight_decay:
            grad += self.weight_decay * param
        velocity = self._velocity.get(name)
        if velocity is None:
            velocity = self._velocity[name] = grad.copy()
        else:
            velocity *= self.momentum
            velocity += grad
        np.multiply(velocity, self.lr, out=grad)
        param -= grad
