#!/usr/bin/env python3
"""Writes fuzz/seeds/<target>/<name>: small seed inputs for each fuzz target, made from the
test vectors (tests/vectors/*.json) and tokens like those of the attack table
(tests/attacks.rs). Standard library only. The input formats are documented on each
target's function in fuzz/src/lib.rs. Run it again after changing a format; the seeds are
committed so that `cargo test` (tests/fuzz_regressions.rs) replays them without Python.
"""
import base64
import hashlib
import hmac
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fuzz" / "seeds"
SECRET = b"fuzzing-secret-0123456789abcdef-fuzzing-secret-0123456789abcdef!"  # = jwtkit_fuzz::SECRET
HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header, payload, secret=SECRET, alg="HS256") -> str:
    header = header.encode() if isinstance(header, str) else header
    payload = payload.encode() if isinstance(payload, str) else payload
    signing_input = f"{b64(header)}.{b64(payload)}"
    mac = hmac.new(secret, signing_input.encode(), HASHES[alg]).digest()
    return f"{signing_input}.{b64(mac)}"


def vectors():
    for path in sorted((ROOT / "tests" / "vectors").glob("*.json")):
        yield path.stem, json.loads(path.read_text())


HEADER = '{"alg":"HS256","typ":"JWT"}'
CLAIMS = '{"sub":"ada","aud":"api","iss":"iss","exp":2000,"iat":1000,"jti":"j1"}'

# (name, header, payload) pairs: each changes one thing, as the attack table does.
SHAPES = [
    ("valid", HEADER, CLAIMS),
    ("alg-none", '{"alg":"none","typ":"JWT"}', CLAIMS),
    ("alg-NoNe", '{"alg":"NoNe"}', CLAIMS),
    ("alg-missing", '{"typ":"JWT"}', CLAIMS),
    ("alg-number", '{"alg":256}', CLAIMS),
    ("alg-rs256", '{"alg":"RS256"}', CLAIMS),
    ("alg-hs512", '{"alg":"HS512","typ":"JWT"}', CLAIMS),
    ("dup-alg", '{"alg":"HS256","alg":"none"}', CLAIMS),
    ("dup-alg-escaped", '{"alg":"HS256","\\u0061lg":"none"}', CLAIMS),
    ("dup-nested", HEADER, '{"exp":2000,"x":[{"a":1,"a":2}]}'),
    ("crit", '{"alg":"HS256","crit":["b64"],"b64":false}', CLAIMS),
    ("crit-empty", '{"alg":"HS256","crit":[]}', CLAIMS),
    ("kid", '{"alg":"HS256","kid":"../../etc/passwd"}', CLAIMS),
    ("jwk-in-header", '{"alg":"HS256","jwk":{"kty":"oct","k":"YWJj"}}', CLAIMS),
    ("typ-at-jwt", '{"alg":"HS256","typ":"application/JWT"}', CLAIMS),
    ("exp-string", HEADER, '{"exp":"2000"}'),
    ("exp-float", HEADER, '{"exp":1000.5,"nbf":999.25,"iat":1e3}'),
    ("exp-huge", HEADER, '{"exp":1e300,"iat":123456789012345678901234567890}'),
    ("exp-overflow", HEADER, '{"exp":1e999}'),
    ("aud-array", HEADER, '{"aud":["x","api"],"sub":"ada","iss":"iss","exp":2000,"iat":1999}'),
    ("lone-surrogate", HEADER, '{"sub":"\\ud800"}'),
    ("astral", HEADER, '{"sub":"\\ud83d\\ude00 \U0001F600","n":-0.0,"big":18446744073709551615}'),
    ("payload-array", HEADER, "[1,2]"),
    ("payload-trailing", HEADER, '{"exp":2000} {}'),
    ("deep-array", HEADER, '{"x":' + "[" * 127 + "]" * 127 + "}"),
    ("too-deep", HEADER, '{"x":' + "[" * 129 + "]" * 129 + "}"),
    ("many-members", HEADER, "{" + ",".join(f'"k{i}":{i}' for i in range(40)) + ',"k7":0}'),
    ("escapes", HEADER, '{"s":"' + "\\n\\u00e9\\\"" * 20 + '"}'),
]
RAW = [
    ("empty", b""),
    ("dots", b".."),
    ("two-parts", b"eyJhbGciOiJIUzI1NiJ9.e30"),
    ("jwe", b"a.b.c.d.e"),
    ("padding", b"eyJhbGciOiJIUzI1NiJ9=.e30.AA"),
    ("plus-slash", b"eyJhbGciOiJIUzI1NiJ9.e3+/.AA"),
    ("unused-bits", b"eyJhbGciOiJIUzI1NiJ9.e31.AB"),
    ("latin1", b"eyJhbGciOiJIUzI1NiJ9.\xe9.AA"),
    ("utf8", "é.ü.\U0001F600".encode()),
    ("invalid-utf8-header", forge(b'{"alg":"HS256","x":"\xff"}', CLAIMS).encode()),
]


