"""Drives the component in the Python `wasmtime` package (PyPI wasmtime 50.0.1).

    python3 driver.py <component.wasm> '<calls JSON>'

The calls are a JSON list of {"fn": <WIT name>, "args": [...]}, arguments in WIT shape
(records as objects with kebab-case field names, every field present, null for none;
enums as their case name). The component gets exactly TFY_BASE_URL and TFY_API_KEY from this
process's environment, through WasiConfig.env, and wasi:http from the package's linker.

Prints one JSON list on stdout: per call {"ok": value} or {"err": {"tag", "val"}}.
In this package a result is not tagged when its ok and err types are told apart by Python
class: `result<volume, volume-error>` returns the volume (a Record) or the error case
(a Variant) itself, and nothing is raised. Records come back as Record objects whose
attributes are the kebab-case field names, options as the value or None, enums as str.
"""

import json
import os
import sys

import wasmtime
from wasmtime.component import Component, Linker, Record, Variant

INTERFACE = "truefoundry:volumes/volumes@0.1.0"


def to_wit(value):
    if isinstance(value, dict):
        record = Record()
        for name, field in value.items():
            setattr(record, name, to_wit(field))
        return record
    if isinstance(value, list):
        return [to_wit(item) for item in value]
    return value


def to_json(value):
    if isinstance(value, Record):
        return {name: to_json(field) for name, field in vars(value).items()}
    if isinstance(value, Variant):
        return {"tag": value.tag, "val": to_json(value.payload)}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value


def main():
    wasm, calls = sys.argv[1], json.loads(sys.argv[2])
    engine = wasmtime.Engine()
    component = Component.from_file(engine, wasm)
    linker = Linker(engine)
    linker.add_wasip2()
    linker.add_wasi_http()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.env = [(key, os.environ[key]) for key in ("TFY_BASE_URL", "TFY_API_KEY")]
    store.set_wasi(wasi)
    store.set_wasi_http()
    instance = linker.instantiate(store, component)
    interface = instance.get_export_index(store, INTERFACE)

    results = []
    for call in calls:
        index = instance.get_export_index(store, call["fn"], interface)
        func = instance.get_func(store, index)
        value = func(store, *[to_wit(arg) for arg in call["args"]])
        func.post_return(store)
        key = "err" if isinstance(value, Variant) else "ok"
        results.append({key: to_json(value)})
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


main()
