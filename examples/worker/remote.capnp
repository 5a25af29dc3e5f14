# workerd config for src/remote.mjs (keys from a JWK Set URL, kept in a persistent cache),
# so it runs without wrangler:
#
#   npm install                      # installs jwtkit next to this file (node_modules/jwtkit)
#   JWKS_URL=http://127.0.0.1:9000/.well-known/jwks.json npx workerd serve remote.capnp
#                                    # http://127.0.0.1:8788/api/me
#
# Bindings come from environment variables of the workerd process: JWKS_URL, and optionally
# JWT_AUDIENCE, JWT_ISSUER. JWKS_CACHE is a KV namespace kept in the directory .jwks-cache/
# (one file per JWK Set URL), so the set survives a restart of workerd, as it survives the
# end of an isolate in Workers KV. `--socket-addr http=127.0.0.1:<port>` changes the address.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "api", worker = .apiWorker),
    # Workers KV, emulated by a writable directory (relative to where workerd runs).
    (name = "jwks-cache", disk = (path = ".jwks-cache", writable = true)),
    # Where the Worker's fetch() may go. Loopback only, for a provider (or a test server)
    # on this machine; add "public" to reach a real identity provider.
    (name = "outbound", network = (allow = ["127.0.0.1/32"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8788", http = (), service = "api") ],
);

const apiWorker :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [
    (name = "remote.mjs", esModule = embed "src/remote.mjs"),
    # `import ... from 'jwtkit'` resolves to this module, which re-exports the package's
    # workerd entry: one self-contained module next to the .wasm it imports.
    (name = "jwtkit", esModule = "export * from \"./node_modules/jwtkit/workerd.mjs\";"),
    (name = "node_modules/jwtkit/workerd.mjs", esModule = embed "node_modules/jwtkit/workerd.mjs"),
    (name = "node_modules/jwtkit/core_bg.wasm", wasm = embed "node_modules/jwtkit/core_bg.wasm"),
  ],
  bindings = [
    (name = "JWKS_URL", fromEnvironment = "JWKS_URL"),
    (name = "JWKS_CACHE", kvNamespace = "jwks-cache"),
    (name = "JWT_AUDIENCE", fromEnvironment = "JWT_AUDIENCE"),
    (name = "JWT_ISSUER", fromEnvironment = "JWT_ISSUER"),
  ],
  globalOutbound = "outbound",
);
