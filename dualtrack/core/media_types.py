"""The media types of the files the platform reads and writes, named once."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"


def file_answer(*types: str) -> dict[str, object]:
    """A route's ``openapi_extra`` for a 200 that is a file of one of ``types``, so that the
    document says what comes back (django-ninja describes ``{200: None}`` as no body)."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {200: {"description": "The file", "content": dict.fromkeys(types, binary)}}
    }
