"""The atlas: pages and maps, links, determinism, escaping, incremental runs, atomic writes."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from cartes_support import EXAMPLE, HOSTILE_NAME, copy_example, rename_application, svg_links

from cartographie import files
from cartographie.atlas import AtlasOptions, AtlasResult, build_atlas
from cartographie.atlas import build as atlas_build
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory

SERIAL = AtlasOptions(jobs=1)


def build(inventory: Path, out: Path, options: AtlasOptions = SERIAL) -> AtlasResult:
    return build_atlas(Portfolio(load_inventory(inventory)), out, options)


@pytest.fixture(scope="module")
def atlas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("atlas")
    # Two workers: the process pool is what the real atlas uses on the reference inventory.
    result = build(EXAMPLE, out, AtlasOptions(jobs=2))
    assert result.failures == []
    return out


def every_file(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_every_page_and_map_is_there(atlas: Path) -> None:
    portfolio = Portfolio(load_inventory(EXAMPLE))
    inventory = portfolio.inventory
    assert (atlas / "index.html").is_file() and (atlas / "pos.svg").is_file()
    for commune in inventory.communes:
        assert (atlas / "communes" / f"{commune}.html").is_file()
        assert (atlas / "communes" / f"{commune}.svg").is_file()
    for block in portfolio.leaf_blocks():
        assert (atlas / "blocs" / f"{block}.svg").is_file()
    for process in inventory.processes:
        assert (atlas / "processus" / f"{process}.svg").is_file()
    for application in inventory.applications:
        assert (atlas / "applications" / f"{application}.html").is_file()
    assert list((atlas / "rapports").glob("*.html"))


def test_every_application_of_a_commune_is_a_link_on_its_map(atlas: Path) -> None:
    portfolio = Portfolio(load_inventory(EXAMPLE))
    for commune in portfolio.communes():
        links = svg_links((atlas / "communes" / f"{commune}.svg").read_bytes())
        for application in portfolio.applications_of_commune(commune):
            if portfolio.application(application).lifecycle == "retiree":
                continue
            assert f"../applications/{application}.html" in links, (commune, application)


def test_the_pos_links_every_bloc_to_its_page(atlas: Path) -> None:
    portfolio = Portfolio(load_inventory(EXAMPLE))
    links = svg_links((atlas / "pos.svg").read_bytes())
    for block in portfolio.leaf_blocks():
        assert f"blocs/{block}.html" in links
    index = (atlas / "index.html").read_text(encoding="utf-8")
    assert 'href="blocs/proximite.html"' in index  # the POS is inline, clickable


def test_the_bloc_page_lists_its_applications_all_communes_together(atlas: Path) -> None:
    page = (atlas / "blocs" / "proximite.html").read_text(encoding="utf-8")
    assert "maintien de l&#39;ordre" in page
    for name in ["Municipol — police municipale", "Vidéoprotection urbaine"]:
        assert name in page
    assert "Saint-Aubin" in page and "Auvers-la-Grande" in page


def test_the_application_page_gives_its_details_in_french(atlas: Path) -> None:
    page = (atlas / "applications" / "met-gf.html").read_text(encoding="utf-8")
    details = dict(re.findall(r"<dt>([^<]+)</dt>\s*<dd>(.*?)</dd>", page, re.S))
    assert details["Centre de données"] == "Salle serveurs de l&#39;hôtel de métropole"
    assert details["Coût annuel"] == "48\u202f000\u00a0€"
    assert details["Mise en service"] == "2016"
    assert details["Dernière revue"] == "12 mars 2026"
    assert "Retrait" not in details  # empty fields are left out


def test_internal_links_all_resolve(atlas: Path) -> None:
    for page in sorted(atlas.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for target in re.findall(r'href="([^"#]+)(?:#[^"]*)?"', html):
            assert "://" not in target, f"{page}: external link {target}"
            assert (page.parent / target).resolve().is_file(), f"{page}: broken link {target}"


def test_no_external_asset(atlas: Path) -> None:
    for page in sorted(atlas.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', html), page


def test_two_runs_give_the_same_bytes(atlas: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(EXAMPLE, again)
    assert every_file(again) == every_file(atlas)


def test_an_unchanged_atlas_renders_nothing_again(tmp_path: Path) -> None:
    out = tmp_path / "atlas"
    first = build(EXAMPLE, out)
    assert first.rendered == first.maps
    second = build(EXAMPLE, out)
    assert second.rendered == 0 and second.reused == second.maps
    assert second.pages_written == 0 and second.removed == 0


def test_renaming_an_application_renders_only_the_maps_that_show_it(tmp_path: Path) -> None:
    inventory = copy_example(tmp_path / "inventaire")
    out = tmp_path / "atlas"
    build(inventory, out)
    rename_application(inventory, "vc-video", "Vidéoprotection renommée")
    result = build(inventory, out)
    assert result.rendered_keys == [
        "blocs/proximite.svg",
        "communes/ville-centre.svg",
        "processus/gdu.svg",
        "processus/gdu/ville-centre.svg",
    ]
    assert "Vidéoprotection renommée" in (out / "applications" / "vc-video.html").read_text()
    # Pages are rewritten only where the name shows (and the reports, which list everything).
    assert result.pages_written < result.pages / 2


def test_maps_of_objects_that_no_longer_exist_are_removed(tmp_path: Path) -> None:
    inventory = copy_example(tmp_path / "inventaire")
    out = tmp_path / "atlas"
    build(inventory, out)
    mine = out / "mes-notes.txt"
    mine.write_text("à garder")
    # The commune Les Prés leaves: its applications, flows and membership go with it.
    (inventory / "applications" / "les-pres.yaml").unlink()
    territory = (inventory / "territoire.yaml").read_text(encoding="utf-8")
    start = territory.index("  - id: les-pres")
    end = territory.index("\n\n", start)
    territory = territory[:start] + territory[end + 1 :]
    # …and the sector that covered it.
    territory = territory.replace("      - commune: les-pres\n", "")
    (inventory / "territoire.yaml").write_text(territory)
    for path in (inventory / "flux").glob("*.yaml"):
        kept, skip = [], False
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if line.startswith("  - "):
                skip = False
            if line.startswith("  - source: lp-") or line.strip().startswith("cible: lp-"):
                skip = True
                while kept and not kept[-1].startswith("  - "):
                    kept.pop()
                if kept:
                    kept.pop()
            if not skip:
                kept.append(line)
        path.write_text("".join(kept), encoding="utf-8")
    for path in (inventory / "applications").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace(", les-pres]", "]"))
    result = build(inventory, out)
    assert result.failures == []
    assert not (out / "communes" / "les-pres.svg").exists()
    assert not (out / "communes" / "les-pres.html").exists()
    assert not (out / "applications" / "lp-etat-civil.html").exists()
    assert result.removed >= 3
    assert mine.read_text() == "à garder"  # never a file the atlas did not write


def test_hostile_names_are_escaped_everywhere(tmp_path: Path) -> None:
    inventory = copy_example(tmp_path / "inventaire")
    # A name is one line (a line break is E207): the other hostile characters all load.
    rename_application(inventory, "vc-video", HOSTILE_NAME.replace("\n", " "))
    out = tmp_path / "atlas"
    result = build(inventory, out)
    assert result.failures == []
    for path in sorted(out.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert "<script>" not in html and "<b>gras" not in html, path
    page = (out / "applications" / "vc-video.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;gras&lt;/b&gt;" in page and "🚓" in page
    for key in ["communes/ville-centre.svg", "blocs/proximite.svg", "processus/gdu.svg"]:
        svg_links((out / key).read_bytes())  # still well-formed XML


def test_pages_rendered_whole_by_jinja2_are_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The atlas renders each page's content alone, in a frame made once per depth; rendered
    the plain way, every page is the same, hostile names included."""
    from cartographie.atlas.templating import PageRenderer

    inventory = copy_example(tmp_path / "inventaire")
    rename_application(inventory, "vc-video", HOSTILE_NAME.replace("\n", " "))
    build(inventory, tmp_path / "vite")
    monkeypatch.setattr(PageRenderer, "render", PageRenderer.render_reference)
    build(inventory, tmp_path / "entier")
    fast, whole = every_file(tmp_path / "vite"), every_file(tmp_path / "entier")
    assert sum(name.endswith(".html") for name in fast) > 90
    assert fast == whole


