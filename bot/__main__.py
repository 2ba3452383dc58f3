"""`python -m bot` is the `srm` command."""

from bot.cli import main

raise SystemExit(main())
