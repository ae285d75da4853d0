"""Headless Chromium for the page tests and the screenshots in docs/: Debian's ``chromium`` driven by Selenium
through Debian's ``chromium-driver`` (same version as the browser; nothing is downloaded).

The browser is started with a fresh profile and everything that would reach the network at start-up turned off;
pages are opened from ``file://``. :meth:`Browser.open` returns what a test checks: the console messages
(errors, failed loads, CSP violations), every image's natural width, the resources the page asked for, and
a screenshot. ``python -m benchmarks.screens`` uses :func:`screenshot` for the PNGs in docs/.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def available() -> str | None:
    """None when headless Chromium can run here, else why not."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install '.[test]')"
    return None


@dataclass(frozen=True)
class Visit:
    """What a page did when it was opened."""

    console: list[dict]  # every console entry: level, message, source
    images: list[dict]  # every <img>: src (first 60 characters), complete, naturalWidth
    resources: list[str]  # URLs the page requested after the document itself (data: URIs are not requests)
    text: str  # document.body.innerText
    scripts: int  # <script> elements in the document
    png: bytes  # screenshot of the viewport

    @property
    def errors(self) -> list[dict]:
        """Console entries of level SEVERE (errors, failed loads, CSP violations)."""
        return [e for e in self.console if e.get("level") == "SEVERE"]


class Browser:
    """One headless Chromium; ``with Browser() as b: b.open(path)``."""

    def __init__(self, *, width: int = 1200, height: int = 900) -> None:
        os.environ.setdefault("SE_AVOID_STATS", "true")  # Selenium sends no usage statistics
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self._profile = tempfile.TemporaryDirectory(prefix="stance-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in FLAGS:
            options.add_argument(flag)
        if os.geteuid() == 0:
            options.add_argument("--no-sandbox")  # Chromium refuses to run as root with its sandbox
        options.add_argument(f"--user-data-dir={self._profile.name}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        self.driver.set_page_load_timeout(60)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.driver.quit()
        self._profile.cleanup()

    def open(self, path: str | os.PathLike) -> Visit:
        """Load ``path`` from ``file://``, wait for it and its images, and report what happened."""
        d = self.driver
        d.get_log("browser")  # drop what an earlier page left
        d.get(Path(path).resolve().as_uri())
        d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "Promise.all([...document.images].map(i => i.decode().catch(() => null))).then(() => done(null));"
        )
        images = d.execute_script(
            "return [...document.images].map(i => ({src: i.src.slice(0, 60), complete: i.complete,"
            " naturalWidth: i.naturalWidth}))"
        )
        resources = d.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        text = d.execute_script("return document.body.innerText")
        scripts = d.execute_script("return document.getElementsByTagName('script').length")
        png = d.get_screenshot_as_png()
        return Visit(d.get_log("browser"), images, resources, text, scripts, png)

    def full_page_png(self, path: str | os.PathLike, *, width: int = 1200, max_height: int = 12000,
                      open_details: bool = False) -> bytes:
        """A screenshot of the whole page (up to ``max_height`` pixels) at ``width`` CSS pixels; with
        ``open_details``, every ``<details>`` element unfolded first (as a reader clicking each)."""
        self.open(path)
        d = self.driver
        if open_details:
            d.execute_script("document.querySelectorAll('details').forEach(e => e.open = true)")
        height = d.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": min(int(height), max_height), "deviceScaleFactor": 1, "mobile": False})
        try:
            return d.get_screenshot_as_png()
        finally:
            d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def pixel_std(png: bytes) -> float:
    """Standard deviation of the grey levels of a PNG (0 for a blank page)."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png), format="png")
    return float(pixels[..., :3].mean(axis=-1).std())


def screenshot(page: str | os.PathLike, out: str | os.PathLike, *, width: int = 1200,
               open_details: bool = False, palette: bool = False) -> Path:
    """Write a full-page PNG of ``page`` to ``out`` (``palette``: in 256 colours, for docs/); refuse a page with
    console errors, an image that did not load, or a blank shot."""
    from stance.files import atomic_write

    with Browser(width=width) as browser:
        visit = browser.open(page)
        if visit.errors or not all(image["naturalWidth"] > 0 for image in visit.images):
            raise RuntimeError(f"{page}: console errors {visit.errors}, images {visit.images}")
        png = browser.full_page_png(page, width=width, open_details=open_details)
    if pixel_std(png) < 0.01:
        raise RuntimeError(f"{page}: the screenshot is blank")
    if palette:  # 256 colours: a third of the bytes, no visible change on pages of text and flat plots
        from PIL import Image

        image = Image.open(io.BytesIO(png)).convert("RGB")
        buffer = io.BytesIO()
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            buffer, format="png", optimize=True)
        png = buffer.getvalue()
    return atomic_write(out, png)
