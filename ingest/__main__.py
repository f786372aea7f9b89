"""``python -m ingest`` is the ``ofsted-kg`` command (:mod:`core.cli`)."""
import sys

from core.cli import main

sys.exit(main())
