"""Screening pages: campaigns and their coverage (campaigns), the phone page (phone)."""
