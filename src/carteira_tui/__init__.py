"""carteira: a terminal application for managing a customer portfolio.

The package root carries the version and installs one import-time guard (`lean_imports`:
sqlite-utils loads without NumPy); it never imports a layer.
"""

from carteira_tui import lean_imports

__version__ = "0.1.0"

lean_imports.install()
