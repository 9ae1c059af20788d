"""Allow `python -m notebuild`."""

from .cli import main

main()
