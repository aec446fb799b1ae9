"""Importing Great Expectations logs one INFO line per public function it registers for its API docs
("Skipping registering function ... because it does not have a class"): about 200 lines at the top of
every quality and detection task log, burying the summary lines. Its loggers must be quiet before
the first import, so ``pipelines.quality`` imports this module before anything that imports GX.
"""

import logging

logging.getLogger("great_expectations").setLevel(logging.WARNING)
