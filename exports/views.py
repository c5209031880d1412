"""The views of a case: each builds a :class:`~exports.scene.Diagram` from an analysis.

Every view starts from the same elements (touchpoints in the lane of their
organisation, documents, requirement, production and referral arrows, rules on the
touchpoints they govern) and adds marks to them: the case view every finding, the
finding view one finding and what is around it, the persona view what a persona can
obtain, the journey view a reconstructed journey as a timeline, the intervention view
what an intervention changes. A finding is drawn by its kind's mark
(:mod:`exports.marking`); every word a view writes is said in the case's language from
the message catalogue (:mod:`kafka_tool.i18n`).

Building a view is pure Python and deterministic: elements come in case order or
sorted, node names come from the case's ids, never from hashes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kafka_tool.analysis.engine import Analysis
from kafka_tool.analysis.kinds import finding_kind
from kafka_tool.analysis.personas import PersonaView
from kafka_tool.analysis.regions import describe_region
from kafka_tool.analysis.texts import burden_words, severity_word
from kafka_tool.analysis.transitions import road_ahead
from kafka_tool.errors import did_you_mean, shown
from kafka_tool.findings import Finding
from kafka_tool.i18n import Words, words
from kafka_tool.interventions import Comparison
from kafka_tool.model import ACTOR_KINDS as MODEL_ACTOR_KINDS
from kafka_tool.model import Case, produced_document, produced_when, requirement_alternatives, requirement_when
from kafka_tool.report import change_words, goal_time_words
from kafka_tool.vocabulary import VALUE_WORDS

from .marking import mark_finding, short_name
from .scene import NOBODY, Diagram, Edge, Node, RuleLine, UnknownChoice, doc_key, tp_key
from .theme import MARKS

__all__ = [
    "ACTOR_KINDS",
    "CHANNELS",
    "LAYERS",
    "OUTCOMES",
    "case_diagram",
    "finding_diagram",
    "intervention_diagram",
    "journey_diagram",
    "journey_keys",
    "layout_size",
    "parse_layers",
    "persona_diagram",
    "persona_time_lines",
]

#: The layers a diagram can show; all are on unless chosen otherwise.
LAYERS = ("documents", "referrals", "rules", "legend")

#: A touchpoint's channel, in words.
CHANNELS = VALUE_WORDS["channel"]
#: What kind of organisation an actor is, in words (``other`` says nothing and is not written).
ACTOR_KINDS = {kind: VALUE_WORDS["kind"][kind] for kind in MODEL_ACTOR_KINDS if kind != "other"}
#: A journey step's outcome, in words, and the tone of its tag.
_TONES = {"helped": "good", "refused": "bad", "referred": "warn", "no_response": "bad", "pending": "muted"}
OUTCOMES = {outcome: (VALUE_WORDS["outcome"][outcome], tone) for outcome, tone in _TONES.items()}


def parse_layers(spec: str | Sequence[str] | None, language: str = "en") -> tuple[str, ...]:
    """The layers named in ``"referrals,documents"`` (all when None), checked (an error in ``language``)."""
    if spec is None:
        return LAYERS
    names = [p.strip() for p in spec.split(",")] if isinstance(spec, str) else [p.strip() for p in spec]
    names = [n for n in names if n]
    for name in names:
        if name not in LAYERS:
            say = words(language)
            raise UnknownChoice("layers", say.say("unknown layer {name}; layers: {layers}", name=shown(name),
                                                  layers=", ".join(LAYERS)))
    return tuple(n for n in LAYERS if n in names)


def layout_size(case: Case, layers: Sequence[str] = LAYERS) -> int:
    """The boxes and arrows of the case diagram (and of every persona view) with ``layers``.

    Marks never add an element, so this is the size of those views, found
    without marking anything.
    """
    return _base(case, layers).size


def _lanes(case: Case, diagram: Diagram, say: Words) -> None:
    for actor in case.actors:
        kind = ACTOR_KINDS.get(actor.kind)
        diagram.lanes[actor.id] = (actor.name, say.say(kind) if kind else "")


def _days(say: Words, days: float) -> str:
    # "1 day", but "1.5 days": only exactly one is singular.
    return say.say_n("{days} day", "{days} days", 1 if days == 1 else 2, days=say.number(days))


def _base(case: Case, layers: Sequence[str]) -> Diagram:
    """The case's elements without marks."""
    say = words(case.language)
    diagram = Diagram(language=case.language, title=case.title, currency=case.currency,
                      show_legend="legend" in layers)
    owners = {a.id: a.name for a in case.actors}
    _lanes(case, diagram, say)
    documents = "documents" in layers
    for tp in case.touchpoints:
        parts = []
        if tp.channel:
            parts.append(say.say(CHANNELS[tp.channel]))
        if tp.days:
            parts.append(_days(say, tp.days))
        if tp.cost:
            parts.append(say.money(tp.cost, case.currency))
        node = diagram.add_node(
            Node(
                tp_key(tp.id),
                "touchpoint",
                tp.id,
                tp.name,
                lane=tp.actor if tp.actor in diagram.lanes else NOBODY,
                sub=" · ".join(parts),
            )
        )
        if node.lane == NOBODY:
            diagram.use("nobody")
        if "rules" in layers:
            for rule_id in tp.rules:
                rule = case.rule(rule_id)
                if rule is not None:
                    owner = owners.get(rule.owner, rule.owner) if rule.owner else None
                    node.rules.append(RuleLine(rule.id, rule.name, owner))
                    diagram.use("rule")
    if documents:
        for doc in case.documents:
            diagram.add_node(Node(doc_key(doc.id), "document", doc.id, doc.name))
        known = {d.id for d in case.documents}
        for tp in case.touchpoints:
            fetched = set(tp.fetches)
            for i, item in enumerate(tp.requires):
                alternatives = [d for d in dict.fromkeys(requirement_alternatives(item)) if d in known]
                when = requirement_when(item)
                asked = None if when is None else say.say("only if {condition}",
                                                          condition=describe_region(case.attributes, when, say))
                if len(alternatives) == 1:
                    edge = diagram.add_edge(Edge(doc_key(alternatives[0]), tp_key(tp.id), "requires"))
                    if alternatives[0] in fetched:
                        edge.marks.add("fetched")
                    if asked:
                        edge.label(asked, "info")
                elif alternatives:
                    group = diagram.add_node(
                        Node(f"g_{tp.id}_{i}", "group", f"{tp.id}#{i}", say.say("one of"),
                             lane=diagram.nodes[tp_key(tp.id)].lane)
                    )
                    diagram.use("one_of")
                    edge = diagram.add_edge(Edge(group.key, tp_key(tp.id), "requires"))
                    if asked:
                        edge.label(asked, "info")
                    for alternative in alternatives:
                        edge = diagram.add_edge(Edge(doc_key(alternative), group.key, "alternative"))
                        if alternative in fetched:
                            edge.marks.add("fetched")
            outcomes: dict[str, list[Any]] = {}
            for given in tp.produces:
                outcomes.setdefault(produced_document(given), []).append(produced_when(given))
            for made, whens in outcomes.items():
                if made not in known:
                    continue
                edge = diagram.add_edge(Edge(tp_key(tp.id), doc_key(made), "produces"))
                if None not in whens:  # an outcome: given only to those who meet one of these
                    edge.label(say.say("if {condition}", condition=say.list(
                        [describe_region(case.attributes, when, say) for when in whens], "or")), "info")
    if "referrals" in layers:
        present = {t.id for t in case.touchpoints}
        for tp in case.touchpoints:
            for target in dict.fromkeys(tp.refers_to):
                if target in present:
                    diagram.add_edge(Edge(tp_key(tp.id), tp_key(target), "refers"))
    return diagram


