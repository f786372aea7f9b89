"""``python -m ingest`` is the ``ofsted-kg`` command."""
import sys

from .cli import main

sys.exit(main())
