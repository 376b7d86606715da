"""Suggestions, opinions and questions (ข้อเสนอแนะ/ความคิดเห็น/สอบถาม) over the intake service."""