def _mark_goals(diagram: Diagram, analysis: Analysis, personas: Iterable[str] | None = None) -> None:
    """Tag each goal document with the personas who cannot reach it."""
    out: dict[str, list[str]] = {}
    for view in analysis.views.values():
        if personas is not None and view.id not in personas:
            continue
        for goal, ok in view.goals_reachable.items():
            if not ok:
                out.setdefault(goal, []).append(short_name(view.persona.name))
    say = words(diagram.language)
    for goal in sorted(out):
        node = diagram.nodes.get(doc_key(goal))
        if node is not None:
            node.marks.add("goal_out")
            node.tag(say.say("goal out of reach for {who}", who="; ".join(out[goal])), "bad")
            diagram.use("goal_out")


def _visible(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.accepted is None]


def case_diagram(analysis: Analysis, layers: Sequence[str] = LAYERS) -> Diagram:
    """The whole case: organisations as lanes, documents, arrows, rules, every finding highlighted."""
    diagram = _base(analysis.case, layers)
    for finding in _visible(analysis.findings):
        mark_finding(diagram, analysis, finding)
    _mark_goals(diagram, analysis)
    return diagram


def unknown_persona(case: Case, persona_id: str, say: Words) -> str:
    """That ``case`` has no persona ``persona_id``, in the words of ``say``, with the closest ids."""
    hint = did_you_mean(persona_id, [p.id for p in case.personas], say.say("personas"), say) or ""
    return say.say("no persona {id} in case {case}; {hint}", id=shown(persona_id), case=shown(case.id),
                   hint=hint).rstrip("; ")


