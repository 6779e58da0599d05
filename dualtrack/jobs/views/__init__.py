"""The employment pages, by subtopic: the public fair pages (no account), the fairs and
postings of staff and enterprises, an application's steps, introducers, figures."""
