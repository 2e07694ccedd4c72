"""Module: parameter discovery, zero_grad, modes, repr, state_dict, save/load."""

from __future__ import annotations

import os
import pickle
import re
import threading
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nn.module
from autograd import Tensor, Value
from nn import MLP, Conv2d, Dropout, Linear, Module, Neuron, ReLU, Sequential


class Block(Module):
    def __init__(self):
        self.scale = Value(2.0)
        self.layers = [Linear(3, 4, seed=0), ReLU()]
        self.heads = {"a": Linear(4, 1, seed=1), "b": Linear(4, 2, seed=2)}
        self.extra = (Tensor([1.0, 2.0], requires_grad=True), Tensor([0.0]))  # 2nd: a constant
        self.note = "not a parameter"
        self.cache = None

    def forward(self, x):
        h = self.layers[1](self.layers[0](x))
        return self.heads["a"](h) * self.scale.data


class Shared(Module):
    def __init__(self):
        self.first = Linear(2, 2, seed=0)
        self.second = self.first  # the same layer twice
        self.w = Value(1.0)
        self.also_w = [self.w]


def test_parameters_are_found_in_attributes_lists_dicts_and_tuples():
    block = Block()
    names = [n for n, _ in block.named_parameters()]
    assert names == [  # the module's own first, then its sub-modules' (as PyTorch)
        "scale",
        "extra.0",
        "layers.0.weight",
        "layers.0.bias",
        "heads.a.weight",
        "heads.a.bias",
        "heads.b.weight",
        "heads.b.bias",
    ]
    assert block.parameters()[2] is block.layers[0].weight
    assert block.num_parameters() == 1 + 16 + 5 + 10 + 2
    assert [n for n, _ in block.named_children()] == ["layers.0", "layers.1", "heads.a", "heads.b"]
    assert [type(m).__name__ for m in block.modules()] == ["Block", "Linear", "ReLU", "Linear", "Linear"]


def test_results_of_ops_are_not_parameters():
    block = Block()
    block.cache = block.layers[0](np.ones((1, 3)))  # requires grad, but not a leaf
    assert "cache" not in dict(block.named_parameters())


def test_shared_parameters_are_listed_once():
    m = Shared()
    assert [n for n, _ in m.named_parameters()] == ["w", "first.weight", "first.bias"]
    assert len(list(m.modules())) == 2


def test_call_runs_forward_and_base_forward_explains():
    block = Block()
    assert block(np.ones((2, 3))).shape == (2, 1)
    with pytest.raises(NotImplementedError, match="Module must define forward"):
        Module()(1.0)


def test_zero_grad_values_to_zero_tensors_to_none():
    net = MLP(2, [3, 1], seed=0)
    net([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0.0 and type(p.grad) is float for p in net.parameters())
    lin = Linear(2, 1, seed=0)
    lin(np.ones((1, 2))).sum().backward()
    assert lin.weight.grad is not None
    lin.zero_grad()
    assert lin.weight.grad is None and lin.bias.grad is None


def test_train_and_eval_reach_every_submodule():
    net = Sequential(Linear(2, 2, seed=0), Sequential(Dropout(0.5), ReLU()))
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_train_calls_each_submodules_own_train_as_pytorch_does():
    """A layer that overrides train() (here: keeps its Dropout off) has its say inside a model.
    As in PyTorch it is called once for each place the layer is used; a module inside itself is
    switched without recursing forever."""

    class FrozenDrop(Module):
        def __init__(self):
            self.drop = Dropout(0.5)
            self.calls = 0

        def train(self, mode=True):
            self.calls += 1
            super().train(mode)
            self.drop.training = False  # this layer's dropout never drops
            return self

        def forward(self, x):
            return self.drop(x)

    frozen = FrozenDrop()
    net = Sequential(Linear(2, 2, seed=0), Sequential(frozen, ReLU()), frozen)
    net.train()
    assert frozen.calls == 2 and frozen.training and not frozen.drop.training
    assert net.training and net[0].training
    net.eval()
    assert frozen.calls == 4 and not any(m.training for m in net.modules())

    calls = []

    class Leaf(Module):
        def train(self, mode=True):
            calls.append(mode)
            return super().train(mode)

    doubled = Leaf()
    for _ in range(18):  # a layer listed twice is switched once per parent, as in torch: not 2**18 times
        doubled = Sequential(doubled, doubled)
    doubled.eval()
    assert calls == [False]

    loop = Sequential(Linear(2, 2, seed=0))
    loop.me = loop
    assert loop.eval() is loop and not loop.training and not loop[0].training
    with pytest.raises(TypeError, match="mode must be True or False, got 'no'"):
        net.train("no")


def test_repr_nests_with_parameter_counts():
    net = Sequential(Linear(784, 30, seed=0), ReLU(), Sequential(Linear(30, 10, seed=1)))
    assert repr(net) == (
        "Sequential()  # 23,860 parameters\n"
        "  (0): Linear(784 -> 30)  # 23,550 parameters\n"
        "  (1): ReLU()\n"
        "  (2): Sequential()  # 310 parameters\n"
        "    (0): Linear(30 -> 10)  # 310 parameters"
    )
    assert repr(Neuron(1, seed=0)) == "Neuron(1, relu)  # 2 parameters"


# -- state_dict ----------------------------------------------------------------------------------


def _values(model):
    return [np.array(p.data, copy=True) for p in model.parameters()]


def _same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b)) and len(a) == len(b)


