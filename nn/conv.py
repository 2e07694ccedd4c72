"""Convolutional layers: receptive fields and weight sharing.

A convolution slides one small set of weights (a kernel, one per output channel) over the
input: each output unit sees only a small window (its receptive field), and every window
uses the same weights.  Like PyTorch's, these compute cross-correlation (no kernel flip).

    >>> import numpy as np
    >>> from nn import Conv2d, MaxPool2d, Flatten, Linear, ReLU, Sequential
    >>> cnn = Sequential(Conv2d(1, 4, 3, padding=1, seed=0), ReLU(), MaxPool2d(2),
    ...                  Flatten(), Linear(4 * 4 * 4, 10, seed=1))
    >>> cnn(np.zeros((2, 1, 8, 8))).shape
    (2, 10)
    >>> cnn[0]
    Conv2d(1 -> 4, kernel_size=(3, 3), padding=(1, 1))  # 40 parameters
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.ops import check_flag
from autograd.tensor import Tensor, conv1d, conv2d, conv_options, int_tuple

from .init import init_weights
from .layers import as_tensor, parameter
from .module import Module


class _ConvNd(Module):
    _dims = 0
    _fn: Any = None

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] = 1,
        padding: int | tuple[int, ...] | str = 0,
        dilation: int | tuple[int, ...] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        *,
        init: str = "he",
        seed: int | np.random.Generator | None = None,
        dtype: Any = np.float64,
    ) -> None:
        # PyTorch's arguments in PyTorch's order, so that a call copied from PyTorch means the same
        # here (Conv2d(3, 4, 3, 1, 0, 2) has dilation 2 there; it was read as bias=2 here) or says
        # what is not supported
        d = self._dims
        name = type(self).__name__
        self.in_channels = int_tuple(in_channels, 1, f"{name}: in_channels", 1)[0]
        self.out_channels = int_tuple(out_channels, 1, f"{name}: out_channels", 1)[0]
        self.kernel_size = int_tuple(kernel_size, d, f"{name}: kernel_size", 1)
        self.stride, self.padding = conv_options(name, self.kernel_size, stride, padding, dilation, groups)
        if padding_mode != "zeros":
            raise NotImplementedError(f"{name}: padding_mode={padding_mode!r} is not supported here (only "
                                      "'zeros')")
        check_flag(name, "bias", bias)
        area = math.prod(self.kernel_size)
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        w, b = init_weights(shape, self.in_channels * area, self.out_channels * area, init, seed)
        self.weight = parameter(w, dtype, "weight")
        self.bias = parameter(b, dtype, "bias") if bias else None

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x, self.weight.dtype)
        if x.ndim not in (self._dims + 1, self._dims + 2) or x.shape[-self._dims - 1] != self.in_channels:
            axes = "N, C, L" if self._dims == 1 else "N, C, H, W"
            raise ValueError(
                f"{type(self).__name__}: input must be ({axes}) with C = {self.in_channels}, or one "
                f"sample ({axes[3:]}), got shape {x.shape}"
            )
        return type(self)._fn(x, self.weight, self.bias, self.stride, self.padding)  # (one sample too)

    def extra_repr(self) -> str:
        s = f"{self.in_channels} -> {self.out_channels}, kernel_size={self.kernel_size}"
        if any(v != 1 for v in self.stride):
            s += f", stride={self.stride}"
        if any(self.padding):
            s += f", padding={self.padding}"
        return s + ("" if self.bias is not None else ", bias=False")


class Conv1d(_ConvNd):
    """1-D convolution over ``(N, C, L)`` input, as ``torch.nn.Conv1d``; weight
    ``(out_channels, in_channels, kernel_size)``.

    >>> conv = Conv1d(2, 3, kernel_size=3, stride=2, padding=1, seed=0)
    >>> conv(np.zeros((4, 2, 10))).shape
    (4, 3, 5)
    """

    _dims = 1
    _fn = staticmethod(conv1d)


class Conv2d(_ConvNd):
    """2-D convolution over ``(N, C, H, W)`` input, as ``torch.nn.Conv2d``; weight
    ``(out_channels, in_channels, kH, kW)``.  He initialisation by default (for ReLU).

    >>> conv = Conv2d(1, 6, kernel_size=5, seed=0)
    >>> conv(np.zeros((1, 1, 28, 28))).shape
    (1, 6, 24, 24)
    """

    _dims = 2
    _fn = staticmethod(conv2d)


__all__ = ["Conv1d", "Conv2d"]
