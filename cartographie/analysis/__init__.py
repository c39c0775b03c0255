"""Analyses over the portfolio graph: counts, convergence and the other figures of the reports."""
