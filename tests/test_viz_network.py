"""Network diagram: SVG / DOT / PNG content for hand-built nets (values computed here with NumPy)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.image import imread

from mlplab.errors import ConfigError, MlplabTypeError
from mlplab.layers import Activation, Affine
from mlplab.model import MLP, Sequential
from mlplab.viz.network import NEG_COLOR, POS_COLOR, network_dot, network_svg, plot_network

SVG = "{http://www.w3.org/2000/svg}"

# The notebook's 2-3-1 net (001, In[10]) with non-zero biases to make the bias labels testable.
W1 = np.array([[0.2, 0.3, 0.8], [0.7, 0.8, 0.3]])  # W1[i, j] = w_{i+1, j+1}: x_i -> a_j
B1 = np.array([0.1, -0.2, 0.0])
W2 = np.array([[0.3], [-0.1], [0.2]])
B2 = np.array([0.05])
X = np.array([[0.8216662, 0.16103194], [-1.0, 0.5], [0.3, -1.2]])  # row 0: the notebook's x[74]
T = np.array([[1.0], [0.0], [1.0]])


def notebook_net():
    return Sequential(
        [
            Affine(W1.copy(), B1.copy()),
            Activation("relu"),
            Affine(W2.copy(), B2.copy()),
            Activation("sigmoid"),
        ],
        loss="bce",
    )


def hand_forward(x):
    a = x @ W1 + B1
    z = np.maximum(a, 0)
    ay = z @ W2 + B2
    y = 1 / (1 + np.exp(-ay))
    return a, z, ay, y


def svg_parts(svg):
    root = ET.fromstring(svg)
    nodes, edges, edge_labels = {}, set(), {}
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id", "")
        if gid.startswith("node-"):
            texts = ["".join(t.itertext()) for t in g.iter(f"{SVG}text")]
            nodes[gid[5:]] = texts
        elif gid.startswith("edge-"):
            edges.add(gid[5:])
    for t in root.iter(f"{SVG}text"):
        if t.get("class") == "edge-label":
            edge_labels[t.get("data-edge")] = [s.text for s in t.iter(f"{SVG}tspan")]
    return root, nodes, edges, edge_labels


def test_svg_has_notebook_nodes_values_and_edge_labels():
    svg = network_svg(notebook_net(), X, T, sample=0)
    root, nodes, edges, labels = svg_parts(svg)
    assert set(nodes) == {"x1", "x2", "a1", "a2", "a3", "z1", "z2", "z3", "ay", "y", "loss"}
    a, z, ay, y = hand_forward(X[:1])
    assert nodes["x1"][0] == "x1=0.82" and nodes["x2"][0] == "x2=0.16"
    for j in range(3):
        assert nodes[f"a{j + 1}"][0] == f"a{j + 1}={a[0, j]:.2f}"
        assert nodes[f"z{j + 1}"][0] == f"z{j + 1}={z[0, j]:.2f}"
        assert nodes[f"a{j + 1}"][1] == f"b={B1[j]:.2f}"  # bias under the pre-activation
    assert nodes["ay"] == [f"ay={ay[0, 0]:.2f}", "b=0.05"]
    assert nodes["y"] == [f"y={y[0, 0]:.2f}"]
    _, _, _, yall = hand_forward(X)
    loss = -np.mean(T * np.log(yall) + (1 - T) * np.log(1 - yall))
    assert nodes["loss"] == [f"loss={loss:.2f}"]
    # weight edges: x_i -> a_j labelled W1[i, j] (so x1->a2 is 0.30, x2->a1 is 0.70)
    for i in range(2):
        for j in range(3):
            assert labels[f"x{i + 1}-a{j + 1}"] == [f"{W1[i, j]:.2f}"]
    assert labels["z2-ay"] == ["-0.10"]
    for j in range(1, 4):
        assert labels[f"a{j}-z{j}"] == ["relu"]
    assert labels["ay-y"] == ["sigmoid"]
    assert {"y-loss", "x1-a3", "z3-ay"} <= edges
    assert len(edges) == 6 + 3 + 3 + 1 + 1
    assert root.get("width") and float(root.get("width")) > 400


def test_svg_other_sample_and_no_values_without_x():
    _, nodes, _, _ = svg_parts(network_svg(notebook_net(), X, T, sample=2))
    a, *_ = hand_forward(X[2:3])
    assert nodes["x2"][0] == "x2=-1.20"
    assert nodes["a1"][0] == f"a1={a[0, 0]:.2f}"
    _, bare, _, _ = svg_parts(network_svg(notebook_net()))
    assert bare["x1"] == ["x1"] and bare["loss"] == ["loss"]


def test_gradient_overlay_and_weight_colours():
    net = notebook_net()
    grads = net.gradient(X, T)
    svg = network_svg(net, X, T, grads=grads, color_weights=True)
    root, nodes, _, labels = svg_parts(svg)
    gw = grads["W1"][1, 0]
    assert labels["x2-a1"] == ["w=0.70", f"∂L/∂w={gw:.2g}"]
    assert nodes["a1"][1] == f"b=0.10 ∂={grads['b1'][0]:.2g}"
    lines = {
        g.get("id")[5:]: g.find(f"{SVG}line")
        for g in root.iter(f"{SVG}g")
        if g.get("id", "").startswith("edge-")
    }
    assert lines["z2-ay"].get("stroke") == NEG_COLOR  # w = -0.10
    assert lines["x1-a3"].get("stroke") == POS_COLOR
    # width grows with |w|: 0.8 (x1->a3) is drawn thicker than 0.2 (x1->a1)
    assert float(lines["x1-a3"].get("stroke-width")) > float(lines["x1-a1"].get("stroke-width"))


def test_dot_matches_notebook_graph():
    dot = network_dot(notebook_net(), X, T)
    assert "rankdir=LR;" in dot and dot.startswith("digraph")
    a, z, ay, y = hand_forward(X[:1])
    assert f'"a2" [label="a2={a[0, 1]:.2f}", xlabel="b=-0.20"];' in dot
    assert '"x1" [label="x1=0.82"];' in dot
    assert '"x1" -> "a2" [label="0.30"];' in dot
    assert '"x2" -> "a1" [label="0.70"];' in dot
    assert '"a3" -> "z3" [label="relu"];' in dot
    assert '"ay" -> "y" [label="sigmoid"];' in dot
    assert '"y" -> "loss";' in dot
    node_ids = re.findall(r'^  "([^"]+)" \[label=', dot, flags=re.M)
    assert node_ids == ["x1", "x2", "a1", "a2", "a3", "z1", "z2", "z3", "ay", "y", "loss"]


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz not installed")
def test_dot_renders_with_graphviz():
    dot = network_dot(MLP([4, 12, 3], seed=0), np.ones((2, 4)), np.eye(3)[[0, 1]], max_units=5)
    out = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr.decode()
    svg = out.stdout.decode()
    assert "x1=1.00" in svg and "… 8 more" in svg


def test_wide_layers_are_summarised():
    net = MLP([20, 12, 3], activation="tanh", seed=1)
    svg = network_svg(net, np.zeros((1, 20)), max_units=5)
    _, nodes, edges, labels = svg_parts(svg)
    assert {"x1", "x4", "x_more", "a1", "a4", "a_more", "ay1", "ay3"} <= set(nodes)
    assert "x5" not in nodes and "a5" not in nodes
    assert nodes["x_more"] == ["… 16 more"] and nodes["a_more"] == ["… 8 more"]
    # 4×4 shown weights + dashed summary edges, never the 20×12 hairball
    assert len([e for e in edges if e.startswith("x") and "-a" in e]) <= 4 * 4 + 4 + 5
    assert labels["a1-z1"] == ["tanh"]


def test_deep_net_ids_and_activation_names():
    net = MLP([2, 4, 4, 1], activation=["relu", "tanh"], loss="bce", seed=0)
    dot = network_dot(net)
    for nid in ("a1_1", "z1_4", "a2_1", "z2_4", "ay", "y", "loss"):
        assert f'"{nid}" [' in dot
    assert '"a1_1" -> "z1_1" [label="relu"];' in dot
    assert '"a2_3" -> "z2_3" [label="tanh"];' in dot


def test_batchnorm_and_dropout_named_on_activation_edge():
    net = MLP([3, 4, 2], batchnorm=True, dropout=0.25, seed=0)
    dot = network_dot(net, np.ones((4, 3)))
    assert re.search(r'"a1" -> "z1" \[label="batchnorm[^"]*relu, dropout\(0.25\)"\]', dot)


def test_plot_network_png(tmp_path):
    path = tmp_path / "net.png"
    fig = plot_network(notebook_net(), X, T, grads=notebook_net().gradient(X, T), save=path)
    img = imread(path)
    w, h = fig.get_size_inches() * fig.dpi
    assert img.shape[:2] == (round(h), round(w))
    assert img[..., :3].std() > 0.05
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "x1=0.82" in texts and "relu" in texts


def test_bad_inputs():
    with pytest.raises(MlplabTypeError):
        network_svg(object())
    with pytest.raises(ConfigError):
        network_svg(notebook_net(), max_units=1)
    with pytest.raises(ConfigError):
        network_dot(notebook_net(), edge_labels="some")


def test_jupyter_shows_the_table_and_the_drawing_registered_by_viz():
    """The engine draws nothing (it imports no viz): importing mlplab.viz registers the drawing
    with IPython's HTML formatter."""
    from IPython.core.interactiveshell import InteractiveShell

    import mlplab.viz as viz

    model = MLP([2, 3, 1], activation="tanh", loss="mse", seed=0)
    assert "<svg" not in model._repr_html_() and "Total params" in model._repr_html_()
    shell = InteractiveShell.instance()
    try:
        viz._register_jupyter_display()
        html = shell.display_formatter.format(model)[0]["text/html"]
    finally:
        InteractiveShell.clear_instance()
    assert "Total params" in html and "<svg" in html


def test_the_engine_imports_nothing_from_viz_playground_search_or_the_cli():
    code = (
        "import sys, numpy as np\n"
        "import mlplab, mlplab.functions, mlplab.layers, mlplab.init, mlplab.optim, "
        "mlplab.schedules, mlplab.model, mlplab.gradcheck, mlplab.autograd, mlplab.train\n"
        "m = mlplab.MLP([2, 3, 1], loss='bce', seed=0)\n"
        "m._repr_html_(); m.gradient(np.ones((2, 2)), np.ones((2, 1)))\n"
        "bad = [n for n in sys.modules if n.split('.')[1:2] in (['viz'], ['playground'], "
        "['search'], ['cli'], ['experiments'])]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
