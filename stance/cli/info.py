"""``stance info``: what a model file is (its manifest, read without loading it), and whether it needs --trusted."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..display import display_path
from .common import add_trusted_option

__all__ = ["HELP", "add_arguments", "run"]

HELP = "show a model file's manifest and whether it loads without --trusted; convert a stance < 0.2 model"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", type=Path, help="a model file (or a .joblib model of stance < 0.2)")
    p.add_argument("--json", action="store_true", help="print the whole manifest as JSON")
    p.add_argument("--convert", type=Path, metavar="NEW", help="write a .joblib model of stance < 0.2 as one file "
                   "in the safe format (needs --trusted: the old file is a pickle)")
    add_trusted_option(p)


def run(args: argparse.Namespace) -> int:
    from ..persist import audit, convert_legacy, read_manifest

    if args.convert is not None:
        manifest = convert_legacy(args.model, args.convert, trusted=args.trusted)
        print(f"wrote {display_path(args.convert)} ({manifest['payload']['bytes'] / 1e6:.1f} MB, {manifest['payload']['format']}); "
              "it loads without --trusted")
        return 0
    manifest = read_manifest(args.model)
    if args.json:
        print(json.dumps(manifest, ensure_ascii=False, indent=2))
        return 0
    needs = audit(args.model)
    m = manifest.get("metrics") or {}
    payload = manifest["payload"]
    lines = [
        f"{display_path(args.model)}",
        f"  task       {manifest.get('task')}",
        f"  labels     {', '.join(manifest.get('labels') or [])}",
        f"  estimator  {manifest.get('estimator')}"
        + "".join(f"; {name}: {cls}" for name, cls in manifest.get("steps") or []),
        f"  created    {manifest.get('created')}",
        "  versions   " + ", ".join(f"{k} {v}" for k, v in (manifest.get("versions") or {}).items()),
        *[f"  data       {name} sha256 {sha[:16]}…" for name, sha in (manifest.get("data") or {}).items()],
        *([f"  examples   {manifest['n_examples']}"] if manifest.get("n_examples") is not None else []),
        *([f"  CV metrics accuracy {m['accuracy']:.4f}, macro-F1 {m['macro_f1']:.4f}"]
          if isinstance(m.get("accuracy"), float) and isinstance(m.get("macro_f1"), float) else []),
        f"  payload    {payload.get('format', 'joblib (stance < 0.2)')}, "
        + (f"{payload['bytes']:,} bytes, " if "bytes" in payload else "") + f"sha256 {payload['sha256'][:16]}…",
        "  loading    " + ("safe: loads without --trusted" if not needs else "needs --trusted: " + "; ".join(needs)),
    ]
    print("\n".join(lines))
    return 0
