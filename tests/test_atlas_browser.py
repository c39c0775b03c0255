"""The atlas in a real browser: headless Chromium opens it from the file system.

Selenium drives Debian's ``chromium`` through Debian's ``chromedriver`` (both installed by
``.ci/run``), given by path, so that Selenium Manager never tries to download a browser. It is
the standard WebDriver client; talking the DevTools protocol ourselves would mean writing and
maintaining a websocket client for one test. Skipped, with the reason, when any piece is absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from cartes_support import EXAMPLE

from cartographie.atlas import AtlasOptions, build_atlas
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="headless Chromium absent: apt-get install chromium chromium-driver (.ci/run does)",
)

# Every link of a page, SVG anchors included (their href is an SVGAnimatedString).
LINKS_SCRIPT = """
return Array.from(document.querySelectorAll('a')).map(a => {
  const raw = (typeof a.href === 'string') ? a.getAttribute('href') : a.href.baseVal;
  return raw === null ? null : new URL(raw, document.baseURI).href;
}).filter(h => h !== null);
"""


@pytest.fixture(scope="module")
def atlas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("atlas-navigateur")
    result = build_atlas(Portfolio(load_inventory(EXAMPLE)), out, AtlasOptions(jobs=1))
    assert result.failures == []
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    # The flags this machine's notes give: no sandbox as root, and no background connections
    # (the network is closed; Chromium would retry them at every start).
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profil')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def console_errors(browser) -> list[str]:  # type: ignore[no-untyped-def]
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_clicking_a_bloc_on_the_pos_opens_its_page(atlas: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get((atlas / "index.html").as_uri())
    bloc = browser.find_element(
        By.XPATH,
        "//*[local-name()='svg']//*[local-name()='a']"
        "[@*[local-name()='href']='blocs/proximite.html']",
    )
    bloc.find_element(By.XPATH, ".//*[local-name()='text']").click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("blocs/proximite.html"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Proximité"
    assert "maintien de l'ordre" in browser.find_element(By.CLASS_NAME, "description").text
    rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "#applications tr")]
    police = [row for row in rows if "police municipale" in row.lower()]
    video = [row for row in rows if "vidéoprotection" in row.lower()]
    assert video, rows
    # The police municipale of several communes, on one page.
    assert any("Auvers-la-Grande" in row for row in police)
    assert any("Saint-Aubin" in row for row in police)
    assert console_errors(browser) == []


def test_no_page_has_a_broken_link_or_a_console_error(atlas: Path, browser) -> None:  # type: ignore[no-untyped-def]
    broken: list[str] = []
    errors: list[str] = []
    pages = sorted(atlas.rglob("*.html"))
    for page in pages:
        browser.get(page.as_uri())
        errors.extend(
            f"{page.relative_to(atlas)}: {message}" for message in console_errors(browser)
        )
        for link in browser.execute_script(LINKS_SCRIPT):
            parsed = urlparse(link)
            if parsed.scheme != "file":
                broken.append(f"{page.relative_to(atlas)}: external link {link}")
            elif not Path(unquote(parsed.path)).is_file():
                broken.append(f"{page.relative_to(atlas)}: {link}")
    assert len(pages) > 30
    assert broken == []
    assert errors == []