# ---------------------------------------------------------------- finding focus


def _find_finding(analysis: Analysis, finding_id: str) -> Finding:
    finding = analysis.finding(finding_id)
    if finding is None:
        say = words(analysis.case.language)
        hint = did_you_mean(finding_id, [f.id for f in analysis.findings], say.say("findings"), say, n=3) or ""
        raise UnknownChoice("finding", say.say("no finding {id} in case {case}; {hint}", id=shown(finding_id),
                                               case=shown(analysis.case.id), hint=hint).rstrip("; "))
    return finding


def _keep(diagram: Diagram, keep: set[str]) -> None:
    """Keep only the nodes in ``keep`` (and ``any_of`` groups between kept nodes)."""
    for node in list(diagram.nodes.values()):
        if node.kind == "group":
            tp = tp_key(node.ident.split("#")[0])
            alts = [e.tail for e in diagram.edges.values() if e.head == node.key]
            if tp in keep and any(a in keep for a in alts):
                keep.add(node.key)
    diagram.nodes = {k: n for k, n in diagram.nodes.items() if k in keep}
    diagram.edges = {k: e for k, e in diagram.edges.items() if e.tail in keep and e.head in keep}


def _neighbours(diagram: Diagram, key: str) -> set[str]:
    """Nodes one arrow away from ``key``, looking through ``any_of`` groups."""
    out: set[str] = set()
    for edge in diagram.edges.values():
        for a, b in ((edge.tail, edge.head), (edge.head, edge.tail)):
            if a != key:
                continue
            if diagram.nodes[b].kind == "group":
                for other in diagram.edges.values():
                    if other.head == b:
                        out.add(other.tail)
                    if other.tail == b:
                        out.add(other.head)
            else:
                out.add(b)
    if diagram.nodes[key].kind == "group":
        out.discard(key)
    return out