def test_state_dict_copies_and_round_trips():
    a, b = Block(), Block()
    for p in b.parameters():
        p.data = p.data * 0 + 7 if isinstance(p, Value) else p.data
        if isinstance(p, Tensor):
            p.data[...] = 7
    state = a.state_dict()
    assert state["scale"].shape == () and state["layers.0.weight"].shape == (4, 3)
    state["layers.0.weight"][0, 0] = 123.0  # a copy: the model is not changed
    assert a.layers[0].weight.data[0, 0] != 123.0
    weight_array = b.layers[0].weight.data
    b.load_state_dict(a.state_dict())
    assert _same(_values(a), _values(b))
    assert b.layers[0].weight.data is weight_array  # loaded in place
    assert type(b.scale.data) is float


def test_load_state_dict_lists_every_difference_and_changes_nothing():
    model = Sequential(Linear(3, 4, seed=0), ReLU(), Linear(4, 2, seed=1))
    before = _values(model)
    state = model.state_dict()
    del state["2.bias"]
    state["0.weight"] = np.zeros((4, 4))
    state["extra"] = np.zeros(1)
    with pytest.raises(ValueError) as err:
        model.load_state_dict(state)
    message = str(err.value)
    assert "missing: 2.bias" in message
    assert "unexpected: extra" in message
    assert "0.weight (model (4, 3), state (4, 4))" in message
    assert _same(before, _values(model))


def test_load_state_dict_works_across_equal_architectures():
    a = MLP(2, [4, 1], seed=0)
    b = MLP(2, [4, 1], seed=1)
    b.load_state_dict(a.state_dict())
    assert b([0.3, -0.2]).data == a([0.3, -0.2]).data
    with pytest.raises(ValueError, match="missing"):
        MLP(2, [5, 1], seed=0).load_state_dict(a.state_dict())


def test_load_state_dict_takes_tensors_and_values_as_torch_does():
    a, b = Linear(2, 2, seed=0), Linear(2, 2, seed=1)
    b.load_state_dict({k: Tensor(v) for k, v in a.state_dict().items()})  # was "not numbers"
    assert np.array_equal(b.weight.data, a.weight.data)
    n = Neuron(2, seed=0)
    n.load_state_dict({k: Value(float(v)) for k, v in Neuron(2, seed=1).state_dict().items()})
    assert n.state_dict().keys() == Neuron(2, seed=1).state_dict().keys()
    assert [p.data for p in n.parameters()] == [p.data for p in Neuron(2, seed=1).parameters()]


@pytest.mark.parametrize("state", [None, [1, 2], "weights"], ids=["None", "list", "str"])
def test_load_state_dict_refuses_what_is_not_a_dict(state):
    with pytest.raises(TypeError, match="load_state_dict takes a dict of name -> array"):
        Linear(1, 1, seed=0).load_state_dict(state)
    with pytest.raises(TypeError, match="got method"):  # a.state_dict without its ()
        Linear(1, 1, seed=0).load_state_dict(Linear(1, 1, seed=1).state_dict)


