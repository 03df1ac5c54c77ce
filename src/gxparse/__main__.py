"""``python -m gxparse``: the same as the ``gxparse`` command."""

from ._cli import main

raise SystemExit(main())
