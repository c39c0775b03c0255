"""ArchiMate exchange both ways: the export validates against the Open Group XSDs, real models
import into valid inventories with the counts read from the files, broken files get clear errors,
and an export imported back gives the same applications, blocs and flows."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cartographie.document.text import markdown_text
from cartographie.errors import InventoryError
from cartographie.graph import Portfolio
from cartographie.interop.archimate_export import export_archimate
from cartographie.interop.archimate_import import (
    REPORT_NAME,
    build_archimate_files,
    import_archimate,
)
from cartographie.interop.common import InteropError
from cartographie.inventory import load_inventory
from cartographie.model.inventory import Inventory

lxml_etree = pytest.importorskip("lxml.etree")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "archimate"
EXAMPLE = ROOT / "examples" / "petite-metropole"
NS = "{http://www.opengroup.org/xsd/archimate/3.0/}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def schema() -> object:
    # all.xsd imports the 3.1 Diagram schema and Dublin Core, xml.xsd is local: no network.
    return lxml_etree.XMLSchema(lxml_etree.parse(str(FIXTURES / "xsd" / "all.xsd")))


def _validate(schema: object, text: str) -> list[str]:
    document = lxml_etree.fromstring(text.encode("utf-8"))
    if schema.validate(document):  # type: ignore[attr-defined]
        return []
    return [str(error) for error in schema.error_log]  # type: ignore[attr-defined]


# --- export -----------------------------------------------------------------------------------


def test_export_of_the_example_validates_against_the_xsd(schema: object) -> None:
    text = export_archimate(load_inventory(EXAMPLE))
    assert _validate(schema, text) == []


def test_export_maps_the_inventory_as_documented() -> None:
    inventory = load_inventory(EXAMPLE)
    root = ET.fromstring(export_archimate(inventory))
    kinds: dict[str, int] = {}
    for element in root.iter(NS + "element"):
        kinds[element.get(XSI, "")] = kinds.get(element.get(XSI, ""), 0) + 1
    blocs = sum(1 for block in inventory.blocks.values() if block.level == "bloc")
    assert kinds["ApplicationComponent"] == len(inventory.applications)
    assert kinds["ApplicationFunction"] == blocs
    assert kinds["Grouping"] == len(inventory.blocks) - blocs
    assert kinds["DataObject"] == len(inventory.data_objects)
    # métropole + communes + partners are actors; datacenters are locations
    assert kinds["BusinessActor"] == 1 + len(inventory.communes) + len(inventory.partners)
    assert kinds["Location"] == len(inventory.datacenters)
    flows = [r for r in root.iter(NS + "relationship") if r.get(XSI) == "Flow"]
    assert len(flows) == len(inventory.flows)
    # every flow keeps its data object, as a property and as Access relationships
    names = {
        d.get("identifier"): d.findtext(NS + "name") for d in root.iter(NS + "propertyDefinition")
    }
    for flow in flows:
        keys = [names[p.get("propertyDefinitionRef")] for p in flow.iter(NS + "property")]
        assert "donnee" in keys
    accesses = {
        r.get("accessType") for r in root.iter(NS + "relationship") if r.get(XSI) == "Access"
    }
    assert accesses == {"Read", "Write"}
    views = root.findall(f"{NS}views/{NS}diagrams/{NS}view")
    assert [view.get("identifier") for view in views] == [f"vue.{c}" for c in inventory.communes]


def test_export_is_deterministic() -> None:
    inventory = load_inventory(EXAMPLE)
    assert export_archimate(inventory) == export_archimate(load_inventory(EXAMPLE))


def test_view_coordinates_are_within_the_schema_and_boxes_do_not_overlap() -> None:
    root = ET.fromstring(export_archimate(load_inventory(EXAMPLE)))
    for view in root.iter(NS + "view"):
        boxes = [
            (int(n.get("x", -1)), int(n.get("y", -1)), int(n.get("w", 0)), int(n.get("h", 0)))
            for n in view.iter(NS + "node")
            if n.get(XSI) == "Element"
        ]
        assert all(x >= 0 and y >= 0 and w > 0 and h > 0 for x, y, w, h in boxes)
        assert len(set(boxes)) == len(boxes)


# --- import of real models --------------------------------------------------------------------

# Counts read from the files themselves (xsi:type of elements, and the relationships of type
# Flow, Serving or Triggering whose two ends are ApplicationComponents, loops included).
EXPECTED = {
    # file: (ApplicationComponent, ApplicationFunction+ApplicationService+Grouping,
    #        component-to-component Flow/Serving/Triggering, of which loops on one component)
    "archisurance.xml": (10, 5 + 3 + 0, 7, 0),
    "gemma-over-gemma-2024.xml": (37, 20 + 65 + 16, 12, 4),
    "gemma-portfolio-kennismodel-2024.xml": (32, 20 + 8 + 16, 12, 4),
    "sample1.xml": (0, 0, 0, 0),
    "bendpoint.xml": (0, 0, 0, 0),
}


def _source_counts(path: Path) -> tuple[int, int, int, int]:
    root = ET.parse(path).getroot()
    kinds = {e.get("identifier"): e.get(XSI) for e in root.iter(NS + "element")}
    components = sum(1 for kind in kinds.values() if kind == "ApplicationComponent")
    blocs = sum(
        1
        for kind in kinds.values()
        if kind in ("ApplicationFunction", "ApplicationService", "Grouping")
    )
    flows = [
        r
        for r in root.iter(NS + "relationship")
        if r.get(XSI) in ("Flow", "Serving", "Triggering")
        and kinds.get(r.get("source")) == "ApplicationComponent"
        and kinds.get(r.get("target")) == "ApplicationComponent"
    ]
    loops = sum(1 for r in flows if r.get("source") == r.get("target"))
    return components, blocs, len(flows), loops


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_models_import_with_the_source_counts(name: str, tmp_path: Path) -> None:
    path = FIXTURES / name
    assert _source_counts(path) == EXPECTED[name]
    components, blocs, flows, loops = EXPECTED[name]
    target = tmp_path / "inventaire"
    report = import_archimate(path, target)
    inventory = load_inventory(target)
    assert len(inventory.applications) == components
    assert sum(1 for b in inventory.blocks.values() if b.level == "bloc") == blocs
    # a loop cannot be a flow (an application does not send data to itself): reported instead
    assert len(inventory.flows) == flows - loops
    assert (
        sum(1 for _rel, reason in report.unmapped_relationships if "elle-même" in reason) == loops
    )
    text = (target / REPORT_NAME).read_text(encoding="utf-8")
    assert "## Éléments non repris" in text
    # every source element is either imported or listed in the report: nothing silently dropped
    root = ET.parse(path).getroot()
    for element in root.iter(NS + "element"):
        kind = element.get(XSI)
        if kind not in (
            "ApplicationComponent",
            "ApplicationFunction",
            "ApplicationService",
            "Grouping",
            "DataObject",
        ):
            assert f"| {markdown_text(element.get('identifier') or '')} |" in text
    portfolio = Portfolio(inventory)
    for commune in inventory.communes:
        assert sorted(portfolio.applications_of_commune(commune)) == sorted(
            a for a, users in inventory.users.items() if commune in users
        )


def test_dutch_labels_are_kept_and_ids_are_slugs(tmp_path: Path) -> None:
    target = tmp_path / "gemma"
    import_archimate(FIXTURES / "gemma-over-gemma-2024.xml", target)
    inventory = load_inventory(target)
    assert inventory.applications["buitengemeentelijke-afnemer"].name == (
        "Buitengemeentelijke afnemer"
    )
    application = inventory.applications["buitengemeentelijke-afnemer"]
    # properties are free properties, never text added to the description (nor map subtitles)
    assert application.description == (
        "Een landelijke- of sectorale afnemer van een gemeentelijke applicatiedienst."
    )
    assert application.properties["Object ID"] == "f139963c-b96f-4d54-a02d-17be79b1a191"
    assert application.properties["identifiant_archimate"] == "id-cdab1d335dbe4244bb18cdb13099dadd"
    assert application.origin_note == "Modèle ArchiMate « Over GEMMA »"
    assert not any(
        "Propriétés ArchiMate" in (block.description or "") for block in inventory.blocks.values()
    )
    assert inventory.metropole.name == "Over GEMMA"
    assert inventory.metropole.language == "nl"
    assert list(inventory.communes) == ["commune-importee"]


def test_import_is_deterministic(tmp_path: Path) -> None:
    first, _ = build_archimate_files(FIXTURES / "gemma-portfolio-kennismodel-2024.xml", tmp_path)
    second, _ = build_archimate_files(FIXTURES / "gemma-portfolio-kennismodel-2024.xml", tmp_path)
    assert first == second


def test_imported_gemma_renders_a_map(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cartographie.cli.main import app

    target = tmp_path / "gemma"
    import_archimate(FIXTURES / "gemma-over-gemma-2024.xml", target)
    output = tmp_path / "carte.dot"
    result = CliRunner().invoke(
        app,
        [
            "carte",
            "commune",
            "commune-importee",
            "-i",
            str(target),
            "--format",
            "dot",
            "-o",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "digraph" in output.read_text(encoding="utf-8")


# --- broken files -----------------------------------------------------------------------------


def test_truncated_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InteropError) as caught:
        import_archimate(FIXTURES / "negative" / "truncated-not-well-formed.xml", tmp_path / "x")
    assert "mal formé" in str(caught.value)
    assert "ligne 54" in str(caught.value)
    assert not (tmp_path / "x").exists()


def test_schema_invalid_property_reference_is_reported_with_lines(tmp_path: Path) -> None:
    with pytest.raises(InventoryError) as caught:
        import_archimate(FIXTURES / "negative" / "schema-invalid-property-ref.xml", tmp_path / "x")
    lines = caught.value.lines()
    assert lines[0].startswith("schema-invalid-property-ref.xml:6: E302:")
    assert "propid-68" in lines[0]
    assert not (tmp_path / "x").exists()


def test_archimate_21_namespace_is_refused_with_a_way_out(tmp_path: Path) -> None:
    with pytest.raises(InteropError) as caught:
        import_archimate(FIXTURES / "negative" / "archimate-2.1-namespace.xml", tmp_path / "x")
    assert "2.1" in str(caught.value)
    assert "3.1" in caught.value.hint


def test_entities_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE model [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" identifier="m">'
        "<name>&b;</name></model>\n",
        encoding="utf-8",
    )
    with pytest.raises(InteropError) as caught:
        import_archimate(bomb, tmp_path / "x")
    assert "refusée" in str(caught.value)


# --- round trip -------------------------------------------------------------------------------

# What an export to ArchiMate then an import gives back, field by field.
SURVIVES_APPLICATION = [
    "id",
    "nom",
    "description",
    "produit",
    "version",
    "couche",
    "blocs",
    "hebergement",
    "centre_de_donnees",
    "hors_secours",
    "cycle_de_vie",
    "secteurs_cnil",
    "responsable",
    "contact",
    "gouvernance",
    "cout_annuel",
    "jours_internes",
    "mise_en_service",
    "retrait",
    "disposition",
    "disposition_motif",
    "hub",
    "remplacee_par",
    "origine",
    "derniere_revue",
    "url",
    "proprietes",
]
# Owner and users survive as resolved values (inventory.owners / inventory.users): the raw
# fields may differ (an explicit default becomes implicit).
# Lost: « delegation » (contracts are not exported), and outside the applications, blocs and
# flows: processes, domains and mutualisations.
LOST_APPLICATION = ["delegation"]
SURVIVES_FLOW = [
    "id",
    "source",
    "cible",
    "donnee",
    "via",
    "protocole",
    "frequence",
    "consentement",
    "depuis",
    "description",
]
SURVIVES_BLOCK = ["id", "nom", "niveau", "parent", "description"]


def test_round_trip_gives_back_applications_blocs_and_flows(tmp_path: Path) -> None:
    original = load_inventory(EXAMPLE)
    exported = tmp_path / "modele.xml"
    exported.write_text(export_archimate(original), encoding="utf-8")
    target = tmp_path / "retour"
    report = import_archimate(exported, target)
    back = load_inventory(target)
    assert report.unmapped_elements == []
    assert report.unmapped_relationships == []

    assert sorted(back.applications) == sorted(original.applications)
    fields = set(SURVIVES_APPLICATION) | set(LOST_APPLICATION) | {"proprietaire", "utilisateurs"}
    assert fields == {
        info.alias
        for info in type(next(iter(original.applications.values()))).model_fields.values()
    }
    for application_id, application in original.applications.items():
        before = application.model_dump(by_alias=True)
        after = back.applications[application_id].model_dump(by_alias=True)
        assert {k: before[k] for k in SURVIVES_APPLICATION} == {
            k: after[k] for k in SURVIVES_APPLICATION
        }, application_id
        assert back.owners[application_id] == original.owners[application_id]
        assert back.users[application_id] == original.users[application_id]
        assert after["delegation"] is None
    lost = [a for a in original.applications.values() if a.delegation]
    assert lost, "the example should show a field that does not survive"

    assert sorted(back.blocks) == sorted(original.blocks)
    for block_id, block in original.blocks.items():
        before, after = (
            block.model_dump(by_alias=True),
            back.blocks[block_id].model_dump(by_alias=True),
        )
        assert {k: before[k] for k in SURVIVES_BLOCK} == {k: after[k] for k in SURVIVES_BLOCK}

    def flows(inventory: object) -> dict[str, dict[str, object]]:
        return {
            flow.key: {
                k: v for k, v in flow.model_dump(by_alias=True).items() if k in SURVIVES_FLOW
            }
            for flow in inventory.flows  # type: ignore[attr-defined]
        }

    assert flows(back) == flows(original)
    assert back.data_objects == original.data_objects
    assert back.products == original.products
    assert back.vendors == original.vendors
    assert sorted(back.communes) == sorted(original.communes)
    assert back.metropole == original.metropole
    assert back.processes == {} and original.processes != {}


# --- without loss: import → export → import of every model --------------------------------


def _records(inventory: Inventory) -> dict[str, object]:
    """Everything the inventory holds, record by record, as YAML would write it."""
    found: dict[str, object] = {"metropole": inventory.metropole.model_dump(by_alias=True)}
    for kind in ("communes", "partners", "datacenters", "blocks", "data_objects"):
        found[kind] = {
            key: record.model_dump(by_alias=True)
            for key, record in getattr(inventory, kind).items()
        }
    found["applications"] = {
        key: (inventory.owners[key], inventory.users[key], record.model_dump(by_alias=True))
        for key, record in inventory.applications.items()
    }
    found["flows"] = {flow.key: flow.model_dump(by_alias=True) for flow in inventory.flows}
    return found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_import_export_import_loses_nothing(name: str, tmp_path: Path, schema: object) -> None:
    first = tmp_path / "premier"
    import_archimate(FIXTURES / name, first)
    imported = load_inventory(first)
    exported = export_archimate(imported)
    assert _validate(schema, exported) == []
    (tmp_path / "export.xml").write_text(exported, encoding="utf-8")
    second = tmp_path / "second"
    report = import_archimate(tmp_path / "export.xml", second)
    back = load_inventory(second)
    # names, documentation, properties, relations (blocs in order, users, flows) and ids
    assert _records(back) == _records(imported)
    assert report.unmapped_elements == [] and report.unmapped_relationships == []
    # the foreign identifiers go back out: the other tool recognises its elements
    source = ET.parse(FIXTURES / name).getroot()
    identifiers = {
        element.get("identifier") for element in ET.fromstring(exported).iter(NS + "element")
    }
    kept = [
        record.properties["identifiant_archimate"]
        for kind in ("applications", "blocks", "data_objects")
        for record in getattr(imported, kind).values()
        if "identifiant_archimate" in record.properties
    ]
    assert set(kept) <= identifiers
    assert set(kept) <= {element.get("identifier") for element in source.iter(NS + "element")}
    data_objects = sum(1 for e in source.iter(NS + "element") if e.get(XSI) == "DataObject")
    assert len(kept) == EXPECTED[name][0] + EXPECTED[name][1] + data_objects
    # the model's language, not a forced « fr »
    languages = {
        node.get(XML_LANG) for node in ET.fromstring(exported).iterfind(f"{NS}elements/*/{NS}name")
    }
    assert languages == ({imported.metropole.language} if imported.applications else languages)


def test_carriage_returns_and_language_survive(tmp_path: Path) -> None:
    model = tmp_path / "m.xml"
    model.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">\n'
        '  <name xml:lang="de">Modell</name>\n  <elements>\n'
        '    <element identifier="a1" xsi:type="ApplicationComponent">\n'
        '      <name xml:lang="de">Lohn</name>\n'
        '      <documentation xml:lang="de">Zeile 1&#13;\nZeile 2&#13;Zeile 3</documentation>\n'
        "    </element>\n  </elements>\n</model>\n",
        encoding="utf-8",
    )
    import_archimate(model, tmp_path / "a")
    inventory = load_inventory(tmp_path / "a")
    assert inventory.applications["lohn"].description == "Zeile 1\r\nZeile 2\rZeile 3"
    assert inventory.metropole.language == "de"
    exported = export_archimate(inventory)
    assert "Zeile 1&#13;\nZeile 2&#13;Zeile 3" in exported and "\r" not in exported
    assert 'xml:lang="de"' in exported and 'xml:lang="fr"' not in exported
    (tmp_path / "x.xml").write_text(exported, encoding="utf-8")
    import_archimate(tmp_path / "x.xml", tmp_path / "b")
    again = load_inventory(tmp_path / "b")
    assert again.applications["lohn"].description == "Zeile 1\r\nZeile 2\rZeile 3"


def test_the_order_of_blocs_survives_a_round_trip(tmp_path: Path) -> None:
    inventory = load_inventory(ROOT / "inventory")
    several = {
        key: app.blocks for key, app in inventory.applications.items() if len(app.blocks) > 1
    }
    unsorted = [key for key, blocks in several.items() if blocks != sorted(blocks)]
    assert unsorted, "the reference inventory has applications whose first bloc is not the least"
    (tmp_path / "x.xml").write_text(export_archimate(inventory), encoding="utf-8")
    import_archimate(tmp_path / "x.xml", tmp_path / "retour")
    back = load_inventory(tmp_path / "retour")
    assert {key: back.applications[key].blocks for key in several} == several


def test_control_characters_in_names_are_refused_at_their_line(tmp_path: Path) -> None:
    model = tmp_path / "m.xml"
    model.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">\n'
        "  <name>Modèle</name>\n  <elements>\n"
        '    <element identifier="a1" xsi:type="ApplicationComponent">\n'
        "      <name>Paie\u202e exe.txt</name>\n"
        "      <documentation>Ligne 1&#13;\nLigne\u00852</documentation>\n"
        "    </element>\n"
        '    <element identifier="a2" xsi:type="ApplicationComponent">\n'
        "      <name>Deux&#10;lignes</name>\n    </element>\n"
        "  </elements>\n</model>\n",
        encoding="utf-8",
    )
    with pytest.raises(InventoryError) as caught:
        import_archimate(model, tmp_path / "x")
    assert [line.split(" : ")[0] for line in caught.value.lines()] == [
        "m.xml:5: E207: ApplicationComponent a1"
    ]
    model.write_text(model.read_text(encoding="utf-8").replace("\u202e", ""), encoding="utf-8")
    report = import_archimate(model, tmp_path / "x")
    inventory = load_inventory(tmp_path / "x")
    assert inventory.applications["deux-lignes"].name == "Deux lignes"
    assert inventory.applications["paie-exe-txt"].description == "Ligne 1\r\nLigne\ufffd2"
    assert any("saut de ligne" in line for line in report.adjustments)
