"""One module per `heatconsole` subcommand, each with `register(subparsers)`; see console.cli."""
