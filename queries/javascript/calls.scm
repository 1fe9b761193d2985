; JavaScript/TypeScript outgoing HTTP calls. src/lang/ts_arch.rs keeps a call
; only when its receiver is an HTTP client (fetch, axios, got, ky, node:http)
; or a client made in the same file (axios.create({ baseURL })) or imported from
; the module that makes it at its top level (linked in src/resolve/calls.rs).

; fetch(url, { method: 'POST' })   axios(url)   axios({ url, method })   got(url)
; matched in Rust: src/lang/ts_natives.rs, HTTP_CALL

; axios.get(url)   got.post(url)   http.request(url)   api.get(url)   (HTTP_METHODS, matched by shapes.scm)

; new WebSocket(`${WS_URL}/jobs/ws/${id}`)   (browsers, the `ws` package): a WebSocket call;
; new EventSource(`${API_URL}/stream`)   (server-sent events): a GET of the URL
; matched in Rust: src/lang/ts_natives.rs, WS_CALL

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
; matched in Rust: src/lang/ts_natives.rs, CLIENT_EXPORT_VALUE
; matched in Rust: src/lang/ts_natives.rs, CLIENT_EXPORT_CLAUSE
; matched in Rust: src/lang/ts_natives.rs, CLIENT_EXPORT

; const API_URL = process.env.API_URL ?? 'http://…'   (top level, exported or not)
; matched in Rust: src/lang/ts_natives.rs, CONST_DEF_LEXICAL
; matched in Rust: src/lang/ts_natives.rs, CONST_DEF_EXPORTED
; matched in Rust: src/lang/ts_natives.rs, CONST_DEF_VAR

; const { CART_ADDR = '', API_URL } = process.env   (top level): each name is that variable
; matched in Rust: src/lang/ts_natives.rs, ENV_DESTRUCTURE

; gRPC: server.addService(proto.shop.Cart.service, impl)   (@grpc.server, matched by shapes.scm)
; new proto.shop.Cart(addr, creds)
; matched in Rust: src/lang/ts_natives.rs, GRPC_CLIENT_MEMBER
; new CartServiceClient(CART_ADDR, ChannelCredentials.createInsecure())   (ts-proto, grpc-tools stubs):
; a generated client class is only told apart by the channel credentials it is given.
; matched in Rust: src/lang/ts_natives.rs, GRPC_CLIENT_GENERATED

; module.exports = { cartsUrl: util.format("http://carts%s", domain) }   anywhere (a module-pattern
; function may wrap it): each property is a constant of the module, read elsewhere as `endpoints.cartsUrl`
; matched in Rust: src/lang/ts_natives.rs, CONST_EXPORTS
; exports.API_URL = "http://…"   module.exports.API_URL = …
; matched in Rust: src/lang/ts_natives.rs, EXPORTS_MEMBER

; (function () { var domain = ""; … }());   (function () { … })();   the declarations at the top of a
; module-pattern function are the module's own
; matched in Rust: src/lang/ts_natives.rs, IIFE_CONSTS
; matched in Rust: src/lang/ts_natives.rs, IIFE_CONSTS_OUTER
