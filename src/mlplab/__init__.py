"""mlplab — a neural-network lab in NumPy for learning and teaching deep learning.

The engine (``functions``, ``layers``, ``init``, ``optim``, ``schedules``, ``model``,
``gradcheck``) is plain NumPy with explicit forward and backward passes; ``docs/architecture.md``
says where each idea lives.  Quick start::

    from mlplab import MLP
    model = MLP([2, 3, 1], activation="relu", loss="bce", seed=0)
    grads = model.gradient(X, y)          # backprop, dict like model.params
"""

from .errors import MlplabError
from .model import MLP, Sequential
from .modelfile import ModelLimits, load

__version__ = "0.1.0"

__all__ = ["MLP", "Sequential", "load", "ModelLimits", "MlplabError", "__version__"]
