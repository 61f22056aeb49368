"""The Clientes pane's feature widgets and messages, grouped by feature as posting groups its
`widgets/request/` and `widgets/response/`: the pane (`screens/clients.py`) composes these."""
