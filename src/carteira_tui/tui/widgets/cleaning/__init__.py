"""The Limpeza pane's feature widgets, mixins and messages, grouped by feature (as the Clientes
pane's `widgets/clients/`). The pane (`screens/cleaning.py`) composes `SectionTabs`, three
`CleaningTable`s (columns and rows in `rows`), a `ProgressLine` and the detail lines, and is
built on `writes.CleaningWrites` (merge, archive, undo) over the shared base `pane.CleaningPane`."""
