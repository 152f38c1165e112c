"""Share links: TF Playground's form and mlplab's, read key by key (mlplab.playground.links)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from korean import english_lines, hangul
from mlplab.i18n.errors import translate
from mlplab.playground import schema
from mlplab.playground.links import parse_link, tf_seed
from mlplab.playground.session import Session

#: a share link as TF Playground writes it (state.ts serialization order), default setup
TF_DEFAULT = (
    "activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03"
    "&regularizationRate=0&noise=0&networkShape=4,2&seed=0.41325&showTestData=false"
    "&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false"
    "&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false"
    "&problem=classification&initZero=false&hideText=false"
)


def test_tf_default_link_is_understood_entirely():
    link = parse_link("#" + TF_DEFAULT)
    notes = [n for n in link.notes if not n.startswith("seed=")]
    assert notes == []
    state = schema.validate_state(link.state)
    expected = dict(schema.DEFAULTS, seed=41325)
    for key in schema.DEFAULTS:
        if key != "initSeed":
            assert state[key] == expected[key], key


def test_tf_features_are_one_boolean_each():
    link = parse_link("x=false&y=true&xSquared=true&sinY=true&cosX=true")
    assert link.state["features"] == ["y", "xSquared", "sinY"]  # cosX: TF's dead state
    assert link.notes == []
    # mlplab's own list wins over TF's booleans when both are there
    assert parse_link("features=x,xTimesY&y=true").state["features"] == ["x", "xTimesY"]
    # every feature off: TF allows it, mlplab needs one -> said, and the default stays
    link = parse_link("x=false&y=false")
    assert "features" not in link.state and "features" in link.notes[0]


@pytest.mark.parametrize(
    ("text", "seed"),
    [("0.12345", 12345), ("0.00001", 1), ("0.5", 50000), ("0", 0), ("42", 42)],
)
def test_tf_seed_strings_become_integer_seeds(text, seed):
    link = parse_link(f"seed={text}")
    assert link.state["seed"] == seed
    assert bool(link.notes) == ("." in text)  # a TF seed is read, and the page says how


def test_any_seed_text_gives_the_same_seed_every_time():
    a, b = tf_seed("hello"), tf_seed("hello")
    assert a == b and 0 <= a <= schema.MAX_SEED and tf_seed("hellO") != a
    assert parse_link("seed=hello").state["seed"] == a


def test_a_float_seed_no_longer_loses_the_rest_of_the_link():
    """Before: 'seed must be an integer' and every other key fell back to the defaults."""
    link = parse_link("seed=0.12345&networkShape=6,3&activation=relu&batchSize=7")
    assert link.state["networkShape"] == [6, 3] and link.state["activation"] == "relu"
    assert link.state["batchSize"] == 7
    s = Session(link.state)
    assert s.sizes() == [2, 6, 3, 1]


def test_unknown_keys_and_bad_values_are_left_out_one_by_one():
    link = parse_link(
        "bogus=1&activation=softmaxx&batchSize=500&percTrainData=55&networkShape=4,x"
        "&tutorial=dropout&lang=fr&lesson=nope&learningRate=0.3&foo_hide=true&dataset=upload"
    )
    assert link.state == {"learningRate": 0.3}
    said = " | ".join(link.notes)
    for key in ("bogus=1", "activation=softmaxx", "batchSize=500", "percTrainData=55",
                "networkShape=4,x", "tutorial=dropout", "lang=fr", "lesson=nope",
                "foo_hide=true", "dataset=upload"):  # fmt: skip
        assert key in said, key
    assert len(link.notes) == 10 and all("\n" not in n and len(n) < 200 for n in link.notes)


def test_every_note_of_a_link_has_its_korean_line():
    """Before: a Korean page showed a link's notes (and "the link's settings were not used
    (...)") in English."""
    link = parse_link(
        "bogus=1&activation=softmaxx&batchSize=500&seed=0.5&initSeed=x&tutorial=dropout"
        "&lang=fr&lesson=nope&foo_hide=true&dataset=upload"
    )
    assert len(link.notes) == 10
    for note in link.notes + [
        "the link's settings were not used (learningRate must be a number in [1e-06, 10], "
        "got -1.0)",
        "the link's settings were not used (at most 8000 characters)",
    ]:
        ko = translate(note, "ko")
        assert hangul(ko) and not english_lines(ko, allowed=("TF Playground",)), (note, ko)
        kv = note.split(": ", 1)[0]
        assert "=" not in kv or ko.startswith(kv + ": ")  # the key=value stays as typed


def test_tf_rules_for_booleans_noise_and_hidden_controls():
    link = parse_link("showTestData=yes&discretize=false&initZero&noise=70&hideText=true"
                      "&playButton_hide=true&xSquared_hide=true&noise_hide=false")  # fmt: skip
    s = link.state
    assert s["showTestData"] is True and s["discretize"] is False and s["initZero"] is True
    assert s["noise"] == 70 and s["hideText"] is True
    assert s["hide"] == ["playButton", "xSquared"]
    assert (
        parse_link("noise=95").state["noise"] == 50 and parse_link("noise=-3").state["noise"] == 0
    )
    assert parse_link("networkShape=").state["networkShape"] == []


def test_mlplab_links_round_trip():
    state = schema.validate_state(
        {"activation": "elu", "features": ["x", "sinY"], "networkShape": [3], "seed": 9,
         "initSeed": 11, "optimizer": "adam", "lrSchedule": "cosine", "dropout": 0.2,
         "standardize": False, "hide": ["noise", "sinX"], "targetLoss": 0.05}
    )  # fmt: skip
    parts = []
    for k, v in state.items():
        if k != "hide":
            parts.append(f"{k}={','.join(map(str, v)) if isinstance(v, list) else v}")
    parts += [f"{h}_hide=true" for h in state["hide"]]
    parts += ["lang=ko", "lesson=xor-linear", "token=class42"]
    text = "&".join(p.replace("True", "true").replace("False", "false") for p in parts)
    link = parse_link(text, lessons={"xor-linear"})
    assert link.notes == [] and link.lang == "ko" and link.lesson == "xor-linear"
    assert schema.validate_state(link.state) == state


@given(st.text(max_size=300))
def test_any_link_text_is_read_without_an_exception(text):
    link = parse_link(text)
    schema.validate_state(link.state)  # what it keeps is a valid state
    assert all("\n" not in n for n in link.notes)
