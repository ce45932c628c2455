"""The dashboard in a real Chromium (Debian's chromium + chromium-driver via Selenium) against a real uvicorn.

Screenshots go to out/browser/ (git-ignored); look at them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from _ew_web import HOSTILE, Server, build_db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
OUT = Path(__file__).resolve().parents[1] / "out" / "browser"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
                       reason="Chromium or chromedriver is not installed (make setup installs Debian's chromium "
                              "and chromium-driver)"),
]
selenium = pytest.importorskip("selenium", reason="selenium is not installed (pip install -e '.[dev]')")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory, coder):
    db = build_db(tmp_path_factory.mktemp("browser") / "known.db", coder)
    with Server(db) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--no-first-run", "--disable-background-networking"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    driver.set_page_load_timeout(30)
    OUT.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _wait(driver, condition, timeout: float = 15):
    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def _dataset(driver, key: str) -> str | None:
    return driver.execute_script(f"return document.body.dataset.{key} || null")


def _open(driver, server) -> None:
    driver.get(server.url + "/")
    _wait(driver, lambda d: _dataset(d, "ready") in ("1", "error"))
    assert _dataset(driver, "ready") == "1", driver.find_element(By.ID, "status").text


def _errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _no_alert(driver) -> None:
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"a script from the data ran: alert({text!r})")


def _apply(driver) -> None:
    driver.find_element(By.ID, "f-apply").click()


def _bars(driver) -> int:
    return int(_dataset(driver, "bars") or 0)


def test_page_loads_with_markers_and_timeline_bars_and_no_console_errors(browser, server) -> None:
    browser.get_log("browser")
    _open(browser, server)
    _wait(browser, lambda d: _dataset(d, "markers") == "8")
    assert _bars(browser) > 0
    assert browser.find_elements(By.CSS_SELECTOR, ".marker-cluster, .ev-marker")
    assert browser.find_elements(By.CSS_SELECTOR, "#map .leaflet-overlay-pane canvas"), "no basemap"
    assert int(_dataset(browser, "countries") or 0) > 200  # the Natural Earth outlines, drawn
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 8
    assert browser.find_element(By.CSS_SELECTOR, "#dyads tbody tr td").text == "RUS"
    assert "8 events on the map" in browser.find_element(By.ID, "status").text
    browser.save_screenshot(str(OUT / "dashboard.png"))
    assert _errors(browser) == []


def test_a_filter_changes_the_marker_count_and_the_timeline(browser, server) -> None:
    _open(browser, server)
    _wait(browser, lambda d: _dataset(d, "markers") == "8")
    before = browser.find_element(By.ID, "timeline").get_attribute("innerHTML")
    bars_before = _bars(browser)
    Select(browser.find_element(By.ID, "f-type")).select_by_value("ASSAULT")
    _apply(browser)
    _wait(browser, lambda d: _dataset(d, "markers") == "4")
    _wait(browser, lambda d: d.find_element(By.ID, "timeline").get_attribute("innerHTML") != before)
    assert _bars(browser) < bars_before
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 4
    browser.save_screenshot(str(OUT / "filtered.png"))
    Select(browser.find_element(By.ID, "f-country")).select_by_value("LBN")
    _apply(browser)
    _wait(browser, lambda d: _dataset(d, "markers") == "0")
    browser.find_element(By.ID, "f-reset").click()
    _wait(browser, lambda d: _dataset(d, "markers") == "8")
    assert _errors(browser) == []


def test_dyad_outlet_rule_text_actor_and_date_filters_narrow_the_tables(browser, server) -> None:
    _open(browser, server)
    _wait(browser, lambda d: _dataset(d, "markers") == "8")
    browser.find_element(By.CSS_SELECTOR, "#dyads tbody tr").click()  # the top dyad: RUS -> SYR, twice
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 2)
    assert browser.find_element(By.ID, "f-source").get_attribute("value") == "RUS"
    assert browser.find_element(By.ID, "f-target").get_attribute("value") == "SYR"
    assert all("bombed" in r.text for r in browser.find_elements(By.CSS_SELECTOR, "#events tbody tr"))
    browser.find_element(By.ID, "f-reset").click()
    _wait(browser, lambda d: _dataset(d, "markers") == "8")
    Select(browser.find_element(By.ID, "f-outlet")).select_by_value("Wire Two")  # a3b, a4, a5
    _apply(browser)
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 3)
    assert {r.text.split()[-2] + " " + r.text.split()[-1]
            for r in browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")} == {"Wire Two"}
    browser.find_element(By.ID, "f-rule").send_keys("no-such-rule")
    _apply(browser)
    _wait(browser, lambda d: _dataset(d, "markers") == "0")
    browser.find_element(By.ID, "f-reset").click()
    _wait(browser, lambda d: _dataset(d, "markers") == "8")
    rows = lambda d: len(d.find_elements(By.CSS_SELECTOR, "#events tbody tr"))  # noqa: E731
    for field, value, expected in [("f-text", "hospital", 2), ("f-actor", "IRN", 1)]:
        browser.find_element(By.ID, field).send_keys(value)
        _apply(browser)
        _wait(browser, lambda d, n=expected: rows(d) == n)
        browser.find_element(By.ID, "f-reset").click()
        _wait(browser, lambda d: rows(d) == 8)
    browser.execute_script("document.getElementById('f-since').value = '2024-04-01'")  # a5, a6
    _apply(browser)
    _wait(browser, lambda d: rows(d) == 2)
    browser.find_element(By.ID, "f-reset").click()
    _wait(browser, lambda d: rows(d) == 8)
    assert _errors(browser) == []


def test_brushing_the_timeline_filters_the_map_and_tables(browser, server) -> None:
    _open(browser, server)
    _wait(browser, lambda d: _dataset(d, "markers") == "8")
    svg = browser.find_element(By.ID, "timeline")
    width = svg.size["width"]
    # drag over the first fifth of the plot: early March only
    ActionChains(browser).move_to_element_with_offset(svg, -width // 2 + 40, 0).click_and_hold() \
        .move_by_offset(width // 5, 0).release().perform()
    _wait(browser, lambda d: _dataset(d, "markers") not in ("8", None))
    brushed = int(_dataset(browser, "markers"))
    assert 0 < brushed < 8
    assert "dates 2024-03-0" in browser.find_element(By.ID, "status").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#events tbody tr")) < 8
    browser.save_screenshot(str(OUT / "brushed.png"))
    browser.find_element(By.ID, "brush-clear").click()
    _wait(browser, lambda d: _dataset(d, "markers") == "8")


def test_clicking_an_event_opens_its_panel_with_the_highlighted_sentence(browser, server) -> None:
    _open(browser, server)
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#events tbody tr") if "shelled" in r.text)
    row.click()
    panel = _wait(browser, lambda d: d.find_element(By.ID, "panel") if d.find_element(By.ID, "panel").is_displayed()
                  and d.find_elements(By.CSS_SELECTOR, "#panel .sentence") else None)
    assert panel.find_element(By.CSS_SELECTOR, "mark.trigger").text == "shelled"
    assert "Turkish" in panel.find_element(By.CSS_SELECTOR, "mark.source").text
    assert panel.find_element(By.CSS_SELECTOR, ".sentence").text.startswith("Turkish troops shelled")
    assert "rule" in panel.text and "2024-03-04 (day" in panel.text
    browser.save_screenshot(str(OUT / "panel.png"))
    # a marker on the map opens a panel too: zoom onto Beirut, where one event stands alone
    browser.find_element(By.ID, "panel-close").click()
    browser.execute_script("window.eventwire.map.setView([33.89, 35.50], 9, {animate: false})")
    nearest = """const map = window.eventwire.map, box = map.getContainer().getBoundingClientRect();
      const p = map.latLngToContainerPoint([33.89332, 35.50157]);
      const near = Array.from(document.querySelectorAll('.ev-marker')).filter((m) => {
        const r = m.getBoundingClientRect();
        return Math.hypot(r.left + r.width / 2 - box.left - p.x, r.top + r.height / 2 - box.top - p.y) < 8
          && getComputedStyle(m).opacity === "1"; });
      return near[0] || null;"""
    marker = _wait(browser, lambda d: d.execute_script(nearest))
    marker.click()
    _wait(browser, lambda d: "arrested" in d.find_element(By.ID, "panel").text)
    assert browser.find_element(By.CSS_SELECTOR, "#panel mark.trigger").text == "arrested"
    assert _errors(browser) == []


def test_markup_in_an_article_renders_as_text(browser, server) -> None:
    _open(browser, server)
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#events tbody tr") if "attacked" in r.text)
    assert "<b>Bold</b> Outlet" in row.text
    row.click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#panel .sentence"))
    panel = browser.find_element(By.ID, "panel")
    assert panel.find_element(By.CSS_SELECTOR, ".sentence").text == HOSTILE
    assert "<img src=x onerror=alert(4)>" in panel.text  # the title, as text
    browser.find_element(By.ID, "show-article").click()
    article = _wait(browser, lambda d: d.find_element(By.ID, "article-text")
                    if d.find_elements(By.ID, "article-text") else None)
    assert article.text == HOSTILE
    assert not panel.find_elements(By.TAG_NAME, "script") and not panel.find_elements(By.TAG_NAME, "img")
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
    browser.save_screenshot(str(OUT / "markup_as_text.png"))
    _no_alert(browser)
    # the article whose URL is javascript: shows no link
    browser.find_element(By.ID, "panel-close").click()
    next(r for r in browser.find_elements(By.CSS_SELECTOR, "#events tbody tr") if "signed" in r.text).click()
    _wait(browser, lambda d: "signed" in d.find_element(By.ID, "panel").text)
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
    _no_alert(browser)
    assert _errors(browser) == []


def test_api_docs_work_offline(browser, server) -> None:
    browser.get(server.url + "/api/docs")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock"), timeout=20)
    assert "/api/events" in browser.find_element(By.ID, "swagger-ui").text
    browser.save_screenshot(str(OUT / "api_docs.png"))
    assert _errors(browser) == []


def test_twenty_thousand_events_keep_the_page_responsive(browser, server) -> None:
    _open(browser, server)
    # 20,000 synthetic points (a 200 x 100 grid over the Levant) through the dashboard's own renderer,
    # while a timer measures how late the page answers (its longest stall)
    stall = browser.execute_async_script("""
      const done = arguments[arguments.length - 1];
      const n = 20000, p = {id: [], lat: [], lon: [], type: [], quad: [], n, truncated: false};
      for (let i = 0; i < n; i++) {
        p.id.push(i + 1); p.lat.push(30 + (i % 200) / 25); p.lon.push(33 + Math.floor(i / 200) / 25);
        p.type.push(i % 2 ? "ASSAULT" : "PROTEST"); p.quad.push(i % 4 + 1);
      }
      let worst = 0, last = performance.now(), ticks = 0;
      const t0 = performance.now();
      window.eventwire.renderPoints(p);
      const build = performance.now() - t0;
      (function probe() {
        const now = performance.now();
        worst = Math.max(worst, now - last - 50);
        last = now;
        if (++ticks < 60) setTimeout(probe, 50); else done({build, worst});
      })();
    """)
    assert _dataset(browser, "markers") == "20000"
    browser.execute_script("window.eventwire.map.setZoom(8, {animate: false})")
    t0 = browser.execute_script("return performance.now()")
    assert browser.execute_script("return performance.now()") - t0 < 1000
    browser.save_screenshot(str(OUT / "twenty_thousand.png"))
    (OUT / "twenty_thousand.json").write_text(json.dumps(stall) + "\n", encoding="utf-8")
    assert stall["build"] < 5000, stall
    assert stall["worst"] < 1500, stall
    assert _errors(browser) == []
