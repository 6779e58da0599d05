"""The media types of the files the platform reads and writes, named once."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
