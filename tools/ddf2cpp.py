#!/usr/bin/env python3
"""ddf2cpp: LwM2M object definitions (OMA DDF XML) -> C++ tables and a JSON export.

Reads every *.xml directly inside each given folder (subfolders such as other-versions/ are not
read), validates it, and writes:
  --cpp FILE   the constant tables behind src/model/object_def.hpp (all_objects, find_object);
  --json FILE  the same definitions with descriptions, for the server (host only).
With neither option it only validates. --objects 0,1,3 keeps just those objects, so a firmware
links only what it implements; --compact writes --cpp in the device layout of object_def.hpp
(TL_MODEL_COMPACT): no names, URNs, ranges or units. Problems are reported as
"file:line: error: ..." and exit with 1.

Standard library only: the build runs it on machines with nothing but python3.
"""

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

MAX_ID = 65534  # 65535 is reserved by LwM2M (TS 1.1 7.4.2)

# DDF <Type> -> (tl::wire::lwm2m::ValueType enumerator, name used in objects.json). The JSON names
# are the ones wire::lwm2m::value_type_name() prints, so the server shows one spelling.
TYPES = {
    "String": ("string", "string"),
    "Integer": ("integer", "integer"),
    "Unsigned Integer": ("unsigned_integer", "unsigned"),
    "Float": ("floating", "float"),
    "Boolean": ("boolean", "boolean"),
    "Opaque": ("opaque", "opaque"),
    "Time": ("time", "time"),
    "Objlnk": ("objlnk", "objlnk"),
    "Corelnk": ("corelnk", "corelnk"),
}
NO_TYPE = ("none", "none")
OPERATIONS = ("", "R", "W", "RW", "E")


@dataclass
class Resource:
    id: int
    name: str
    operations: str
    multiple: bool
    mandatory: bool
    type: tuple
    range: str
    units: str
    description: str


@dataclass
class Object:
    file: Path
    id: int
    name: str
    description: str
    description2: str
    urn: str
    version: str
    lwm2m_version: str
    multiple: bool
    mandatory: bool
    resources: list = field(default_factory=list)


class Problems:
    """Collects every problem of every file, so one run shows all there is to fix."""

    def __init__(self):
        self.messages = []

    def add(self, file, line, what, fix):
        location = f"{file}:{line}" if line else str(file)
        self.messages.append(f"{location}: error: {what}\n  fix: {fix}")


def parse_with_lines(path):
    """Parses like ElementTree.parse, plus a map element -> line number for the messages."""
    builder = ElementTree.TreeBuilder()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    lines = {}

    def start(tag, attrs):
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    with open(path, "rb") as f:
        parser.ParseFile(f)
    return builder.close(), lines


