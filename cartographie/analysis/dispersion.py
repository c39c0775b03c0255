"""The cost of dispersion of a bloc (DESIGN.md §10): what running A_b applications for one
function costs beyond one.

Three terms, each shown with the parameters it uses:

- **applications**: ``Σ cout(a)`` over the bloc's A_b applications (those of its use pairs, as
  for convergence) minus the cost of the **reference** — the bloc's shared application if it has
  one (the convergence report's: shared, used by the most communes of the bloc, ties by id),
  else the application with the most use pairs (ties: the smallest id). That is the others'
  costs; an unknown one is counted apart, never as 0;
- **interfaces**: over the point-à-point flows with an end among the A_b applications, grouped by
  data object d: ``Σ_d max(0, E_b,d − V_b,d) × cout_interface`` — E_b,d such flows, V_b,d the
  distinct applications at their ends (what going through the hub would need, as in §7);
- **operations**: ``(A_b − 1) × cout_operation`` — one regulatory change passed on every
  application but one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cartographie.analysis.common import FlowIndex
from cartographie.analysis.convergence_report import block_detail
from cartographie.analysis.costs import CostModel, CostSum
from cartographie.graph import Portfolio


@dataclass(frozen=True)
class DataInterfaces:
    """One data object's point-à-point flows touching the bloc: E_b,d flows, V_b,d ends."""

    data: str
    flows: int  # E_b,d
    applications: int  # V_b,d

    @property
    def excess(self) -> int:
        return max(0, self.flows - self.applications)


@dataclass(frozen=True)
class BlockDispersion:
    block: str
    applications: tuple[str, ...]  # the A_b applications
    use_pairs: int  # N_b
    reference: str | None
    reference_is_shared: bool
    applications_cost: CostSum  # Σ cout(a) over A_b
    reference_cost: int | None
    others_cost: CostSum  # term 1: Σ over A_b − cout(reference)
    data: tuple[DataInterfaces, ...]  # the point-à-point flows by data object
    interface_cost: int  # cents, term 2
    operation_cost: int  # cents, term 3

    @property
    def excess_interfaces(self) -> int:
        return sum(item.excess for item in self.data)

    @property
    def dispersion_cost(self) -> CostSum:
        """The three terms added up (GLOSSARY: coût de la dispersion)."""
        return self.others_cost.plus(self.interface_cost).plus(self.operation_cost)


def _reference(
    portfolio: Portfolio, block_id: str, pairs_per_application: Counter[str]
) -> tuple[str | None, bool]:
    shared = block_detail(portfolio, block_id).shared_application
    if shared is not None:
        return shared, True
    if not pairs_per_application:
        return None, False
    return min(pairs_per_application, key=lambda app: (-pairs_per_application[app], app)), False


def block_dispersion(
    model: CostModel, block_id: str, index: FlowIndex | None = None
) -> BlockDispersion:
    """The bloc's three terms; ``index``: the flows by application, when computed already."""
    portfolio = model.portfolio
    index = index or FlowIndex(portfolio)
    pairs = portfolio.use_pairs(block_id)
    per_application = Counter(pair.application for pair in pairs)
    applications = tuple(sorted(per_application))
    reference, shared = _reference(portfolio, block_id, per_application)
    others = [app for app in applications if app != reference]
    flows: Counter[str] = Counter()
    ends: dict[str, set[str]] = {}
    for position in index.touching(applications):
        flow = index.flows[position]
        if flow.via is not None:
            continue
        flows[flow.data] += 1
        ends.setdefault(flow.data, set()).update((flow.source, flow.target))
    data = tuple(
        DataInterfaces(data_id, flows[data_id], len(ends[data_id])) for data_id in sorted(flows)
    )
    parameters = model.parameters
    excess = sum(item.excess for item in data)
    return BlockDispersion(
        block=block_id,
        applications=applications,
        use_pairs=len(pairs),
        reference=reference,
        reference_is_shared=shared,
        applications_cost=model.total(applications),
        reference_cost=model.cost(reference) if reference is not None else None,
        others_cost=model.total(others),
        data=data,
        interface_cost=excess * parameters.interface_cost * 100,
        operation_cost=max(0, len(applications) - 1) * parameters.operation_cost * 100,
    )


def all_block_dispersion(model: CostModel) -> list[BlockDispersion]:
    """The dispersion of every bloc fonctionnel, in the order of the blocs' ids."""
    index = FlowIndex(model.portfolio)
    return [block_dispersion(model, block_id, index) for block_id in model.portfolio.leaf_blocks()]
