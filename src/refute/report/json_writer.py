"""One way to write every JSON document refute prints: readable, and fast when large.

The document's top-level keys go one per line; a list (tests, findings, mutants,
functions) gets one element per line, each element written by ``json``'s C encoder. A
fully indented dump runs ``json``'s pure-Python encoder (the C one cannot indent) and took
most of a warm ``refute check`` of CPython's Lib/test; one element per line is as easy to
read and to grep, and a few times faster. The format is JSON either way: whitespace is not
part of any contract. The elements go through one C encoder made once (``json``'s own
``encode`` makes a new one for every call: half the time of a warm audit's report).
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from typing import Any, TextIO


def _element_encoder() -> Callable[[Any], str]:
    encoder = json.JSONEncoder(ensure_ascii=True)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without json's C accelerator
        return encoder.encode
    chunks = make(None, encoder.default, json.encoder.encode_basestring_ascii, None,
                  encoder.key_separator, encoder.item_separator, False, False, True)
    # what JSONEncoder.encode returns, for the dicts, lists and scalars of our documents
    return lambda value: "".join(chunks(value, 0))


class Encoded(list[str]):
    """A list whose elements are already JSON text, as ``json`` writes each one (a
    reporter that writes its elements faster than it builds them as dicts)."""


def write_json(doc: dict[str, Any], out: TextIO) -> None:
    encode = _element_encoder()
    parts = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            lines = value if isinstance(value, Encoded) else map(encode, value)
            items = "    " + ",\n    ".join(lines)
            parts.append(f"  {encode(key)}: [\n{items}\n  ]")
        else:
            parts.append(f"  {encode(key)}: {encode(value)}")
    out.write("{\n" + ",\n".join(parts) + "\n}\n")
