"""The atlas in a real browser: headless Chromium opens it from the file system.

What a user does there: searches (the box of every page, the results page), sorts and filters
the applications' index, follows a report's links, clicks the POS; every link resolves, no page
logs an error, and axe-core (vendored in ``tests/vendor/axe-core``) finds no violation of the
WCAG 2.0 and 2.1 A and AA rules on any kind of page.

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
from cartes_support import EXAMPLE, HOSTILE_NAME, copy_example, rename_application

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


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# The WCAG 2.0 and 2.1 rules of levels A and AA: what RGAA 4 builds on.
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                   resultTypes: ['violations']})
  .then(result => done(result.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
        + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
  .catch(error => done(['axe a échoué : ' + error]));
"""


def wait_for(browser, condition, seconds: float = 10):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds).until(condition)


def search_results(browser) -> list[str]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return [link.text for link in browser.find_elements(By.CSS_SELECTOR, "#recherche-resultats a")]


def type_search(browser, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Type ``text`` in the search box of the page; the results shown."""
    from selenium.webdriver.common.by import By

    field = browser.find_element(By.ID, "recherche-champ")
    field.clear()
    field.send_keys(text)
    wait_for(
        browser,
        lambda driver: (
            search_results(driver)
            or driver.find_elements(By.CSS_SELECTOR, "#recherche-resultats .aucun")
        ),
    )
    return search_results(browser)


def test_the_search_box_finds_names_whatever_the_accents_and_case(atlas: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions

    browser.get((atlas / "blocs" / "proximite.html").as_uri())
    results = type_search(browser, "VIDEOPROTECTION")
    assert results[0].startswith("Application") and "Vidéoprotection urbaine" in results[0]
    # an id finds its object too, and a product, a vendor, a data object have their results
    assert any("Vidéoprotection urbaine" in result for result in type_search(browser, "vc-video"))
    assert "Produit" in type_search(browser, "municipol")[0]
    assert any("Éditeur" in result for result in type_search(browser, "Edicia"))
    assert any("Donnée" in result for result in type_search(browser, "main courante"))
    assert any("Commune" in result for result in type_search(browser, "saint aubin"))
    assert type_search(browser, "zzzqqq") == []
    # Follow a result
    type_search(browser, "videoprotection urbaine")
    browser.find_element(By.CSS_SELECTOR, "#recherche-resultats a").click()
    wait_for(browser, expected_conditions.url_contains("applications/vc-video.html"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Vidéoprotection urbaine"
    assert console_errors(browser) == []


def test_the_search_box_works_from_the_keyboard(atlas: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions

    browser.get((atlas / "index.html").as_uri())
    type_search(browser, "police")
    field = browser.find_element(By.ID, "recherche-champ")
    field.send_keys(Keys.ARROW_DOWN)
    first = browser.switch_to.active_element
    assert first.tag_name == "a" and "police" in first.text.lower()
    first.send_keys(Keys.ARROW_DOWN)
    second = browser.switch_to.active_element
    assert second.text != first.text
    second.send_keys(Keys.ARROW_UP)
    assert browser.switch_to.active_element.text == first.text
    first.send_keys(Keys.ESCAPE)
    assert browser.switch_to.active_element.get_attribute("id") == "recherche-champ"
    assert not browser.find_element(By.ID, "recherche-resultats").is_displayed()
    # Enter in the box: every result, by kind, on the search page
    field.send_keys(Keys.ENTER)
    wait_for(browser, expected_conditions.url_contains("listes/recherche.html?q=police"))
    wait_for(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, "#recherche-page h2"))
    headings = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#recherche-page h2")]
    assert headings == ["Application (2)", "Donnée (1)"]
    status = browser.find_element(By.ID, "recherche-page-statut").text
    assert status.endswith("pour « police »") and "résultat" in status
    assert console_errors(browser) == []


def test_names_in_the_index_stay_text(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    inventory = copy_example(tmp_path / "inventaire")
    # (a name holds no line break: the inventory refuses control characters in names)
    rename_application(inventory, "vc-video", HOSTILE_NAME.replace("\n", " "))
    out = tmp_path / "atlas"
    build_atlas(Portfolio(load_inventory(inventory)), out, AtlasOptions(jobs=1))
    browser.get((out / "index.html").as_uri())
    results = type_search(browser, "gras cie")
    assert len(results) == 1 and "<b>gras</b>" in results[0]
    assert (
        browser.find_elements(By.CSS_SELECTOR, "#recherche-resultats b, script[src*=alert]") == []
    )
    assert console_errors(browser) == []


def test_the_applications_index_sorts_and_filters(atlas: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    inventory = load_inventory(EXAMPLE)
    browser.get((atlas / "listes" / "applications.html").as_uri())

    def visible_rows() -> list[list[str]]:
        return [
            [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
            for row in browser.find_elements(By.CSS_SELECTOR, "#index-applications tbody tr")
            if row.is_displayed()
        ]

    everything = visible_rows()
    assert len(everything) == len(inventory.applications)
    status = browser.find_element(By.CSS_SELECTOR, ".filtres [role=status]")
    # filter by a word, accents ignored
    browser.find_element(By.CSS_SELECTOR, ".filtres input[type=search]").send_keys("VIDEO")
    assert [row[0] for row in visible_rows()] == ["Vidéoprotection urbaine"]
    assert status.text == f"1 applications sur {len(inventory.applications)}"
    browser.find_element(By.CSS_SELECTOR, ".filtres input[type=search]").clear()
    browser.find_element(By.CSS_SELECTOR, ".filtres input[type=search]").send_keys(" ")
    # filter by owner and layer
    Select(browser.find_element(By.NAME, "proprietaire")).select_by_value("ville-centre")
    Select(browser.find_element(By.NAME, "couche")).select_by_value("metier")
    expected = sorted(
        application.name
        for app_id, application in inventory.applications.items()
        if inventory.owners[app_id] == "ville-centre" and application.layer == "metier"
    )
    assert sorted(row[0] for row in visible_rows()) == expected
    Select(browser.find_element(By.NAME, "couche")).select_by_value("")
    Select(browser.find_element(By.NAME, "proprietaire")).select_by_value("")
    # sort by cost: descending on the second click, the dearest first
    header = browser.find_element(By.XPATH, "//th[button='Coût annuel']")
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "descending"
    dearest = max(
        inventory.applications.values(), key=lambda application: application.annual_cost or 0
    )
    assert visible_rows()[0][0] == dearest.name
    # a link from elsewhere opens the index filtered (#proprietaire=…)
    browser.get((atlas / "index.html").as_uri())
    browser.get((atlas / "listes" / "applications.html").as_uri() + "#proprietaire=metropole")
    owned = sum(1 for owner in inventory.owners.values() if owner == "metropole")
    assert len(visible_rows()) == owned
    assert console_errors(browser) == []


def test_a_report_names_and_links_every_reference(atlas: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    inventory = load_inventory(EXAMPLE)
    names = {
        **{key: app.name for key, app in inventory.applications.items()},
        **{key: product.name for key, product in inventory.products.items()},
        **{key: vendor.name for key, vendor in inventory.vendors.items()},
        **{key: data.name for key, data in inventory.data_objects.items()},
        **{key: partner.name for key, partner in inventory.partners.items()},
        inventory.metropole.id: inventory.metropole.name,
        **{key: commune.name for key, commune in inventory.communes.items()},
        **{key: block.name for key, block in inventory.blocks.items()},
    }
    for report in ("convergence", "editeurs", "flux", "cnil"):
        browser.get((atlas / "rapports" / f"{report}.html").as_uri())
        links = browser.find_elements(By.CSS_SELECTOR, "section.rapport a")
        assert links, report
        for link in links:
            identifier = link.get_attribute("title")
            # shown by its name, its id in the tooltip
            assert identifier in names and link.text == names[identifier], (report, link.text)
    # follow a product's link from the vendors' report
    browser.get((atlas / "rapports" / "convergence.html").as_uri())
    product = browser.find_element(By.CSS_SELECTOR, "section.rapport a[href*='produits/']")
    name = product.text
    product.click()
    assert browser.find_element(By.TAG_NAME, "h1").text == name
    assert "Applications" in browser.find_element(By.TAG_NAME, "main").text
    assert console_errors(browser) == []


# One page of each kind (and every report): axe-core's WCAG A and AA rules, no violation.
PAGE_KINDS = (
    "index.html",
    "communes/ville-centre.html",
    "blocs/proximite.html",
    "processus/gdu.html",
    "processus/gdu/ville-centre.html",
    "applications/vc-police.html",
    "produits/edicia-municipol.html",
    "editeurs/edicia.html",
    "donnees/main-courante.html",
    "organisations/metropole.html",
    "delegations/dsp-transport-2023.html",
    "listes/applications.html",
    "listes/editeurs.html",
    "listes/donnees.html",
    "listes/recherche.html?q=police",
)


def axe_violations(browser, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    browser.get(url)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    browser.set_script_timeout(120)
    return list(browser.execute_async_script(AXE_RUN))


def test_every_kind_of_page_passes_axe_core(atlas: Path, browser) -> None:  # type: ignore[no-untyped-def]
    pages = [
        *PAGE_KINDS,
        *sorted(f"rapports/{path.name}" for path in (atlas / "rapports").glob("*.html")),
    ]
    found = {}
    for page in pages:
        path, _, query = page.partition("?")
        assert (atlas / path).is_file(), page
        url = (atlas / path).as_uri() + (f"?{query}" if query else "")
        violations = axe_violations(browser, url)
        if violations:
            found[page] = violations
    assert found == {}


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


# The size on screen of the smallest text of the page's map, in CSS pixels.
SMALLEST_TEXT = """
const sizes = Array.from(document.querySelectorAll('.carte svg text')).map(text =>
  parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a);
return [Math.min(...sizes), sizes.length, document.querySelector('.carte').clientWidth];
"""


@pytest.mark.slow
def test_a_big_communes_detailed_maps_read_at_full_size_and_pass_axe(  # type: ignore[no-untyped-def]
    reference_atlas: Path, browser
) -> None:
    """In a window 1,600 pixels wide, every text of a detailed map is at least 10 pixels high
    once the map is fitted to the page (and the overview and a detailed page pass axe)."""
    browser.set_window_size(1600, 1000)
    try:
        width = browser.execute_script("return window.innerWidth")
        assert 1580 <= width <= 1600
        detailed = sorted((reference_atlas / "communes").glob("aurelle.*.html"))
        assert len(detailed) >= 6
        for page in detailed:
            browser.get(page.as_uri())
            smallest, count, shown = browser.execute_script(SMALLEST_TEXT)
            assert count > 20 and smallest >= 10, (page.name, smallest, shown)
        assert axe_violations(browser, detailed[0].as_uri()) == []
        assert (
            axe_violations(browser, (reference_atlas / "communes" / "aurelle.html").as_uri()) == []
        )
    finally:
        browser.set_window_size(1400, 1000)
