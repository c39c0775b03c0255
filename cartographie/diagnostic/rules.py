"""The rules of the diagnostic d'architecture (DESIGN.md §6), as a registry: code → rule.

Each :class:`Rule` has a stable code, a short name, a default severity, a French title and a
generic fix; its ``check`` looks at the proposed portfolio through a
:class:`~cartographie.diagnostic.context.RuleContext` and yields findings, each naming the objects
with their ``file:line`` and saying how to fix it. Rules about *new* things (an application, a
flow, a use) ask the context what is new; rules about a *state* (a SaaS out of governance, a
flow crossing a CNIL sector) look at everything, and the engine keeps only the findings the base
did not already have. Codes are never reused; ``RuleCode`` in ``model/records.py`` lists them so
that regles.yaml is validated by every load (a test keeps both lists equal).

| code | nom                      | gravité       |
|------|--------------------------|---------------|
| D101 | doublon-commune          | avertissement |
| D102 | doublon-mutualise        | bloquant      |
| D201 | point-a-point            | avertissement |
| D301 | cnil-secteur             | bloquant      |
| D302 | cnil-commune             | bloquant      |
| D401 | rgpd-consentement-tacite | bloquant      |
| D402 | rgpd-consentement-absent | avertissement |
| D501 | editeur-ferme            | avertissement |
| D601 | saas-hors-gouvernance    | avertissement |
| D701 | flux-vers-a-retirer      | avertissement |
| D702 | flux-application-retiree | bloquant      |
| D801 | regression-convergence   | avertissement |
| D901 | produit-hors-support     | avertissement |
| D902 | flux-vers-eliminer       | avertissement |
| D903 | chantier-en-retard       | avertissement |
| D904 | contraire-au-chantier    | bloquant      |
| D951 | cout-ajoute              | info          |
| D952 | cout-inconnu             | avertissement |

The time rules (D9xx) read dates through ``model.dates`` at the diagnostic's day
(``RuleContext.date``: ``--date`` of the diagnostic, else today).

docs/suivi.md explains each rule, with its message and fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from cartographie.analysis.convergence import block_convergence
from cartographie.analysis.costs import cents_to_euros, full_cost
from cartographie.diagnostic.context import RuleContext
from cartographie.diagnostic.model import Finding, Severity
from cartographie.document import numbers
from cartographie.model.asof import domains_of_applications
from cartographie.model.dates import DateValue, day_of, reached, show_date
from cartographie.model.records import Application, Flow, Programme
from cartographie.model.vocabulary import CNIL_SECTOR_LABELS, CONSENT_LABELS


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    title: str
    fix: str
    check: Callable[[Rule, RuleContext], Iterable[Finding]]

    def run(self, context: RuleContext) -> list[Finding]:
        return list(self.check(self, context))

    def finding(
        self,
        context: RuleContext,
        message: str,
        record: Application | Flow,
        subject: tuple[tuple[str, str], ...],
        objects: Iterable[str],
        fix: str | None = None,
    ) -> Finding:
        return context.finding(
            self.code,
            self.severity,
            message,
            record.origin,
            fix or self.fix,
            subject,
            tuple(sorted(set(objects))),
        )


def _pct(rate: float) -> str:
    return f"{round(rate * 100)} %"


def _pct_change(before: float, after: float) -> str:
    """``12 % → 9 %``; with a decimal when whole percents would hide the change
    (``4,8 % → 4,5 %``, not ``5 % → 5 %``)."""
    if round(before * 100) != round(after * 100) or before == after:
        return f"{_pct(before)} → {_pct(after)}"
    return " → ".join(f"{rate * 100:.1f} %".replace(".", ",") for rate in (before, after))


def _active(application: Application) -> bool:
    return application.lifecycle not in ("a-retirer", "retiree")


def _flow_subject(flow: Flow) -> tuple[tuple[str, str], ...]:
    return (("flux", flow.key),)


def _flow_text(flow: Flow) -> str:
    return f"flux {flow.source} → {flow.target} ({flow.data})"


# --- D101 / D102: duplication -------------------------------------------------------------------


def _new_uses(context: RuleContext) -> Iterator[tuple[Application, str, str]]:
    """(application, bloc, commune) for every use the change adds (all of them without a base)."""
    inventory = context.proposed.inventory
    for application in inventory.applications.values():
        if not _active(application) or application.hub or inventory.is_external(application.id):
            continue
        for block_id in application.blocks:
            for commune_id in inventory.users[application.id]:
                if commune_id in inventory.communes and context.is_new_use(
                    application.id, block_id, commune_id
                ):
                    yield application, block_id, commune_id


def _mutualised_duplicate(
    context: RuleContext, application: Application, block_id: str, commune_id: str
) -> tuple[list[str], tuple[str, DateValue] | None]:
    """The shared applications the new use duplicates when the commune has mutualised the bloc
    (and through which domain, since when)."""
    portfolio = context.proposed
    mutualisation = portfolio.mutualisation_of(commune_id, block_id)
    if mutualisation is None or portfolio.is_shared(application.id):
        return [], mutualisation
    shared = [
        other
        for other in context.applications_in_block(block_id)
        if other != application.id
        and portfolio.is_shared(other)
        and _active(portfolio.application(other))
        and portfolio.application(other).replaced_by != application.id
    ]
    return shared, mutualisation


def check_duplicate_in_commune(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    portfolio = context.proposed
    inventory = portfolio.inventory
    for application, block_id, commune_id in _new_uses(context):
        shared, _domain = _mutualised_duplicate(context, application, block_id, commune_id)
        if shared:
            continue  # D102 says it, more strongly
        others = [
            other
            for other in context.applications_in_block(block_id)
            if other != application.id
            and commune_id in inventory.users[other]
            and _active(portfolio.application(other))
            # The application it replaces is on its way out: that is convergence, not a double.
            and portfolio.application(other).replaced_by != application.id
            and not _told_elsewhere(context, application, other, block_id, commune_id)
        ]
        if not others:
            continue
        listed = ", ".join(context.located(other) for other in others)
        block_name = inventory.blocks[block_id].name
        yield rule.finding(
            context,
            f"{context.located(application.id)} sert le bloc « {block_name} » où "
            f"{inventory.organisation_name(commune_id)} utilise aussi {listed}",
            application,
            (("application", application.id), ("bloc", block_id), ("commune", commune_id)),
            (application.id, *others),
        )


def _told_elsewhere(
    context: RuleContext, application: Application, other: str, block_id: str, commune_id: str
) -> bool:
    """True when the pair (application, other) for this commune and bloc is reported by
    another finding: D102 on ``other`` naming ``application`` (D101 is silent when D102
    speaks), or D101 on ``other`` — both uses new, the pair is told once, on the application
    whose id sorts last."""
    record = context.proposed.application(other)
    if record.hub or context.proposed.inventory.is_external(other):
        return False
    if not context.is_new_use(other, block_id, commune_id):
        return False
    shared, _domain = _mutualised_duplicate(context, record, block_id, commune_id)
    if application.id in shared:
        return True
    return not shared and other > application.id


def check_duplicate_of_shared(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    inventory = context.proposed.inventory
    for application, block_id, commune_id in _new_uses(context):
        shared, mutualisation = _mutualised_duplicate(context, application, block_id, commune_id)
        if not shared or mutualisation is None:
            continue
        domain_id, since = mutualisation
        commune_name = inventory.organisation_name(commune_id)
        listed = ", ".join(context.located(other) for other in shared)
        yield rule.finding(
            context,
            f"{context.located(application.id)} double l'application partagée {listed} dans le "
            f"bloc « {inventory.blocks[block_id].name} », que {commune_name} a mutualisé "
            f"(domaine « {domain_id} » depuis {show_date(since)})",
            application,
            (("application", application.id), ("bloc", block_id), ("commune", commune_id)),
            (application.id, *shared),
            fix=f"ajoutez {commune_id} aux utilisateurs de {shared[0]} au lieu d'une application "
            f"propre",
        )


# --- D201: point to point -----------------------------------------------------------------------


def check_point_to_point(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    portfolio = context.proposed
    hubs = set(portfolio.hubs())
    if not hubs:
        return
    # Data object -> the hub that already distributes it, and one flow that shows it.
    distributed: dict[str, tuple[str, Flow]] = {}
    for flow in portfolio.inventory.flows:
        hub = flow.via or (flow.source if flow.source in hubs else None)
        hub = hub or (flow.target if flow.target in hubs else None)
        if hub is not None:
            distributed.setdefault(flow.data, (hub, flow))
    for flow in portfolio.inventory.flows:
        if flow.via is not None or flow.source in hubs or flow.target in hubs:
            continue
        if flow.data not in distributed:
            continue
        before = context.base_flow(flow)
        if before is not None and before.via is None:
            continue  # already point to point in the base
        hub, example = distributed[flow.data]
        yield rule.finding(
            context,
            f"{_flow_text(flow)} en point à point : le hub « {hub} » distribue déjà la donnée "
            f"« {flow.data} » ({example.origin})",
            flow,
            _flow_subject(flow),
            (flow.source, flow.target, hub),
            fix=f"faites passer le flux par le hub : « via: {hub} »",
        )


# --- D301 / D302: CNIL RU-030 ---------------------------------------------------------------------


def _personal_sector(context: RuleContext, flow: Flow) -> str | None:
    data = context.proposed.inventory.data_objects[flow.data]
    return data.cnil_sector if data.personal else None


def check_cnil_sector(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    portfolio = context.proposed
    inventory = portfolio.inventory
    for flow in inventory.flows:
        sector = _personal_sector(context, flow)
        if sector is None:
            continue
        outside = [
            app_id
            for app_id in (flow.source, flow.target)
            if not portfolio.application(app_id).hub
            and not inventory.is_external(app_id)
            and sector not in portfolio.application(app_id).cnil_sectors
        ]
        if not outside:
            continue
        sectors = "; ".join(
            f"{app_id} : "
            + (
                ", ".join(CNIL_SECTOR_LABELS[s] for s in portfolio.application(app_id).cnil_sectors)
                or "aucun secteur"
            )
            for app_id in outside
        )
        yield rule.finding(
            context,
            f"{_flow_text(flow)} : donnée personnelle du secteur « {CNIL_SECTOR_LABELS[sector]} » "
            f"vers une application d'un autre secteur RU-030 ({sectors})",
            flow,
            _flow_subject(flow),
            (flow.source, flow.target),
        )


def check_cnil_commune(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    portfolio = context.proposed
    inventory = portfolio.inventory
    for flow in inventory.flows:
        if _personal_sector(context, flow) is None:
            continue
        source_owner = inventory.owners[flow.source]
        target_owner = inventory.owners[flow.target]
        if source_owner == target_owner:
            continue
        if source_owner not in inventory.communes or target_owner not in inventory.communes:
            continue
        if inventory.is_shared(flow.source) or inventory.is_shared(flow.target):
            continue
        source_name = inventory.organisation_name(source_owner)
        target_name = inventory.organisation_name(target_owner)
        yield rule.finding(
            context,
            f"{_flow_text(flow)} : donnée personnelle entre {source_name} et {target_name}, "
            "deux responsables de traitement distincts, par des applications non partagées",
            flow,
            _flow_subject(flow),
            (flow.source, flow.target),
        )


# --- D401 / D402: RGPD, personal data leaving the métropole -------------------------------------


def _leaving(context: RuleContext, flow: Flow) -> bool:
    inventory = context.proposed.inventory
    return (
        _personal_sector(context, flow) is not None
        and inventory.is_external(flow.target)
        and not inventory.is_external(flow.source)
    )


def check_tacit_consent(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    inventory = context.proposed.inventory
    for flow in inventory.flows:
        if _leaving(context, flow) and flow.consent == "tacite":
            partner = inventory.organisation_name(inventory.owners[flow.target])
            yield rule.finding(
                context,
                f"{_flow_text(flow)} : donnée personnelle transmise à {partner} (organisme "
                f"extérieur) sur {CONSENT_LABELS['tacite'].lower()}",
                flow,
                _flow_subject(flow),
                (flow.source, flow.target),
            )


def check_missing_consent(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    inventory = context.proposed.inventory
    for flow in inventory.flows:
        if _leaving(context, flow) and flow.consent is None:
            partner = inventory.organisation_name(inventory.owners[flow.target])
            yield rule.finding(
                context,
                f"{_flow_text(flow)} : donnée personnelle transmise à {partner} (organisme "
                f"extérieur) sans base de consentement indiquée",
                flow,
                _flow_subject(flow),
                (flow.source, flow.target),
            )


# --- D501: closed vendor ------------------------------------------------------------------------


def check_closed_vendor(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    portfolio = context.proposed
    inventory = portfolio.inventory
    for application in inventory.applications.values():
        if application.product is None or inventory.is_external(application.id):
            continue
        before = context.base_application(application.id)
        if before is not None and before.product == application.product:
            continue  # neither new nor a new product
        openness = inventory.api_openness(application.id)
        if openness == "ouverte":
            continue
        busy = [
            block_id for block_id in application.blocks if block_id in context.blocks_with_flows
        ]
        if not busy:
            continue
        product = inventory.products[application.product]
        vendor = inventory.vendors[product.vendor]
        api = "API propriétaire" if openness == "proprietaire" else "aucune API"
        yield rule.finding(
            context,
            f"{context.located(application.id)} repose sur « {product.name} » de {vendor.name} "
            f"({api}) dans le bloc « {inventory.blocks[busy[0]].name} » où circulent des flux",
            application,
            (("application", application.id),),
            (application.id,),
        )


# --- D601: ungoverned SaaS ----------------------------------------------------------------------


def check_ungoverned_saas(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    inventory = context.proposed.inventory
    for application in inventory.applications.values():
        if inventory.is_external(application.id) or application.lifecycle == "retiree":
            continue
        if application.hosting == "saas" and application.governance == "direction-metier":
            owner = application.responsible or inventory.organisation_name(
                inventory.owners[application.id]
            )
            yield rule.finding(
                context,
                f"{context.located(application.id)} est un SaaS piloté par une direction métier "
                f"({owner}), hors de la responsabilité de la DGSIN",
                application,
                (("application", application.id),),
                (application.id,),
            )


# --- D701 / D702: lifecycle ---------------------------------------------------------------------


def check_flow_to_retiring(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    portfolio = context.proposed
    for flow in portfolio.inventory.flows:
        target = portfolio.application(flow.target)
        if target.lifecycle != "a-retirer":
            continue
        before = context.base_flow(flow)
        if before is not None and before.target == flow.target:
            continue  # not a new flow toward it
        replacement = (
            f" ; elle sera remplacée par « {target.replaced_by} »" if target.replaced_by else ""
        )
        yield rule.finding(
            context,
            f"{_flow_text(flow)} vers {context.located(target.id)}, à retirer{replacement}",
            flow,
            _flow_subject(flow),
            (flow.source, flow.target),
            fix=f"branchez le flux sur « {target.replaced_by} »"
            if target.replaced_by
            else rule.fix,
        )


def check_flow_with_retired(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    portfolio = context.proposed
    for flow in portfolio.inventory.flows:
        retired = [
            app_id
            for app_id in (flow.source, flow.target)
            if portfolio.application(app_id).lifecycle == "retiree"
        ]
        if not retired:
            continue
        yield rule.finding(
            context,
            f"{_flow_text(flow)} avec {', '.join(context.located(a) for a in retired)}, retirée",
            flow,
            _flow_subject(flow),
            (flow.source, flow.target),
        )


# --- D801: convergence regression ---------------------------------------------------------------


def check_convergence_regression(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    if context.base is None:
        return  # a regression is between two versions: none on one alone
    portfolio = context.proposed
    inventory = portfolio.inventory
    base_blocks = set(context.base.inventory.blocks)
    for block_id in portfolio.leaf_blocks():
        previous = context.previous_id("bloc", block_id)
        if previous not in base_blocks:
            continue
        before = block_convergence(context.base, previous)
        after = block_convergence(portfolio, block_id)
        if before.applications == 0 or after.applications <= before.applications:
            continue
        base_apps = {pair.application for pair in context.base.use_pairs(previous)}
        newcomers = sorted(
            {pair.application for pair in portfolio.use_pairs(block_id)}
            - {context.renames.get("application", {}).get(app, app) for app in base_apps}
        )
        anchor = inventory.applications[newcomers[0]] if newcomers else None
        if anchor is None:
            continue
        yield rule.finding(
            context,
            f"le bloc « {inventory.blocks[block_id].name} » passe de {before.applications} à "
            f"{after.applications} applications distinctes (taux de convergence "
            f"{_pct_change(before.rate, after.rate)}) avec "
            + ", ".join(context.located(app) for app in newcomers),
            anchor,
            (("bloc", block_id),),
            (block_id, *newcomers),
        )


# --- D901–D904: time (DESIGN.md §11) -------------------------------------------------------------


def check_product_out_of_support(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    """A new application on a product whose vendor's support has ended (at the diagnostic's
    day, or by the application's own start)."""
    inventory = context.proposed.inventory
    for application in inventory.applications.values():
        if application.product is None or not context.is_new_application(application.id):
            continue
        if application.lifecycle == "retiree":
            continue
        product = inventory.products[application.product]
        end = product.end_of_support
        if end is None:
            continue
        start = application.in_service_since
        if not (reached(end, context.date) or (start is not None and day_of(start) >= day_of(end))):
            continue
        yield rule.finding(
            context,
            f"nouvelle application {context.located(application.id)} sur le produit "
            f"« {product.name} », dont l'éditeur a arrêté le support le {show_date(end)} "
            f"({product.origin})",
            application,
            (("application", application.id),),
            (application.id, product.id),
        )


