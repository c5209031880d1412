"""The tree of a case: the case itself (with its teaching notes), attributes, actors with their
touchpoints, documents, rules, personas, journeys, interventions and accepted findings."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from kafka_tool.analysis.engine import Analysis
from kafka_tool.findings import Finding
from kafka_tool.i18n import words
from kafka_tool.model import Case, Touchpoint

from ..messages import ElementSelected
from ..state import ElementRef

__all__ = ["CaseTree", "finding_counts", "finding_touches"]


def finding_touches(finding: Finding, case: Case, ref: ElementRef) -> bool:
    """Whether a finding concerns an element (journeys: a journey loop of its persona)."""
    if ref.kind == "journey":
        journeys = case.journeys
        index = int(ref.key)
        return finding.kind == "journey_loop" and index < len(journeys) and journeys[index].persona in finding.personas
    if ref.kind in ("intervention", "case", "teaching", "attribute", "acceptance"):
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


#: The tree's groups: (title, kind, [(name, ref, [(child name, child ref)])]); a group whose
#: kind is ``case`` is the case itself, its members what belongs to it (the teaching notes).
_Shape = list[tuple[str, str, list[tuple[str, ElementRef, list[tuple[str, ElementRef]]]]]]


def _attribute_summary(attribute: object) -> str:
    kind = str(getattr(attribute, "type", ""))
    if kind == "category":
        return ", ".join(getattr(attribute, "values", []))
    if kind in ("integer", "number"):
        low, high = getattr(attribute, "min", None), getattr(attribute, "max", None)
        bounds = f"{'' if low is None else low}–{'' if high is None else high}" if (low, high) != (None, None) else ""
        return " ".join(filter(None, [kind, bounds, getattr(attribute, "unit", None) or ""]))
    return kind


def _shape(case: Case) -> _Shape:
    """What the tree shows of ``case``, without the finding counts."""
    say = words(case.language).say
    teaching = case.teaching
    about = say("Teaching notes") if teaching is not None else say("Teaching notes (none yet)")
    shape: _Shape = [
        (say("Case: {title}", title=case.title), "case", [(about, ElementRef("teaching", "teaching"), [])]),
        (say("Attributes"), "attribute", [(f"{name}  ({_attribute_summary(a)})", ElementRef("attribute", name), [])
                                          for name, a in case.attributes.items()]),
    ]
    served: dict[str, list[Touchpoint]] = {a.id: [] for a in case.actors}
    for tp in case.touchpoints:
        if tp.actor in served:
            served[tp.actor].append(tp)
    shape += [
        (
            "Actors",
            "actor",
            [
                (a.name, ElementRef("actor", a.id), [(t.name, ElementRef("touchpoint", t.id)) for t in served[a.id]])
                for a in case.actors
            ],
        )
    ]
    orphans = [t for t in case.touchpoints if not t.actor or t.actor not in served]
    if orphans:
        shape.append(("Touchpoints without an actor", "touchpoint",
                      [(t.name, ElementRef("touchpoint", t.id), []) for t in orphans]))
    names = {p.id: p.name for p in case.personas}
    shape += [
        ("Documents", "document", [(d.name, ElementRef("document", d.id), []) for d in case.documents]),
        ("Rules", "rule", [(r.name, ElementRef("rule", r.id), []) for r in case.rules]),
        ("Personas", "persona", [(p.name, ElementRef("persona", p.id), []) for p in case.personas]),
        (
            "Journeys",
            "journey",
            [
                (j.title or f"Journey of {names.get(j.persona, j.persona)}", ElementRef("journey", str(n)), [])
                for n, j in enumerate(case.journeys)
            ],
        ),
        ("Interventions", "intervention",
         [(i.title, ElementRef("intervention", i.id), []) for i in case.interventions]),
        (say("Accepted findings"), "acceptance",
         [(a.finding, ElementRef("acceptance", str(n)), []) for n, a in enumerate(case.accepted)]),
    ]
    return shape


#: Cases with up to this many elements open with every group expanded.
OPEN_GROUPS_UP_TO = 400


class CaseTree(Tree[ElementRef | None]):
    """Every element of the case; each shows how many findings touch it."""

    HELP = """\
