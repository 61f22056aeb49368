"""`CarteiraError`: the one base of every error the product reports to a person.

It carries a pt-BR `message` and an optional `hint` (what to do next). Each layer's own errors
subclass it, so the CLI's root group and the panes' base catch it once. It lives in a module of
its own, importing nothing, so the CLI can catch it without loading Polars; `model` re-exports it.
"""

from __future__ import annotations


class CarteiraError(Exception):
    """An error with a message for people and, when there is one, a hint of what to do."""

    def __init__(self, message: object = "", hint: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.hint = hint

    def describe(self) -> str:
        """The whole message (`str(error)`), then the hint on its own line."""
        return f"{self}\n{self.hint}" if self.hint else str(self)
