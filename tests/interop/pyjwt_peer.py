#!/usr/bin/env python3
"""The PyJWT side of the interoperability matrix (tests/interop/interop.test.mjs).

Reads one JSON request per line on stdin and writes one JSON answer per line on stdout:
  {"op": "version"}                                   -> {"pyjwt": "2.15.1", "python": "3.11.7"}
  {"op": "sign", "alg": "HS256", "secret": B64URL | "key": PEM, "payload": {...}, "headers": {...}?}
                                                      -> {"token": "..."}
  {"op": "verify", "alg": "HS256", "secret": B64URL | "key": PEM, "token": "...", "audience": "..."?}
                                                      -> {"ok": true, "claims": {...}, "header": {...}}
                                                       | {"ok": false, "error": "ExceptionName: message"}
An HMAC secret travels as base64url so any bytes cross; RSA, EC and Ed25519 keys as PEM text
(PKCS#8 private keys to sign, SPKI public keys to verify; PyJWT needs `cryptography` for
these). No network, no files: stdin to stdout.
"""
import base64
import json
import platform
import sys

import jwt


def secret_of(request):
    if "key" in request:
        return request["key"]
    text = request["secret"]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def handle(request):
    op = request.get("op")
    if op == "version":
        return {"pyjwt": jwt.__version__, "python": platform.python_version(),
                "crypto": jwt.algorithms.has_crypto}
    if op == "sign":
        token = jwt.encode(request["payload"], secret_of(request), algorithm=request["alg"],
                           headers=request.get("headers"))
        return {"token": token}
    if op == "verify":
        try:
            kwargs = {}
            if "audience" in request:
                kwargs["audience"] = request["audience"]
            decoded = jwt.decode_complete(request["token"], secret_of(request), algorithms=[request["alg"]],
                                          **kwargs)
            return {"ok": True, "claims": decoded["payload"], "header": decoded["header"]}
        except jwt.PyJWTError as error:
            return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"error": f"unknown op {op!r}"}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as error:  # an answer per request, whatever happens
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, allow_nan=False) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
