#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from the repository's tests: the version and
range strings of the conformance vectors, the purl-spec test data, the policy
case files, bad inputs and example layers (plus JSON twins of a few layers).
Run from anywhere; existing corpus files are kept. Usage: fuzz/seed.py"""

import hashlib
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
VERSIONS_DATA = ROOT / "crates/package-versions/tests/data"
POLICY_TESTS = ROOT / "crates/package-policy/tests"
CORPUS = ROOT / "fuzz/corpus"

# Fuzz target suffix -> prefixes of the data files holding its vectors.
SCHEMES = {
    "npm": ["npm_"],
    "pypi": ["pypi_"],
    "maven": ["maven_"],
    "rubygems": ["rubygems_"],
    "golang": ["go_"],
    "nuget": ["nuget_"],
    "cargo": ["cargo_"],
}
VERSION_KEYS = {"version", "a", "b", "pseudo_version", "canonical", "public", "normalized"}
RANGE_KEYS = {"range", "requirement", "specifier"}


def strings(value, keys=None):
    """Every string under `value` (under one of `keys` when given)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if keys is None or k in keys:
                yield from strings(v, None)
            elif isinstance(v, (dict, list)):
                yield from strings(v, keys)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v, keys)
    elif isinstance(value, str):
        yield value


def records(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        yield json.loads(text)
        return
    for line in text.split("\n"):  # not splitlines: U+2028 may sit inside a string
        if line.strip():
            yield json.loads(line)


def write(target, seeds):
    out = CORPUS / target
    out.mkdir(parents=True, exist_ok=True)
    added = 0
    for seed in seeds:
        data = seed.encode("utf-8") if isinstance(seed, str) else seed
        path = out / ("seed-" + hashlib.sha1(data).hexdigest())
        if not path.exists():
            path.write_bytes(data)
            added += 1
    print(f"{target}: {added} new seeds")


def vector_strings(prefixes, keys):
    for path in sorted(VERSIONS_DATA.glob("*.jsonl")):
        if any(path.name.startswith(p) for p in prefixes):
            for rec in records(path):
                yield from strings(rec, keys)


JSON_LAYERS = [
    {"schema_version": 1, "layer": "feed", "rules": [
        {"id": "mal-1", "action": "deny", "enforced": True,
         "match": {"ecosystem": "npm", "package": "evil", "versions": ">=1.0.0 <1.2.0"}},
        {"id": "mal-2", "action": "deny", "match": {"ecosystem": "pypi", "package": "Foo_Bar"}},
    ]},
    {"schema_version": 1, "layer": "acme", "default": "warn", "mode": "dry_run", "rules": [
        {"id": "internal", "action": "deny",
         "match": {"ecosystem": ["npm", "maven"], "package": ["@acme/*", "com.acme.*:*"]}},
        {"id": "ok", "action": "allow", "owner": "sec", "ticket": "SEC-1", "expires": "2030-01-01",
         "match": {"package": "@acme/ui", "attributes": {"tier": 1, "vetted": True}}},
    ]},
]

OSV_RECORDS = [
    {"id": "MAL-0000-1", "modified": "2025-01-01T00:00:00Z", "summary": "Malicious code in evil (npm)",
     "affected": [{"package": {"ecosystem": "npm", "name": "evil"},
                   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]},
    {"id": "MAL-0000-2", "affected": [{"package": {"ecosystem": "Maven:https://repo.example/maven2",
                                                   "name": "org.evil:evil"}, "versions": ["1.0", "1.1-SNAPSHOT"]}]},
    {"id": "MAL-0000-3", "affected": [{"package": {"ecosystem": "PyPI", "name": "Evil_Pkg"},
                                       "ranges": [{"type": "ECOSYSTEM", "events": [
                                           {"introduced": "1.0"}, {"fixed": "1.5.dev0"}]}]},
                                      {"package": {"ecosystem": "Debian:11", "name": "evil"}}]},
    {"id": "MAL-0000-4", "withdrawn": "2025-02-01T00:00:00Z",
     "affected": [{"package": {"ecosystem": "RubyGems", "name": "evil"}}]},
]


def main():
    for eco, prefixes in SCHEMES.items():
        write(f"version_{eco}", vector_strings(prefixes, VERSION_KEYS))
        write(f"range_{eco}", vector_strings(prefixes, RANGE_KEYS))
    vers = [s for s in vector_strings(["vers", "univers"], None) if s.startswith("vers:")]
    write("vers", vers)
    purls = []
    for path in sorted((POLICY_TESTS / "data").glob("purl*.json")):
        purls += [s for s in strings(json.loads(path.read_text(encoding="utf-8"))) if s.startswith("pkg:")]
    # Non-canonical identities (issue 18): refused requests, as purls.
    for line in (POLICY_TESTS / "bad_inputs/requests.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip() and "purl" in json.loads(line):
            purls.append(json.loads(line)["purl"])
    purls += ["pkg:gem/ffi@1.17.4-x86_64-linux-gnu", "pkg:gem/nokogiri@1.13.10-java?platform=java",
              "pkg:golang/github.com/EVIL/x@v1.0.0", "pkg:nuget/%C4%B0nfo.Stealer@1.0.0"]
    write("purl", purls)
    layers = [p.read_bytes() for p in sorted((POLICY_TESTS / "cases").glob("*.yaml"))]
    layers += [p.read_bytes() for p in sorted((POLICY_TESTS / "bad_inputs").glob("*.yaml"))]
    layers += [p.read_bytes() for p in sorted((ROOT / "examples/policies").glob("*.yaml"))]
    layers += [json.dumps(layer, indent=1) for layer in JSON_LAYERS]
    layers += [dos_star_pieces(60), dos_long_globs(60), dos_residue(1000, ""), dos_residue(1000, "ab")]
    write("layer_compile", layers)
    # feed: OSV documents, good ones and the bad-feed corpus (error pages,
    # truncated JSON, empty documents, records that all fail).
    feeds = [p.read_bytes() for p in sorted((POLICY_TESTS / "bad_feeds").iterdir()) if p.suffix in (".json", ".jsonl")]
    feeds += [json.dumps(r).encode() for r in OSV_RECORDS]
    feeds += ["\n".join(json.dumps(r) for r in OSV_RECORDS).encode()]
    feeds += [json.dumps(OSV_RECORDS, indent=2).encode()]
    write("feed", feeds)
    # glob: a selector byte, a pattern line, then names to match.
    write("glob", [b"\x00@acme/*\n@acme/ui\n@other/x", b"\x01foo_*\nFoo-Bar\nfoo.baz",
                   b"\x02com.acme.*:*\ncom.acme.x:core", b"\x00{a,b}-[!c]?\na-dx\nb-cx",
                   # Adversarial shapes (issue 18): exponential for a
                   # backtracking matcher, quadratic for the reference's.
                   b"\x00" + b"*a" * 6 + b"\n" + b"a" * 24 + b"c\n" + b"a" * 24,
                   b"\x00" + b"*a" * 40 + b"*b\n" + b"a" * 1024 + b"\n" + b"a" * 1023 + b"b",
                   b"\x02" + b"{*a,a*}" * 16 + b"c\n" + b"a" * 1024,
                   b"\x03**/" + b"*a" * 5 + b"/*\n" + b"a/" * 10 + b"c",
                   b"\x04{x,y}*[ab]*?*\n" + b"x" + b"ab" * 10,
                   # Canonical identities: Go hosts that fold case, NuGet's dotted I.
                   b"\x04github.com/Evil/*\ngithub.com/EVIL/x\ngithub.com/evil/x",
                   b"\x04*/evil/[A-Z]\ngithub.com/evil/q\nexample.com/evil/Q",
                   "\x05\u0130nfo.*\n\u0130NFO.x\ninfo.x".encode()])


def dos_star_pieces(count):
    """Globs of one-character pieces (`*a*b*a...`, ~1 KiB each): no literal
    prefilter applies and an unpruned NFA keeps a state per piece."""
    rules = []
    for i in range(count):
        pieces = ["*b" if k < 12 and (i >> k) & 1 else "*a" for k in range(500)]
        rules.append(f'  - id: g{i}\n    action: deny\n    reason: r\n'
                     f'    match: {{ ecosystem: npm, package: "{"".join(pieces)}" }}\n')
    return ("schema_version: 1\nlayer: dos\nrules:\n" + "".join(rules)).encode()


def dos_residue(count, prefix):
    """Short residue globs without a literal the prefilter could use (or all
    sharing `prefix`): compiled into multi-pattern automata (issue 18)."""
    pieces = ["*a", "?", "*b", "[ab]"]
    rules = []
    for i in range(count):
        g = prefix + "".join(pieces[(i >> (2 * k)) & 3] for k in range(8)) + "?*"
        rules.append(f'  - id: r{i}\n    action: deny\n    reason: r\n'
                     f'    match: {{ ecosystem: npm, package: "{g}" }}\n')
    return ("schema_version: 1\nlayer: residue\nrules:\n" + "".join(rules)).encode()


def dos_long_globs(count):
    """Long globs without an ecosystem, each with a brace group: once compiled
    per ecosystem and alternative, they took gigabytes."""
    rules = []
    for i in range(count):
        glob = f"{{x,y,z,w}}{i}-" + "*Ab_" * 250
        rules.append(f'  - id: l{i}\n    action: deny\n    reason: r\n'
                     f'    match: {{ package: "{glob}" }}\n')
    return ("schema_version: 1\nlayer: long\nrules:\n" + "".join(rules)).encode()


if __name__ == "__main__":
    main()
