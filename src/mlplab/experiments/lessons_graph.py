"""Seed 004 / DLfS ch.5: backpropagation on a computational graph ("buy apples").

``mlplab run apple`` reproduces ``ch05/buy_apple.py`` and ``ch05/buy_apple_orange.py``:

* apple 100 x 2, tax 1.1 -> price 220; backward dapple 2.2, dapple_num 110, dtax 200;
* plus orange 150 x 3 -> price 715; dapple 2.2, dapple_num 110, dorange 3.3,
  dorange_num 165, dtax 650;

first with the book's :class:`~mlplab.autograd.MulLayer` / :class:`~mlplab.autograd.AddLayer`
nodes wired by hand, then with the scalar autograd :class:`~mlplab.autograd.Value`, which
finds the same gradients by itself and can print its graph (:func:`~mlplab.autograd.to_text`,
Graphviz DOT in ``metrics["dot"]``).
"""

from __future__ import annotations

from ..autograd import AddLayer, MulLayer, Value, format_scalar, to_dot, to_text
from ..errors import check_positive
from .registry import Option, RunResult, register

APPLE_KEYS = ("price", "dapple", "dapple_num", "dtax")
FRUIT_KEYS = ("price", "dapple", "dapple_num", "dorange", "dorange_num", "dtax")


def buy_apple_layers(apple: float, apple_num: float, tax: float) -> dict[str, float]:
    """DLfS ``buy_apple.py``: ``price = (apple * apple_num) * tax`` with two MulLayers.

    Returns the forward results (``apple_price``, ``price``) and the gradients of ``price``
    with respect to every input (``dapple = apple_num * tax``, ``dapple_num = apple * tax``,
    ``dtax = apple * apple_num``).
    """
    mul_apple_layer = MulLayer()
    mul_tax_layer = MulLayer()
    # forward
    apple_price = mul_apple_layer.forward(apple, apple_num)
    price = mul_tax_layer.forward(apple_price, tax)
    # backward (reverse order)
    dprice = 1
    dapple_price, dtax = mul_tax_layer.backward(dprice)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)
    return {
        "apple_price": apple_price,
        "price": price,
        "dapple_price": dapple_price,
        "dapple": dapple,
        "dapple_num": dapple_num,
        "dtax": dtax,
    }


def buy_apple_orange_layers(
    apple: float, apple_num: float, orange: float, orange_num: float, tax: float
) -> dict[str, float]:
    """DLfS ``buy_apple_orange.py``: ``price = (apple*apple_num + orange*orange_num) * tax``.

    Three MulLayers and one AddLayer; the add node passes its upstream gradient unchanged
    to both branches.
    """
    mul_apple_layer = MulLayer()
    mul_orange_layer = MulLayer()
    add_apple_orange_layer = AddLayer()
    mul_tax_layer = MulLayer()
    # forward
    apple_price = mul_apple_layer.forward(apple, apple_num)
    orange_price = mul_orange_layer.forward(orange, orange_num)
    all_price = add_apple_orange_layer.forward(apple_price, orange_price)
    price = mul_tax_layer.forward(all_price, tax)
    # backward
    dprice = 1
    dall_price, dtax = mul_tax_layer.backward(dprice)
    dapple_price, dorange_price = add_apple_orange_layer.backward(dall_price)
    dorange, dorange_num = mul_orange_layer.backward(dorange_price)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)
    return {
        "apple_price": apple_price,
        "orange_price": orange_price,
        "all_price": all_price,
        "price": price,
        "dapple": dapple,
        "dapple_num": dapple_num,
        "dorange": dorange,
        "dorange_num": dorange_num,
        "dtax": dtax,
    }


def buy_apple_values(apple: float, apple_num: float, tax: float) -> tuple[Value, dict]:
    """The apple graph built from :class:`Value` nodes; returns ``(price, numbers)``."""
    a = Value(apple, "apple")
    n = Value(apple_num, "apple_num")
    t = Value(tax, "tax")
    apple_price = a * n
    apple_price.label = "apple_price"
    price = apple_price * t
    price.label = "price"
    price.backward()
    return price, {
        "price": price.data,
        "dapple": a.grad,
        "dapple_num": n.grad,
        "dtax": t.grad,
    }


