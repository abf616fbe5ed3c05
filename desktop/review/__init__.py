"""The reviewer's own data: read marks, notes and follow-ups. Its own database, never discarded. No Qt.

It knows nothing of the cache (desktop.store): callers pass what they know of the current reports as
plain data (desktop.review.anchors.ReportInfo, ReportContent, SectionInfo).
"""
