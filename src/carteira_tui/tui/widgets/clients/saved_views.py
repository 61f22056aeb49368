"""`SavedViews`: the Clientes pane's named views — `ctrl+s` saves what the pane shows
(`SaveViewModal`), `ctrl+o` lists the saved ones (`ViewsModal`) to open or delete one; the
rules and the storage are services.views'.
"""

from __future__ import annotations

from textual import work

from carteira_tui import vocab
from carteira_tui.services import views
from carteira_tui.services.views import SavedView
from carteira_tui.tui.screens.views_modal import (
    SaveViewModal,
    ViewChoice,
    ViewsModal,
    describe_view,
)
from carteira_tui.tui.widgets.clients.columns import COLUMN_LABELS
from carteira_tui.tui.widgets.clients.messages import ViewOpened, ViewsListed, WriteFinished
from carteira_tui.tui.widgets.clients.pane import ClientsPane


class SavedViews(ClientsPane):
    """Save, list, open and delete named views (mixed into `ClientsScreen`)."""

    def action_save_view(self) -> None:
        description = describe_view(self.current_view(), COLUMN_LABELS)
        self.app.push_screen(SaveViewModal(description), self._save_named)

    def _save_named(self, name: str | None) -> None:
        if name:
            self._save_view(name, self.current_view())

    @work(thread=True, exclusive=True, group="clients-views", exit_on_error=False)
    def _save_view(self, name: str, view: SavedView) -> None:
        saved = views.save_view(
            self.db_path,
            name=name,
            search=view.search,
            filter_text=view.filter_text,
            sort_column=view.sort_column,
            sort_descending=view.sort_descending,
        )
        self.post_message(WriteFinished(vocab.view_saved(saved.name), changed=False))

    def action_open_views(self) -> None:
        self._list_views()

    @work(thread=True, exclusive=True, group="clients-views", exit_on_error=False)
    def _list_views(self) -> None:
        self.post_message(ViewsListed(views.list_views(self.db_path)))

    def on_views_listed(self, message: ViewsListed) -> None:
        self.app.push_screen(ViewsModal(message.views, COLUMN_LABELS), self._view_chosen)

    def _view_chosen(self, choice: ViewChoice | None) -> None:
        if choice is not None:
            self._open_view(choice.name, choice.delete)

    @work(thread=True, exclusive=True, group="clients-views", exit_on_error=False)
    def _open_view(self, name: str, delete: bool) -> None:
        if delete:
            views.delete_view(self.db_path, name=name)
            self.post_message(WriteFinished(vocab.view_deleted(name), changed=False))
        else:
            self.post_message(ViewOpened(views.open_view(self.db_path, name=name)))

    def on_view_opened(self, message: ViewOpened) -> None:
        view = message.view
        self.apply_view(
            search=view.search,
            filter_text=view.filter_text,
            sort_column=view.sort_column,
            sort_descending=view.sort_descending,
        )
        self.notify(vocab.view_opened(view.name), timeout=2)
