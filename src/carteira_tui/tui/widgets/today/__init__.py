"""The Hoje pane's feature mixins, rows and messages, grouped by feature (as the Clientes pane's
`widgets/clients/`). The pane (`screens/today.py`) composes the filter line, a `TaskQueue`, the
detail and summary lines and keeps the view keys; it is built on `choice_bar.ChoiceBar` (the
one-digit bar of `d` and `s`) over `contact_actions.ContactActions` (logging a contact,
snoozing, reassigning) over the shared base `pane.TodayPane` (loading, the detail line).
`view.py` is the queue's columns, view and narrowing; `choices.py` the bar's choices."""
