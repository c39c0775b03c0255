"""cartographie — maps, diagnostics and convergence reports of a métropole's portfolio."""

__version__ = "0.1.0"
