"""The tree of a case: actors with their touchpoints, documents, rules, personas, journeys, interventions."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from kafka_tool.analysis.engine import Analysis
from kafka_tool.findings import Finding
from kafka_tool.model import Case

from ..messages import ElementSelected
from ..state import ElementRef

__all__ = ["CaseTree", "finding_counts", "finding_touches"]


def finding_touches(finding: Finding, case: Case, ref: ElementRef) -> bool:
    """Whether a finding concerns an element (journeys: a journey loop of its persona)."""
    if ref.kind == "journey":
        journeys = case.journeys
        index = int(ref.key)
        return finding.kind == "journey_loop" and index < len(journeys) and journeys[index].persona in finding.personas
    if ref.kind == "intervention":
        return False
    return (
        ref.key in finding.nodes or ref.key in finding.personas or ref.key in finding.actors or ref.key in finding.rules
    )


def finding_counts(analysis: Analysis) -> Counter[str]:
    """For every element id, how many findings touch it."""
    counts: Counter[str] = Counter()
    for finding in analysis.findings:
        for ident in {*finding.nodes, *finding.personas, *finding.actors, *finding.rules}:
            counts[ident] += 1
    return counts


class CaseTree(Tree[ElementRef | None]):
    """Every element of the case; each shows how many findings touch it."""

    HELP = """\
## Case tree

Every element of the case, grouped: actors with the touchpoints they serve at,
documents, rules, personas, journeys and interventions. The number after an
element is how many findings touch it. Elements of the selected finding are
marked with ▶.

- `enter` / `space`: open or close a group
- `a` add, `e` edit, `r` rename, `delete` delete the selected element
"""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("Case", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        self._case: Case | None = None
        self._counts: Counter[str] = Counter()
        self._journey_counts: Counter[str] = Counter()
        self._marked: frozenset[str] = frozenset()
        self._ref_nodes: dict[ElementRef, TreeNode[ElementRef | None]] = {}
        self._groups: dict[str, TreeNode[ElementRef | None]] = {}
        self._pending: ElementRef | None = None

    def _label(self, name: str, ref: ElementRef, count: int) -> Text:
        marked = ref.key in self._marked
        text = Text()
        text.append("▶" if marked else " ", "bold red")
        text.append(f"{count:>2} " if count else "   ", "bold red" if marked else "red")
        text.append(name, "bold" if marked else "")
        return text

    def show_case(self, case: Case, analysis: Analysis | None, marked: frozenset[str] = frozenset()) -> None:
        """(Re)build the tree for ``case``, keeping open groups and the cursor where they were."""
        selected = self.selected_ref
        opened = {
            str(node.label.plain if isinstance(node.label, Text) else node.label).split(" (")[0]
            for node in self.root.children
            if node.is_expanded
        }
        first_build = not self.root.children
        self._case = case
        self._marked = marked
        self._counts = finding_counts(analysis) if analysis is not None else Counter()
        self._journey_counts = Counter(
            p for f in (analysis.findings if analysis else []) if f.kind == "journey_loop" for p in f.personas
        )
        self.clear()
        self._ref_nodes = {}
        groups: dict[str, TreeNode[ElementRef | None]] = {}

        def group(title: str, size: int, kind: str) -> TreeNode[ElementRef | None]:
            node = self.root.add(f"{title} ({size})", data=ElementRef(kind, ""))
            groups[title] = node
            if first_build or title in opened:
                node.expand()
            return node

        def leaf(
            parent: TreeNode[ElementRef | None], name: str, ref: ElementRef, count: int, allow_expand: bool = False
        ) -> TreeNode[ElementRef | None]:
            node = parent.add(self._label(name, ref, count), data=ref, allow_expand=allow_expand, expand=True)
            self._ref_nodes[ref] = node
            return node

        actors = group("Actors", len(case.actors), "actor")
        served = {a.id: [t for t in case.touchpoints if t.actor == a.id] for a in case.actors}
        for actor in case.actors:
            node = leaf(
                actors,
                actor.name,
                ElementRef("actor", actor.id),
                self._counts[actor.id],
                allow_expand=bool(served[actor.id]),
            )
            for tp in served[actor.id]:
                leaf(node, tp.name, ElementRef("touchpoint", tp.id), self._counts[tp.id])
        orphans = [t for t in case.touchpoints if not t.actor or t.actor not in served]
        if orphans:
            loose = group("Touchpoints without an actor", len(orphans), "touchpoint")
            for tp in orphans:
                leaf(loose, tp.name, ElementRef("touchpoint", tp.id), self._counts[tp.id])
        documents = group("Documents", len(case.documents), "document")
        for doc in case.documents:
            leaf(documents, doc.name, ElementRef("document", doc.id), self._counts[doc.id])
        rules = group("Rules", len(case.rules), "rule")
        for rule in case.rules:
            leaf(rules, rule.name, ElementRef("rule", rule.id), self._counts[rule.id])
        personas = group("Personas", len(case.personas), "persona")
        for persona in case.personas:
            leaf(personas, persona.name, ElementRef("persona", persona.id), self._counts[persona.id])
        journeys = group("Journeys", len(case.journeys), "journey")
        names = {p.id: p.name for p in case.personas}
        for n, journey in enumerate(case.journeys):
            title = journey.title or f"Journey of {names.get(journey.persona, journey.persona)}"
            leaf(journeys, title, ElementRef("journey", str(n)), self._journey_counts[journey.persona])
        interventions = group("Interventions", len(case.interventions), "intervention")
        for intervention in case.interventions:
            leaf(interventions, intervention.title, ElementRef("intervention", intervention.id), 0)
        self._groups = groups
        if selected is not None:
            self._pending = selected
            self.call_after_refresh(self._restore)

    def mark(self, ids: frozenset[str]) -> None:
        """Mark the elements of the selected finding (▶), without rebuilding the tree."""
        self._marked = ids
        if self._case is None:
            return
        for ref, node in self._ref_nodes.items():
            node.set_label(self._label(self._plain_name(node), ref, self._count(ref)))
            if ref.key in ids and node.parent is not None and not node.parent.is_expanded:
                node.parent.expand()

    def _count(self, ref: ElementRef) -> int:
        if ref.kind == "journey" and self._case is not None:
            return self._journey_counts[self._case.journeys[int(ref.key)].persona]
        return 0 if ref.kind == "intervention" else self._counts[ref.key]

    @staticmethod
    def _plain_name(node: TreeNode[ElementRef | None]) -> str:
        label = node.label.plain if isinstance(node.label, Text) else str(node.label)
        return label[4:]

    def _restore(self) -> None:
        ref, self._pending = self._pending, None
        if ref is None:
            return
        node = self._ref_nodes.get(ref) or next((g for g in self._groups.values() if g.data == ref), None)
        if node is not None:
            self.move_cursor(node)

    def select_ref(self, ref: ElementRef) -> bool:
        """Move the cursor to an element; False when it is not in the tree."""
        node = self._ref_nodes.get(ref)
        if node is None:
            return False
        if node.parent is not None:
            node.parent.expand()
        self._pending = ref
        if node.line >= 0:
            self._restore()
        else:
            self.call_after_refresh(self._restore)
        return True

    @property
    def selected_ref(self) -> ElementRef | None:
        """The element under the cursor (a group heading: key ``""``)."""
        if self._pending is not None:
            return self._pending
        return self.cursor_node.data if self.cursor_node is not None else None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[ElementRef | None]) -> None:
        """Tell the screen which element is selected."""
        event.stop()
        self.post_message(ElementSelected(event.node.data))