@pytest.mark.parametrize(
    "make",
    [lambda: Linear(3, 2, seed=0), lambda: Linear(3, 2, seed=0, dtype=np.float32), lambda: Neuron(3, seed=0)],
    ids=["Tensor", "float32 Tensor", "Value"],
)
def test_load_state_dict_refuses_nan_for_tensor_and_value_parameters_alike(make):
    # a Value parameter refused nan, a Tensor one took it silently: every output then nan
    model = make()
    before = _values(model)
    state = model.state_dict()
    name = next(iter(state))
    state[name] = state[name] * np.nan
    with pytest.raises(ValueError, match=rf"state does not fit {type(model).__name__}: .*{name} \(nan\)"):
        model.load_state_dict(state)
    assert _same(before, _values(model))


def test_load_state_dict_rejects_non_numbers():
    model = Linear(1, 1, seed=0)
    with pytest.raises(ValueError, match="not numbers"):
        model.load_state_dict({"weight": [["x"]], "bias": [0.0]})


@pytest.mark.parametrize("weight, why", [
    (np.full((2, 3), np.inf), r"weight \(inf\)"),  # took it: every output inf
    (np.full((2, 3), 1e300), r"weight \(too large for float32\)"),  # became inf with a warning
    (np.full((2, 3), np.datetime64("2020-01-01")), r"weight \(not numbers: dtype datetime64"),  # was 18262.
    ([[1.0, 2.0], [3.0]], r"weight \(not numbers: .*inhomogeneous"),  # (numpy's error, unexplained)
])
def test_load_state_dict_rejects_inf_overflow_dates_and_ragged_lists(weight, why):
    model = Linear(3, 2, seed=0, dtype=np.float32)
    before = _values(model)
    with pytest.raises(ValueError, match="state does not fit Linear: wrong shape or value: " + why):
        model.load_state_dict({"weight": weight, "bias": np.zeros(2)})
    assert _same(before, _values(model))


def test_save_refuses_nan_and_keeps_the_last_good_file(tmp_path):
    """A diverged model was saved over the good file, which load() then refused: both lost."""
    path = tmp_path / "model.npz"
    model = Linear(3, 2, seed=0)
    model.save(path)
    good = path.read_bytes()
    model.weight.data[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"cannot save .*model\.npz.*: weight holds nan or inf .*left as"):
        model.save(path)
    assert path.read_bytes() == good


# -- save / load ---------------------------------------------------------------------------------


def _cnn(seed):
    return Sequential(Conv2d(1, 2, 3, seed=seed), ReLU(), Linear(8, 3, seed=seed + 1))


def test_save_and_load_round_trip(tmp_path):
    a, b = _cnn(0), _cnn(10)
    path = tmp_path / "model.npz"
    a.save(path)
    assert b.load(path) is b
    assert _same(_values(a), _values(b))
    assert sorted(os.listdir(tmp_path)) == ["model.npz"]  # no temporary file left behind
    with np.load(path, allow_pickle=False) as f:
        assert sorted(f.files) == sorted(a.state_dict())


def test_save_keeps_the_exact_name_and_scalar_models(tmp_path):
    a, b = MLP(3, [2, 1], seed=0), MLP(3, [2, 1], seed=1)
    path = tmp_path / "weights.bin"
    a.save(str(path))
    b.load(str(path))
    assert _same(_values(a), _values(b))


