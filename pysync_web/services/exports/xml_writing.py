"""Serialising the XML formats (rekordbox, Traktor) the way DJ software writes them itself."""
from __future__ import annotations

import xml.etree.ElementTree as ET

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


def xml_document(root: ET.Element, declaration: str = DECLARATION, short_empty_elements: bool = True) -> bytes:
    """UTF-8 and indented. ElementTree escapes &, <, > and quotes in attributes, and line breaks as
    character references; its own declaration is single-quoted, so ours is written by hand."""
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=short_empty_elements)
    return f"{declaration}\n{body}\n".encode()
