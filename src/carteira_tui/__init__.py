"""carteira: a terminal application for managing a customer portfolio.

The package root only carries the version; it never imports a layer.
"""

__version__ = "0.1.0"
