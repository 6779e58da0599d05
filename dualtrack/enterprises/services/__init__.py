"""The only code that writes enterprises, filings, reports, rosters and inspections."""