def tokens():
    for name, header, payload in SHAPES:
        yield name, forge(header, payload).encode()
    for name, data in RAW:
        yield name, data
    for stem, v in vectors():
        if "token" in v:
            yield stem, v["token"].encode()


def write(target, name, data: bytes):
    directory = SEEDS / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


def main():
    shutil.rmtree(SEEDS, ignore_errors=True)
    jwks = {stem: json.dumps({"keys": [v["jwk"]]}) for stem, v in vectors() if "jwk" in v}
    fixed_jwks = json.dumps({"keys": [{"kty": "oct", "kid": "k1", "k": b64(SECRET)},
                                      {"kty": "oct", "kid": "k2", "alg": "HS512", "k": b64(SECRET)},
                                      {"kty": "RSA", "n": "AQAB", "e": "AQAB"}]})

    for name, token in tokens():
        write("parse", name, token)
        write("verify", name, bytes([0, 1]) + token)  # mode 0, now = 1000
        write("inspect", name, bytes([0, 1]) + token)
        write("inspect", name + "-key", bytes([1, 1]) + SECRET + b"\0" + token)
    for name, header, payload in SHAPES:
        write("parse", name + "-payload-json", payload.encode())
        # mode 1: header \0 payload, signed with the fixed key; flags 0x10 = claims options on.
        write("verify", name + "-forged", bytes([0x20, 1]) + header.encode() + b"\0" + payload.encode())
        write("verify", name + "-forged-claims", bytes([0x30, 0x11]) + header.encode() + b"\0" + payload.encode())
        write("sign_roundtrip", name, bytes([0]) + payload.encode())
        write("sign_roundtrip", name + "-header", bytes([8]) + header.encode() + b"\0" + payload.encode())
    # Whole-input JSON numbers: decimal::parse against the standard library.
    for i, number in enumerate(["1.7976931348623158e308", "2.4703282292062327e-324", "-123.456e-300", "1e23",
                                "9007199254740993.000000000000000000001",
                                "0.1000000000000000055511151231257827021181583404541015625"], 1):
        write("parse", f"number-{i}", number.encode())
    # mode 2: edits of a valid token.
    write("verify", "edit-none", bytes([0x40, 1]))
    write("verify", "edit-one", bytes([0x40, 1, 50, ord("B")]))
    write("verify", "edit-insert-delete", bytes([0x40, 1, 10, 1, 11, 0]))
    # mode 3: options JSON \0 JWK Set \0 token.
    options = json.dumps({"algorithms": ["HS256"], "audience": ["api"], "issuer": ["iss"], "clockTolerance": 5,
                          "maxAge": 3600, "requiredClaims": ["sub"], "typ": "JWT", "maxTokenLength": 500})
    valid = forge(HEADER, CLAIMS).encode()
    write("verify", "options-fixed-key", bytes([0x60, 1]) + options.encode() + b"\0\0" + valid)
    write("verify", "options-jwks", bytes([0x60, 1]) + b"{}\0" + fixed_jwks.encode() + b"\0"
          + forge('{"alg":"HS256","kid":"k1"}', CLAIMS).encode())
    for stem, v in vectors():
        if "token" in v and "jwk" in v:
            write("verify", stem + "-jwks", bytes([0x60, 0]) + b'{"ignoreExpiration":true}\0'
                  + jwks[stem].encode() + b"\0" + v["token"].encode())
            write("inspect", stem + "-jwks", bytes([2, 0]) + jwks[stem].encode() + b"\0" + v["token"].encode())
    # keys: whole input is a secret, a base64 secret, a JWK or a JWK Set.
    for stem, v in vectors():
        if "jwk" in v:
            write("keys", stem + "-jwk", json.dumps(v["jwk"]).encode())
            write("keys", stem + "-jwks", jwks[stem].encode())
        if "vectors" in v:
            for i, case in enumerate(v["vectors"][::3]):
                write("keys", f"{stem}-{i}-hex-secret", bytes.fromhex(case["key"]))
    write("keys", "fixed-jwks", fixed_jwks.encode())
    write("keys", "base64-padded", b"YWJjZA==")
    write("keys", "base64-standard", b"+/+/ab==")
    write("keys", "pem", b"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n")
    write("keys", "rsa-jwk", b'{"kty":"RSA","n":"AQAB","e":"AQAB"}')
    write("keys", "oct-key-ops", b'{"kty":"oct","k":"YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo","key_ops":["encrypt"]}')
    write("keys", "oct-dup", b'{"kty":"oct","kty":"oct","k":"YWJj"}')
    write("keys", "oct-alg-use", b'{"kty":"oct","alg":"HS384","use":"enc","kid":"x","k":"YWJj"}')
    # keys and asymmetric: every PEM and JWK form of the test keys (tests/keys/*.json).
    key_files = sorted((ROOT / "tests" / "keys").glob("*.json"))
    for index, path in enumerate(k for k in key_files if k.stem != "refused"):
        data = json.loads(path.read_text())
        for form in ["pkcs8", "spki", "sec1", "pkcs1", "pkcs1_public", "certificate"]:
            if form in data:
                write("keys", f"{path.stem}-{form}", data[form].encode())
                write("asymmetric", f"{path.stem}-{form}", bytes([0, 0]) + data[form].encode())
        for form in ["jwk_private", "jwk_public"]:
            text = json.dumps(data[form]).encode()
            write("keys", f"{path.stem}-{form}", text)
            write("asymmetric", f"{path.stem}-{form}", bytes([0, 0]) + text)
    refused = json.loads((ROOT / "tests" / "keys" / "refused.json").read_text())
    for name, pem in refused.items():
        if name != "source":
            write("keys", f"refused-{name}", pem.encode())
            write("asymmetric", f"refused-{name}", bytes([0, 0]) + pem.encode())
    # asymmetric: tokens for each fixed key (byte 1 % 5) and algorithm (byte 1 // 5).
    for key in range(5):
        for alg_index in range(6 if key == 0 else 1):
            param = key + 5 * alg_index
            write("asymmetric", f"forged-{key}-{alg_index}", bytes([2, param]) + HEADER.encode() + b"\0" + CLAIMS.encode())
            write("asymmetric", f"signature-{key}-{alg_index}", bytes([3, param]) + b"\0{}\0" + bytes(64))
    for stem, v in vectors():
        if "token" in v and v.get("alg", "HS256")[:2] != "HS":
            write("asymmetric", f"{stem}-token", bytes([1, 0]) + v["token"].encode())
    # sign_roundtrip: kid, and generated objects from bytes.
    write("sign_roundtrip", "kid", bytes([5]) + 'k"\U0001F600'.encode() + b"\0" + CLAIMS.encode())
    write("sign_roundtrip", "generated", bytes([0x12]) + bytes(range(0, 256, 7)))
    write("sign_roundtrip", "generated-nested", bytes([0x10, 5, 3, 8, 4, 7, 3, 8, 2, 6, 4, 1, 2, 3, 0, 9]))
    count = sum(1 for _ in SEEDS.rglob("*") if _.is_file())
    print(f"wrote {count} seed files under {SEEDS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
