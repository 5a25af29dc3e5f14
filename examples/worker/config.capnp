# workerd config for the example Worker, so it runs without wrangler:
#
#   npm install                      # installs jwtkit next to this file (node_modules/jwtkit)
#   JWT_SECRET=$(node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))") \
#     npx workerd serve config.capnp  # http://127.0.0.1:8787/api/me
#
# Bindings come from environment variables of the workerd process (unset -> null):
# JWKS (a JWK Set as JSON text) or JWT_SECRET, and optionally JWT_AUDIENCE, JWT_ISSUER.
# `--socket-addr http=127.0.0.1:<port>` changes the address.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "api", worker = .apiWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "api") ],
);

const apiWorker :Workerd.Worker = (
  compatibilityDate = "2025-06-01",
  modules = [
    (name = "index.mjs", esModule = embed "src/index.mjs"),
    # `import ... from 'jwtkit'` resolves to this module, which re-exports the package's
    # workerd entry: one self-contained module next to the .wasm it imports.
    (name = "jwtkit", esModule = "export * from \"./node_modules/jwtkit/workerd.mjs\";"),
    (name = "node_modules/jwtkit/workerd.mjs", esModule = embed "node_modules/jwtkit/workerd.mjs"),
    (name = "node_modules/jwtkit/core_bg.wasm", wasm = embed "node_modules/jwtkit/core_bg.wasm"),
  ],
  bindings = [
    (name = "JWKS", fromEnvironment = "JWKS"),
    (name = "JWT_SECRET", fromEnvironment = "JWT_SECRET"),
    (name = "JWT_AUDIENCE", fromEnvironment = "JWT_AUDIENCE"),
    (name = "JWT_ISSUER", fromEnvironment = "JWT_ISSUER"),
  ],
);
