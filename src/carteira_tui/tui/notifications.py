"""How the app shows a notification: one at a time, on the two bottom lines (the pane's summary
and the footer's keys), never over the rows of a list — even at 80×24.

Textual draws a titled notification as a title line above the message; `inline_title` puts the
title at the start of the message instead ("Clientes · 3 clientes arquivados."), so a short
notification takes one line. The
CSS in `app.tcss` ("Notifications") docks the toasts at the bottom, full width, at most two
lines high. The app's `_on_notify` calls this for every notification.
"""

from __future__ import annotations

from dataclasses import replace

from textual.markup import escape
from textual.notifications import Notification

TITLE_SEPARATOR = " · "


def inline_title(notification: Notification) -> Notification:
    """The same notification with its title (if any) at the start of its one text."""
    if not notification.title:
        return notification
    title = escape(notification.title) if notification.markup else notification.title
    return replace(
        notification, title="", message=f"{title}{TITLE_SEPARATOR}{notification.message}"
    )
