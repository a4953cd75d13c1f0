"""``python -m refute``."""

from refute.cli import main

if __name__ == "__main__":
    main()
