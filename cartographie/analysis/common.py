"""Small helpers the report analyses share: which applications are in service, which flows
touch them.

An application **in service** is one of the portfolio (not an outside body's, such as the CAF's)
that is not retired (``cycle_de_vie: retiree``): retired applications are history, as in the
convergence figures, and make no impact, no silo, no vendor dependency.
"""

from __future__ import annotations

from collections.abc import Iterable

from cartographie.graph import Portfolio


def applications_in_service(portfolio: Portfolio) -> list[str]:
    """Applications of the portfolio that are not retired, sorted by id."""
    inventory = portfolio.inventory
    return [
        app_id
        for app_id, application in inventory.applications.items()
        if application.lifecycle != "retiree" and not inventory.is_external(app_id)
    ]


def is_in_service(portfolio: Portfolio, application_id: str) -> bool:
    inventory = portfolio.inventory
    return inventory.applications[
        application_id
    ].lifecycle != "retiree" and not inventory.is_external(application_id)


def communes_using(portfolio: Portfolio, application_id: str) -> tuple[str, ...]:
    """The communes (not the métropole, not partners) among the application's users."""
    inventory = portfolio.inventory
    return tuple(
        sorted(user for user in inventory.users[application_id] if user in inventory.communes)
    )


class FlowIndex:
    """The inventory's flows by application, built in one pass.

    Flows are referred to by their position in ``inventory.flows``, which is sorted by key: a
    sorted list of positions gives flows in key order without computing any key again.
    """

    def __init__(self, portfolio: Portfolio) -> None:
        self.flows = portfolio.inventory.flows
        self._touching: dict[str, list[int]] = {}
        for position, flow in enumerate(self.flows):
            for application in {flow.source, flow.target, flow.via}:
                if application is not None:
                    self._touching.setdefault(application, []).append(position)

    def touching(self, applications: Iterable[str]) -> list[int]:
        """Positions of the flows with one of the applications as source, target or hub."""
        found: set[int] = set()
        for application in applications:
            found.update(self._touching.get(application, ()))
        return sorted(found)


def suggest(value: str, choices: list[str], what: str) -> str:
    """A hint for an unknown id: the closest known one, or the list of valid ones."""
    import difflib

    close = difflib.get_close_matches(value, choices, n=1)
    if close:
        return f"voulez-vous dire « {close[0]} » ?"
    return f"{what} : " + ", ".join(choices)


def applications_in_processes(portfolio: Portfolio) -> set[str]:
    """Applications that serve a step of some process (named, or through the step's blocs).

    The same answer as ``Portfolio.processes_of_application`` being non-empty, computed once for
    the whole portfolio instead of once per application.
    """
    found: set[str] = set()
    block_cache: dict[str, list[str]] = {}
    for process in portfolio.inventory.processes.values():
        for step in process.steps:
            found.update(step.applications)
            for block_id in step.blocks:
                if block_id not in block_cache:
                    block_cache[block_id] = portfolio.applications_of_block(block_id)
                found.update(block_cache[block_id])
    return found


def applications_in_flows(portfolio: Portfolio) -> set[str]:
    """Applications that send, receive or relay (as a hub) at least one flow."""
    found: set[str] = set()
    for flow in portfolio.inventory.flows:
        found.add(flow.source)
        found.add(flow.target)
        if flow.via is not None:
            found.add(flow.via)
    return found
