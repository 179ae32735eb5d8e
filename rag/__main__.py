"""python -m rag ask "问题" [--json] | ask --batch FILE.jsonl --json | check "说法" [--json]"""

from .cli import main

raise SystemExit(main())
