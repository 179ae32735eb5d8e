"""python -m eval [--questions FILE] [--claims FILE] [--benchmark DIR] [--report eval/REPORT.md]"""

from .cli import main

raise SystemExit(main())