def buy_apple_orange_values(
    apple: float, apple_num: float, orange: float, orange_num: float, tax: float
) -> tuple[Value, dict]:
    """The apple + orange graph built from :class:`Value` nodes; returns ``(price, numbers)``."""
    a, an = Value(apple, "apple"), Value(apple_num, "apple_num")
    o, on = Value(orange, "orange"), Value(orange_num, "orange_num")
    t = Value(tax, "tax")
    apple_price = a * an
    apple_price.label = "apple_price"
    orange_price = o * on
    orange_price.label = "orange_price"
    all_price = apple_price + orange_price
    all_price.label = "all_price"
    price = all_price * t
    price.label = "price"
    price.backward()
    return price, {
        "price": price.data,
        "dapple": a.grad,
        "dapple_num": an.grad,
        "dorange": o.grad,
        "dorange_num": on.grad,
        "dtax": t.grad,
    }


def _lines(d: dict, keys) -> list[str]:
    return [f"{k}: {format_scalar(d[k])}" for k in keys]


@register(
    "apple",
    summary="DLfS ch.5 computational graph: price 220 / 715, gradients 2.2, 110, 200 / 650",
    seed="004",
    options=[
        Option("apple", float, 100.0, "price of one apple"),
        Option("apple_num", float, 2.0, "number of apples"),
        Option("orange", float, 150.0, "price of one orange"),
        Option("orange_num", float, 3.0, "number of oranges"),
        Option("tax", float, 1.1, "consumption tax factor"),
    ],
)
def apple(opts: dict) -> RunResult:
    """Forward and backward pass through the shopping graphs, book style and with Value."""
    ap, an = float(opts["apple"]), float(opts["apple_num"])
    og, on = float(opts["orange"]), float(opts["orange_num"])
    tax = check_positive("tax", opts["tax"])

    lay1 = buy_apple_layers(ap, an, tax)
    lay2 = buy_apple_orange_layers(ap, an, og, on, tax)
    root1, val1 = buy_apple_values(ap, an, tax)
    root2, val2 = buy_apple_orange_values(ap, an, og, on, tax)

    f = format_scalar
    out: list[str] = []
    out.append("== buy_apple.py (MulLayer x 2) ==")
    out.append(
        f"forward:  apple {f(ap)} x apple_num {f(an)} = apple_price {f(lay1['apple_price'])}"
    )
    out.append(f"          apple_price {f(lay1['apple_price'])} x tax {f(tax)} = price")
    out.append("backward: dprice = 1")
    out += _lines(lay1, APPLE_KEYS)
    raw = repr(float(lay1["price"]))
    if raw != f(lay1["price"]):
        out.append(f"(raw float price = {raw}: binary floating point, shown rounded)")
    out.append("")
    out.append("== buy_apple_orange.py (MulLayer x 3, AddLayer) ==")
    out.append(
        f"forward:  apple {f(ap)} x {f(an)} + orange {f(og)} x {f(on)}"
        f" = all_price {f(lay2['all_price'])};  x tax {f(tax)} = price"
    )
    out.append("backward: dprice = 1 (the add node passes its gradient to both branches)")
    out += _lines(lay2, FRUIT_KEYS)
    out.append("")
    out.append("== the same graphs with the scalar autograd Value (price.backward()) ==")
    out.append("buy_apple:        " + ", ".join(_lines(val1, APPLE_KEYS)))
    out.append("buy_apple_orange: " + ", ".join(_lines(val2, FRUIT_KEYS)))
    out.append("")
    out.append("graph of buy_apple (leaves first):")
    out.append(to_text(root1))
    out.append("")
    out.append("graph of buy_apple_orange (leaves first):")
    out.append(to_text(root2))

    agree = all(abs(lay1[k] - val1[k]) <= 1e-9 * max(1.0, abs(lay1[k])) for k in APPLE_KEYS)
    agree &= all(abs(lay2[k] - val2[k]) <= 1e-9 * max(1.0, abs(lay2[k])) for k in FRUIT_KEYS)
    metrics = {
        "buy_apple": {k: float(v) for k, v in lay1.items()},
        "buy_apple_orange": {k: float(v) for k, v in lay2.items()},
        "value_buy_apple": {k: float(v) for k, v in val1.items()},
        "value_buy_apple_orange": {k: float(v) for k, v in val2.items()},
        "layers_and_value_agree": bool(agree),
        "dot": {"buy_apple": to_dot(root1), "buy_apple_orange": to_dot(root2)},
    }
    notes = [
        "Graphviz DOT of both graphs is in metrics['dot'] (render: dot -Tsvg graph.dot).",
    ]
    return RunResult("apple", "\n".join(out), metrics=metrics, config=dict(opts), notes=notes)
