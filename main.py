"""PySync Hub: `python main.py` serves the web app; `python main.py --help` lists the commands."""
import sys

from pysync_web.cli import main

if __name__ == "__main__":
    sys.exit(main())
