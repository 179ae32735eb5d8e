"""python -m ingest PATH... | --list [--json] | --remove TOTAL_NO | --rebuild"""

from .cli import main

raise SystemExit(main())
