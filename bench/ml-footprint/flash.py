#!/usr/bin/env python3
"""Flash per TinyML piece of the ml_footprint firmware.

Per object file from the link map (scripts/map-size --by object), the forest evaluator per function
from the symbol table (its object also holds the packer's validator), model data from models.inc.
usage: flash.py ELF MAP MODELS_INC
"""
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def objects(map_path):
    out = subprocess.run([str(ROOT / "scripts/map-size"), map_path, "--by", "object", "--json"],
                         check=True, capture_output=True, text=True).stdout
    return {re.sub(r"^libtl_ml\.a\((.*)\.obj\)$", r"\1", k): v["flash"] for k, v in json.loads(out).items()}


def function_sizes(elf):
    out = subprocess.run(["arm-none-eabi-nm", "-S", "-C", elf], check=True, capture_output=True,
                         text=True).stdout
    sizes = {}
    for line in out.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4:
            sizes[parts[3].split("(")[0]] = int(parts[1], 16)
    return sizes


def main():
    elf, map_path, inc = sys.argv[1:4]
    obj = objects(map_path)
    fn = function_sizes(elf)
    consts = dict(re.findall(r"constexpr std::uint32_t (\w+) = (\d+);", Path(inc).read_text()))
    ml = {k: v for k, v in obj.items() if k.endswith(".cpp")}
    figures = [
        ("features flash (pipeline.cpp + fft.cpp)", obj["pipeline.cpp"] + obj["fft.cpp"]),
        ("scaler flash", obj["scaler.cpp"]),
        ("kmeans flash (score + validation)", obj["kmeans.cpp"]),
        ("lof flash", obj["lof.cpp"]),
        ("blob parser flash (blob_open.cpp + crc32.cpp)", obj["blob_open.cpp"] + obj["crc32.cpp"]),
        ("packed forest object flash (evaluator + validator)", obj["packed.cpp"]),
    ]
    evaluator = fn["tl::ml::packed_forest_votes"] + fn["tl::ml::argmax_votes"]
    figures.append(("forest evaluator code flash", evaluator))
    figures.append(("forest-3class flash", evaluator + int(consts["kModel1PackedForestBytes"])))
    figures.append(("forest-4class flash", evaluator + int(consts["kModel2PackedForestBytes"])))
    figures.append(("forest-3class general-form data (for comparison)",
                    int(consts["kModel1GeneralForestBytes"])))
    figures.append(("tl_ml total flash (all objects linked)", sum(ml.values())))
    for name, value in figures:
        print(f"{name}: {value} B")


if __name__ == "__main__":
    main()
