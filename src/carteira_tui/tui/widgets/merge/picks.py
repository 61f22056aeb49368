"""What the person picks in the merge review (pure, testable): each field's options, which one
is suggested and chosen, the values the merge keeps and the grid's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carteira_tui.services.cleaning import ClusterDetail
from carteira_tui.services.clients import display_value
from carteira_tui.tui.widgets.merge_grid import GridRow
from carteira_tui.vocab import merge as words

CONFIDENCE_LABELS = words.CONFIDENCE_LABELS
SHORT_REASONS = words.SHORT_REASONS


def score_text(score: float) -> str:
    """A duplicate score with a decimal comma: `0,79`."""
    return f"{score:.2f}".replace(".", ",")


@dataclass(frozen=True)
class FieldPick:
    """One field of the group: the values it can keep and which one is suggested and chosen.

    `options` are the members' values in member order, then the service's suggestion when it is
    none of them (tags and notes combined from every member).
    """

    field: str
    label: str
    options: tuple[Any, ...]
    suggested: int
    chosen: int

    @property
    def value(self) -> Any:
        """The value the merged client keeps."""
        return self.options[self.chosen]


def field_picks(
    detail: ClusterDetail, order: list[int], overrides: dict[str, Any] | None = None
) -> list[FieldPick]:
    """Every mergeable field, members in `order`; `overrides` are the person's own picks."""
    overrides = overrides or {}
    picks: list[FieldPick] = []
    for choice in detail.fields:
        options = [choice.values.get(member) for member in order]
        if choice.source_client_id in order and options[order.index(choice.source_client_id)] == (
            choice.suggested
        ):
            suggested = order.index(choice.source_client_id)
        elif choice.suggested in options:
            suggested = options.index(choice.suggested)
        else:
            options.append(choice.suggested)
            suggested = len(options) - 1
        chosen = suggested
        if choice.field in overrides and overrides[choice.field] in options:
            chosen = options.index(overrides[choice.field])
        picks.append(FieldPick(choice.field, choice.label, tuple(options), suggested, chosen))
    return picks


def chosen_values(picks: list[FieldPick]) -> dict[str, Any]:
    """field -> value the merged client keeps, as `merge_clients` takes it."""
    return {pick.field: pick.value for pick in picks}


def value_text(field: str, value: Any, owners: dict[int, str]) -> str:
    """A stored value as people read it (owner by name, flags sim/não, dates dd/mm/aaaa, CEP
    89219-489: `display_value`'s rules, the card's)."""
    if field == "owner_id" and value is not None:
        return owners.get(int(value), words.owner_number(value))
    return display_value(field, value).replace("\n", " ")


def grid_rows(picks: list[FieldPick], members: int, owners: dict[int, str]) -> list[GridRow]:
    """The grid's rows: each member's value as text and the kept value."""
    rows = []
    for pick in picks:
        cells = [value_text(pick.field, value, owners) for value in pick.options[:members]]
        rows.append(
            GridRow(
                label=pick.label,
                cells=cells,
                chosen=pick.chosen if pick.chosen < members else None,
                suggested=pick.suggested if pick.suggested < members else None,
                result=value_text(pick.field, pick.value, owners),
                same=len(pick.options) == members and len(set(cells)) == 1,
                changed=pick.chosen != pick.suggested,
            )
        )
    return rows
