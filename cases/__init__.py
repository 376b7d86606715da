"""The general case track shared by complaints and feedback: models, intake, tracking codes.

Complaints/grievances (``complaints/``) and suggestions/questions (``feedback/``) are stored in one
``cases`` table with a ``kind`` column, so that the officers' queue and the reports list and count
both with plain indexed filters instead of a UNION in every query. The two packages are the web
adapters for their kinds; the domain they share lives here.
"""
