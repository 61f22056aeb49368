"""The Segmentos pane's feature mixins, messages and text, grouped by feature (as the Clientes
pane's `widgets/clients/`). The pane (`screens/segments.py`) composes the board, the status ×
ABC matrix, the charts and the what-if form, and is built on `cadence.CadenceEditing`,
`what_if.WhatIf`, `overview.OverviewDisplay`, `board.BoardSelection` and
`resegmentation.Resegmentation` over the shared base `pane.SegmentsPane`."""
