"""`python -m vra_config` runs the CLI."""

from vra_config.cli import main

main()
