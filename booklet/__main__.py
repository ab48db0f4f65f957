"""``python -m booklet``: the booklet command line."""

from booklet.cli import main

main()
