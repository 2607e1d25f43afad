"""Subcommands that live in their own modules (see ``evlint.cli.LAZY_COMMANDS``)."""
