"""The Cliente card's sections, loading, edits and messages, grouped by feature (as the Clientes
pane's `widgets/clients/`). The screen (`screens/client_card.py`) composes the sections and keeps
the keys and scrolling; it is built on `edits.CardEdits` (log a contact, note, edit a field,
follow-up) over the shared base `pane.CardPane` (what the card reads and shows); the text of each
section is `sections.py` (pure, testable)."""