def test_a_map_graphviz_cannot_draw_gets_a_message_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cartographie.render import batch

    def failing(source: str, fmt: str, engine: str, timeout: float) -> object:
        if "commune-ville-centre" in source:
            raise batch.RenderError("Graphviz (embarqué) a dépassé 1 s")
        return real(source, fmt, engine, timeout)

    real = batch.render_source
    monkeypatch.setattr(batch, "render_source", failing)
    out = tmp_path / "atlas"
    result = build(EXAMPLE, out)
    assert result.failures == ["communes/ville-centre.svg : Graphviz (embarqué) a dépassé 1 s"]
    assert "Carte non dessinée" in (out / "communes" / "ville-centre.svg").read_text()
    assert (out / "index.html").is_file()
    # A failed map is tried again on the next run.
    monkeypatch.setattr(batch, "render_source", real)
    assert build(EXAMPLE, out).rendered_keys == ["communes/ville-centre.svg"]
    assert "Carte non dessinée" not in (out / "communes" / "ville-centre.html").read_text()


def test_an_interrupted_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "page.html"
    target.write_text("ancienne version complète")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_file_atomic(target, "nouvelle version" * 1000)
    assert target.read_text() == "ancienne version complète"
    assert [path.name for path in tmp_path.iterdir()] == ["page.html"]  # no temporary left


