#!/usr/bin/env python3
"""Validate an SBOM against the official JSON schema.

Usage: validate_sbom.py cdx|spdx FILE SCHEMADIR

SCHEMADIR holds spdx-2.3.schema.json and cyclonedx-1.6/ (the CycloneDX
schema with the two schemas it refers to). Prints the first errors and
exits 1 when FILE is not valid, 2 when jsonschema is missing.
"""
import json
import os
import sys
from urllib.parse import urljoin

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed")
    sys.exit(2)


def _patch_extras_msg():
    """jsonschema 4.10 (Debian 12) sorts extra items to word an error and
    crashes when they are objects; word them unsorted instead."""
    def extras_msg(extras):
        extras = list(extras)
        return (", ".join(repr(e) for e in extras),
                "was" if len(extras) == 1 else "were")
    for mod in ("jsonschema._utils", "jsonschema._validators"):
        m = sys.modules.get(mod) or __import__(mod, fromlist=["x"])
        if hasattr(m, "extras_msg"):
            m.extras_msg = extras_msg


def cdx_validator(schemadir):
    base = os.path.join(schemadir, "cyclonedx-1.6")
    main = json.load(open(os.path.join(base, "bom-1.6.SNAPSHOT.schema.json")))
    store = {}
    for name in os.listdir(base):
        doc = json.load(open(os.path.join(base, name)))
        # the main schema's relative $refs resolve against its $id
        store[urljoin(main.get("$id", ""), name)] = doc
        store["file://" + os.path.join(base, name)] = doc
        if "$id" in doc:
            store[doc["$id"]] = doc
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7
        reg = Registry().with_resources(
            (uri, Resource.from_contents(doc, default_specification=DRAFT7))
            for uri, doc in store.items())
        return jsonschema.Draft7Validator(main, registry=reg)
    except ImportError:
        _patch_extras_msg()
        resolver = jsonschema.RefResolver(
            base_uri=main.get("$id", ""), referrer=main, store=store)
        return jsonschema.Draft7Validator(main, resolver=resolver)


def spdx_validator(schemadir):
    schema = json.load(open(os.path.join(schemadir, "spdx-2.3.schema.json")))
    return jsonschema.validators.validator_for(schema)(schema)


def main():
    kind, path, schemadir = sys.argv[1:4]
    v = cdx_validator(schemadir) if kind == "cdx" else spdx_validator(schemadir)
    errors = sorted(v.iter_errors(json.load(open(path, encoding="utf-8"))),
                    key=lambda e: list(e.path))
    for e in errors[:10]:
        print("%s: %s" % ("/".join(str(p) for p in e.path), e.message[:300]))
    sys.exit(1 if errors else 0)


main()
