"""What the packaged program runs: `timelines serve` (opens the page in the default browser).

Built into ``timelines-serve.exe`` by ``timelines-serve.spec``; double-clicking
the program starts the server and opens the browser; closing its window or
pressing Stop on the page ends it. Options of `timelines serve` may follow the
program's name (a shortcut can add ``--idle-exit 60``).
"""

import sys

from timelines.cli import main

if __name__ == "__main__":
    main(["serve", *sys.argv[1:]], prog_name="timelines")  # options such as --idle-exit 60
