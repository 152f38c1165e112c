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

from .. import i18n
from ..autograd import AddLayer, MulLayer, Value, format_scalar, to_dot, to_text
from ..errors import check_positive
from ..i18n import pad
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


def chain_rule(x: float = 1.0, y: float = 2.0) -> dict:
    """004's chain rule: z = t², t = x + y, so ∂z/∂x = ∂z/∂t · ∂t/∂x = 2t · 1 = 2(x + y).

    Returns the Value graph's gradients, the formula and a central-difference check.
    """
    xv, yv = Value(x, "x"), Value(y, "y")
    t = xv + yv
    t.label = "t"
    z = t**2
    z.label = "z"
    z.backward()
    h = 1e-6
    numeric = (((x + h) + y) ** 2 - ((x - h) + y) ** 2) / (2 * h)
    return {"z": z.data, "t": t.data, "dz_dt": t.grad, "dz_dx": xv.grad, "dz_dy": yv.grad,
            "formula": 2 * (x + y), "numeric": numeric, "root": z}  # fmt: skip


def add_and_mul_nodes(upstream: float = 1.3) -> dict:
    """DLfS fig. 5-9/5-12: an add node passes ``upstream`` on unchanged (10 + 5 → 1.3, 1.3);
    a multiply node passes it times the *other* input (10 × 5 → 1.3·5 = 6.5, 1.3·10 = 13)."""
    add, mul = AddLayer(), MulLayer()
    add.forward(10.0, 5.0)
    mul.forward(10.0, 5.0)
    dx_add, dy_add = add.backward(upstream)
    dx_mul, dy_mul = mul.backward(upstream)
    return {"add": (dx_add, dy_add), "mul": (dx_mul, dy_mul)}


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
    lang = opts.get("lang", "en")
    T = lambda k, **kw: i18n.t(k, lang, **kw)  # noqa: E731
    out: list[str] = []
    out.append("== buy_apple.py (MulLayer x 2) ==")
    fwd = pad(T("apple.forward"), 10)
    out.append(f"{fwd}apple {f(ap)} x apple_num {f(an)} = apple_price {f(lay1['apple_price'])}")
    out.append(f"{' ' * 10}apple_price {f(lay1['apple_price'])} x tax {f(tax)} = price")
    out.append(T("apple.backward1"))
    out += _lines(lay1, APPLE_KEYS)
    raw = repr(float(lay1["price"]))
    if raw != f(lay1["price"]):
        out.append(T("apple.raw_price", raw=raw))
    out.append("")
    out.append("== buy_apple_orange.py (MulLayer x 3, AddLayer) ==")
    out.append(
        f"{fwd}apple {f(ap)} x {f(an)} + orange {f(og)} x {f(on)}"
        f" = all_price {f(lay2['all_price'])};  x tax {f(tax)} = price"
    )
    out.append(T("apple.backward2"))
    out += _lines(lay2, FRUIT_KEYS)
    out.append("")
    out.append(T("apple.value_head"))
    out.append("buy_apple:        " + ", ".join(_lines(val1, APPLE_KEYS)))
    out.append("buy_apple_orange: " + ", ".join(_lines(val2, FRUIT_KEYS)))
    out.append("")
    out.append(T("apple.graph_of", name="buy_apple"))
    out.append(to_text(root1))
    out.append("")
    out.append(T("apple.graph_of", name="buy_apple_orange"))
    out.append(to_text(root2))
    # 004: the chain rule on z = (x + y)², and what an add / a multiply node pass back
    cr = chain_rule()
    out += [
        "",
        T("apple.chain_head"),
        T(
            "apple.chain_line",
            x="1",
            y="2",
            t=f(cr["t"]),
            z=f(cr["z"]),
            dzdt=f(cr["dz_dt"]),
            dzdx=f(cr["dz_dx"]),
            formula=f(cr["formula"]),
            numeric=f"{cr['numeric']:.6f}",
        ),
    ]
    nodes = add_and_mul_nodes(1.3)
    out += ["", T("apple.nodes_head"),
            T("apple.add_line", dx=f(nodes["add"][0]), dy=f(nodes["add"][1])),
            T("apple.mul_line", dx=f(nodes["mul"][0]), dy=f(nodes["mul"][1]))]  # fmt: skip

    agree = all(abs(lay1[k] - val1[k]) <= 1e-9 * max(1.0, abs(lay1[k])) for k in APPLE_KEYS)
    agree &= all(abs(lay2[k] - val2[k]) <= 1e-9 * max(1.0, abs(lay2[k])) for k in FRUIT_KEYS)
    metrics = {
        "buy_apple": {k: float(v) for k, v in lay1.items()},
        "buy_apple_orange": {k: float(v) for k, v in lay2.items()},
        "value_buy_apple": {k: float(v) for k, v in val1.items()},
        "value_buy_apple_orange": {k: float(v) for k, v in val2.items()},
        "layers_and_value_agree": bool(agree),
        "dot": {"buy_apple": to_dot(root1), "buy_apple_orange": to_dot(root2)},
        "chain_rule": {k: v for k, v in cr.items() if k != "root"},
        "add_node": list(nodes["add"]),
        "mul_node": list(nodes["mul"]),
    }
    notes = [T("apple.note_dot")]
    figs, captions = {}, {}
    if opts.get("figures", True):
        from ..viz import plot_value_graph

        figs["buy_apple"] = plot_value_graph(root1, title="buy_apple", lang=lang)
        figs["buy_apple_orange"] = plot_value_graph(root2, title="buy_apple_orange", lang=lang)
        figs["chain_rule"] = plot_value_graph(cr["root"], title="z = (x + y)²", lang=lang)
        captions = {k: T(f"fig.apple_{k}") for k in figs}
    return RunResult("apple", "\n".join(out), metrics=metrics, config=dict(opts), notes=notes,
                     figures=figs, captions=captions, lang=lang)  # fmt: skip
