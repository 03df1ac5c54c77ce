"""``python -m gxparse``: the same as the ``gxparse`` command."""

from ._cli import main

if __name__ == "__main__":  # not when a batch worker process imports the main module
    raise SystemExit(main())