class FileReader:
    """Reads one DDF file; each check names the line and what to change."""

    def __init__(self, path, problems):
        self.path = path
        self.problems = problems
        self.lines = {}

    def fail(self, element, what, fix):
        self.problems.add(self.path, self.lines.get(element, 1), what, fix)

    def text(self, parent, tag, required=True):
        child = parent.find(tag)
        if child is None:
            if required:
                self.fail(parent, f"<{parent.tag}> has no <{tag}>", f"add the <{tag}> element")
            return None
        return (child.text or "").strip()

    def choice(self, parent, tag, yes, no):
        value = self.text(parent, tag)
        if value not in (yes, no, None):
            self.fail(parent.find(tag), f"<{tag}> is '{value}'", f"write {yes} or {no}")
        return value == yes

    def number(self, element, text, what):
        if text is None:
            return None
        if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
            self.fail(element, f"{what} '{text}' is not a number in 0..{MAX_ID}",
                      f"give the {what} as a decimal number in 0..{MAX_ID}")
            return None
        return int(text)

    def read(self):
        try:
            root, self.lines = parse_with_lines(self.path)
        except expat.ExpatError as e:
            self.problems.add(self.path, e.lineno, f"not well-formed XML: "
                              f"{expat.ErrorString(e.code)} (column {e.offset + 1})",
                              "fix the XML syntax; the file must parse as XML")
            return None
        obj = root.find("Object")
        if obj is None:
            self.fail(root, "no <Object> element", "is this an OMA DDF file? it needs "
                      "<LWM2M><Object ObjectType=\"MODefinition\">")
            return None
        return self.read_object(obj)

    def read_object(self, obj):
        object_id = self.number(obj.find("ObjectID"), self.text(obj, "ObjectID"), "ObjectID")
        if object_id is not None and self.path.stem != str(object_id):
            self.fail(obj.find("ObjectID"),
                      f"<ObjectID> {object_id} does not match the file name",
                      f"rename the file to {object_id}.xml (one file per object, named by its "
                      "ID), or correct the <ObjectID>")
        resources = self.read_resources(obj)
        result = Object(
            file=self.path, id=object_id, name=self.text(obj, "Name"),
            description=self.text(obj, "Description1", required=False) or "",
            description2=self.text(obj, "Description2", required=False) or "",
            urn=self.text(obj, "ObjectURN", required=False) or "",
            # Both default to 1.0 in the DDF schema (TS 1.1 Appendix D).
            version=self.text(obj, "ObjectVersion", required=False) or "1.0",
            lwm2m_version=self.text(obj, "LWM2MVersion", required=False) or "1.0",
            multiple=self.choice(obj, "MultipleInstances", "Multiple", "Single"),
            mandatory=self.choice(obj, "Mandatory", "Mandatory", "Optional"),
            resources=resources)
        return None if None in (object_id, resources, result.name) else result

    def read_resources(self, obj):
        container = obj.find("Resources")
        if container is None:
            self.fail(obj, "no <Resources> element", "add <Resources> with the <Item>s")
            return None
        resources = {}
        for item in container.findall("Item"):
            resource = self.read_item(item)
            if resource is None:
                continue
            if resource.id in resources:
                self.fail(item, f"duplicate resource ID {resource.id} "
                          f"('{resources[resource.id].name}' and '{resource.name}')",
                          "give every <Item> its own ID attribute")
                continue
            resources[resource.id] = resource
        return [resources[rid] for rid in sorted(resources)]

    def read_item(self, item):
        rid = self.number(item, item.get("ID"), "resource ID")
        operations = self.text(item, "Operations")
        if operations not in OPERATIONS + (None,):
            self.fail(item.find("Operations"), f"unknown <Operations> '{operations}'",
                      "write one of R, W, RW, E, or leave it empty")
        ddf_type = self.text(item, "Type")
        if operations == "E":
            value_type = NO_TYPE  # Execute carries arguments, not a typed value
        elif ddf_type in TYPES:
            value_type = TYPES[ddf_type]
        else:
            value_type = None
            if ddf_type is not None:
                self.fail(item.find("Type"), f"unknown <Type> '{ddf_type}' for resource {rid}",
                          "write one of " + ", ".join(TYPES) +
                          " (only an executable resource may leave it empty)")
        resource = Resource(
            id=rid, name=self.text(item, "Name"), operations=operations,
            multiple=self.choice(item, "MultipleInstances", "Multiple", "Single"),
            mandatory=self.choice(item, "Mandatory", "Mandatory", "Optional"),
            type=value_type, range=self.text(item, "RangeEnumeration", required=False) or "",
            units=self.text(item, "Units", required=False) or "",
            description=self.text(item, "Description", required=False) or "")
        complete = None not in (rid, operations, value_type, resource.name)
        return resource if complete else None


def load(folders, problems):
    """Every object of the top level of the folders, sorted by ID; None when anything is wrong."""
    objects = {}
    for folder in folders:
        files = sorted(Path(folder).glob("*.xml"))
        if not files:
            problems.add(folder, None, "no *.xml files in this folder",
                         "pass the folder that holds the DDF files (e.g. shared/lwm2m-objects)")
        for path in files:
            obj = FileReader(path, problems).read()
            if obj is None:
                continue
            if obj.id in objects:
                problems.add(path, 1, f"object {obj.id} is also defined in {objects[obj.id].file}",
                             "keep one definition per object ID; put other versions in a subfolder")
                continue
            objects[obj.id] = obj
    return None if problems.messages else [objects[k] for k in sorted(objects)]


def select(objects, wanted, problems):
    by_id = {o.id: o for o in objects}
    missing = [i for i in wanted if i not in by_id]
    if missing:
        problems.add("--objects", None, f"no DDF file defines object(s) {missing}",
                     f"choose among {sorted(by_id)} or add the objects' DDF XML")
        return None
    return [by_id[i] for i in sorted(set(wanted))]


