"""``python -m booklet``: the booklet command line, as the ``booklet`` program runs it."""

from booklet.cli import main

main()
