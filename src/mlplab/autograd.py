"""Computational graphs: DLfS ch.5 nodes and a micrograd-style scalar autograd.

Two ways to see backpropagation on a computational graph:

1. **Layer nodes** (Deep Learning from Scratch, ch.5, ``layer_naive.py``): :class:`MulLayer`
   and :class:`AddLayer` each remember their inputs in ``forward`` and send the upstream
   gradient ``dout`` back to both inputs in ``backward``.  The caller wires the graph by
   hand and calls ``backward`` in reverse order.

2. **Scalar autograd** (like Karpathy's *micrograd*): every arithmetic operation on a
   :class:`Value` creates a new node that records its children and how to push a gradient
   back to them.  :meth:`Value.backward` visits the graph in reverse topological order and
   applies the chain rule  ``dL/dchild += dL/dout * dout/dchild``  at every node.

Example (DLfS 5.4, "buy apple")::

    >>> apple, num, tax = Value(100.0, "apple"), Value(2.0, "apple_num"), Value(1.1, "tax")
    >>> price = apple * num * tax
    >>> price.backward()
    >>> format_scalar(price.data), format_scalar(apple.grad), format_scalar(tax.grad)
    ('220', '2.2', '200')

:func:`trace`, :func:`to_dot` and :func:`to_text` show a graph (nodes with data and grad).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .errors import ConfigError, MlplabTypeError

__all__ = [
    "AddLayer",
    "MulLayer",
    "Value",
    "format_scalar",
    "to_dot",
    "to_text",
    "trace",
]


# ----------------------------------------------------------------------------------------------
# DLfS ch.5 layer nodes
# ----------------------------------------------------------------------------------------------
class MulLayer:
    """Multiplication node ``out = x * y`` (DLfS 5.4.1).

    Works on Python numbers and on NumPy arrays of equal shape (element-wise product).

    Backward (chain rule with the local derivatives ``d(xy)/dx = y``, ``d(xy)/dy = x``)::

        dx = dout * y,    dy = dout * x

    i.e. the upstream gradient is multiplied by the *other* input ("swapped").
    """

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        """Remember ``x`` and ``y`` and return ``x * y``."""
        self.x = x
        self.y = y
        out = x * y
        return out

    def backward(self, dout):
        """Return ``(dx, dy) = (dout * y, dout * x)``."""
        dx = dout * self.y  # swap x and y
        dy = dout * self.x
        return dx, dy


class AddLayer:
    """Addition node ``out = x + y`` (DLfS 5.4.2).

    Backward: ``d(x+y)/dx = d(x+y)/dy = 1``, so the upstream gradient passes through
    unchanged to both inputs: ``dx = dout * 1``, ``dy = dout * 1``.
    """

    def __init__(self):
        pass

    def forward(self, x, y):
        """Return ``x + y`` (nothing needs to be remembered)."""
        out = x + y
        return out

    def backward(self, dout):
        """Return ``(dx, dy) = (dout * 1, dout * 1)``."""
        dx = dout * 1
        dy = dout * 1
        return dx, dy


# ----------------------------------------------------------------------------------------------
# Scalar autograd
# ----------------------------------------------------------------------------------------------
_NUMBER_TYPES = (int, float, np.integer, np.floating)


def _is_number(x) -> bool:
    return isinstance(x, _NUMBER_TYPES)


def format_scalar(x: float, digits: int = 10) -> str:
    """Format a float for people: ``220.00000000000003 -> '220'``, ``2.2 -> '2.2'``.

    Uses ``digits`` significant digits (``%g`` style), which hides binary floating-point
    noise such as ``110.00000000000001`` while keeping real digits (``0.5249791875``).
    """
    s = f"{float(x):.{int(digits)}g}"
    return "0" if s == "-0" else s


class Value:
    """A scalar node of a computational graph that knows its gradient.

    Parameters
    ----------
    data : float
        The value of the node (stored as a Python float, i.e. float64).
    label : str, optional
        A name shown by :func:`to_text` and :func:`to_dot` (e.g. ``"apple"``).
    op : str, optional
        The operation that produced the node (``"+"``, ``"*"``, ``"tanh"``, ...); empty for
        leaves.  Set automatically for nodes created by arithmetic.

    Attributes
    ----------
    grad : float
        ``dL/dself`` after :meth:`backward` was called on the output ``L`` (0.0 before).
        Leaf gradients *accumulate* over several ``backward`` calls (as in PyTorch; interior
        nodes are recomputed each time); call :meth:`zero_grad` on the output to reset.
    children : tuple of Value
        The inputs of the operation that produced this node (operand order; empty for leaves).

    Notes
    -----
    Supported: ``+ - * / **`` with numbers or Values on either side, unary ``-``, and
    :meth:`exp`, :meth:`log`, :meth:`tanh`, :meth:`sigmoid`, :meth:`relu`.  Numbers are
    wrapped in constant leaf Values (so they show up in the graph).  The local derivatives
    used in the backward pass are given in each method's docstring.
    """

    # Make NumPy defer to our reflected operators: np.float64(2) * Value -> Value.__rmul__.
    __array_ufunc__ = None

    def __init__(self, data, label: str = "", op: str = ""):
        if isinstance(data, Value):
            data = data.data
        if isinstance(data, bool) or not _is_number(data):
            if isinstance(data, np.ndarray) and data.ndim == 0 and data.dtype.kind in "iuf":
                data = data.item()
            else:
                raise MlplabTypeError(
                    f"Value data must be a real number (int or float), got {type(data).__name__}"
                )
        if not isinstance(label, str) or not isinstance(op, str):
            raise MlplabTypeError("Value label and op must be strings")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.op = op
        self._children: tuple[Value, ...] = ()
        self._backward: Callable[[], None] = _noop

    # -- construction helpers ----------------------------------------------------------------
    @classmethod
    def _node(cls, data: float, children: tuple[Value, ...], op: str) -> Value:
        out = cls(data, op=op)
        out._children = children
        return out

    @staticmethod
    def _wrap(other) -> Value | None:
        if isinstance(other, Value):
            return other
        if isinstance(other, bool) or not _is_number(other):
            return None
        return Value(float(other))

    @property
    def children(self) -> tuple[Value, ...]:
        """The operands this node was computed from (empty tuple for a leaf)."""
        return self._children

    def __repr__(self) -> str:
        name = f"{self.label!r}, " if self.label else ""
        return f"Value({name}data={format_scalar(self.data)}, grad={format_scalar(self.grad)})"

    # -- binary operations -------------------------------------------------------------------
    def __add__(self, other) -> Value:
        """``out = a + b``; local derivatives ``1`` and ``1``."""
        other = self._wrap(other)
        if other is None:
            return NotImplemented
        out = Value._node(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other) -> Value:
        """``out = a * b``; local derivatives ``b`` and ``a``."""
        other = self._wrap(other)
        if other is None:
            return NotImplemented
        out = Value._node(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __sub__(self, other) -> Value:
        """``out = a - b``; local derivatives ``1`` and ``-1``."""
        other = self._wrap(other)
        if other is None:
            return NotImplemented
        out = Value._node(self.data - other.data, (self, other), "-")

        def _backward():
            self.grad += out.grad
            other.grad -= out.grad

        out._backward = _backward
        return out

    def __truediv__(self, other) -> Value:
        """``out = a / b``; local derivatives ``1/b`` and ``-a/b**2``."""
        other = self._wrap(other)
        if other is None:
            return NotImplemented
        if other.data == 0.0:
            raise ZeroDivisionError("Value division by zero (denominator data is 0)")
        out = Value._node(self.data / other.data, (self, other), "/")

        def _backward():
            self.grad += out.grad / other.data
            other.grad -= self.data / (other.data * other.data) * out.grad

        out._backward = _backward
        return out

    def __pow__(self, other) -> Value:
        """``out = a ** p``.

        * number exponent ``p``: one child, local derivative ``p * a**(p-1)``;
        * Value exponent ``b`` (needs ``a > 0``): derivatives ``b * a**(b-1)`` and
          ``a**b * log(a)``.
        """
        if isinstance(other, Value):
            if self.data <= 0.0:
                raise ConfigError(
                    f"base of ** must be > 0 when the exponent is a Value, got {self.data!r}"
                )
            b = other
            out = Value._node(self.data**b.data, (self, b), "**")

            def _backward():
                self.grad += b.data * self.data ** (b.data - 1.0) * out.grad
                b.grad += out.data * math.log(self.data) * out.grad

            out._backward = _backward
            return out
        if isinstance(other, bool) or not _is_number(other):
            return NotImplemented
        p = float(other)
        if self.data < 0.0 and not p.is_integer():
            raise ConfigError(
                f"a negative base ({self.data!r}) needs an integer exponent, got {p!r}"
            )
        if self.data == 0.0 and p < 0.0:
            raise ZeroDivisionError(f"0 cannot be raised to the negative power {p!r}")
        out = Value._node(self.data**p, (self,), f"**{format_scalar(p, 6)}")

        def _backward():
            self.grad += p * self.data ** (p - 1.0) * out.grad

        out._backward = _backward
        return out

    def __radd__(self, other) -> Value:
        other = self._wrap(other)
        return NotImplemented if other is None else other.__add__(self)

    def __rmul__(self, other) -> Value:
        other = self._wrap(other)
        return NotImplemented if other is None else other.__mul__(self)

    def __rsub__(self, other) -> Value:
        other = self._wrap(other)
        return NotImplemented if other is None else other.__sub__(self)

    def __rtruediv__(self, other) -> Value:
        other = self._wrap(other)
        return NotImplemented if other is None else other.__truediv__(self)

    def __rpow__(self, other) -> Value:
        other = self._wrap(other)
        return NotImplemented if other is None else other.__pow__(self)

    # -- unary operations --------------------------------------------------------------------
    def __neg__(self) -> Value:
        """``out = -a``; local derivative ``-1``."""
        out = Value._node(-self.data, (self,), "neg")

        def _backward():
            self.grad -= out.grad

        out._backward = _backward
        return out

    def exp(self) -> Value:
        """``out = e**a``; local derivative ``e**a`` (= out).  Overflow gives ``inf``."""
        try:
            y = math.exp(self.data)
        except OverflowError:
            y = math.inf
        out = Value._node(y, (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self) -> Value:
        """``out = ln(a)`` for ``a > 0``; local derivative ``1/a``."""
        if self.data <= 0.0:
            raise ConfigError(f"log needs data > 0, got {self.data!r}")
        out = Value._node(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        """``out = tanh(a)``; local derivative ``1 - tanh(a)**2``."""
        out = Value._node(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data * out.data) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self) -> Value:
        """``out = 1 / (1 + e**-a)`` (overflow-safe); local derivative ``out * (1 - out)``."""
        x = self.data
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        out = Value._node(s, (self,), "sigmoid")

        def _backward():
            self.grad += out.data * (1.0 - out.data) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> Value:
        """``out = max(0, a)``; local derivative ``1`` if ``a > 0`` else ``0`` (0 at the kink)."""
        out = Value._node(self.data if self.data > 0.0 else 0.0, (self,), "relu")

        def _backward():
            if self.data > 0.0:
                self.grad += out.grad

        out._backward = _backward
        return out

    # -- backpropagation ---------------------------------------------------------------------
    def backward(self, grad: float = 1.0) -> None:
        """Backpropagate from this node: set ``self.grad = grad`` (``dL/dL = 1``) and add
        ``dL/dnode`` to the ``grad`` of every node of the graph.

        Nodes are visited in reverse topological order (every node after all nodes that use
        it), found with an iterative depth-first search, so very deep graphs (tens of
        thousands of nodes) do not hit Python's recursion limit.  Gradients of interior nodes
        are reset first; leaf gradients accumulate across calls (see :meth:`zero_grad`).
        """
        order, _ = trace(self)
        for node in order:  # interior gradients are recomputed, leaf gradients accumulate
            if node._children:
                node.grad = 0.0
        self.grad = float(grad)
        for node in reversed(order):
            node._backward()

    def zero_grad(self) -> None:
        """Set ``grad = 0`` on this node and every node it was computed from."""
        for node in trace(self)[0]:
            node.grad = 0.0


def _noop() -> None:
    return None


# ----------------------------------------------------------------------------------------------
# Graph inspection
# ----------------------------------------------------------------------------------------------
def trace(root: Value) -> tuple[list[Value], list[tuple[Value, Value]]]:
    """Collect the graph that produced ``root``.

    Returns
    -------
    nodes : list of Value
        Every node once, in topological order (children before parents; ``root`` last).
    edges : list of (child, parent)
        One entry per distinct child -> parent connection.
    """
    if not isinstance(root, Value):
        raise MlplabTypeError(f"root must be a Value, got {type(root).__name__}")
    order: list[Value] = []
    seen: set[int] = set()
    edges: list[tuple[Value, Value]] = []
    edge_ids: set[tuple[int, int]] = set()
    # Iterative post-order DFS: (node, expanded?) pairs on an explicit stack.
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for child in node._children:
            key = (id(child), id(node))
            if key not in edge_ids:
                edge_ids.add(key)
                edges.append((child, node))
        for child in reversed(node._children):  # first operand is visited first
            if id(child) not in seen:
                stack.append((child, False))
    return order, edges


def _names(nodes: list[Value]) -> dict[int, str]:
    return {id(n): (n.label or f"#{i}") for i, n in enumerate(nodes)}


def to_text(root: Value, digits: int = 10) -> str:
    """One line per node (leaves first, ``root`` last): name, op with inputs, data and grad.

    Unlabelled nodes are named ``#i`` by their position in the topological order.  Example::

        apple        leaf                         data=100   grad=2.2
        tax          leaf                         data=1.1   grad=200
        price        * (apple_price, tax)         data=220   grad=1
    """
    nodes, _ = trace(root)
    names = _names(nodes)
    rows = []
    for n in nodes:
        if n._children:
            op = f"{n.op} ({', '.join(names[id(c)] for c in n._children)})"
        else:
            op = "leaf"
        rows.append(
            (names[id(n)], op, format_scalar(n.data, digits), format_scalar(n.grad, digits))
        )
    w_name = max(len(r[0]) for r in rows)
    w_op = max(len(r[1]) for r in rows)
    w_data = max(len(r[2]) for r in rows)
    return "\n".join(
        f"{name:<{w_name}}  {op:<{w_op}}  data={data:<{w_data}}  grad={grad}"
        for name, op, data, grad in rows
    )


def _dot_escape(s: str) -> str:
    for ch in '\\{}|<>"':
        s = s.replace(ch, "\\" + ch)
    return s


def to_dot(root: Value, digits: int = 6) -> str:
    """Graphviz DOT text of the graph (micrograd ``draw_dot`` style, ``rankdir=LR``).

    Every Value is a record node ``{ label | data ... | grad ... }``; every operation is a
    small oval node between its inputs and its result.  Render with
    ``dot -Tsvg graph.dot > graph.svg``.
    """
    nodes, edges = trace(root)
    names = _names(nodes)
    index = {id(n): i for i, n in enumerate(nodes)}
    lines = ["digraph G {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
    for i, n in enumerate(nodes):
        label = (
            f"{{ {_dot_escape(names[id(n)])} | data {format_scalar(n.data, digits)}"
            f" | grad {format_scalar(n.grad, digits)} }}"
        )
        lines.append(f'  n{i} [shape=record, label="{label}"];')
        if n._children:
            lines.append(f'  n{i}_op [shape=ellipse, label="{_dot_escape(n.op)}"];')
            lines.append(f"  n{i}_op -> n{i};")
    for child, parent in edges:
        lines.append(f"  n{index[id(child)]} -> n{index[id(parent)]}_op;")
    lines.append("}")
    return "\n".join(lines) + "\n"
