"""The merge review's result and messages: its workers' answers, handled on the screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from carteira_tui.services.cleaning import ClusterDetail, MergeResult
from carteira_tui.services.clients import ClientCard


@dataclass(frozen=True)
class MergeDone:
    """A merge made on this screen: the service's result and the code of the client that stayed."""

    result: MergeResult
    survivor_code: str

    @property
    def clients(self) -> int:
        """How many clients were folded into one (the survivor included)."""
        return len(self.result.removed_ids) + 1


class ClusterLoaded(Message, bubble=False):
    """The group's detail and its members' cards were read."""

    def __init__(self, detail: ClusterDetail, cards: dict[int, ClientCard]) -> None:
        super().__init__()
        self.detail = detail
        self.cards = cards


class ClientsMerged(Message, bubble=False):
    """The merge is committed."""

    def __init__(self, done: MergeDone) -> None:
        super().__init__()
        self.done = done
