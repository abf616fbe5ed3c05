"""Entry script of the frozen app: the same `main` as the `weekly-review` console script.

`desktop.launcher.main` calls `multiprocessing.freeze_support()` before anything else, so when the
indexer's "spawn" workers start this executable again with `--multiprocessing-fork`, they run their
task and exit instead of opening a second window.
"""

import sys

from desktop.launcher import main

if __name__ == "__main__":
    sys.exit(main())
