; JavaScript/TypeScript outgoing HTTP calls. src/lang/ts_arch.rs keeps a call
; only when its receiver is an HTTP client (fetch, axios, got, ky, node:http)
; or a client made in the same file (axios.create({ baseURL })) or imported from
; the module that makes it at its top level (linked in src/resolve/calls.rs).

; fetch(url, { method: 'POST' })   axios(url)   axios({ url, method })   got(url)
; matched in Rust: src/lang/ts_natives.rs, HTTP_CALL

; axios.get(url)   got.post(url)   http.request(url)   api.get(url)   (HTTP_METHODS, matched by shapes.scm)

; new WebSocket(`${WS_URL}/jobs/ws/${id}`)   (browsers, the `ws` package): a WebSocket call;
; new EventSource(`${API_URL}/stream`)   (server-sent events): a GET of the URL
(new_expression
  constructor: (identifier) @client
  arguments: (arguments) @args
  (#any-of? @client "EventSource" "WebSocket")) @ws.call

; API gateways (a file naming a proxy package; src/lang/ts_arch.rs reads the target):
; app.use('/auth', createProxyMiddleware({ target: AUTH_URL }))   (http-proxy-middleware)
; app.use('/users', proxy(USERS_URL))   (express-http-proxy)
; matched in Rust: src/lang/ts_natives.rs, PROXY_CALL
; app.register(require('@fastify/http-proxy'), { upstream: USERS_URL, prefix: '/users' })
; matched in Rust: src/lang/ts_natives.rs, PROXY_REGISTER

; const api = axios.create({ baseURL: … })
; matched in Rust: src/lang/ts_natives.rs, CLIENT_DEF
; export default axios.create({ baseURL: … })   (imported elsewhere as the module's default)
; matched in Rust: src/lang/ts_natives.rs, CLIENT_DEFAULT

; const api = axios.create(…); export default api   export { api as default }   module.exports = api:
; the module's default client, when `api` is a client the module makes at its top level
(program (export_statement value: (identifier) @name) @client.export)
(program (export_statement (export_clause (export_specifier name: (identifier) @name alias: (identifier) @_d))
  (#eq? @_d "default")) @client.export)
; matched in Rust: src/lang/ts_natives.rs, CLIENT_EXPORT

; const API_URL = process.env.API_URL ?? 'http://…'   (top level, exported or not)
(program (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value))) @const.def
(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value)))) @const.def
(program (variable_declaration (variable_declarator name: (identifier) @name value: (_) @value))) @const.def

; const { CART_ADDR = '', API_URL } = process.env   (top level): each name is that variable
(program (lexical_declaration (variable_declarator
  name: (object_pattern) @pattern
  value: (member_expression) @_env
  (#match? @_env "^(process|import\\.meta)\\.env$")))) @env.destructure

; gRPC: server.addService(proto.shop.Cart.service, impl)   (@grpc.server, matched by shapes.scm)
; new proto.shop.Cart(addr, creds)
(new_expression constructor: (member_expression) @name arguments: (arguments) @args) @grpc.client
; new CartServiceClient(CART_ADDR, ChannelCredentials.createInsecure())   (ts-proto, grpc-tools stubs):
; a generated client class is only told apart by the channel credentials it is given.
(new_expression
  constructor: (identifier) @name
  arguments: (arguments . (_) . (_) @_creds) @args
  (#match? @name "[a-z]Client$")
  (#match? @_creds "[Cc]redentials")) @grpc.client

; module.exports = { cartsUrl: util.format("http://carts%s", domain) }   anywhere (a module-pattern
; function may wrap it): each property is a constant of the module, read elsewhere as `endpoints.cartsUrl`
; matched in Rust: src/lang/ts_natives.rs, CONST_EXPORTS
; exports.API_URL = "http://…"   module.exports.API_URL = …
; matched in Rust: src/lang/ts_natives.rs, EXPORTS_MEMBER

; (function () { var domain = ""; … }());   (function () { … })();   the declarations at the top of a
; module-pattern function are the module's own
; matched in Rust: src/lang/ts_natives.rs, IIFE_CONSTS
; matched in Rust: src/lang/ts_natives.rs, IIFE_CONSTS_OUTER