def finding_diagram(analysis: Analysis, finding_id: str, layers: Sequence[str] = LAYERS) -> Diagram:
    """One finding: its nodes and their immediate context, with the explanation as the caption."""
    finding = _find_finding(analysis, finding_id)
    diagram = _base(analysis.case, layers)
    mark_finding(diagram, analysis, finding)
    if finding.kind == "unreachable_goal":
        _mark_goals(diagram, analysis, finding.personas)
    focus = {k for n in finding.nodes for k in (tp_key(n), doc_key(n)) if k in diagram.nodes}
    for actor in finding.nodes:
        if actor in diagram.lanes:
            diagram.lane_marks.setdefault(actor, set()).add("focus")
    keep = set(focus)
    for key in sorted(focus):
        keep |= _neighbours(diagram, key)
    _keep(diagram, keep)
    for key, node in diagram.nodes.items():
        if key in focus:
            node.marks.add("focus")
        elif node.kind != "group":
            node.marks.add("context")
    for node in diagram.nodes.values():
        for line in node.rules:
            if line.rule in finding.rules or line.rule in finding.nodes:
                line.marks.add("focus")
    diagram.use("focus")
    lang = diagram.language
    severity = severity_word(lang, finding.severity).upper()
    diagram.title = f"{severity}: {finding.title}"
    diagram.caption = [finding.explanation, *finding.evidence, finding.id]
    if finding.accepted is not None:
        diagram.caption.append(words(lang).say("accepted: {reason}", reason=finding.accepted))
    return diagram


# ---------------------------------------------------------------- persona view


def persona_time_lines(analysis: Analysis, view: PersonaView, say: Words) -> list[str]:
    """A persona's goals with their days, and the road ahead, as caption lines.

    'Goals: First payment: reachable (day 35, needed by day 30: too late)', then one
    'Ahead: within a year (age 18): loses Supervised housing' for each moment a goal is
    lost or regained (:func:`kafka_tool.analysis.transitions.road_ahead`).
    """
    reachable, out_of_reach = say.say("reachable"), say.say("OUT OF REACH")
    parts = []
    for goal, ok in view.goals_reachable.items():
        when = goal_time_words(say, view.earliest(goal), view.deadlines.get(goal))
        state = reachable if ok else out_of_reach
        parts.append(f"{analysis.index.name(goal)}: {state}" + (f" ({when})" if when else ""))
    lines = [say.say("Goals: {goals}", goals="; ".join(parts))] if parts else []
    for change in road_ahead(analysis.index, view.persona, view.goals_reachable, view.ahead, say):
        lines.append(say.say("Ahead: {change}", change=change.line(say)))
    return lines


def persona_diagram(analysis: Analysis, persona_id: str, layers: Sequence[str] = LAYERS) -> Diagram:
    """What a persona can obtain and what stays out of reach, with the steps of its plan numbered."""
    view = analysis.views.get(persona_id)
    say = words(analysis.case.language)
    if view is None:
        raise UnknownChoice("persona", unknown_persona(analysis.case, persona_id, say))
    diagram = _base(analysis.case, layers)
    for finding in _visible(analysis.for_persona(persona_id)):
        mark = finding_kind(finding.kind).mark
        if mark is not None and MARKS[mark.name].persona:
            mark_finding(diagram, analysis, finding)
    persona = view.persona
    has = set(persona.has)
    goal_ok, goal_out = say.say("GOAL: reachable"), say.say("GOAL: OUT OF REACH")
    for node in diagram.nodes.values():
        if node.kind == "document":
            if node.ident in has:
                node.marks.add("obtainable")
                node.tag(say.say("has it from the start"), "good")
            elif node.ident in view.obtainable:
                node.marks.add("obtainable")
                node.tag(say.say("can get it"), "good")
            else:
                node.marks.add("out_of_reach")
                node.tag(say.say("out of reach"), "muted")
            if node.ident in view.goals_reachable:
                ok = view.goals_reachable[node.ident]
                node.marks.add("goal_ok" if ok else "goal_out")
                node.tag(goal_ok if ok else goal_out, "good" if ok else "bad", first=True)
        elif node.kind == "touchpoint":
            if node.ident in view.helpful:
                node.marks.add("helpful")
                node.tag(say.say("can help"), "good")
            else:
                node.marks.add("cannot_help")
                if node.ident in view.excluded_by:
                    node.tag(say.say("excluded by a rule"), "bad")
                    for line in node.rules:
                        if line.rule in view.excluded_by[node.ident]:
                            line.marks.add("excludes")
                else:
                    node.tag(say.say("cannot help"), "muted")
    for n, tp in enumerate(view.plan, 1):
        step = diagram.nodes.get(tp_key(tp))
        if step is not None:
            step.step = say.say("step {n}", n=n)
    diagram.use("persona.obtainable")
    diagram.use("persona.out")
    if view.plan:
        diagram.use("persona.plan")
    diagram.title = f"{persona.name} — {analysis.case.title}"
    caption = list(persona.about)
    caption += persona_time_lines(analysis, view, say)
    if view.plan:
        caption.append(say.say("Plan: {burden}", burden=burden_words(say.language, view.burden.to_json(),
                                                                         analysis.case.currency)))
    elif not all(view.goals_reachable.values()):
        caption.append(say.say("No way to reach every goal."))
    diagram.caption = caption
    diagram.persona_name = persona.name
    return diagram


