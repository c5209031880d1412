"""The tree of a case: the case itself (with its teaching notes), attributes, actors with their
touchpoints, documents, rules, personas, journeys, interventions and accepted findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from kafka_tool.analysis.engine import Analysis
from kafka_tool.findings import Finding
from kafka_tool.i18n import N_, Words
from kafka_tool.model import Case, Touchpoint
from kafka_tool.vocabulary import VALUE_WORDS

from ..messages import ElementSelected
from ..state import ElementRef

__all__ = ["CaseTree", "distinct_names", "shared_start", "finding_counts", "finding_touches"]


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


def _attribute_summary(attribute: object, say: Callable[..., str]) -> str:
    kind = str(getattr(attribute, "type", ""))
    if kind == "category":
        return ", ".join(getattr(attribute, "values", []))
    word = say(VALUE_WORDS["type"][kind]) if kind in VALUE_WORDS["type"] else kind
    if kind in ("integer", "number"):
        low, high = getattr(attribute, "min", None), getattr(attribute, "max", None)
        bounds = f"{'' if low is None else low}–{'' if high is None else high}" if (low, high) != (None, None) else ""
        return " ".join(filter(None, [word, bounds, getattr(attribute, "unit", None) or ""]))
    return word


def _shape(case: Case, say: Callable[..., str]) -> _Shape:
    """What the tree shows of ``case``, without the finding counts (``say``: in the interface's language)."""
    teaching = case.teaching
    about = say("Teaching notes") if teaching is not None else say("Teaching notes (none yet)")
    shape: _Shape = [
        (say("Case: {title}", title=case.title), "case", [(about, ElementRef("teaching", "teaching"), [])]),
        (say("Attributes"), "attribute", [(f"{name}  ({_attribute_summary(a, say)})", ElementRef("attribute", name), [])
                                          for name, a in case.attributes.items()]),
    ]
    served: dict[str, list[Touchpoint]] = {a.id: [] for a in case.actors}
    for tp in case.touchpoints:
        if tp.actor in served:
            served[tp.actor].append(tp)
    shape += [
        (
            say("Actors"),
            "actor",
            [
                (a.name, ElementRef("actor", a.id), [(t.name, ElementRef("touchpoint", t.id)) for t in served[a.id]])
                for a in case.actors
            ],
        )
    ]
    orphans = [t for t in case.touchpoints if not t.actor or t.actor not in served]
    if orphans:
        shape.append((say("Touchpoints without an actor"), "touchpoint",
                      [(t.name, ElementRef("touchpoint", t.id), []) for t in orphans]))
    names = {p.id: p.name for p in case.personas}
    shape += [
        (say("Documents"), "document", [(d.name, ElementRef("document", d.id), []) for d in case.documents]),
        (say("Rules"), "rule", [(r.name, ElementRef("rule", r.id), []) for r in case.rules]),
        (say("Personas"), "persona", [(p.name, ElementRef("persona", p.id), []) for p in case.personas]),
        (
            say("Journeys"),
            "journey",
            [
                (j.title or say("Journey of {persona}", persona=names.get(j.persona, j.persona)),
                 ElementRef("journey", str(n)), [])
                for n, j in enumerate(case.journeys)
            ],
        ),
        (say("Interventions"), "intervention",
         [(i.title, ElementRef("intervention", i.id), []) for i in case.interventions]),
        (say("Accepted findings"), "acceptance",
         [(a.finding, ElementRef("acceptance", str(n)), []) for n, a in enumerate(case.accepted)]),
    ]
    return shape


#: Cases with up to this many elements open with every group expanded.
OPEN_GROUPS_UP_TO = 400

#: Below this many columns the tree leaves out the finding counts: the names need the room.
COUNTS_FROM_WIDTH = 30

#: The kinds of element the tree opens on (the first of them), in the tree's order.
_ELEMENT_KINDS = ("actor", "touchpoint", "document", "rule", "persona", "journey", "intervention")


def _cut(text: str, width: int) -> str:
    """``text`` in ``width`` columns, with … where it is cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def shared_start(texts: Sequence[str]) -> int:
    """How many characters all ``texts`` begin with, back to the start of the word they differ in."""
    first, last = min(texts), max(texts)  # of sorted strings, these two differ first
    end = 0
    while end < len(first) and first[end] == last[end]:
        end += 1
    while end > 0 and first[end - 1].isalnum():
        end -= 1
    return end


def distinct_names(rows: Sequence[tuple[str, str, int]], kinds: Sequence[str] = ()) -> dict[int, tuple[str, str]]:
    """For rows of (name, id, width) that would read alike in their widths: what to show instead.

    Only rows of the same kind (``kinds``, by row; all one kind when not given) are compared: an
    actor and a touchpoint at it are told apart by where they are.

    Two names read alike when they agree on all but the last four columns they get (cut, they
    look the same). A group of such names shows its first word, then what tells them apart
    ("Gemeente… Werk en inkomen"); names that are the same (or whose rest still reads alike)
    show their id after the name. The answer, by row number: (the name to show, the id or "").
    """
    clusters: dict[str, list[int]] = {}
    reach = max(1, min((width for _, _, width in rows), default=1) - 4)
    for n, (name, _, _) in enumerate(rows):
        clusters.setdefault((kinds[n] if kinds else "") + "\0" + name[:reach], []).append(n)
    shown: dict[int, tuple[str, str]] = {}
    for members in clusters.values():
        if len(members) < 2:
            continue
        alike = [n for n in members if any(
            m != n and rows[m][0][: rows[n][2] - 4] == rows[n][0][: rows[n][2] - 4] for m in members)]
        if not alike:
            continue
        names = [rows[n][0] for n in members]
        common = shared_start(names)
        first = names[0].split()[0] if names[0].split() else names[0]
        for n in alike:
            name, ident, width = rows[n]
            tail = name[common:].strip()
            rests = {rows[m][0][common:].strip()[: width - 4] for m in members}
            if common >= 6 and tail and len(rests) == len(members):
                shown[n] = (f"{first[: max(3, min(10, width // 3))]}… {tail}", "")
            else:
                shown[n] = (_cut(name, max(4, width - len(ident) - 1)), ident)
    return shown


class CaseTree(Tree[ElementRef | None]):
    """Every element of the case; each shows how many findings touch it (where there is room)."""

    HELP = N_("""\
## Case tree

Every element of the case, grouped: actors with the touchpoints they serve at,
documents, rules, personas, journeys and interventions. The number before an
element is how many findings touch it (on a narrow screen it is left out, and
the detail pane lists them). Elements of the selected finding are marked
with ▶; a large group not opened yet counts them on its title (`▶ 3 marked`).
Two names that would read alike show what tells them apart, or their id.

At the top, the case itself (`e` edits its id, title, language, summary,
source and tags) with its teaching notes; then the attributes that rules and
personas use; at the bottom the findings the team accepted (a stale one, whose
finding no longer occurs, is marked: `delete` removes it).

- `enter` / `space`: open or close a group
- `a` adds an element of the group the cursor is in, `e` edit, `r` rename,
  `delete` delete the selected element
- `#` shows the ids beside the names
""")

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
        #: what each row shows instead of its name, when names would read alike (see :func:`distinct_names`)
        self._shown: dict[ElementRef, tuple[str, str]] = {}
        #: how far each row's label is indented (the guides, and the toggle of a row with rows under it)
        self._indent: dict[ElementRef, int] = {}
        self._label_keys: dict[ElementRef, tuple[object, ...]] = {}
        self._pending: ElementRef | None = None
        #: the ids are shown beside the names (``#``)
        self.show_ids = False
        self._stale: frozenset[str] = frozenset()
        #: the rows of groups not opened yet, and the group of every element
        self._members: dict[str, list[tuple[str, ElementRef, list[tuple[str, ElementRef]]]]] = {}
        self._group_of: dict[ElementRef, str] = {}
        #: by group: how many elements, how many rows (with the touchpoints under the actors), and
        #: how many marked elements its title counts while its rows are not made
        self._sizes: dict[str, int] = {}
        self._rows_in: dict[str, int] = {}
        self._group_marks: dict[str, int] = {}

    @property
    def words(self) -> Words:
        """The words of the interface, for the open case."""
        language = self._case.language if self._case is not None else None
        return self.app.words_for(language)  # type: ignore[attr-defined, no-any-return]

    @property
    def show_counts(self) -> bool:
        """Whether the rows have room for their finding counts."""
        return self.scrollable_content_region.width >= COUNTS_FROM_WIDTH

    def _label(self, name: str, ref: ElementRef, count: int, counts: bool) -> Text:
        """A row's label; ``counts``: whether it has room for its finding count (:attr:`show_counts`)."""
        marked = ref.key in self._marked
        text = Text()
        text.append("▶" if marked else " ", "bold red")
        if counts:
            text.append(f"{count:>2} " if count else "   ", "bold red" if marked else "red")
        if ref.kind == "acceptance" and self._is_stale(ref):
            text.append(self.words.say("stale") + " ", "bold yellow")
        shown, ident = self._shown.get(ref, (name, ""))
        text.append(shown, "bold" if marked else "")
        if self.show_ids and ref.kind not in ("journey", "acceptance", "attribute", "teaching"):
            text.append(f"  {ref.key}", "dim")
        elif ident:
            text.append(f" {ident}", "dim")
        return text

    def _is_stale(self, ref: ElementRef) -> bool:
        if self._case is None or not ref.key.isdigit() or int(ref.key) >= len(self._case.accepted):
            return False
        return self._case.accepted[int(ref.key)].finding in self._stale

    def start_cursor(self) -> None:
        """Put the cursor on the first element (its detail shows); on the case when it has none, or
        when the case is so large that its groups open closed."""
        first = next((ref for _, kind, members in self._shape if kind in _ELEMENT_KINDS
                      for _, ref, _ in members), None)
        if first is not None and first in self._ref_nodes and self.select_ref(first):
            return
        if self.cursor_line < 0 and self.root.children:
            self.move_cursor(self.root.children[0])

    def toggle_ids(self) -> None:
        """Show or hide the ids beside the names."""
        self.show_ids = not self.show_ids
        self._fit_names()

    def show_case(self, case: Case, analysis: Analysis | None, marked: frozenset[str] = frozenset()) -> None:
        """Show ``case``: rebuilt when its elements changed (keeping open groups and the cursor),
        else only the labels whose count or mark changed are redrawn."""
        self._case = case
        self._marked = marked
        stale = frozenset(analysis.stale_accepted) if analysis is not None else self._stale
        if stale != self._stale:
            self._stale = stale
            self._label_keys = {}
        self._counts = finding_counts(analysis) if analysis is not None else Counter()
        self._journey_counts = Counter(
            p for f in (analysis.findings if analysis else []) if f.kind == "journey_loop" for p in f.personas
        )
        say = self.words.say
        self.border_title = say("Case · number = findings") if self.show_counts else say("Case")
        shape = _shape(case, say)
        if self.root.children and shape == self._shape:
            self._relabel()
            return
        self._rebuild(shape)

    def on_resize(self) -> None:
        """Another width: the counts come or go, and names that now read alike are told apart."""
        if self._case is not None:
            say = self.words.say
            self.border_title = say("Case · number = findings") if self.show_counts else say("Case")
        self._fit_names()

    def _fit_names(self) -> None:
        """Work out, for the rows made so far, what tells apart the names that would read alike."""
        width = self.scrollable_content_region.width
        if width <= 0:
            self._relabel()
            return
        prefix = 1 + (3 if self.show_counts else 0)
        refs = list(self._ref_nodes)
        rows = [(self._names[ref], ref.key if ref.kind not in ("journey", "acceptance") else "",
                 max(8, width - self._indent.get(ref, 2) - prefix)) for ref in refs]
        found = distinct_names(rows, [ref.kind for ref in refs])
        self._shown = {refs[n]: shown for n, shown in found.items()}
        self._relabel()

    def _label_key(self, ref: ElementRef, counts: bool) -> tuple[object, ...]:
        """What a row's label is made of: it is made again only when this changes."""
        return (self._count(ref), ref.key in self._marked, self._shown.get(ref), counts, self.show_ids)

    def _relabel(self) -> None:
        counts = self.show_counts
        for ref, node in self._ref_nodes.items():
            key = self._label_key(ref, counts)
            if self._label_keys.get(ref) != key:
                self._label_keys[ref] = key
                node.set_label(self._label(self._names[ref], ref, self._count(ref), counts))

    def _rebuild(self, shape: _Shape) -> None:
        selected = self.selected_ref
        # Groups are known by their kind: a title changes with the count (and the case's title).
        opened = {node.data.kind for node in self.root.children if node.is_expanded and node.data is not None}
        first_build = not self.root.children
        self.clear()
        self._shape = shape
        self._ref_nodes = {}
        self._names = {}
        self._shown = {}
        self._indent = {}
        self._label_keys = {}
        self._members = {}
        self._group_of = {}
        self._sizes = {}
        self._rows_in = {}
        self._group_marks = {}
        groups: dict[str, TreeNode[ElementRef | None]] = {}
        # A large case opens with its groups closed, and a group's rows are made when it is
        # first opened: making thousands of rows takes seconds.
        small = sum(len(members) for _, _, members in shape) <= OPEN_GROUPS_UP_TO
        for title, kind, members in shape:
            if kind == "case":  # the case itself: a node to edit, not a heading
                group = self.root.add(Text(title, "bold"), data=ElementRef("case", "header"),
                                      allow_expand=bool(members))
            else:
                group = self.root.add(self._group_label(title, len(members), 0), data=ElementRef(kind, ""),
                                      allow_expand=bool(members))
            groups[title] = group
            self._members[title] = members
            self._sizes[title] = len(members)
            self._rows_in[title] = sum(1 + len(children) for _, _, children in members)
            for _name, ref, children in members:
                self._group_of[ref] = title
                for _child_name, child_ref in children:
                    self._group_of[child_ref] = title
        self._groups = groups
        for title, group in groups.items():
            if (first_build and small) or (group.data is not None and group.data.kind in opened):
                self._populate(title)
                group.expand()
        self._title_groups()
        if selected is not None:
            self._pending = selected
            self.call_after_refresh(self._restore)

    def _group_label(self, title: str, size: int, marked: int) -> Text:
        """A group's title: its name, how many elements it has and, while its rows are not made, how
        many elements of the selected finding it holds (``▶ 3 marked``)."""
        text = Text(f"{title} ({size})")
        if marked:
            text.append("  " + self.words.say_n("▶ {n} marked", "▶ {n} marked", marked), "bold red")
        return text

    def _title_groups(self) -> None:
        """Count on each group whose rows are not made the marked elements in it."""
        waiting = Counter(title for ref, title in self._group_of.items()
                          if title in self._members and ref.key in self._marked)
        for title, group in self._groups.items():
            if group.data is None or group.data.kind == "case" or self._group_marks.get(title, 0) == waiting[title]:
                continue
            self._group_marks[title] = waiting[title]
            group.set_label(self._group_label(title, self._sizes[title], waiting[title]))

    def _populate(self, title: str) -> None:
        """Make the rows of a group, once."""
        members = self._members.pop(title, None)
        if members is None:
            return
        group = self._groups[title]
        counts = self.show_counts

        def leaf(parent: TreeNode[ElementRef | None], name: str, ref: ElementRef, indent: int,
                 allow_expand: bool = False) -> TreeNode[ElementRef | None]:
            node = parent.add(self._label(name, ref, self._count(ref), counts), data=ref,
                              allow_expand=allow_expand, expand=True)
            # made with the label it has: only the names told apart below are labelled again
            self._label_keys[ref] = self._label_key(ref, counts)
            self._ref_nodes[ref] = node
            self._names[ref] = name
            # the guides (two columns a level), and the toggle of a row with rows under it
            self._indent[ref] = indent + (2 if allow_expand else 0)
            return node

        for name, ref, children in members:
            node = leaf(group, name, ref, 2, allow_expand=bool(children))
            for child_name, child_ref in children:
                leaf(node, child_name, child_ref, 4)
        self._fit_names()
        self._title_groups()

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
        # The rows of a group not opened yet are made to be marked, unless there are many: making
        # thousands of rows takes seconds; the group's title counts the marks in it instead.
        for ref in [r for r in self._group_of if r.key in ids and r not in self._ref_nodes]:
            if self._rows_in[self._group_of[ref]] <= OPEN_GROUPS_UP_TO:
                self._node_of(ref)
        self._relabel()
        self._title_groups()
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
            _ = self.last_line  # the rows numbered, with the groups just opened
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
        self._restore()
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