def check_flow_to_eliminated(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    """A new flow toward an application whose disposition is « eliminer »."""
    portfolio = context.proposed
    for flow in portfolio.inventory.flows:
        target = portfolio.application(flow.target)
        if target.disposition != "eliminer" or not context.is_new_flow(flow):
            continue
        reason = f" ({target.disposition_reason})" if target.disposition_reason else ""
        yield rule.finding(
            context,
            f"{_flow_text(flow)} vers {context.located(target.id)}, à éliminer{reason}",
            flow,
            _flow_subject(flow),
            (flow.source, flow.target),
            fix=f"branchez le flux sur « {target.replaced_by} », qui la remplace"
            if target.replaced_by
            else rule.fix,
        )


def _programme_place(programme: Programme) -> str:
    return f"« {programme.id} » ({programme.origin})"


def check_late_programme(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    """A chantier past its end whose applications to retire still run (their ``cycle_de_vie``
    is not ``retiree``)."""
    inventory = context.proposed.inventory
    for programme in inventory.programmes.values():
        if not reached(programme.end, context.date):
            continue
        for app_id in sorted(programme.retires):
            application = inventory.applications.get(app_id)
            if application is None or application.lifecycle == "retiree":
                continue
            yield rule.finding(
                context,
                f"le chantier {_programme_place(programme)} s'est achevé le "
                f"{show_date(programme.end)}, mais {context.located(app_id)} n'est pas retirée "
                f"(cycle de vie « {application.lifecycle} »)",
                application,
                (("chantier", programme.id), ("application", app_id)),
                (programme.id, app_id),
            )


def check_against_programme(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    """A change against a chantier's plan: a commune of one of its waves takes up, in its
    blocs, an application other than its target; or the target is set to leave."""
    portfolio = context.proposed
    inventory = portfolio.inventory
    for programme in inventory.programmes.values():
        if programme.target is None or programme.target not in inventory.applications:
            continue
        if reached(programme.end, context.date):
            continue  # a finished chantier plans nothing any more
        target = inventory.applications[programme.target]
        if context.base_application(target.id) is not None:
            before = context.base_application(target.id)
            leaving = (
                target.lifecycle in ("a-retirer", "retiree") or target.disposition == "eliminer"
            )
            was_leaving = before is not None and (
                before.lifecycle in ("a-retirer", "retiree") or before.disposition == "eliminer"
            )
            if leaving and not was_leaving:
                yield rule.finding(
                    context,
                    f"la cible {context.located(target.id)} du chantier "
                    f"{_programme_place(programme)} est désormais promise au retrait "
                    f"(cycle de vie « {target.lifecycle} », disposition "
                    f"« {target.disposition or 'aucune'} »)",
                    target,
                    (("chantier", programme.id), ("application", target.id)),
                    (programme.id, target.id),
                    fix="changez d'abord le chantier (sa cible, ses dates) en comité",
                )
        waves = {commune: wave.year for wave in programme.waves for commune in wave.communes}
        blocks = {
            below for top in programme.blocks for below in inventory.blocks_under(top)
        } or set(target.blocks)
        allowed = {programme.target, *programme.retires}
        for application in inventory.applications.values():
            if application.id in allowed or application.lifecycle == "retiree":
                continue
            for block_id in sorted(blocks.intersection(application.blocks)):
                for commune in inventory.users[application.id]:
                    if commune not in waves:
                        continue
                    if not context.is_new_use(application.id, block_id, commune):
                        continue
                    yield rule.finding(
                        context,
                        f"« {commune} » doit rejoindre {context.located(programme.target)} "
                        f"(vague {waves[commune]} du chantier {_programme_place(programme)}) "
                        f"et prend {context.located(application.id)} dans le bloc "
                        f"« {inventory.blocks[block_id].name} »",
                        application,
                        (
                            ("chantier", programme.id),
                            ("application", application.id),
                            ("commune", commune),
                        ),
                        (programme.id, application.id, commune),
                    )


# --- D951 / D952: money --------------------------------------------------------------------------


def _new_applications(context: RuleContext) -> Iterator[Application]:
    """Applications the change adds, in service and of the portfolio (not an outside body's)."""
    inventory = context.proposed.inventory
    for application in inventory.applications.values():
        if application.lifecycle == "retiree" or inventory.is_external(application.id):
            continue
        if context.is_new_application(application.id):
            yield application


def _euros(cents: int) -> str:
    return numbers.euros(cents_to_euros(cents))


def _days(hundredths: int) -> str:
    """``2,5 jours``, ``1 jour`` (French: singular below two)."""
    written = numbers.decimal(hundredths / 100, 2).rstrip("0").rstrip(",")
    return f"{written} {'jour' if hundredths < 200 else 'jours'}"


def _cost_sentence(context: RuleContext, application: Application) -> str:
    """« 12 900 € par an (cout_annuel 12 000 € + 2,25 jours internes × 400 €) »."""
    parameters = context.proposed.inventory.costs
    hundredths = application.internal_hundredths
    parts = []
    if application.annual_cost is not None:
        parts.append(f"cout_annuel {_euros(application.annual_cost * 100)}")
    if hundredths is not None and parameters is not None:
        parts.append(f"{_days(hundredths)} internes × {_euros(parameters.daily_rate * 100)}")
    if parameters is None:
        paid = (application.annual_cost or 0) * 100
        unvalued = (
            f" ; {_days(hundredths)} internes non valorisés : pas de tjm (referentiel/couts.yaml)"
            if hundredths is not None
            else ""
        )
        return f"au moins {_euros(paid)} par an ({' + '.join(parts) or 'cout_annuel'}{unvalued})"
    cost = full_cost(application, parameters)
    assert cost is not None
    return f"{_euros(cost)} par an ({' + '.join(parts)})"


def _rebilled(context: RuleContext, application: Application) -> str:
    """« ; refacturé aux communes du domaine « finances » » for a domain application."""
    inventory = context.proposed.inventory
    domains = domains_of_applications(inventory).get(application.id, [])
    if not domains:
        return ""
    listed = ", ".join(f"« {domain} »" for domain in domains)
    which = "des domaines" if len(domains) > 1 else "du domaine"
    return f" ; refacturé aux communes adhérentes {which} {listed}"


def check_added_cost(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    for application in _new_applications(context):
        if application.annual_cost is None and application.internal_days is None:
            continue  # D952 says it
        yield rule.finding(
            context,
            f"{context.located(application.id)} ajoute {_cost_sentence(context, application)} "
            f"au coût du patrimoine{_rebilled(context, application)}",
            application,
            (("application", application.id),),
            (application.id,),
        )


def check_unknown_cost(rule: Rule, context: RuleContext) -> Iterator[Finding]:
    for application in _new_applications(context):
        if application.annual_cost is not None or application.internal_days is not None:
            continue
        yield rule.finding(
            context,
            f"{context.located(application.id)} n'a ni cout_annuel ni jours_internes : son coût "
            "est inconnu, et les rapports le compteront à part",
            application,
            (("application", application.id),),
            (application.id,),
        )


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            "D101",
            "doublon-commune",
            "avertissement",
            "Nouvelle application dans un bloc où la commune en utilise déjà une",
            "utilisez l'application existante, ou planifiez le retrait de l'une des deux "
            "(« cycle_de_vie: a-retirer » et « remplacee_par »)",
            check_duplicate_in_commune,
        ),
        Rule(
            "D102",
            "doublon-mutualise",
            "bloquant",
            "Nouvelle application dans un bloc que la commune a mutualisé et qu'une application "
            "partagée sert",
            "rejoignez l'application partagée au lieu d'une application propre",
            check_duplicate_of_shared,
        ),
        Rule(
            "D201",
            "point-a-point",
            "avertissement",
            "Nouveau flux point à point d'une donnée que le hub distribue déjà",
            "faites passer le flux par le hub (« via »)",
            check_point_to_point,
        ),
        Rule(
            "D301",
            "cnil-secteur",
            "bloquant",
            "Donnée personnelle qui sort de son secteur RU-030",
            "chaque secteur RU-030 est étanche : retirez la donnée du flux, ou faites-la traiter "
            "par une application du secteur ; une exception se documente dans regles.yaml",
            check_cnil_sector,
        ),
        Rule(
            "D302",
            "cnil-commune",
            "bloquant",
            "Donnée personnelle entre les applications non partagées de deux communes",
            "chaque commune est un responsable de traitement distinct : passez par une "
            "application mutualisée et une convention, ou retirez le flux",
            check_cnil_commune,
        ),
        Rule(
            "D401",
            "rgpd-consentement-tacite",
            "bloquant",
            "Donnée personnelle vers un organisme extérieur sur consentement tacite",
            "recueillez le consentement explicite (« consentement: explicite ») avant l'échange",
            check_tacit_consent,
        ),
        Rule(
            "D402",
            "rgpd-consentement-absent",
            "avertissement",
            "Donnée personnelle vers un organisme extérieur sans consentement indiqué",
            "indiquez la base de l'échange : « consentement: explicite » ou « non-requis »",
            check_missing_consent,
        ),
        Rule(
            "D501",
            "editeur-ferme",
            "avertissement",
            "Nouvelle application sans API ouverte dans un bloc où circulent des flux",
            "exigez une API ouverte et documentée au marché, ou choisissez un produit ouvert",
            check_closed_vendor,
        ),
        Rule(
            "D601",
            "saas-hors-gouvernance",
            "avertissement",
            "SaaS piloté par une direction métier, hors de la DGSIN",
            "placez l'application sous la responsabilité de la DGSIN (« gouvernance: dgsin »), "
            "ou faites valider l'exception en comité",
            check_ungoverned_saas,
        ),
        Rule(
            "D701",
            "flux-vers-a-retirer",
            "avertissement",
            "Nouveau flux vers une application à retirer",
            "branchez le flux sur l'application qui la remplace",
            check_flow_to_retiring,
        ),
        Rule(
            "D702",
            "flux-application-retiree",
            "bloquant",
            "Flux avec une application retirée",
            "retirez le flux, ou branchez-le sur l'application qui a remplacé la retirée",
            check_flow_with_retired,
        ),
        Rule(
            "D801",
            "regression-convergence",
            "avertissement",
            "Le changement augmente le nombre d'applications distinctes d'un bloc",
            "utilisez une application déjà présente dans le bloc, ou planifiez le retrait "
            "d'une autre (« cycle_de_vie: a-retirer »)",
            check_convergence_regression,
        ),
        Rule(
            "D901",
            "produit-hors-support",
            "avertissement",
            "Nouvelle application sur un produit dont le support a pris fin",
            "choisissez un produit (ou une version) encore supporté par l'éditeur",
            check_product_out_of_support,
        ),
        Rule(
            "D902",
            "flux-vers-eliminer",
            "avertissement",
            "Nouveau flux vers une application à éliminer (disposition TIME)",
            "branchez le flux sur l'application qui la remplacera",
            check_flow_to_eliminated,
        ),
        Rule(
            "D903",
            "chantier-en-retard",
            "avertissement",
            "Chantier achevé dont une application à retirer tourne encore",
            "retirez l'application (« cycle_de_vie: retiree ») ou repoussez la fin du chantier",
            check_late_programme,
        ),
        Rule(
            "D904",
            "contraire-au-chantier",
            "bloquant",
            "Changement contraire au plan d'un chantier",
            "la commune rejoint la cible du chantier : utilisez-la, ou changez le chantier en "
            "comité",
            check_against_programme,
        ),
        Rule(
            "D951",
            "cout-ajoute",
            "info",
            "Le coût annuel qu'une nouvelle application ajoute au patrimoine",
            "vérifiez le montant avec le projet : il entre dans le coût de la commune, ou dans "
            "la refacturation d'un domaine (rapport couts, rapport refacturation)",
            check_added_cost,
        ),
        Rule(
            "D952",
            "cout-inconnu",
            "avertissement",
            "Nouvelle application sans coût : ni cout_annuel ni jours_internes",
            "indiquez cout_annuel (licence, maintenance, hébergement, abonnement) et "
            "jours_internes (le temps des agents de la DSI pour la faire tourner)",
            check_unknown_cost,
        ),
    )
}
