"""Property-based tests of the loader: whatever the files hold, it answers with its own words.

The contract, for any input: ``validate_inventory`` returns problems (known codes, sorted, each
at a line that exists in its file) or an inventory; ``load_inventory`` returns an inventory —
whose graph and counts then build without a hitch — or raises ``InventoryError``. Nothing else,
ever: no ``KeyError``, no ``RecursionError``, no pydantic error leaking out.

Examples are derandomised (the same on every run, in CI too) and their counts kept moderate so
that the whole file runs in well under a minute.
"""

from __future__ import annotations

import copy
import string
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from support import MINIMAL

from cartographie.analysis.stats import compute_stats
from cartographie.errors import PROBLEM_CODES, InventoryError, Problem
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory, validate_inventory
from cartographie.inventory.shape import SECTIONS

SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=120,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MINIMAL_FILES = {
    path.relative_to(MINIMAL).as_posix(): path.read_bytes() for path in MINIMAL.rglob("*.yaml")
}


@contextmanager
def inventory_of(files: dict[str, bytes]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "inventaire"
        root.mkdir()
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        yield root


def assert_contract(root: Path) -> None:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.yaml")}
    result = validate_inventory(root)
    event("codes: " + (" ".join(sorted({problem.code for problem in result.problems})) or "aucun"))
    assert result.problems == sorted(result.problems, key=Problem.sort_key)
    for problem in result.problems:
        assert problem.code in PROBLEM_CODES
        assert problem.message
        assert len(problem.format().splitlines()) == 1
        if problem.location.path in files:
            text = files[problem.location.path].decode("utf-8-sig", "replace")
            lines = len(text.splitlines()) or 1
            assert 0 <= problem.location.line <= lines, problem
    try:
        inventory = load_inventory(root)
    except InventoryError as error:
        assert error.problems
        assert error.lines()
        return
    assert not result.errors
    stats = compute_stats(Portfolio(inventory))
    assert stats.applications + stats.external_applications == len(inventory.applications)


# --- (a) random YAML ------------------------------------------------------------------------

# Words the loader knows, so that random documents reach past the parser into the checks.
KNOWN_WORDS = sorted(
    {*SECTIONS, "proprietaire"}
    | {
        field.alias or name
        for model, _noun in SECTIONS.values()
        for name, field in model.model_fields.items()
    }
    | {"etapes", "acteur", "suivantes", "domaine", "depuis"}
)
IDS = ["nord", "sud", "metropole", "met-gdu", "met-hub", "nord-etat-civil", "etat-civil", "gdu"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.text(max_size=20),
    st.sampled_from(IDS + KNOWN_WORDS + ["metier", "datacenter", "bloc", "zone", "../x", "a b"]),
)
keys = st.one_of(st.sampled_from(KNOWN_WORDS), st.text(max_size=8), st.integers(0, 5))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=30,
)
yaml_fragments = st.lists(
    st.sampled_from(
        [
            "flux:",
            "applications:",
            "- ",
            "  ",
            "id: ",
            "met-gdu",
            "&a ",
            "*a",
            "!!str ",
            "!!python/object:os.system ",
            "<<: ",
            "[",
            "]",
            "{",
            "}",
            ",",
            ": ",
            "\n",
            "\t",
            "# c",
            "'",
            '"',
            "\\",
            "---\n",
            "...",
            "|",
            ">",
            "~",
            "é",
            "\ufeff",
            "\r\n",
            "?",
        ]
    ),
    max_size=40,
).map("".join)

PLACES = ["flux/hasard.yaml", "applications/nord.yaml", "territoire.yaml", "referentiel/blocs.yaml"]


def dump(document: Any) -> bytes:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8")


@SETTINGS
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.text(alphabet=string.printable, max_size=300).map(str.encode),
        yaml_fragments.map(str.encode),
        documents.map(dump),
    ),
    place=st.sampled_from(PLACES),
    beside_minimal=st.booleans(),
)
def test_random_yaml_gives_an_inventory_or_problems(
    content: bytes, place: str, beside_minimal: bool
) -> None:
    files = dict(MINIMAL_FILES) if beside_minimal else {}
    files[place] = content
    with inventory_of(files) as root:
        assert_contract(root)


# --- (b) random mutations of the minimal inventory ------------------------------------------

MINIMAL_DATA = {relative: yaml.safe_load(raw) for relative, raw in MINIMAL_FILES.items()}


def containers(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every mapping and list inside ``value``, with its path."""
    if isinstance(value, dict | list):
        yield path, value
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from containers(item, (*path, key))


def mutate(draw: Any, files: dict[str, Any], raw: dict[str, bytes]) -> str:
    """Apply one random mutation; return what it did (for hypothesis' report)."""
    kind = draw(
        st.sampled_from(
            ["delete-key", "change-value", "duplicate-record", "rename-id", "drop-file", "truncate"]
        )
    )
    relative = draw(st.sampled_from(sorted(files)))
    if kind == "drop-file":
        del files[relative]
        raw.pop(relative, None)
        return f"{kind} {relative}"
    if kind == "truncate":
        content = raw.get(relative) or dump(files[relative])
        cut = draw(st.integers(0, max(0, len(content) - 1)))
        raw[relative] = content[:cut]
        return f"{kind} {relative} at {cut}"
    raw.pop(relative, None)  # the structure changes: the file is dumped again
    found = list(containers(files[relative]))
    mappings = [(path, value) for path, value in found if isinstance(value, dict) and value]
    lists = [(path, value) for path, value in found if isinstance(value, list) and value]
    if kind == "delete-key" and mappings:
        path, mapping = draw(st.sampled_from(mappings))
        key = draw(st.sampled_from(sorted(mapping, key=str)))
        del mapping[key]
        return f"{kind} {relative} {path} {key}"
    if kind == "change-value" and mappings:
        path, mapping = draw(st.sampled_from(mappings))
        key = draw(st.sampled_from(sorted(mapping, key=str)))
        mapping[key] = draw(documents)
        return f"{kind} {relative} {path} {key}"
    if kind == "duplicate-record" and lists:
        path, items = draw(st.sampled_from(lists))
        items.append(copy.deepcopy(draw(st.sampled_from(items))))
        return f"{kind} {relative} {path}"
    with_id = [(path, value) for path, value in mappings if "id" in value]
    if kind == "rename-id" and with_id:
        path, mapping = draw(st.sampled_from(with_id))
        mapping["id"] = draw(
            st.one_of(
                st.sampled_from(IDS),
                st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
                st.text(max_size=6),
            )
        )
        return f"{kind} {relative} {path}"
    return f"nothing ({kind} found no target in {relative})"


@SETTINGS
@given(data=st.data())
def test_random_mutations_of_a_valid_inventory_give_an_inventory_or_problems(
    data: st.DataObject,
) -> None:
    files = copy.deepcopy(MINIMAL_DATA)
    raw: dict[str, bytes] = {}
    for _ in range(data.draw(st.integers(1, 3))):
        if files:
            note(mutate(data.draw, files, raw))
    contents = {relative: raw.get(relative) or dump(value) for relative, value in files.items()}
    with inventory_of(contents) as root:
        assert_contract(root)


def test_the_minimal_inventory_dumped_again_is_still_valid() -> None:
    # The mutations start from a re-dump of the minimal inventory: it must be valid as is.
    contents = {relative: dump(value) for relative, value in MINIMAL_DATA.items()}
    with inventory_of(contents) as root:
        assert validate_inventory(root).problems == []