def test_save_replaces_atomically(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    _cnn(0).save(path)
    old = path.read_bytes()

    def broken_write(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(nn.module, "write_array", broken_write)
    with pytest.raises(OSError, match="disk full"):
        _cnn(1).save(path)
    assert path.read_bytes() == old  # the old file is intact
    assert os.listdir(tmp_path) == ["m.npz"]  # and the temporary file is gone


class _Named(Module):
    """Parameters whose names are np.savez's own arguments."""

    def __init__(self, seed):
        self.file = Value(seed + 1.0)
        self.allow_pickle = Tensor(np.full(2, seed + 2.0), requires_grad=True)
        self.args = Value(seed + 3.0)


def test_save_works_for_parameters_named_like_savez_arguments(tmp_path):
    # names were passed as np.savez keywords: "savez() got multiple values for argument 'file'"
    path = tmp_path / "named.npz"
    a, b = _Named(0), _Named(10)
    a.save(path)
    b.load(path)
    assert _same(_values(a), _values(b))
    with np.load(path, allow_pickle=False) as f:  # a standard .npz of the state_dict's names
        assert sorted(f.files) == ["allow_pickle", "args", "file"]
        assert f["allow_pickle"].tolist() == [2.0, 2.0]


def test_save_writes_what_np_savez_wrote_so_old_files_still_load(tmp_path):
    a = _cnn(0)
    old, new = tmp_path / "old.npz", tmp_path / "new.npz"
    np.savez(old, **a.state_dict())  # how save wrote it before
    a.save(new)
    with zipfile.ZipFile(old) as zo, zipfile.ZipFile(new) as zn:
        assert [(i.filename, i.compress_type) for i in zo.infolist()] == [
            (i.filename, i.compress_type) for i in zn.infolist()
        ]
        assert all(zo.read(n) == zn.read(n) for n in zo.namelist())
    b = _cnn(10).load(old)
    assert _same(_values(a), _values(b))


def test_loading_a_different_model_names_file_and_leaves_model(tmp_path):
    path = tmp_path / "m.npz"
    _cnn(0).save(path)
    other = Sequential(Linear(8, 3, seed=0))
    before = _values(other)
    names = r"missing: layers\.0\.neurons\.0\.w\.0.*unexpected: 0\.weight"
    with pytest.raises(ValueError, match=r"m\.npz.*" + names):
        MLP(2, [1]).load(path)
    with pytest.raises(ValueError, match=r"cannot load .*m\.npz"):
        other.load(path)
    assert _same(before, _values(other))


def test_truncated_file_gives_clear_error(tmp_path):
    path = tmp_path / "m.npz"
    _cnn(0).save(path)
    raw = path.read_bytes()
    model = _cnn(5)
    before = _values(model)
    for cut in (0, 10, len(raw) // 2, len(raw) - 1):
        path.write_bytes(raw[:cut])
        with pytest.raises(ValueError, match=r"cannot load .*m\.npz"):
            model.load(path)
    assert _same(before, _values(model))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_corrupted_file_never_crashes_otherwise(tmp_path, data):
    model = _cnn(0)
    path = tmp_path / "fuzz.npz"
    model.save(path)
    raw = bytearray(path.read_bytes())
    flip = st.tuples(st.integers(0, len(raw) - 1), st.integers(1, 255))
    flips = data.draw(st.lists(flip, min_size=1, max_size=4))
    for i, x in flips:
        raw[i] ^= x
    path.write_bytes(bytes(raw))
    target = _cnn(7)
    before = _values(target)
    try:
        target.load(path)
    except ValueError as err:
        assert "fuzz.npz" in str(err)
        assert _same(before, _values(target))
    else:  # the flips hit bytes that do not matter (e.g. a timestamp); the load must be exact
        assert _same(_values(target), _values(model))


def test_pickles_and_plain_arrays_are_refused(tmp_path):
    p1 = tmp_path / "pickle.npz"
    p1.write_bytes(pickle.dumps({"0.weight": np.zeros(3)}))
    with pytest.raises(ValueError, match="pickle"):
        _cnn(0).load(p1)
    p2 = tmp_path / "array.npy"
    np.save(p2, np.zeros(3))
    with pytest.raises(ValueError, match="single array"):
        _cnn(0).load(p2)
    p3 = tmp_path / "objects.npz"
    with zipfile.ZipFile(p3, "w") as z:
        with z.open("0.weight.npy", "w") as f:
            np.lib.format.write_array(f, np.array([object()], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="objects.npz"):
        _cnn(0).load(p3)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        _cnn(0).load(tmp_path / "nope.npz")


def test_long_difference_lists_are_shortened():
    with pytest.raises(ValueError, match=r"missing: layers\.0\.neurons\.0\.w\.2, .* and 4 more$"):
        MLP(3, [16, 1], seed=0).load_state_dict(MLP(2, [16, 1], seed=0).state_dict())


@pytest.mark.parametrize(
    "offset, value, kind",
    [(10, 99, "NotImplementedError"), (8, 1, "RuntimeError"), (6, 109, "NotImplementedError")],
    ids=["compression method", "encryption flag", "zip version"],
)
def test_flipped_zip_header_fields_give_value_errors(tmp_path, offset, value, kind):
    """Found by the fuzz test above: zipfile raises NotImplementedError or RuntimeError for
    some corrupt header fields; load must still say ValueError naming the file."""
    path = tmp_path / "m.npz"
    _cnn(0).save(path)
    raw = bytearray(path.read_bytes())
    central = raw.index(b"PK\x01\x02")  # the first central-directory entry
    raw[central + offset] = value
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=rf"cannot load .*m\.npz.*\({kind}: "):
        _cnn(1).load(path)


# -- parameters are labelled with their names, for the stepper and the drawings --------------------

def test_parameters_are_labelled_with_their_names_by_the_model_called_first():
    class Net(Module):
        def __init__(self):
            self.block = Block()
            self.mine = Tensor([1.0], requires_grad=True, label="my own")  # a label given: kept
            self.bare = Tensor([1.0], requires_grad=True)  # no label: takes its name
            self.w = Tensor([1.0], requires_grad=True, label="w")  # given by hand, though its name too

        def forward(self, x):
            return self.block(x) * self.bare

    net = Net()
    assert net.block.layers[0].weight.label == "weight"  # not yet: labels come with the first call
    net(Tensor(np.ones((1, 3))))
    named = list(net.named_parameters())
    by_hand = {"mine": "my own", "w": "w"}
    assert [p.label for _, p in named] == [by_hand.get(name, name) for name, _ in named]
    assert net.block.heads["b"].weight.label == "block.heads.b.weight"  # named by Net, not by block


def test_sequential_and_scalar_mlp_labels_are_their_state_dict_names():
    net = Sequential(Conv2d(1, 2, 3, seed=0), ReLU(), Sequential(Linear(4, 2, seed=1)))
    net.label_parameters()
    assert [p.label for p in net.parameters()] == list(net.state_dict())
    assert net[2][0].weight.label == "2.0.weight"
    mlp = MLP(2, [3, 1], seed=0)
    mlp([0.5, -1.0])
    assert [p.label for p in mlp.parameters()] == list(mlp.state_dict())
    assert mlp.layers[1].neurons[0].b.label == "layers.1.neurons.0.b"


def test_a_layer_in_two_models_takes_the_names_of_the_model_run_last():
    """A layer reused in a second model was labelled '0.weight' in both, two leaves of one name."""
    x = Tensor(np.ones((1, 2)))
    old = Sequential(Linear(2, 2, seed=0), ReLU())
    old(x)
    new = Sequential(Linear(2, 2, seed=1), old[0])
    new(x)
    assert [p.label for p in new.parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]
    old(x)
    assert old[0].weight.label == "0.weight"
    new(x)  # and back: the names are those of the model called last, in any order of calls
    assert [p.label for p in new.parameters()] == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_a_users_layer_labelled_with_its_attribute_name_gets_its_full_name():
    """Layers of one's own written as the library's were (label="weight") kept "weight" twice."""
    class Scale(Module):
        def __init__(self):
            self.weight = Tensor([2.0], requires_grad=True, label="weight")

        def forward(self, x):
            return x * self.weight

    net = Sequential(Scale(), Scale())
    net(Tensor([1.0]))
    assert [p.label for p in net.parameters()] == ["0.weight", "1.weight"]


def test_a_list_kept_in_forward_does_not_make_every_call_relabel_the_model(monkeypatch):
    """Setting any list attribute counted as a change of parts, so each call walked all the
    parameters again: 2.7x the time of a scalar MLP's forward with such a layer in front."""
    class Tap(Module):
        def forward(self, x):
            self.seen = list(x)  # activations, kept for a look: no parts
            return x

    net = Sequential(Tap(), Linear(2, 2, seed=0))
    net(Tensor(np.ones((1, 2))))
    walks = []
    original = Module.named_parameters
    monkeypatch.setattr(Module, "named_parameters", lambda self: walks.append(1) or original(self))
    for _ in range(3):
        net(Tensor(np.ones((1, 2))))
    assert walks == []


def test_labels_follow_changes_and_a_subclass_may_set_attributes_before_sequential_init():
    class Headed(Sequential):
        def __init__(self):
            self.head = Linear(2, 1, seed=2)  # before Sequential's layers exist: no labelling yet
            super().__init__(Linear(2, 2, seed=0))

    net = Headed()
    net.append(Linear(2, 2, seed=1))
    net(Tensor(np.ones((1, 2))))
    assert [p.label for p in net.parameters()] == ["head.weight", "head.bias", "0.weight", "0.bias",
                                                   "1.weight", "1.bias"]
    net.append(Linear(2, 2, seed=3))  # appended after a call: named at the next one
    net(Tensor(np.ones((1, 2))))
    assert net[2].weight.label == "2.weight"


def test_a_shared_parameter_keeps_its_first_name_and_the_stepper_names_the_layer():
    first = Linear(2, 2, seed=0)
    net = Sequential(first, ReLU(), first)  # one layer used twice: listed once, under "0."
    loss = net(Tensor(np.ones((1, 2)))).sum()
    assert first.weight.label == "0.weight"
    steps = loss.backward_steps()
    text = "\n".join(str(steps.step()) for _ in range(len(steps)))
    assert re.search(r"0\.bias\.grad +\+=", text)
    assert "0.bias is used 2 times: 2 of 2 contributions in" in " ".join(text.split())
    assert text.count(", 0.weight, 0.bias)   (op linear)") == 2  # the layer's two nodes: #1 and #2


def test_building_a_big_scalar_mlp_walks_its_parameters_once_per_call_not_per_attribute(monkeypatch):
    """Labelling as parts were attached walked every parameter at each nesting: MLP(784, [100, 10])
    of Values took 1.2 s to build instead of 0.1 s.  Now a count, and one walk at the first call."""
    walks = []
    original = Module.named_parameters
    monkeypatch.setattr(Module, "named_parameters", lambda self: walks.append(1) or original(self))
    mlp = MLP(20, [8, 2], seed=0)
    assert walks == []
    mlp([0.1] * 20)
    mlp([0.2] * 20)
    assert len(walks) == 1


def test_a_part_called_on_its_own_keeps_the_names_its_model_gave():
    """Calling one layer of a model (to look at its output) renamed its parameters 'weight' and
    'bias', the same as every other layer's, until the model ran again."""
    net = Sequential(Linear(2, 2, seed=0), ReLU(), Linear(2, 1, seed=1))
    x = Tensor(np.ones((1, 2)))
    net(x)
    net[0](x)
    net[2](net[1](net[0](x)))
    assert [p.label for p in net.parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_layers_called_one_by_one_keep_the_names_the_model_gave_at_parameters():
    """A model whose layers were only ever called one by one showed 'weight' for each of them:
    asking the model for its parameters (for the optimizer) now names them, as a call does."""
    net = Sequential(Linear(2, 2, seed=0), ReLU(), Linear(2, 1, seed=1))
    params = net.parameters()
    h = Tensor(np.ones((1, 2)))
    for layer in net:
        h = layer(h)
    assert [p.label for p in params] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    steps = h.sum().backward_steps()
    text = "\n".join(str(steps.step()) for _ in range(len(steps)))
    assert "2.weight" in text and "0.bias.grad +=" in text


def test_a_models_parameters_asked_inside_a_forward_do_not_relabel(monkeypatch):
    """Only from outside any module does asking for parameters label (a forward that looks at its
    own parameters must not walk the model at every call)."""
    class Looks(Module):
        def __init__(self):
            self.layer = Linear(2, 2, seed=0)

        def forward(self, x):
            self.count = len(self.layer.parameters())
            return self.layer(x)

    net = Looks()
    net(Tensor(np.ones((1, 2))))
    walks = []
    original = Module.named_parameters
    monkeypatch.setattr(Module, "named_parameters", lambda self: walks.append(1) or original(self))
    net(Tensor(np.ones((1, 2))))
    assert len(walks) == 1  # the layer's own parameters() walk, no labelling walk
    assert net.layer.weight.label == "layer.weight"


def test_a_model_running_in_another_thread_does_not_stop_this_threads_call_labelling():
    """How deep the calls of modules are is counted per thread: while one thread was inside a
    forward, a model called from another thread counted as an inner call and kept stale labels."""
    inside, release = threading.Event(), threading.Event()

    class Waits(Module):
        def forward(self, x):
            inside.set()
            release.wait(10)
            return x

    worker = threading.Thread(target=Waits(), args=(Tensor(np.ones(1)),))
    worker.start()
    try:
        assert inside.wait(10)
        net = Sequential(Linear(2, 2, seed=0))
        net(Tensor(np.ones((1, 2))))  # called from outside any module in this thread: labels
        assert net[0].weight.label == "0.weight"
    finally:
        release.set()
        worker.join()


# -- shared parameters and slices keep PyTorch's names ------------------------------------------------


class _Tied(Module):
    def __init__(self):
        self.enc = Linear(3, 3, seed=0)
        self.dec = Linear(3, 3, seed=1)
        self.dec.weight = self.enc.weight  # tied weights


def test_a_shared_parameter_is_in_the_state_dict_under_each_name_as_in_pytorch(tmp_path):
    """state_dict listed a tied weight once, so a PyTorch state dict of the same model was refused
    ("unexpected: dec.weight"); parameters() still lists it once, for the optimizer."""
    tied = _Tied()
    assert list(tied.state_dict()) == ["enc.weight", "enc.bias", "dec.weight", "dec.bias"]
    assert [n for n, _ in tied.named_parameters()] == ["enc.weight", "enc.bias", "dec.bias"]
    layer = Linear(2, 2, seed=0)
    twice = Sequential(layer, ReLU(), layer)
    assert list(twice.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert len(twice.parameters()) == 2
    new = np.arange(9.0).reshape(3, 3)
    state = {**tied.state_dict(), "dec.weight": new, "enc.weight": new}
    tied.load_state_dict(state)
    assert tied.dec.weight.data is tied.enc.weight.data and tied.enc.weight.data.tolist() == new.tolist()
    del state["dec.weight"]  # a file saved when a shared parameter was listed once still loads
    tied.load_state_dict(state)
    tied.save(tmp_path / "tied.npz")
    other = _Tied()
    other.load(tmp_path / "tied.npz")
    assert other.dec.weight.data.tolist() == new.tolist()


def test_a_tied_model_loads_pytorchs_state_dict(torch):  # (the oracle fixture: float64)

    class TorchTied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc, self.dec = torch.nn.Linear(3, 3), torch.nn.Linear(3, 3)
            self.dec.weight = self.enc.weight

    torch.manual_seed(0)  # (torch's own initialisation: one draw, every run)
    theirs = TorchTied()
    ours = _Tied()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(0).random((2, 3))
    want = theirs.dec(theirs.enc(torch.tensor(x))).detach().numpy()
    got = ours.dec(ours.enc(Tensor(x))).data
    # (an output near 0, such as -9.4e-04 in one unseeded run, is a difference of larger terms:
    # summed in another order by another BLAS, relative error alone failed it)
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15)


def test_a_slice_of_a_sequential_keeps_its_layers_names():
    """net[1:] renumbered its layers from 0: '1.weight' for the model's '2.weight', so calling the
    slice relabelled the model's parameters with wrong names."""
    net = Sequential(Linear(2, 3, seed=0), ReLU(), Linear(3, 1, seed=1))
    tail = net[1:]
    assert [n for n, _ in tail.named_parameters()] == ["2.weight", "2.bias"]
    assert [n for n, _ in net[::2].named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert [n for n, _ in net[1:][1:].named_parameters()] == ["2.weight", "2.bias"]
    x = Tensor(np.ones((1, 2)))
    net(x)
    tail(net[0](x))
    assert [p.label for p in net.parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    tail.append(Linear(1, 1, seed=2))
    assert list(tail.state_dict())[-2:] == ["3.weight", "3.bias"]
    assert "(2): Linear(3 -> 1)" in repr(tail)


def test_a_reversed_slice_appends_a_new_number_and_a_changed_layers_list_numbers_from_0():
    """net[::-1].append(...) named the new layer 1 again (two layers under one name: state_dict
    lost one); layers appended to a slice's .layers were left out of its parameters."""
    net = Sequential(Linear(2, 2, seed=0), Linear(2, 2, seed=1), Linear(2, 2, seed=2))
    backwards = net[::-1].append(Linear(2, 2, seed=3))
    names = [n for n, _ in backwards.named_parameters()]
    assert names[::2] == ["2.weight", "1.weight", "0.weight", "3.weight"]
    assert len(backwards.state_dict()) == 8
    part = net[2:]
    part.layers.append(Linear(2, 2, seed=4))
    assert [n for n, _ in part.named_parameters()][::2] == ["0.weight", "1.weight"]
    assert len(part.parameters()) == 4


def test_a_slice_of_a_sequential_whose_layers_were_changed_by_hand_numbers_as_it_names_them():
    """After s.layers.insert(...), s named its layers 0, 1, 2, 3 but s[1:] took the stale numbers."""
    net = Sequential(Linear(2, 2, seed=0), Linear(2, 2, seed=1), Linear(2, 2, seed=2), Linear(2, 2, seed=3))
    part = net[2:]
    part.layers.insert(0, Linear(2, 2, seed=4))
    assert [n for n, _ in part.named_parameters()][::2] == ["0.weight", "1.weight", "2.weight"]
    assert [n for n, _ in part[1:].named_parameters()][::2] == ["1.weight", "2.weight"]
    part.append(Linear(2, 2, seed=5))
    assert [n for n, _ in part.named_parameters()][::2] == ["0.weight", "1.weight", "2.weight", "3.weight"]
