#!/usr/bin/env python3
"""Checks a capsule-audit-export/1 file without Capsule: python3 (stdlib) and openssl (for Ed25519).
Usage: verify_export.py EXPORT.jsonl AUDIT.pub"""
import base64, hashlib, json, subprocess, sys, tempfile, os

def leaf(entry): return hashlib.sha256(b"\x00" + entry).digest()
def node(left, right): return hashlib.sha256(b"\x01" + left + right).digest()

def root(edge):  # edge: hashes of the perfect subtrees making the tree, left (largest) to right
    if not edge:
        return hashlib.sha256(b"").digest()
    h = edge[-1]
    for left in reversed(edge[:-1]):
        h = node(left, h)
    return h

def raw_ed25519(pem_file):  # the 32-byte key from the SubjectPublicKeyInfo PEM (last 32 bytes of the DER)
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", pem_file, "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return der[-32:]

def check_signature(note, origin, pem_file, pub):
    body, sigs = note.split("\n\n", 1)
    body += "\n"
    key_hash = hashlib.sha256(origin.encode() + b"\n\x01" + pub).digest()[:4]
    for line in sigs.splitlines():
        name, b64 = line.removeprefix("\u2014 ").split(" ", 1)
        blob = base64.b64decode(b64, validate=True)
        if name != origin or blob[:4] != key_hash:
            continue  # another key's signature
        with tempfile.TemporaryDirectory() as d:
            open(os.path.join(d, "body"), "wb").write(body.encode())
            open(os.path.join(d, "sig"), "wb").write(blob[4:])
            ok = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pem_file, "-rawin",
                                 "-in", os.path.join(d, "body"), "-sigfile", os.path.join(d, "sig")],
                                capture_output=True).returncode == 0
        return ok
    return False

export, pem_file = sys.argv[1], sys.argv[2]
pub = raw_ed25519(pem_file)
with open(export, encoding="utf-8") as lines:
    header = json.loads(next(lines))
    assert header["format"] == "capsule-audit-export/1", "not an export"
    origin, size = header["origin"], header["size"]
    roots = {}   # checkpoint size -> base64 root hashes claimed at that size
    signed_size = -1
    edge, n = [], 0
    for line in lines:
        obj = json.loads(line)
        if "checkpoint" in obj:
            note = obj["checkpoint"]
            cp_origin, cp_size, cp_root = note.split("\n")[:3]
            assert cp_origin == origin, f"checkpoint for another origin: {cp_origin}"
            assert check_signature(note, origin, pem_file, pub), f"checkpoint size {cp_size}: bad or no trusted signature"
            roots.setdefault(int(cp_size), set()).add(cp_root)
            signed_size = max(signed_size, int(cp_size))
            continue
        assert obj["index"] == n, f"entry {n}: found index {obj['index']}"
        h = leaf(base64.b64decode(obj["entry"], validate=True))
        assert h == base64.b64decode(obj["leafHash"]), f"entry {n}: leaf hash does not match the entry"
        bits = n
        while bits & 1:              # each trailing 1 bit of n: a left sibling the new leaf completes
            h = node(edge.pop(), h)
            bits >>= 1
        edge.append(h)
        n += 1
        for r in roots.pop(n, ()):
            assert base64.b64decode(r) == root(edge), f"checkpoint size {n}: root does not match the entries"
    for r in roots.pop(0, ()):
        assert base64.b64decode(r) == root([]), "checkpoint size 0: not the empty root"
    assert n == size, f"export declares {size} entries but holds {n}"
    assert not roots, f"checkpoints beyond the entries: {sorted(roots)}"
    assert signed_size == size, f"entries from {signed_size} on are not covered by a signed checkpoint"
print(f"ok: {n} entries of {origin}; every checkpoint signed and matching")
