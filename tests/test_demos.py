"""The lessons: each runs quickly (``--quick``), prints its results, returns its key numbers
and writes valid files; the digits lesson's full run reaches Nielsen's 95% (seeded)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from conftest import require  # noqa: E402

import demos  # noqa: E402
from autograd import Tensor, no_grad  # noqa: E402
from demos.__main__ import main  # noqa: E402
from demos.gallery import GALLERY, MAX_BYTES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# The figures each lesson must write.
FIGURES = {
    "tour": ["tour_loss.png", "tour_misclassified.png"],
    "perceptron": ["perceptron_boundaries.png", "perceptron_errors.png"],
    "xor": ["xor_hidden_units.png", "xor_hidden_space.png"],
    "approximation": ["approximation_bumps.png", "approximation_fits.png", "approximation_error.png"],
    "moons": ["moons_boundary.png", "moons_training.png"],
    "digits": ["digits_training.png", "digits_confusion.png"],
    "optimizers": ["optimizers_valley.png", "optimizers_digits.png", "optimizers_batches.png"],
    "activations": ["activations_curves.png", "activations_saturation.png", "activations_vanishing.png"],
    "cnn": ["cnn_vs_mlp.png", "cnn_kernels.png", "cnn_feature_maps.png"],
}

# The graphs they draw when autograd's drawing (graphviz) is available.
GRAPHS = {"tour": ["neuron_graph.svg"], "xor": ["xor_network.svg"]}


# figure file name -> what each of its axes shows, as the quick runs saved them (see _axes_shown)
SAVED_AXES: dict[str, list[dict]] = {}


def _axes_shown(fig) -> list[dict]:
    """The labels, legend, title, scales, ticks within view and image grey range of each axes."""
    shown = []
    for ax in fig.axes:
        ticks = {}
        for name in ("x", "y"):
            lo, hi = sorted(getattr(ax, f"get_{name}lim")())
            ticks[name] = [t for t in getattr(ax, f"get_{name}ticks")() if lo <= t <= hi]
        shown.append({"xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(), "title": ax.get_title(),
                      "legend": ax.get_legend() is not None, "xscale": ax.get_xscale(),
                      "yscale": ax.get_yscale(), "xticks": ticks["x"], "yticks": ticks["y"],
                      "clim": ax.images[0].get_clim() if ax.images else None,
                      "suptitle": fig._suptitle.get_text() if fig._suptitle else ""})
    return shown


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory):
    """Every lesson run once with quick=True: name -> (returned numbers, printed text, out dir);
    what each saved figure shows goes to SAVED_AXES.

    They print to a cp1252 stream, as Windows gives a program whose output is redirected: each
    must print there too (the tour's tree raised UnicodeEncodeError)."""
    runs = {}
    for name in demos.LESSONS:
        out = tmp_path_factory.mktemp(name)
        printed = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", newline="")
        module = demos.lesson(name)
        real_save = module.save

        def save(fig, path, real_save=real_save):
            saved = real_save(fig, path)  # (draws the figure: its ticks are placed)
            SAVED_AXES[Path(path).name] = _axes_shown(fig)
            return saved

        with contextlib.redirect_stdout(printed), pytest.MonkeyPatch.context() as mp:
            mp.setattr(module, "save", save)
            result = module.run(out, quick=True)
        printed.flush()
        runs[name] = (result, printed.buffer.getvalue().decode("cp1252"), out)
    return runs


def test_every_lesson_is_registered_with_title_topic_and_introduction():
    assert demos.available() == demos.LESSONS
    for name in demos.LESSONS:
        mod = demos.lesson(name)
        assert mod.TITLE and mod.TOPIC and len(demos.introduction(mod)) > 100, name


def test_listing_names_every_lesson_and_its_topic(capsys):
    assert main([]) == 0
    listed = capsys.readouterr().out
    for name in demos.LESSONS:
        assert name in listed
        assert demos.lesson(name).TOPIC in listed


def test_lesson_help_shows_the_lessons_own_description(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["optimizers", "--help"])
    assert stop.value.code == 0
    shown = capsys.readouterr().out
    assert "--quick" in shown and "lesson optimizers: Gradient descent, momentum and Adam" in shown
    assert "v <- mu * v + g;   w <- w - lr * v" in shown  # the docstring, its lines kept
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "momentum" not in capsys.readouterr().out  # no lesson named: the general help alone


def test_digits_help_says_which_mnist_files_and_where_from(capsys):
    with pytest.raises(SystemExit):
        main(["digits", "--help"])
    shown = capsys.readouterr().out
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                 "t10k-labels-idx1-ubyte", "http://yann.lecun.com/exdb/mnist/",
                 "https://ossci-datasets.s3.amazonaws.com/mnist/"):
        assert name in shown, name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "ossci-datasets.s3.amazonaws.com/mnist" in readme


