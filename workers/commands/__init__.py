"""The `modworker` subcommands, one module each."""
