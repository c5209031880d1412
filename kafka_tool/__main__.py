"""``python -m kafka_tool`` runs the command line."""

from .cli import main

main()
