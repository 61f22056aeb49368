"""The Tarefas pane's feature mixins, columns and messages, grouped by feature (as the Clientes
pane's `widgets/clients/`). The pane (`screens/tasks.py`) composes the filter line, a
`TaskQueue`, the detail and summary lines, and is built on `task_actions.TaskActions`
(conclude, snooze, reassign, cancel, generate) over the shared base `pane.TasksPane`; which
tasks the queue reads and in what order is `services.task_queue`."""
