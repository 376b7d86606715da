"""Complaints and grievances (ร้องเรียน/ร้องทุกข์): the web form over the shared intake service."""
