#!/usr/bin/env python3
"""Generate a polyglot source tree of N files for scaling benchmarks.

    scripts/gen-tree.py N OUT_DIR [--seed S]

The tree mixes the three languages tapestry reads, in the proportions of a
typical polyglot monorepo: 40 % Python (packages under py/, with __init__.py,
absolute and relative imports, lazy imports in functions, TYPE_CHECKING
blocks), 40 % TypeScript (workspace packages under ts/packages/*, each with a
package.json, relative imports, cross-package imports by name, type-only
imports, npm packages) and 20 % Rust (workspace crates under rs/crates/*, a
module tree from lib.rs, `use crate::…` paths and paths to sibling crates).
Files average about 120 lines of ordinary code around their imports, and a
few import cycles are planted on purpose. Same N and seed, same tree, byte
for byte.
"""

import argparse
import os
import random

PER_DIR = 40  # files per package/crate directory
PY_STDLIB = ["os", "sys", "json", "re", "typing", "dataclasses", "collections", "functools", "logging", "pathlib"]
PYPI = ["requests", "attrs", "pydantic", "numpy", "click", "sqlalchemy"]
NPM = ["react", "lodash", "zod", "rxjs", "express", "@tanstack/query-core"]
CRATES = ["serde", "anyhow", "regex", "rayon", "tokio"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def py_body(rng, i):
    out = []
    for c in range(rng.randint(2, 4)):
        out.append(f"\n\nclass Model{i}_{c}:\n    \"\"\"A record kept by the service.\"\"\"\n\n")
        out.append(f"    def __init__(self, key: str, value: int = {c}) -> None:\n")
        out.append("        self.key = key\n        self.value = value\n        self.history: list[int] = []\n\n")
        for m in range(rng.randint(3, 6)):
            out.append(f"    def step_{m}(self, amount: int) -> int:\n")
            out.append(f"        if amount > {m * 3}:\n            self.history.append(amount)\n")
            out.append(f"        total = sum(x * {m + 1} for x in self.history if x % 2 == 0)\n")
            out.append("        return total + self.value\n\n")
    return "".join(out)


def gen_python(root, rng, n, start):
    pkgs = max(1, (n + PER_DIR - 1) // PER_DIR)
    made = 0
    for p in range(pkgs):
        count = min(PER_DIR, n - made)
        if count <= 0:
            break
        pkg = f"svc{p}"
        write(f"{root}/py/{pkg}/__init__.py", f'"""Package {pkg}."""\nfrom .m0 import Model0_0\n')
        made += 1
        for i in range(count - 1):
            lines = ["from __future__ import annotations\n", f"import {rng.choice(PY_STDLIB)}\n"]
            lines.append(f"from {rng.choice(PY_STDLIB)} import *\n" if rng.random() < 0.05 else "")
            lines.append(f"import {rng.choice(PYPI)}\n")
            if i > 0:
                lines.append(f"from .m{rng.randrange(i)} import Model{rng.randrange(i)}_0\n")
            if p > 0:
                q = rng.randrange(p)
                lines.append(f"from svc{q}.m{rng.randrange(min(PER_DIR - 1, 5))} import helper\n")
            if i == 3:  # a planted cycle: m3 -> m4 -> m3
                lines.append("from . import m4\n")
            if i == 4:
                lines.append("from . import m3\n")
            lines.append("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import m0\n")
            lines.append(f"\n\ndef helper():\n    import {rng.choice(PY_STDLIB)}\n    return 1\n")
            write(f"{root}/py/{pkg}/m{i}.py", "".join(lines) + py_body(rng, i))
            made += 1
    write(f"{root}/py/pyproject.toml", '[project]\nname = "svc"\nversion = "0.1.0"\n')
    return made


def ts_body(rng, i):
    out = []
    for c in range(rng.randint(2, 4)):
        out.append(f"\nexport interface Shape{i}_{c} {{\n  id: string;\n  size: number;\n  tags: readonly string[];\n}}\n")
        out.append(f"\nexport class Store{i}_{c}<T extends Shape{i}_{c}> {{\n  private items = new Map<string, T>();\n\n")
        for m in range(rng.randint(3, 6)):
            out.append(f"  method{m}(item: T, factor = {m + 1}): number {{\n")
            out.append("    this.items.set(item.id, item);\n")
            out.append(f"    const total = [...this.items.values()].filter((x) => x.size > {m}).reduce((a, x) => a + x.size * factor, 0);\n")
            out.append("    return total > 100 ? Math.floor(total / 2) : total;\n  }\n\n")
        out.append("}\n")
    return "".join(out)


def gen_typescript(root, rng, n):
    pkgs = max(1, (n + PER_DIR - 1) // PER_DIR)
    made = 0
    for p in range(pkgs):
        count = min(PER_DIR, n - made)
        if count <= 0:
            break
        name = f"@gen/pkg{p}"
        base = f"{root}/ts/packages/pkg{p}"
        write(f"{base}/package.json", f'{{"name": "{name}", "version": "1.0.0", "main": "src/index.ts"}}\n')
        write(f"{base}/src/index.ts", "export * from './m0';\n")
        made += 1
        for i in range(count - 1):
            lines = [f"import {{ {rng.choice(['a', 'b', 'c'])} }} from '{rng.choice(NPM)}';\n"]
            if i > 0:
                lines.append(f"import {{ Store{rng.randrange(i)}_0 }} from './m{rng.randrange(i)}';\n")
                lines.append(f"import type {{ Shape{rng.randrange(i)}_0 }} from './m{rng.randrange(i)}';\n")
            if p > 0:
                lines.append(f"import * as dep from '@gen/pkg{rng.randrange(p)}';\n")
            if i == 3:  # a planted cycle: m3 -> m4 -> m3
                lines.append("import { Store4_0 } from './m4';\n")
            if i == 4:
                lines.append("import { Store3_0 } from './m3';\n")
            if rng.random() < 0.1:
                lines.append(f"const lazy = () => import('./m{rng.randrange(max(1, i))}');\n")
            write(f"{base}/src/m{i}.ts", "".join(lines) + ts_body(rng, i))
            made += 1
    write(f"{root}/ts/package.json", '{"name": "gen-root", "private": true, "workspaces": ["packages/*"]}\n')
    return made


def rs_body(rng, i):
    out = []
    for c in range(rng.randint(2, 4)):
        out.append(f"\n#[derive(Debug, Clone, Default)]\npub struct Item{i}_{c} {{\n    pub id: u64,\n    pub weight: f64,\n    pub tags: Vec<String>,\n}}\n")
        out.append(f"\nimpl Item{i}_{c} {{\n")
        for m in range(rng.randint(3, 6)):
            out.append(f"    pub fn step_{m}(&mut self, amount: u64) -> u64 {{\n")
            out.append(f"        let total: u64 = self.tags.iter().map(|t| t.len() as u64 * {m + 1}).sum();\n")
            out.append("        if amount > total { self.id += amount; }\n")
            out.append("        total + self.id\n    }\n\n")
        out.append("}\n")
    return "".join(out)


def gen_rust(root, rng, n):
    crates = max(1, (n + PER_DIR - 1) // PER_DIR)
    made = 0
    members = []
    for k in range(crates):
        count = min(PER_DIR, n - made)
        if count <= 0:
            break
        name = f"gen_c{k}"
        members.append(f'"crates/c{k}"')
        base = f"{root}/rs/crates/c{k}"
        deps = "".join(f'{d} = "1"\n' for d in CRATES[:3])
        if k > 0:
            deps += f'gen_c{k - 1} = {{ path = "../c{k - 1}" }}\n'
        write(f"{base}/Cargo.toml", f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n{deps}')
        mods = count - 1
        write(f"{base}/src/lib.rs", "//! Generated crate.\n" + "".join(f"pub mod m{i};\n" for i in range(mods)))
        made += 1
        for i in range(mods):
            lines = [f"use {rng.choice(CRATES)}::Thing;\n", "use std::collections::HashMap;\n"]
            if i > 0:
                lines.append(f"use crate::m{rng.randrange(i)}::Item{rng.randrange(i)}_0;\n")
            if k > 0:
                lines.append(f"use gen_c{k - 1}::m0;\n")
            if i == 3:  # a planted cycle: m3 -> m4 -> m3
                lines.append("use super::m4;\n")
            if i == 4:
                lines.append("use super::m3;\n")
            write(f"{base}/src/m{i}.rs", "".join(lines) + rs_body(rng, i))
            made += 1
    write(f"{root}/rs/Cargo.toml", "[workspace]\nmembers = [" + ", ".join(members) + "]\n")
    return made


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of source files")
    ap.add_argument("out", help="output directory (created)")
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    n_py, n_ts = a.n * 4 // 10, a.n * 4 // 10
    n_rs = a.n - n_py - n_ts
    made = gen_python(a.out, rng, n_py, 0) + gen_typescript(a.out, rng, n_ts) + gen_rust(a.out, rng, n_rs)
    print(f"{made} source files in {a.out}")


if __name__ == "__main__":
    main()
