"""`CrashReportingApp`: the app's base — when something nobody foresaw fails outside a worker
(a handler, a render), Textual would print a Python traceback as the app closes; this base
writes it to the private crash log (`crash_log`) instead and, once the terminal is restored,
prints one pt-BR paragraph naming what failed and where the details are. Workers' errors are
the panes' base's (`PaneScreen`).

`textual run --dev` (the "debug" feature) keeps Textual's own traceback for developers.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App

from carteira_tui.crash_log import report_crash_in
from carteira_tui.vocab import app as app_words


class CrashReportingApp(App[None]):
    """An app whose crash leaves a short message and a private log, not a traceback."""

    crash_text: str | None = None
    """The message printed when the app closed on a crash (None otherwise)."""

    def _fatal_error(self) -> None:
        error = self._exception
        if error is None or "debug" in self.features:
            super()._fatal_error()
            return
        self.bell()
        self.crash_text = report_crash_in(error, app_words.IN_THE_APP)
        self._close_messages_no_wait()

    _crash_printed = False

    def _print_error_renderables(self) -> None:
        if self.crash_text is not None and not self._crash_printed:
            self._crash_printed = True
            # soft_wrap: the log's path stays on one line, for copying
            self.error_console.print(Text(self.crash_text), soft_wrap=True)
        super()._print_error_renderables()
