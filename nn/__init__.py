"""Neural networks on the autograd engine (perceptrons, MLPs, CNNs, losses, optimizers).

The layers land with the nn issue; the package exists so that ``import nn`` works today.
"""

__all__: list[str] = []
