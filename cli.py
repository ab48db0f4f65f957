"""Run booklet from a checkout without installing it: ``python cli.py build``.

The command line itself is ``booklet/cli.py``; installed, it is the ``booklet`` program
and ``python -m booklet``.
"""

from booklet.cli import main

if __name__ == "__main__":
    main()