def test_unknown_lesson_is_a_clear_error():
    with pytest.raises(SystemExit, match="no lesson called 'nope'; the lessons are: tour, perceptron"):
        main(["nope"])


def test_mnist_option_belongs_to_the_digits_lesson(capsys):
    with pytest.raises(SystemExit):
        main(["tour", "--mnist", "somewhere"])
    assert "--mnist is for the digits lesson, not 'tour'" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # was a FileNotFoundError traceback after the introduction
        main(["digits", "--quick", "--mnist", "/no/such/directory"])
    assert "--mnist /no/such/directory: no such directory" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a file was "no such directory"
        main(["digits", "--quick", "--mnist", __file__])
    assert f"--mnist {__file__}: is a file, not a directory" in capsys.readouterr().err


def test_an_out_folder_that_cannot_be_made_is_a_usage_error(capsys, tmp_path):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(SystemExit):  # was a NotADirectoryError traceback
        main(["xor", "--quick", "--out", str(tmp_path / "a-file")])
    assert "cannot write into the folder" in capsys.readouterr().err


def test_command_line_run_prints_introduction_results_and_files(tmp_path, capsys):
    assert main(["perceptron", "--quick", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "Rosenblatt's rule nudges" in printed  # the introduction, from the docstring
    assert "did NOT converge" in printed
    assert f"files in {tmp_path / 'perceptron'}/" in printed
    assert (tmp_path / "perceptron" / "perceptron_errors.png").read_bytes().startswith(PNG_MAGIC)


@pytest.mark.parametrize("name", demos.LESSONS)
def test_lesson_writes_valid_png_figures(quick_runs, name):
    _, printed, out = quick_runs[name]
    for figure in FIGURES[name]:
        path = out / figure
        assert path.read_bytes().startswith(PNG_MAGIC), figure
        assert f"saved {path}" in printed
    assert sorted(p.name for p in out.glob("*.png")) == sorted(FIGURES[name])


def test_tour_steps_through_the_neuron_and_reads_digits(quick_runs):
    result, printed, out = quick_runs["tour"]
    # o = tanh(n) with n = 0.8814: do/dn = 1 - tanh(n)**2 = 0.5, then the products' rule
    assert result["gradients"] == pytest.approx({"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5})
    assert result["gradcheck"] is True and result["steps"] == 5
    assert "Step 1/5  o = tanh(n)   (op tanh)" in printed
    assert "chain:  x1.grad += x1w1.grad * -3.0000 = 0.5000 * -3.0000 = -1.5000" in printed
    assert "backward vs central differences): agree" in printed
    assert result["test_accuracy"] > 0.9
    assert f"test accuracy: {result['test_accuracy']:.2%}" in printed
    assert result["wrong"] == round((1 - result["test_accuracy"]) * 449)


def test_tour_draws_the_graph(quick_runs):
    require("graphviz", "pip install -e '.[viz]' for the tour's drawings")
    result, printed, _ = quick_runs["tour"]
    svg = ET.parse(result["graph_svg"]).getroot()
    assert svg.tag.endswith("svg")
    text = " ".join(svg.itertext())
    for expected in ("x1", "w1", "tanh", "data 0.7071", "grad -1.5000", "do/dn = 0.5000"):
        assert expected in text, expected


def test_tour_writes_the_backprop_walkthrough_page(quick_runs):
    require("graphviz", "pip install -e '.[viz]' for the tour's drawings")
    result, printed, _ = quick_runs["tour"]
    html = Path(result["walkthrough_html"]).read_text(encoding="utf-8")
    assert "<html" in html.lower() and "Step 5/5" in html
    assert f"open {result['walkthrough_html']} in a browser" in printed


def test_tour_walkthrough_steps_forward_in_chromium(quick_runs, tmp_path):
    """The tour's page in a real browser, driven by the drawing tests' headless chromium."""
    require("graphviz", "pip install -e '.[viz]' for the tour's drawings")
    result, _, _ = quick_runs["tour"]
    assert result["walkthrough_html"] is not None  # graphviz is here: the tour draws
    import test_walkthrough_browser as browser  # the drawing tests' headless chromium
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser._driver(tmp_path)
    try:
        driver.get(Path(result["walkthrough_html"]).resolve().as_uri())

        def shown() -> str:
            return next(s for s in driver.find_elements(By.CSS_SELECTOR, "section.step")
                        if s.is_displayed()).find_element(By.CSS_SELECTOR, "pre.explain").text

        assert "starts at the output o" in shown()
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
        assert shown().startswith("Step 1/5  o = tanh(n)")
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.END)
        assert "x2.grad += x2w2.grad * 1.0000 = 0.5000 * 1.0000 = 0.5000" in shown()  # (w2 = 1.0)
    finally:
        driver.quit()


def test_perceptron_learns_and_and_or_but_not_xor(quick_runs):
    result, printed, _ = quick_runs["perceptron"]
    assert result["and_converged"] and result["or_converged"]
    assert not result["xor_converged"]
    assert "XOR  mistakes per epoch" in printed
    # the last pass's mistakes are counted as the line moves: the final line's own are said too,
    # and they are what its predictions show (4 mistakes beside 2 wrong predictions read as a slip)
    final = re.search(r"the final line gets (\d) of 4 wrong\); predicts (\[.*?\]) for targets "
                      r"(\[.*?\])", printed)
    assert final is not None
    predicted, targets = json.loads(final[2]), json.loads(final[3])
    assert int(final[1]) == sum(p != t for p, t in zip(predicted, targets)) > 0


def test_xor_hidden_layer_solves_it(quick_runs):
    result, printed, _ = quick_runs["xor"]
    assert result["solved"] and result["loss"] < 0.05
    assert result["solved_4_hidden"] == result["starts"]
    assert 0 < result["solved_2_hidden"] <= result["starts"]
    assert "hidden unit 1: tanh(" in printed


def test_xor_stuck_starts_share_a_saturated_point_of_hidden_space(quick_runs):
    """The docstring said the failing starts were on a plateau, "creeping down": they are stuck."""
    result, printed, _ = quick_runs["xor"]
    assert result["stuck_seeds"] == [0, 2, 4]  # of seeds 0-5, 150 steps
    stuck = result["stuck_example"]
    assert stuck["seed"] == 0 and stuck["loss"] == pytest.approx(0.125, abs=0.002)
    halves = [i for i, o in enumerate(stuck["outputs"]) if abs(o - 0.5) < 0.01]
    assert len(halves) == 2  # two outputs at 0.5 ...
    a, b = (np.array(stuck["hidden"][i]) for i in halves)
    assert np.allclose(a, b, atol=0.01) and np.all(np.abs(a) > 0.99)  # ... from one saturated corner
    assert "A stuck start, seed 0" in printed


def test_xor_stuck_start_stays_stuck_for_10000_steps():
    from demos.xor import solves, train

    net, loss = train(2, 0, 10_000)
    assert not solves(net) and loss == pytest.approx(0.125, abs=1e-4)
    intro = " ".join(demos.introduction(demos.lesson("xor")).split())
    assert "still at loss 0.125 after 10,000 steps" in intro


def test_xor_says_it_uses_momentum_and_plain_descent_also_solves_it():
    from demos.xor import SEED, solves, train

    intro = " ".join(demos.introduction(demos.lesson("xor")).split())
    assert "momentum 0.9, which the optimizers lesson explains" in intro
    assert "plain gradient descent at lr 5.0 solves this start too" in intro
    net, loss = train(2, SEED, 300, lr=5.0, momentum=0.0)
    assert solves(net) and loss < 0.01


def test_xor_draws_its_network(quick_runs):
    require("graphviz", "pip install -e '.[viz]' for the lessons' drawings")
    svg = ET.parse(quick_runs["xor"][0]["network_svg"]).getroot()  # the 2-2-1 network, 9 weights
    assert svg.tag.endswith("svg") and "tanh" in " ".join(svg.itertext())


def test_approximation_error_falls_with_more_units(quick_runs):
    result, _, _ = quick_runs["approximation"]
    built = result["built_error"]
    sizes = sorted(built)
    assert all(built[a] > built[b] for a, b in zip(sizes[1:], sizes[2:]))  # from 4 units on
    assert built[64] < built[8] / 5
    assert result["trained_error"][8] < 0.2


def test_moons_mlp_of_values_separates_the_moons(quick_runs):
    result, printed, _ = quick_runs["moons"]
    assert result["accuracy"] >= 0.85
    assert "one step's graph:" in printed and "337 parameters" in printed
    assert "the training set itself" in printed  # (not to be read as a test accuracy)


def test_digits_quick_run_learns(quick_runs):
    result, printed, _ = quick_runs["digits"]
    assert result["sizes"] == [64, 30, 10]
    assert result["test_accuracy"] > 0.7
    assert "Epoch 0:" in printed and "/ 449" in printed
    assert "the book numbers its epochs from 0, the plot from 1" in printed


def test_lessons_are_seeded_so_a_second_run_gives_the_same_numbers(quick_runs, tmp_path):
    for name in ("digits", "xor"):
        with contextlib.redirect_stdout(io.StringIO()):
            again = demos.lesson(name).run(tmp_path / name, quick=True)
        first = {k: v for k, v in quick_runs[name][0].items() if not k.endswith("_svg")}
        assert {k: v for k, v in again.items() if not k.endswith("_svg")} == first, name


def test_optimizers_momentum_and_adam_beat_plain_descent_in_the_valley(quick_runs):
    result, printed, _ = quick_runs["optimizers"]
    valley = result["valley_loss"]
    plain = valley["gradient descent (lr 0.9)"]
    assert valley["momentum (lr 0.3, 0.9)"] < plain and valley["Adam (lr 0.5)"] < plain
    # plain descent at momentum's long-run step, 0.3 / (1 - 0.9) = 3.0: y times -5 a step
    assert result["valley_loss_at_momentum_step"] == pytest.approx(0.5 * 2 * (2.0 * 5**10) ** 2, rel=1e-9)
    assert "lr 0.3 / (1 - 0.9) = 3.0, diverges" in printed
    loss = result["digits_train_loss"]
    assert loss["Adam (lr 0.005)"] < loss["SGD (lr 0.05)"]


def test_optimizers_compare_momentum_with_plain_sgd_at_its_long_run_step(quick_runs):
    """SGD lr 0.05 against momentum 0.9 at lr 0.05 compared step sizes 0.05 and 0.5, not momentum:
    each momentum run has plain SGD at lr / (1 - mu) beside it, and the text says what differs."""
    result, printed, _ = quick_runs["optimizers"]
    steps, loss = result["digits_long_run_step"], result["digits_train_loss"]
    assert steps["SGD + momentum (lr 0.05, 0.9)"] == pytest.approx(0.5) == steps["SGD (lr 0.5)"]
    assert steps["SGD + momentum (lr 0.2, 0.9)"] == pytest.approx(2.0) == steps["SGD (lr 2.0)"]
    assert steps["Adam (lr 0.005)"] is None
    # "far below plain SGD at lr 0.05 ... plain SGD with the same step ends about level"
    assert loss["SGD + momentum (lr 0.05, 0.9)"] < loss["SGD (lr 0.05)"] / 3
    assert 2 / 3 < loss["SGD (lr 0.5)"] / loss["SGD + momentum (lr 0.05, 0.9)"] < 3 / 2
    assert "plain SGD with the same step, lr 0.5, ends about level" in printed
    # "plain SGD at lr 2.0 fails (loss ~ ln 10: guessing), momentum with that step trains"
    assert abs(loss["SGD (lr 2.0)"] - np.log(10)) < 0.1
    assert result["digits_test_accuracy"]["SGD (lr 2.0)"] < 0.2
    assert loss["SGD + momentum (lr 0.2, 0.9)"] < 0.5
    assert f"plain SGD at lr 2.0 fails (loss {loss['SGD (lr 2.0)']:.2f}" in printed


def test_optimizers_show_momentum_as_a_running_sum_and_adams_bias_correction(quick_runs):
    result, printed, _ = quick_runs["optimizers"]
    agree, flip = result["momentum_agree"], result["momentum_flip"]
    # v <- 0.9 v + g: with g = 1 always, v_t = (1 - 0.9**t) / (1 - 0.9), towards 10
    assert agree == pytest.approx([(1 - 0.9**t) / 0.1 for t in range(1, 51)])
    assert "... 9.95 after 50 steps" in printed
    # alternating gradients: v_t = (1 - (-0.9)**t) / 1.9 (times the sign), towards +-1/1.9
    assert flip == pytest.approx([(-1) ** (t - 1) * (1 - (-0.9) ** t) / 1.9 for t in range(1, 51)])
    assert "+-0.53: they cancel" in printed
    # Adam's first step: m = 0.1 g, corrected back to g; every weight moves lr whatever its g
    assert result["adam_m"] == pytest.approx([100.0, 0.0001])
    assert result["adam_moved"] == pytest.approx([0.1, 0.1], rel=1e-4)  # (eps: 0.0999990 for g = 0.001)
    intro = demos.introduction(demos.lesson("optimizers"))
    for rule in ("v <- mu * v + g;   w <- w - lr * v", "lr / (1 - mu)", "m <- beta1 * m + (1 - beta1) * g",
                 "v <- beta2 * v + (1 - beta2) * g^2", "m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)",
                 "w <- w - lr * m_hat / (sqrt(v_hat) + eps)"):
        assert rule in intro, rule


def test_optimizers_set_full_batch_against_mini_batches(quick_runs):
    result, printed, _ = quick_runs["optimizers"]
    full, mini = result["batch_losses"]["full batch"], result["batch_losses"]["mini-batches of 32"]
    epochs = len(full) - 1
    assert result["updates_per_epoch"] == {"full batch": 1, "mini-batches of 32": 43}  # 1,348 digits / 32
    assert len(mini) == 43 * epochs + 1 and full[0] == mini[0]  # the same start
    assert mini[-1] < full[-1] / 3  # per epoch: more updates win
    assert abs(full[epochs] - mini[epochs]) < 0.05 * full[epochs]  # per update: "about level"
    assert result["batch_rises"]["full batch"] == 0 < result["batch_rises"]["mini-batches of 32"]  # noise
    assert f"After the same {epochs} updates they are about level" in printed


def test_activations_sigmoid_gradients_vanish_and_relu_ones_do_not(quick_runs):
    result, printed, _ = quick_runs["activations"]
    # first / last *hidden* layer (the output layer is linear, no sigmoid, another init: it gave 0.04)
    ratio = result["gradient_ratio"]
    assert 0.2 < ratio["sigmoid"] < 0.3  # "about a quarter", as the introduction says
    assert "about a quarter" in demos.introduction(demos.lesson("activations"))
    assert 0.75 < ratio["relu"] < 1.5  # "of about one size"
    g = result["layer_gradients"]["sigmoid"]
    assert all(a < b for a, b in zip(g[:4], g[1:5]))  # shrinking at every sigmoid layer back
    assert f"first/last hidden = {ratio['sigmoid']:.2f}" in printed
    assert result["saturated_output"] > result["unsaturated_output"]
    assert result["train_loss"]["relu"] < result["train_loss"]["sigmoid"]
    # the sigmoid net learns, slowly (with Xavier's init it did not learn at all, for another
    # reason than the lesson's: the signal died on the way forward, the loss stayed at chance)
    losses = result["train_losses"]["sigmoid"]
    assert all(b < a for a, b in zip(losses, losses[1:])) and losses[-1] < 2.29


def test_cnn_convolution_by_hand_matches_conv1d_forward_and_backward(quick_runs):
    result, printed, _ = quick_runs["cnn"]
    assert result["conv1d"] == pytest.approx(result["by_hand"])
    assert result["kernel_grad"] == pytest.approx(result["kernel_grad_by_hand"]) == [4.0, 4.5, 4.5]
    assert result["CNN"]["test_accuracy"] > 0.8
    assert result["CNN"]["parameters"] == 1370
    assert "y[0] sees x[0:3]" in printed
    # a kernel dead after ReLU (its map blank in the figure) is said so, and only then
    assert ("died in training" in printed) == bool(result["dead_kernels"])


def test_cnn_counts_the_weights_sharing_saves(quick_runs):
    result, printed, _ = quick_runs["cnn"]
    counts = result["weight_counts"]
    assert counts["maps"] == (8, 8, 8) and counts["units"] == 512
    assert (counts["dense"], counts["local"], counts["conv"]) == (64 * 512, 512 * 9, 8 * 9)
    assert (counts["dense"], counts["local"], counts["conv"]) == (32768, 4608, 72)
    assert "64 x 512 = 32,768" in printed and "512 x 9 =  4,608" in printed and "8 x 9 =     72" in printed


def test_cnn_receptive_fields_are_3x3_then_4x4(quick_runs):
    result, printed, _ = quick_runs["cnn"]
    field = result["receptive_field"]
    conv, pooled = np.zeros((8, 8), bool), np.zeros((8, 8), bool)
    conv[1:4, 1:4] = True  # conv unit (2, 2), padding 1
    pooled[1:5, 1:5] = True  # pooled unit (1, 1): conv units (2..3, 2..3)
    assert (field["conv"] == conv).all() and (field["pooled"] == pooled).all()
    assert "conv unit (2, 2): 3x3" in printed and "pooled unit (1, 1): 4x4" in printed


def test_cnn_pooled_unit_sees_exactly_the_4x4_patch_found_by_backward():
    """Checked another way, on the lesson's network itself: nudge one pixel at a time and see
    which pixels move pooled unit (1, 1) of any map."""
    from demos.cnn import cnn

    net = cnn()
    rng = np.random.default_rng(0)
    moves = np.zeros((8, 8), bool)
    with no_grad():
        for _ in range(5):
            x = rng.uniform(0, 1, (1, 1, 8, 8))
            base = net[2](net[1](net[0](Tensor(x)))).data[0, :, 1, 1]
            for i in range(8):
                for j in range(8):
                    nudged = x.copy()
                    nudged[0, 0, i, j] += 1.0
                    after = net[2](net[1](net[0](Tensor(nudged)))).data[0, :, 1, 1]
                    moves[i, j] |= not np.allclose(after, base)
    expected = np.zeros((8, 8), bool)
    expected[1:5, 1:5] = True
    assert (moves == expected).all()


def test_cnn_figures_mark_the_dead_kernel_and_share_one_grey_scale(quick_runs):
    result, _, _ = quick_runs["cnn"]
    dead = result["dead_kernels"]
    assert dead  # (kernel 1 dies in the quick run as in the full one)
    kernels = SAVED_AXES["cnn_kernels.png"]
    maps = SAVED_AXES["cnn_feature_maps.png"]
    for i in range(8):
        assert (kernels[i]["title"] == f"kernel {i} (dead)") == (i in dead)
        assert (maps[1 + i]["title"] == f"map {i} (dead)") == (i in dead)
    scales = {m["clim"] for m in maps[1:9]}  # each map scaled alone made a faint map look strong
    assert len(scales) == 1 and next(iter(scales))[0] == 0.0
    assert f"black {next(iter(scales))[1]:.2f}" in maps[0]["suptitle"]


def test_digit_grid_draws_images_on_given_grey_scales():
    from demos.figures import digit_grid

    images = np.stack([np.full(4, 0.5), np.arange(4.0), np.arange(4.0) / 2])
    fig = digit_grid(images, ["a", "b", "c"], black=[1.0, 4.0, 4.0])
    assert [ax.images[0].get_clim() for ax in fig.axes[:3]] == [(0.0, 1.0), (0.0, 4.0), (0.0, 4.0)]
    fig = digit_grid(images, ["a", "b", "c"])  # each image its own range
    assert [ax.images[0].get_clim() for ax in fig.axes[:3]] == [(0.5, 0.5), (0.0, 3.0), (0.0, 1.5)]


def test_figures_label_their_axes(quick_runs):
    """The lecturer's review: axes without labels, loss and accuracy sharing one axis, no legend."""
    def axes(name):
        return SAVED_AXES[name]

    assert [(a["xlabel"], a["ylabel"]) for a in axes("moons_boundary.png")] == [("$x_1$", "$x_2$")]
    training = axes("moons_training.png")  # two panels, each with its own y
    assert len(training) == 2 and all(a["xlabel"] == "step" and a["ylabel"] for a in training)
    valley = axes("optimizers_valley.png")
    assert all(a["xlabel"] and a["ylabel"] and a["legend"] for a in valley)
    for name in ("approximation_bumps.png", "approximation_fits.png", "approximation_error.png"):
        assert all(a["xlabel"] and a["ylabel"] for a in axes(name)), name


def test_counts_get_whole_number_ticks(quick_runs):
    """Epochs 2.5 and 0.5 mistakes: every epoch (or update, or mistake) axis ticks at whole numbers."""
    checked = 0
    for name, shown in SAVED_AXES.items():
        for a in shown:
            for axis in ("x", "y"):
                label = a[f"{axis}label"]
                if a[f"{axis}scale"] == "linear" and label.startswith(("epoch", "mistakes")):
                    ticks = a[f"{axis}ticks"]
                    assert ticks and all(float(t).is_integer() for t in ticks), (name, label, ticks)
                    checked += 1
    assert checked >= 10
    assert SAVED_AXES["perceptron_errors.png"][0]["yticks"] == [0, 1, 2, 3, 4]


def test_approximation_says_one_bump_not_one_bumps(quick_runs):
    _, printed, _ = quick_runs["approximation"]
    assert "=  1 bump :" in printed and "1 bumps" not in printed


def test_cnn_moves_digits_with_blank_edges_not_wrapping_round():
    """np.roll carried the digits' bottom row, which holds ink, to the top."""
    from demos.cnn import moved

    x = np.arange(1.0, 13.0).reshape(1, 3, 4)
    assert moved(x, 1, -1)[0].tolist() == [[0, 1, 2, 3], [0, 5, 6, 7], [0, 9, 10, 11]]
    assert moved(x, -1, -2)[0].tolist() == [[5, 6, 7, 8], [9, 10, 11, 12], [0, 0, 0, 0]]


def _write_idx(path: Path, array: np.ndarray, magic: int) -> None:
    dims = np.array(array.shape, dtype=">u4").tobytes()
    path.write_bytes(magic.to_bytes(4, "big") + dims + array.astype(np.uint8).tobytes())


def test_digits_reads_mnist_idx_files_and_runs_the_books_network(tmp_path, capsys):
    rng = np.random.default_rng(0)
    mnist = tmp_path / "mnist"
    mnist.mkdir()
    for prefix, n in (("train", 60), ("t10k", 20)):
        _write_idx(mnist / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)), 2051)
        _write_idx(mnist / f"{prefix}-labels-idx1-ubyte", rng.integers(0, 10, n), 2049)
    assert main(["digits", "--quick", "--mnist", str(mnist), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert f"MNIST from {mnist}: 60 training and 20 test images" in printed
    assert "network [784, 30, 10]" in printed
    for figure in ("mnist_training.png", "mnist_confusion.png"):
        assert (tmp_path / "out" / "digits" / figure).read_bytes().startswith(PNG_MAGIC)


@pytest.mark.slow
def test_digits_full_run_reaches_95_percent(tmp_path):
    """Nielsen's network, his hyper-parameters, 30 epochs on the bundled digits (seeded)."""
    from demos import digits

    with contextlib.redirect_stdout(io.StringIO()):
        result = digits.run(tmp_path, quick=False)
    assert result["epochs"] == 30 and result["sizes"] == [64, 30, 10]
    assert result["test_accuracy"] >= 0.95


def test_readme_first_command_runs_the_tour_and_the_table_lists_every_lesson():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'pip install -e ".[demos,viz]" && python -m demos tour' in readme
    for name in demos.LESSONS:
        assert f"| `{name}` |" in readme, name


def test_readme_gallery_images_exist_are_valid_and_small():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\((docs/gallery/[^)]+)\)", readme)
    assert len(linked) >= 10
    for rel in linked:
        data = (ROOT / rel).read_bytes()
        assert len(data) < MAX_BYTES, rel
        if rel.endswith(".png"):
            assert data.startswith(PNG_MAGIC), rel
        else:
            assert ET.fromstring(data).tag.endswith("svg"), rel
        name = Path(rel).name
        made = any(name in files for files in GALLERY.values())
        assert made, f"{rel} is not made by python -m demos.gallery"


def test_the_gallery_neuron_graph_is_what_the_tour_draws(quick_runs):
    """docs/gallery/neuron_graph.svg has the texts the tour draws now (its neuron does not depend
    on --quick; the layout may differ by renderer): remake it with python -m demos.gallery tour."""
    require("graphviz", "pip install -e '.[viz]' for the tour's drawings")
    fresh = quick_runs["tour"][2] / "neuron_graph.svg"

    def texts(path):
        return sorted(t.text or "" for t in ET.fromstring(path.read_bytes()).iter("{http://www.w3.org/2000/svg}text"))

    assert texts(fresh) == texts(ROOT / "docs" / "gallery" / "neuron_graph.svg")


def test_gallery_picks_figures_the_lessons_make():
    assert sorted(GALLERY) == sorted(demos.LESSONS)
    for name, files in GALLERY.items():
        for figure in files:
            assert figure in FIGURES[name] + GRAPHS.get(name, []), (name, figure)


def test_quick_approximation_does_not_claim_what_its_own_numbers_contradict(quick_runs):
    """--quick printed "needs far fewer units than the staircase" beside a trained N=8 error no
    better than the hand-built one."""
    result, printed, _ = quick_runs["approximation"]
    supported = result["trained_error"][8] < result["built_error"][8] / 2
    assert ("so it needs far fewer units" in printed) == supported
    assert supported or "too few for training to beat the staircase" in printed


def test_an_unwritable_out_folder_is_a_usage_error_before_the_lesson(capsys, tmp_path, monkeypatch):
    """An unwritable folder gave a traceback naming a temporary file, after the whole lesson ran."""
    import demos.__main__ as cli

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    ran = []
    monkeypatch.setattr(cli.tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(demos.lesson("xor"), "run", lambda *a, **k: ran.append(1))
    with pytest.raises(SystemExit):
        main(["xor", "--quick", "--out", str(tmp_path)])
    assert "cannot write into the folder" in capsys.readouterr().err and ran == []


def test_mnist_files_of_no_images_are_a_usage_error(tmp_path, capsys):
    mnist = tmp_path / "mnist"
    mnist.mkdir()
    for prefix, n in (("train", 0), ("t10k", 20)):
        _write_idx(mnist / f"{prefix}-images-idx3-ubyte", np.zeros((n, 28, 28)), 2051)
        _write_idx(mnist / f"{prefix}-labels-idx1-ubyte", np.zeros(n), 2049)
    with pytest.raises(SystemExit):  # was a traceback: "fit needs at least one training sample"
        main(["digits", "--quick", "--mnist", str(mnist), "--out", str(tmp_path / "out")])
    assert "the MNIST training files in" in capsys.readouterr().err


def test_gallery_refuses_a_file_as_out_and_writes_its_figures_atomically(tmp_path, capsys, monkeypatch):
    """--out pointing at a file gave a FileExistsError traceback; figures were plain copies."""
    import types

    import demos.gallery as gallery

    afile = tmp_path / "afile"
    afile.write_text("")
    with pytest.raises(SystemExit):
        gallery.main(["--out", str(afile), "moons"])
    assert "--out" in capsys.readouterr().err and afile.read_text() == ""

    def run(work, quick):  # a stand-in lesson: the figure, without minutes of training
        (work / "moons_boundary.png").write_bytes(PNG_MAGIC + b"new")

    monkeypatch.setattr(gallery, "lesson", lambda name: types.SimpleNamespace(run=run))
    writes = []
    real = gallery.atomic_write
    monkeypatch.setattr(gallery, "atomic_write", lambda path: writes.append(path) or real(path))
    out = tmp_path / "gallery"
    with contextlib.redirect_stdout(io.StringIO()):
        assert gallery.make(out, ["moons"]) == [out / "moons_boundary.png"]
    assert writes == [out / "moons_boundary.png"]
    assert (out / "moons_boundary.png").read_bytes().endswith(b"new")
