"""The command line's commands, one module per feature; `desktop.cli` assembles them."""

# Every subcommand's name, so that the launcher can tell a command from a folder without loading
# the command line (tests/test_cli.py checks this against the parser).
COMMANDS = frozenset(
    {
        "index", "reports", "metrics", "search", "compare",
        "mark", "note", "close", "notes", "review-export", "review-import",
        "digest",
        "timeline", "progress",
    }
)  # fmt: skip
