"""The officers' review queue: list, case page and the work done on a case."""