def cpp_string(text):
    """A C++ string literal; octal escapes because hex escapes swallow following hex digits."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


def cpp_bool(value):
    return "true" if value else "false"


def cpp_resource(r, compact):
    operations = r.operations or "none"
    text = (f"    {{{r.id}, O::{operations}, T::{r.type[0]}, {cpp_bool(r.multiple)}, "
            f"{cpp_bool(r.mandatory)}")
    if compact:  # the device layout has no name, range or units (object_def.hpp)
        return text + "},"
    return text + f", {cpp_string(r.name)}, {cpp_string(r.range)}, {cpp_string(r.units)}}},"


def cpp_object(o, compact):
    resources = f"kObject{o.id}" if o.resources else "{}"
    # The device layout keeps only the version (the client's `ver` attribute); its constructor
    # takes the same arguments and drops the rest, so they are written empty.
    name, urn, lwm2m_version = ("", "", "") if compact else (o.name, o.urn, o.lwm2m_version)
    return (f"    {{{o.id}, {cpp_bool(o.multiple)}, {cpp_bool(o.mandatory)}, {cpp_string(name)}, "
            f"{cpp_string(urn)}, {cpp_string(o.version)}, {cpp_string(lwm2m_version)}, "
            f"{resources}}},")


def write_cpp(objects, path, compact=False):
    layout = "compact" if compact else "full"
    lines = [
        "// Generated by tools/ddf2cpp.py from " + ", ".join(o.file.name for o in objects) + ".",
        "// Do not edit: change the DDF XML and rebuild.",
        '#include "model/object_def.hpp"',
        "",
        f"#if {'!' if compact else ''}TL_MODEL_COMPACT",
        f"#error \"this {layout} table needs TL_MODEL_COMPACT={int(compact)}: link tl_model_api "
        "(it sets the build's layout)\"",
        "#endif",
        "",
        "namespace tl::model {",
        f"inline namespace {layout} {{",
        "namespace {",
        "",
        "using O = Operations;",
        "using T = ValueType;",
    ]
    for o in (o for o in objects if o.resources):
        lines += ["", f"// {o.id} {o.name}".rstrip(), f"constexpr ResourceDef kObject{o.id}[] = {{"]
        lines += [cpp_resource(r, compact) for r in o.resources]
        lines.append("};")
    lines += ["", "constexpr ObjectDef kObjects[] = {"]
    lines += [cpp_object(o, compact) for o in objects]
    lines += [
        "};",
        "",
        "}  // namespace",
        "",
        "std::span<const ObjectDef> all_objects() { return kObjects; }",
        "const ObjectDef* find_object(uint16_t id) { return find_by_id(all_objects(), id); }",
        "",
        f"}}  // namespace {layout}",
        "}  // namespace tl::model",
        "",
    ]
    Path(path).write_text("\n".join(lines), encoding="utf-8")


def json_object(o):
    return {
        "id": o.id, "name": o.name, "description": o.description,
        "description2": o.description2, "urn": o.urn, "version": o.version,
        "lwm2m_version": o.lwm2m_version, "multiple_instances": o.multiple,
        "mandatory": o.mandatory,
        "resources": [{
            "id": r.id, "name": r.name, "operations": r.operations, "multiple": r.multiple,
            "mandatory": r.mandatory, "type": r.type[1], "range": r.range, "units": r.units,
            "description": r.description,
        } for r in o.resources],
    }


def write_json(objects, path):
    document = {"objects": [json_object(o) for o in objects]}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    Path(path).write_text(text, encoding="utf-8")


def object_ids(text):
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of object IDs")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", help="folders holding one <ObjectID>.xml per object")
    parser.add_argument("--objects", type=object_ids, help="keep only these IDs, e.g. 0,1,3")
    parser.add_argument("--cpp", help="write the C++ tables here")
    parser.add_argument("--compact", action="store_true",
                        help="--cpp in the device layout (TL_MODEL_COMPACT): no names, URNs, "
                        "ranges or units")
    parser.add_argument("--json", help="write the JSON export (with descriptions) here")
    args = parser.parse_args(argv)

    problems = Problems()
    objects = load(args.folders, problems)
    if objects is not None and args.objects is not None:
        objects = select(objects, args.objects, problems)
    if objects is None:
        print("\n".join(problems.messages), file=sys.stderr)
        print(f"ddf2cpp: {len(problems.messages)} problem(s); nothing written", file=sys.stderr)
        return 1
    if args.cpp:
        write_cpp(objects, args.cpp, args.compact)
    if args.json:
        write_json(objects, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