## Case tree

Every element of the case, grouped: actors with the touchpoints they serve at,
documents, rules, personas, journeys and interventions. The number after an
element is how many findings touch it. Elements of the selected finding are
marked with ▶.

At the top, the case itself (`e` edits its id, title, language, summary,
source and tags) with its teaching notes; then the attributes that rules and
personas use; at the bottom the findings the team accepted (a stale one, whose
finding no longer occurs, is marked: `delete` removes it).

- `enter` / `space`: open or close a group
- `a` add, `e` edit, `r` rename, `delete` delete the selected element
- `#` shows the ids beside the names
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
        self._shape: _Shape = []
        self._names: dict[ElementRef, str] = {}
        self._label_keys: dict[ElementRef, tuple[int, bool]] = {}
        self._pending: ElementRef | None = None
        #: the ids are shown beside the names (``#``)
        self.show_ids = False
        self._stale: frozenset[str] = frozenset()
        self._language = "en"
        #: the rows of groups not opened yet, and the group of every element
        self._members: dict[str, list[tuple[str, ElementRef, list[tuple[str, ElementRef]]]]] = {}
        self._group_of: dict[ElementRef, str] = {}

    def _label(self, name: str, ref: ElementRef, count: int) -> Text:
        marked = ref.key in self._marked
        text = Text()
        text.append("▶" if marked else " ", "bold red")
        text.append(f"{count:>2} " if count else "   ", "bold red" if marked else "red")
        if ref.kind == "acceptance" and self._is_stale(ref):
            text.append(words(self._language).say("stale") + " ", "bold yellow")
        text.append(name, "bold" if marked else "")
        if self.show_ids and ref.kind not in ("journey", "acceptance", "attribute", "teaching"):
            text.append(f"  {ref.key}", "dim")
        return text

    def _is_stale(self, ref: ElementRef) -> bool:
        if self._case is None or not ref.key.isdigit() or int(ref.key) >= len(self._case.accepted):
            return False
        return self._case.accepted[int(ref.key)].finding in self._stale

    def start_cursor(self) -> None:
        """Put the cursor on the first row when it is on none."""
        if self.cursor_line < 0 and self.root.children:
            self.move_cursor(self.root.children[0])

    def toggle_ids(self) -> None:
        """Show or hide the ids beside the names."""
        self.show_ids = not self.show_ids
        self._label_keys = {}
        self._relabel()

    def show_case(self, case: Case, analysis: Analysis | None, marked: frozenset[str] = frozenset()) -> None:
        """Show ``case``: rebuilt when its elements changed (keeping open groups and the cursor),
        else only the labels whose count or mark changed are redrawn."""
        self._case = case
        self._marked = marked
        self._language = case.language
        stale = frozenset(analysis.stale_accepted) if analysis is not None else self._stale
        if stale != self._stale:
            self._stale = stale
            self._label_keys = {}
        self._counts = finding_counts(analysis) if analysis is not None else Counter()
        self._journey_counts = Counter(
            p for f in (analysis.findings if analysis else []) if f.kind == "journey_loop" for p in f.personas
        )
        shape = _shape(case)
        if self.root.children and shape == self._shape:
            self._relabel()
            return
        self._rebuild(shape)

    def _relabel(self) -> None:
        for ref, node in self._ref_nodes.items():
            key = (self._count(ref), ref.key in self._marked)
            if self._label_keys.get(ref) != key:
                self._label_keys[ref] = key
                node.set_label(self._label(self._names[ref], ref, key[0]))

    def _rebuild(self, shape: _Shape) -> None:
        selected = self.selected_ref
        # Groups are known by their kind: a title changes with the count (and the case's title).
        opened = {node.data.kind for node in self.root.children if node.is_expanded and node.data is not None}
        first_build = not self.root.children
        self.clear()
        self._shape = shape
        self._ref_nodes = {}
        self._names = {}
        self._label_keys = {}
        self._members = {}
        self._group_of = {}
        groups: dict[str, TreeNode[ElementRef | None]] = {}
        # A large case opens with its groups closed, and a group's rows are made when it is
        # first opened: making thousands of rows takes seconds.
        small = sum(len(members) for _, _, members in shape) <= OPEN_GROUPS_UP_TO
        for title, kind, members in shape:
            if kind == "case":  # the case itself: a node to edit, not a heading
                group = self.root.add(Text(title, "bold"), data=ElementRef("case", "header"),
                                      allow_expand=bool(members))
            else:
                group = self.root.add(f"{title} ({len(members)})", data=ElementRef(kind, ""),
                                      allow_expand=bool(members))
            groups[title] = group
            self._members[title] = members
            for _name, ref, children in members:
                self._group_of[ref] = title
                for _child_name, child_ref in children:
                    self._group_of[child_ref] = title
        self._groups = groups
        for title, group in groups.items():
            if (first_build and small) or (group.data is not None and group.data.kind in opened):
                self._populate(title)
                group.expand()
        if selected is not None:
            self._pending = selected
            self.call_after_refresh(self._restore)

    def _populate(self, title: str) -> None:
        """Make the rows of a group, once."""
        members = self._members.pop(title, None)
        if members is None:
            return
        group = self._groups[title]

        def leaf(parent: TreeNode[ElementRef | None], name: str, ref: ElementRef,
                 allow_expand: bool = False) -> TreeNode[ElementRef | None]:
            key = (self._count(ref), ref.key in self._marked)
            node = parent.add(self._label(name, ref, key[0]), data=ref, allow_expand=allow_expand, expand=True)
            self._ref_nodes[ref] = node
            self._names[ref] = name
            self._label_keys[ref] = key
            return node

        for name, ref, children in members:
            node = leaf(group, name, ref, allow_expand=bool(children))
            for child_name, child_ref in children:
                leaf(node, child_name, child_ref)

    def _node_of(self, ref: ElementRef) -> TreeNode[ElementRef | None] | None:
        """The row of an element, made first if its group has not been opened yet."""
        if ref not in self._ref_nodes and ref in self._group_of:
            self._populate(self._group_of[ref])
        return self._ref_nodes.get(ref)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[ElementRef | None]) -> None:
        """Opening a group makes its rows."""
        node = event.node
        if node.parent is self.root:
            title = next((t for t, g in self._groups.items() if g is node), None)
            if title is not None and title in self._members:
                self._populate(title)

    def mark(self, ids: frozenset[str]) -> None:
        """Mark the elements of the selected finding (▶), without rebuilding the tree."""
        self._marked = ids
        if self._case is None:
            return
        for ref in [r for r in self._group_of if r.key in ids and r not in self._ref_nodes]:
            self._node_of(ref)
        self._relabel()
        for ref, node in self._ref_nodes.items():
            if ref.key in ids and node.parent is not None and not node.parent.is_expanded:
                node.parent.expand()

    def _count(self, ref: ElementRef) -> int:
        if ref.kind == "journey" and self._case is not None:
            return self._journey_counts[self._case.journeys[int(ref.key)].persona]
        if ref.kind in ("intervention", "case", "teaching", "attribute", "acceptance"):
            return 0
        return self._counts[ref.key]

    def _restore(self) -> None:
        ref, self._pending = self._pending, None
        if ref is None:
            return
        node = self._ref_nodes.get(ref) or next((g for g in self._groups.values() if g.data == ref), None)
        if node is not None:
            self.move_cursor(node)

    def select_ref(self, ref: ElementRef) -> bool:
        """Move the cursor to an element; False when it is not in the tree."""
        node = self._node_of(ref) or next((g for g in self._groups.values() if g.data == ref), None)
        if node is None:
            return False
        parent = node.parent
        while parent is not None and parent is not self.root:
            parent.expand()
            parent = parent.parent
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