# ---------------------------------------------------------------- journey view


def journey_keys(case: Case) -> list[str]:
    """The names of the case's journeys: the persona id, with ``/2``, ``/3`` for a persona's later ones."""
    seen: dict[str, int] = {}
    keys = []
    for journey in case.journeys:
        seen[journey.persona] = seen.get(journey.persona, 0) + 1
        n = seen[journey.persona]
        keys.append(journey.persona if n == 1 else f"{journey.persona}/{n}")
    return keys


def journey_diagram(analysis: Analysis, journey_key: str) -> Diagram:
    """The reconstructed journey as a timeline across the organisations' lanes.

    Each contact is a box in the lane of its organisation, with its date,
    outcome and note; a return to a place already visited is drawn in
    orange with an arrow back to the first visit.
    """
    from kafka_tool.analysis.journeys import journey_returns

    case = analysis.case
    keys = journey_keys(case)
    say = words(case.language)
    if journey_key not in keys:
        hint = did_you_mean(journey_key, keys, say.say("journeys"), say) or ""
        raise UnknownChoice("journey", say.say("no journey {id} in case {case}; {hint}", id=shown(journey_key),
                                               case=shown(case.id), hint=hint).rstrip("; "))
    journey = case.journeys[keys.index(journey_key)]
    index = analysis.index
    title = say.say("Journey of {who}", who=index.name(journey.persona))
    diagram = Diagram(language=case.language, title=title + (f": {journey.title}" if journey.title else ""),
                      currency=case.currency)
    diagram.timeline = True
    _lanes(case, diagram, say)
    steps = [(s.touchpoint, index.actor_of(s.touchpoint)) for s in journey.steps]
    returns, _, _ = journey_returns(steps)
    first_visit: dict[str, int] = {}
    previous: Node | None = None
    for n, step in enumerate(journey.steps, 1):
        tp = index.touchpoints.get(step.touchpoint)
        actor = tp.actor if tp is not None else None
        node = diagram.add_node(
            Node(
                f"s_{n}",
                "step",
                step.touchpoint,
                tp.name if tp is not None else step.touchpoint,
                lane=actor if actor in diagram.lanes else NOBODY,
            )
        )
        if node.lane == NOBODY:
            diagram.use("nobody")
        number = say.say("step {n}", n=n)
        node.step = f"{number} · {step.date.isoformat()}"
        outcome, tone = OUTCOMES[step.outcome]
        node.tag(say.say(outcome).upper(), tone)
        if tp is None:
            node.tag(say.say("(touchpoint no longer in the case)"), "muted")
        if step.to:
            node.tag(say.say("sent to: {to}", to=index.name(step.to)), "muted")
        if step.note:
            node.sub = "“" + step.note.strip() + "”"
        if n - 1 in returns:
            node.marks.add("back")
            diagram.use("journey.back")
            earlier = first_visit.get(step.touchpoint)
            if earlier is None and actor is not None:
                earlier = next((i for i, (t, a) in enumerate(steps[: n - 1], 1) if a == actor), None)
            if earlier is not None:
                node.tag(say.say("BACK AGAIN (first visit: step {n})", n=earlier), "loop")
                diagram.add_edge(Edge(node.key, f"s_{earlier}", "back"))
        first_visit.setdefault(step.touchpoint, n)
        if previous is not None:
            diagram.add_edge(Edge(previous.key, node.key, "next"))
        previous = node
    diagram.use("journey.step")
    diagram.use("journey.next")
    return diagram


