"""The merge review's picks, loading, actions and messages, grouped by feature (as the Clientes
pane's `widgets/clients/`). The screen (`screens/merge.py`) composes the title, members, grid
(`widgets/merge_grid.MergeGrid`) and field lines and keeps the keys; it is built on
`actions.MergeActions` (picking values, the client that stays, merging) over the shared base
`pane.MergePane` (reading the group, the lines); what the person picks is `picks.py` (pure)."""
