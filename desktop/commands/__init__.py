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

# Which module holds a feature command: a command loads only its own module (the digest's imports
# alone cost 0.3 s, which `notes` should not pay).
FEATURE_MODULES = {
    "mark": "review", "note": "review", "close": "review", "notes": "review",
    "review-export": "review", "review-import": "review",
    "digest": "digest",
    "timeline": "topics", "progress": "topics",
}  # fmt: skip
