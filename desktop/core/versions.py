"""The versions of what the cache stores from parsing; either one changing re-reads every report.

Apart from the parser's modules so that a command on a cache that is up to date (checking the
stamp is all it needs of them) does not import the parser, its patterns and its libraries.
"""

# Bump whenever parsing output changes (desktop.core.parser and what it calls).
PARSER_VERSION = 3
# Bump whenever the progress figures found at index time change (desktop.core.progress).
PROGRESS_VERSION = 1