# ---------------------------------------------------------------- intervention view


def intervention_diagram(comparison: Comparison, layers: Sequence[str] = LAYERS) -> Diagram:
    """The case after an intervention, drawn over the case before it: removed and added parts marked."""
    before = _base(comparison.before.case, layers)
    after = _base(comparison.after.case, layers)
    for finding in _visible(comparison.after.findings):
        mark_finding(after, comparison.after, finding)
    _mark_goals(after, comparison.after)
    say = words(after.language)
    removed, added, changed = say.say("REMOVED"), say.say("ADDED"), say.say("CHANGED")
    for key, node in after.nodes.items():
        old = before.nodes.get(key)
        if old is None:
            node.marks.add("added")
            node.tag(added, "good")
            after.use("added")
            continue
        if old.lane != node.lane:
            node.marks.add("changed")
            old_lane = before.lanes[old.lane][0] if old.lane in before.lanes else say.say("NOBODY RESPONSIBLE")
            node.tag(say.say("moved from {old}", old=old_lane), "info")
            after.use("changed")
        old_rules = {line.rule for line in old.rules}
        before_case, after_case = comparison.before.case, comparison.after.case
        for line in node.rules:
            was, now = before_case.rule(line.rule), after_case.rule(line.rule)
            if line.rule not in old_rules or (was is not None and now is not None and was.when != now.when):
                line.marks.add("changed")
                line.tag(changed, "info")
                after.use("changed")
    for key, node in before.nodes.items():
        if key not in after.nodes:
            node.marks = {"removed"}
            node.tags, node.hidden = [(removed, "muted")], 0
            after.nodes[key] = node
            after.use("removed")
    for edge_key, edge in after.edges.items():
        old_edge = before.edges.get(edge_key)
        if old_edge is None:
            edge.marks.add("added")
            edge.label(added, "good")
            after.use("added")
        elif "fetched" in edge.marks and "fetched" not in old_edge.marks:
            edge.marks.add("changed")
            edge.label(say.say("now fetched by the organisation"), "info")
            after.use("changed")
    for edge_key, edge in before.edges.items():
        if edge_key not in after.edges:
            edge.marks = {"removed"}
            edge.labels, edge.hidden = [(removed, "bad")], 0
            after.edges[edge_key] = edge
            after.use("removed")
    case = comparison.case
    items = [(ident, case.intervention(ident)) for ident in comparison.intervention_ids]
    titles = [item.title if item is not None else ident for ident, item in items]
    after.title = say.say("After: {title}", title="; ".join(t or "" for t in titles))
    owners = []
    for ident in comparison.intervention_ids:
        item = case.intervention(ident)
        if item is not None and item.owner:
            owners.append(comparison.before.index.name(item.owner))
    caption = []
    for ident in comparison.intervention_ids:
        item = case.intervention(ident)
        if item is not None and item.description:
            caption.append(item.description.strip())
    if owners:
        caption.append(say.say("Who can do it: {owner}", owner=", ".join(dict.fromkeys(owners))))
    none = say.say("nothing")
    caption.append(say.say("Resolves: {items}", items="; ".join(f.title for f in comparison.resolved) or none))
    caption.append(say.say("Introduces: {items}", items="; ".join(f.title for f in comparison.introduced) or none))
    if comparison.changed:
        caption.append(say.say("Changes: {items}", items="; ".join(
            f"{c.after.title} ({change_words(say, comparison.before.index, c)})" for c in comparison.changed)))
    after.caption = caption
    return after
