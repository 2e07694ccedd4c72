"""``Backprop.to_html``: the page's structure, and the page driven in a real browser.

The browser is Debian's chromium, headless, driven by selenium through Debian's chromedriver
(nothing is downloaded).  Locally the browser test skips without them; under ``CI=true`` a
missing browser or driver is a failure.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest
from conftest import require  # noqa: E402

require("graphviz", "pip install -e '.[viz]' for the walkthrough tests")

from autograd import Backprop, Tensor  # noqa: E402
from autograd.examples import neuron  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture
def page(tmp_path):
    o = neuron()
    path = Backprop(o).to_html(tmp_path / "walk.html")
    return o, path


def test_the_page_is_self_contained_with_one_view_per_step(page):
    o, path = page
    html = path.read_text(encoding="utf-8")
    assert html.count('<section class="step"') == 6  # the start and 5 steps
    assert html.count("<svg") == 6 and "Step 5/5" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from anywhere
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # each inline SVG's ids made unique
    x1w1 = o.parents[0].parents[0].parents[0]
    assert [leaf.grad for leaf in x1w1.parents] == pytest.approx([-1.5, 1.0])  # the pass is done


def test_each_view_shows_only_the_gradients_known_at_its_step(page):
    """The page's point: view k has the gradients of the first k steps, the others blank."""
    _, path = page
    sections = re.findall(r'<section class="step".*?</section>', path.read_text(encoding="utf-8"), re.S)
    shown = [re.findall(r">grad ([^<]*)<", section) for section in sections]
    assert [len(g) for g in shown] == [1, 2, 4, 6, 8, 10]  # the seed, then each step's inputs
    assert shown[0] == ["1.0000"]  # before the first step only o's own gradient is known
    assert "&#45;1.5000" not in " ".join(shown[3]) and "&#45;1.5000" in " ".join(shown[4])  # x1's, at step 4


def test_a_stepper_partway_records_the_rest(tmp_path):
    bp = Backprop(neuron())
    bp.step()
    bp.step()
    html = bp.to_html(tmp_path / "w.html").read_text(encoding="utf-8")
    assert html.count('<section class="step"') == 6 and bp.done


def test_the_start_page_names_the_seed_the_pass_began_with(tmp_path):
    o = neuron()
    assert "so o.grad = 1." in Backprop(o).to_html(tmp_path / "a.html").read_text(encoding="utf-8")
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True, label="x")
    y = x * 2
    y.label = "y"
    html = Backprop(y, gradient=[10.0, 20.0, 30.0]).to_html(tmp_path / "b.html").read_text(encoding="utf-8")
    assert "given: y.grad = [10.0000, 20.0000, 30.0000]." in html and "y.grad = 1." not in html
    assert x.grad.tolist() == [20.0, 40.0, 60.0]


def _driver(tmp_path):
    """A headless chromium under selenium, or a skip (a failure under CI=true) saying why not."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (pip install selenium)")
    if missing:
        why = f"no browser to drive: missing {', '.join(missing)} (apt-get install chromium chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(why + " under CI=true")
        pytest.skip(why)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium-profile'}",
                 "--window-size=1400,900"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def test_next_button_and_arrow_keys_in_chromium(page, tmp_path):
    _, path = page
    driver = _driver(tmp_path)
    try:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        driver.get(path.as_uri())

        def visible():
            sections = [s for s in driver.find_elements(By.CSS_SELECTOR, "section.step") if s.is_displayed()]
            assert len(sections) == 1
            section = sections[0]
            text = section.find_element(By.CSS_SELECTOR, "pre.explain").text
            marked = section.find_elements(By.CSS_SELECTOR, "g.node.value.highlight text")
            return text, [t.text for t in marked][:1], driver.find_element(By.ID, "counter").text

        text, marked, counter = visible()
        assert text.startswith("The backward pass starts at the output o") and marked == []
        # each picture at its own size (scrolled if wide): shrunk to the page, its text was 7px
        shown, own = driver.execute_script(
            "const svg = document.querySelector('section.step:not([hidden]) .graph svg');"
            "return [svg.getBoundingClientRect().width, svg.width.baseVal.value];")
        assert own > 1000 and shown == pytest.approx(own, abs=1)
        assert counter == "Start" and not driver.find_element(By.ID, "prev").is_enabled()

        driver.find_element(By.ID, "next").click()
        text, marked, counter = visible()
        assert text.startswith("Step 1/5  o = tanh(n)") and marked == ["o"] and counter == "Step 1 of 5"

        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
        text, marked, counter = visible()
        assert text.startswith("Step 2/5  n = s + b") and marked == ["n"]
        assert "b.grad += n.grad * 1 = 0.5000 * 1 = 0.5000" in text

        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_LEFT)
        assert visible()[1] == ["o"]
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.END)
        text, marked, counter = visible()
        assert text.startswith("Step 5/5") and counter == "Step 5 of 5"
        assert not driver.find_element(By.ID, "next").is_enabled()
        driver.find_element(By.ID, "prev").click()
        assert visible()[0].startswith("Step 4/5")
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.SHIFT, Keys.ARROW_RIGHT)
        assert visible()[0].startswith("Step 4/5")  # a chord is the browser's (Alt+Left: back)
    finally:
        driver.quit()


def test_a_big_graphs_step_scrolls_its_node_into_view(tmp_path):
    """On a graph wider than the window the highlighted node of most steps was out of sight."""
    from autograd import Value

    x = Value(0.5, label="x")
    terms = [(x * (k + 1)).tanh() for k in range(8)]  # a wide graph: 8 branches side by side
    root = terms[0]
    for t in terms[1:]:
        root = root + t
    path = Backprop(root).to_html(tmp_path / "wide.html")
    driver = _driver(tmp_path)
    try:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        driver.get(path.as_uri())
        body = driver.find_element(By.TAG_NAME, "body")
        outside = []
        for step in range(1, 24):  # every step of the pass (23)
            body.send_keys(Keys.ARROW_RIGHT)
            inside = driver.execute_script(
                "const s = document.querySelector('section.step:not([hidden])');"
                "const box = s.querySelector('.graph').getBoundingClientRect();"
                "const n = s.querySelector('g.highlight').getBoundingClientRect();"
                "return n.left >= box.left - 1 && n.right <= box.right + 1 && n.top >= -1"
                " && n.bottom <= window.innerHeight + 1;")
            if not inside:
                outside.append(step)
        assert outside == []
    finally:
        driver.quit()


def test_a_page_that_cannot_be_written_is_refused_before_the_pass_runs(tmp_path):
    """The missing folder was found only after every step was taken and drawn: the leaves' .grad
    had the pass, and a new stepper's page showed them doubled."""
    from autograd import Value

    x = Value(2.0, label="x")
    y = x * x
    with pytest.raises(FileNotFoundError, match="no folder"):
        Backprop(y).to_html(tmp_path / "missing" / "walk.html")
    with pytest.raises(Exception, match="no program 'nonesuch'"):
        Backprop(y).to_html(tmp_path / "walk.html", program="nonesuch")
    assert x.grad == 0.0 and not list(tmp_path.iterdir())


def test_a_label_that_reads_like_an_svg_reference_is_left_as_written(tmp_path):
    """Making each picture's ids unique rewrote 'url(#' everywhere, in a label's text too."""
    from autograd import Value

    html = Backprop(Value(1.0, label="url(#a)") * 2).to_html(tmp_path / "w.html").read_text(encoding="utf-8")
    assert "url(#a)" in html and "url(#s0-a)" not in html
