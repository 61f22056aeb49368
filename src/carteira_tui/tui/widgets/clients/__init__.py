"""The Clientes pane's feature widgets, mixins and messages, grouped by feature as posting groups
its `widgets/request/` and `widgets/response/`. The pane (`screens/clients.py`) composes the
widgets (`QueryBar`, `ProgressLine`, the `FrameTable` with `columns.CLIENT_COLUMNS`) and is built
on the feature mixins over the shared base `pane.ClientsPane`: `bulk_actions`, `saved_views`,
`file_transfer` and `command_dispatch`."""
