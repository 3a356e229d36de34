"""Allow ``python -m timelines``."""

from timelines.cli import main

if __name__ == "__main__":
    main()
