"""A scenario (what-if, DESIGN.md §10): the records of a scenario file, and what each operation
means.

A scenario file is YAML, written by the urbaniste beside the inventory (never inside it: the
loader would read it as inventory), with a name and a list of operations. Each operation is a
mapping of one verb to its details:

- ``rejoindre`` — a commune joins a domain in a year (an adhesion ``depuis``);
- ``quitter`` — a commune leaves a domain in a year (the adhesion's ``jusqu_a``);
- ``retirer`` — an application is retired in a year (``retrait``), replaced or not by another,
  which then takes over its communes (``remplacee_par``, ``utilisateurs``);
- ``partager`` — an application becomes shared with given communes (``utilisateurs``).

Field names are English, aliases French, as in ``model.records``; ``cartographie schema
--scenario`` publishes the JSON Schema generated from :class:`ScenarioFile`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from cartographie.model.records import Id, Record, Text, Year, _field

Verb = Literal["rejoindre", "quitter", "retirer", "partager"]
VERBS: tuple[Verb, ...] = ("rejoindre", "quitter", "retirer", "partager")


class Adhesion(Record):
    """A commune and a domain, in a year: what ``rejoindre`` and ``quitter`` take."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": (
                "Une commune et un domaine, une année : ce que prennent rejoindre et "
                "quitter."
            )
        }
    )

    commune: Id = _field("commune", "Commune (→ communes).")
    domain: Id = _field("domaine", "Domaine de mutualisation (→ domaines).")
    year: Year = _field(
        "annee", "Année (le 1er janvier) où la commune rejoint ou quitte le domaine."
    )


class Retirement(Record):
    application: Id = _field("application", "Application retirée (→ applications).")
    replaced_by: Id | None = _field(
        "remplacee_par",
        "Application qui la remplace : ses communes passent sur elle (→ applications).",
        None,
    )
    year: Year = _field("annee", "Année du retrait (le 1er janvier).")


class Sharing(Record):
    application: Id = _field("application", "Application qui devient partagée (→ applications).")
    communes: list[Id] = _field(
        "communes", "Communes qui s'ajoutent à ses utilisateurs (→ communes).", min_length=1
    )
    year: Year = _field("annee", "Année où elles commencent à l'utiliser.")


class Operation(Record):
    """One operation: exactly one verb."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": (
                "Une opération : un seul verbe parmi rejoindre, quitter, retirer, "
                "partager."
            )
        }
    )

    join: Adhesion | None = _field("rejoindre", "Une commune rejoint un domaine.", None)
    leave: Adhesion | None = _field("quitter", "Une commune quitte un domaine.", None)
    retire: Retirement | None = _field(
        "retirer", "Une application est retirée, remplacée ou non.", None
    )
    share: Sharing | None = _field(
        "partager", "Une application devient partagée avec des communes.", None
    )

    @model_validator(mode="after")
    def _one_verb(self) -> Operation:
        given = [verb for verb, value in zip(VERBS, self._values(), strict=True) if value]
        if len(given) != 1:
            raise ValueError(
                "une opération a un seul verbe : rejoindre, quitter, retirer ou partager"
                + (f" (ici : {', '.join(given)})" if given else "")
            )
        return self

    def _values(self) -> tuple[object, ...]:
        return (self.join, self.leave, self.retire, self.share)

    @property
    def verb(self) -> Verb:
        return next(verb for verb, value in zip(VERBS, self._values(), strict=True) if value)

    @property
    def year(self) -> int:
        detail = self.join or self.leave or self.retire or self.share
        assert detail is not None
        return detail.year


class ScenarioFile(BaseModel):
    """A scenario file: its name and its operations, in the order they apply."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=False,
        title="Scénario cartographie",
        json_schema_extra={
            "description": (
                "Un scénario (et si…) : des opérations simulées sur une copie de l'inventaire "
                "(cartographie simuler), écrites dans l'inventaire avec --appliquer. Voir "
                "docs/simulation.md."
            )
        },
    )
    name: Text = _field("nom", "Nom du scénario, tel que le comité le lira.")
    description: str | None = _field("description", "Ce que le scénario étudie, pourquoi.", None)
    operations: list[Operation] = _field(
        "operations", "Les opérations, dans l'ordre où elles s'appliquent.", min_length=1
    )


class Scenario:
    """A validated scenario (GLOSSARY: scénario): its file's records and where each operation
    stands in the file."""

    def __init__(self, path: str, record: ScenarioFile, lines: list[int]) -> None:
        self.path = path
        self.name = record.name
        self.description = record.description
        self.operations = record.operations
        self.lines = lines  # line of each operation in the file

    @property
    def year(self) -> int:
        """The year it is evaluated at: the year of its last operation (DESIGN.md §10)."""
        return max(operation.year for operation in self.operations)