def test_report_pages_come_from_the_reports_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import dataclass

    from cartographie.document import Column, Document, Ref, make_table
    from cartographie.reports import registry

    @dataclass(frozen=True)
    class FakeSpec:
        name: str
        title: str
        description: str
        document: object

    table = make_table(
        "t",
        "Table <t>",
        (Column("commune", "Commune", "reference"), Column("texte", "Texte")),
        [(Ref("commune", "les-pres", "Les Prés"), "échappé & <b>")],
    )
    specs = [
        FakeSpec(
            "essai/../x",
            "Essai <titre>",
            "Une description & plus",
            lambda portfolio: Document("essai", "Essai", (table,)),
        ),
        FakeSpec("casse", "Cassé", "lève", lambda portfolio: 1 / 0),
    ]
    monkeypatch.setattr(registry, "atlas_reports", lambda: specs)
    out = tmp_path / "atlas"
    build(EXAMPLE, out)
    pages = sorted(path.name for path in (out / "rapports").glob("*.html"))
    assert len(pages) == 2 and all(".." not in name for name in pages)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Essai &lt;titre&gt;" in index
    essai = next(path for path in (out / "rapports").glob("essai*.html")).read_text()
    assert "<td>échappé &amp; &lt;b&gt;</td>" in essai
    # a reference is shown by its name, linked to its atlas page, its id in the title
    assert '<a href="../communes/les-pres.html" title="les-pres">Les Prés</a>' in essai
    assert "Rapport indisponible" in (out / "rapports" / "casse.html").read_text()


def test_relative_urls() -> None:
    assert atlas_build.relative_url("index.html", "blocs/a.html") == "blocs/a.html"
    assert atlas_build.relative_url("communes/x.html", "blocs/a.html") == "../blocs/a.html"


def test_progress_is_reported_up_to_the_total(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    portfolio = Portfolio(load_inventory(EXAMPLE))
    result = build_atlas(
        portfolio, tmp_path / "atlas", SERIAL, progress=lambda *call: calls.append(call)
    )
    assert calls[0] == (0, result.maps, "Cartes")
    assert (result.maps, result.maps, "Pages") in calls
    assert all(done <= total for done, total, _label in calls)
    assert [done for done, _total, label in calls if label == "Cartes"] == sorted(
        done for done, _total, label in calls if label == "Cartes"
    )


def test_a_dead_worker_fails_its_maps_not_the_atlas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A "dot" that kills the worker process that started it: the pool breaks mid-run.
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nkill -9 $PPID\nsleep 5\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    out = tmp_path / "atlas"
    result = build(EXAMPLE, out, AtlasOptions(engine="systeme", jobs=2))
    assert result.failures, "the maps of the dead worker are reported"
    assert all("processus de rendu" in failure for failure in result.failures)
    assert (out / "index.html").is_file()
    assert "Carte non dessinée" in (out / "pos.svg").read_text()


@pytest.mark.parametrize(
    "svg",
    [
        '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<!-- Generated by graphviz -->\n'
        '<svg width="8pt">\n<!-- a&#45;&gt;b -->\n<g><title>a</title></g>\n<!-- b -->\n</svg>\n',
        "<svg><!-- open <!-- twice --> kept --></svg>",
        "<svgx/><svg >x<!---->y<!-- unclosed </svg>",
        "no svg at all <!-- c --> here",
        "",
    ],
)
def test_svg_markup_is_what_the_regular_expressions_made(svg: str) -> None:
    """The page markup of a map is found with ``str.find``: the same text the regular
    expressions it replaced (prologue up to ``<svg``, then every comment) made."""
    from cartographie.render.batch import svg_markup

    reference = re.sub(r"<!--.*?-->", "", re.sub(r"^.*?(?=<svg\b)", "", svg, count=1, flags=re.S),
                       flags=re.S).strip()  # fmt: skip
    assert svg_markup(svg) == reference
