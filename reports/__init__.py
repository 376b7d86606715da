"""Six-monthly executive summaries, public statistics and service standards."""
