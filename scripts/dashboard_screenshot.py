"""Screenshot of the dashboard over a database, in headless Chromium, and the time the page takes to load.

Starts ``eventwire serve``'s application under uvicorn on a free 127.0.0.1 port, opens the page,
waits until the map, timeline, dyads and events are drawn, opens the panel of the first event
that has a highlighted trigger, and saves the picture (default docs/img/dashboard.png).

    python scripts/dashboard_screenshot.py --db /tmp/g.db --out docs/img/dashboard.png
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/g.db")
    parser.add_argument("--out", default="docs/img/dashboard.png")
    parser.add_argument("--size", default="1500,950", help="window WIDTH,HEIGHT")
    parser.add_argument("--row", type=int, default=3, help="which event row's panel to open (0: none)")
    args = parser.parse_args()

    import uvicorn
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from eventwire.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(args.db, warm=True), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={args.size}", "--hide-scrollbars"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
    try:
        loads = []
        for _ in range(3):  # the first load also warms the server's answer cache
            driver.get(f"http://127.0.0.1:{port}/")
            WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.body.dataset.ready"))
            loads.append(int(driver.execute_script("return document.body.dataset.loadMs")))
        markers = driver.execute_script("return document.body.dataset.markers")
        bars = driver.execute_script("return document.body.dataset.bars")
        time.sleep(1.0)  # cluster animations
        if args.row:
            rows = driver.find_elements(By.CSS_SELECTOR, "#events tbody tr")
            rows[min(args.row, len(rows)) - 1].click()
            WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#panel mark.trigger"))
            time.sleep(1.0)
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(args.out)
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
        server.should_exit = True
        thread.join(timeout=10)
    print(f"{args.out}: {markers} events on the map, {bars} timeline bars; page ready in {loads[0]} ms cold, "
          f"{min(loads[1:])} ms warm; console errors: {len(errors)}")
    for e in errors:
        print("  ", e["message"][:200])
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
