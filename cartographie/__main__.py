"""``python -m cartographie`` runs the command line."""

from cartographie.cli.main import main

main()
