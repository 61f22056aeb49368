"""`python -m carteira_tui` runs the same command line as `carteira`."""

from carteira_tui.cli import run

run()
