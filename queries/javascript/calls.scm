; JavaScript/TypeScript outgoing HTTP calls. src/lang/ts_arch.rs keeps a call
; only when its receiver is an HTTP client (fetch, axios, got, ky, node:http)
; or a client made in the same file (axios.create({ baseURL })) or imported from
; the module that makes it at its top level (linked in src/resolve/calls.rs).

; fetch(url, { method: 'POST' })   axios(url)   axios({ url, method })   got(url)
(call_expression
  function: (identifier) @client
  arguments: (arguments) @args
  (#any-of? @client "fetch" "axios" "got" "ky" "$fetch" "ofetch" "request" "$http")) @http.call

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
(call_expression
  function: (identifier) @client
  arguments: (arguments) @args
  (#any-of? @client "createProxyMiddleware" "legacyCreateProxyMiddleware" "proxy")) @proxy.call
; app.register(require('@fastify/http-proxy'), { upstream: USERS_URL, prefix: '/users' })
(call_expression
  function: (member_expression property: (property_identifier) @client)
  arguments: (arguments . (_) . (object)) @args
  (#eq? @client "register")) @proxy.call

; const api = axios.create({ baseURL: … })
(variable_declarator
  name: (identifier) @name
  value: (call_expression
    function: (member_expression object: (identifier) @_o property: (property_identifier) @_p)
    arguments: (arguments) @args)
  (#any-of? @_o "axios" "got" "ky")
  (#any-of? @_p "create" "extend")) @client.def
; export default axios.create({ baseURL: … })   (imported elsewhere as the module's default)
(export_statement
  value: (call_expression
    function: (member_expression object: (identifier) @_o property: (property_identifier) @_p)
    arguments: (arguments) @args)
  (#any-of? @_o "axios" "got" "ky")
  (#any-of? @_p "create" "extend")) @client.default

; const api = axios.create(…); export default api   export { api as default }   module.exports = api:
; the module's default client, when `api` is a client the module makes at its top level
(program (export_statement value: (identifier) @name) @client.export)
(program (export_statement (export_clause (export_specifier name: (identifier) @name alias: (identifier) @_d))
  (#eq? @_d "default")) @client.export)
(program (expression_statement (assignment_expression
  left: (member_expression object: (identifier) @_mod property: (property_identifier) @_exp)
  right: (identifier) @name
  (#eq? @_mod "module")
  (#eq? @_exp "exports")) @client.export))

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
(assignment_expression
  left: (member_expression object: (identifier) @_mod property: (property_identifier) @_exp)
  right: (object) @obj
  (#eq? @_mod "module")
  (#eq? @_exp "exports")) @const.exports
; exports.API_URL = "http://…"   module.exports.API_URL = …
(assignment_expression
  left: (member_expression object: [(identifier) (member_expression)] @_exp property: (property_identifier) @name)
  right: (_) @value
  (#match? @_exp "^(module\\.)?exports$")) @const.def

; (function () { var domain = ""; … }());   (function () { … })();   the declarations at the top of a
; module-pattern function are the module's own
(program (expression_statement (parenthesized_expression (call_expression
  function: (function_expression body: (statement_block
    [(variable_declaration (variable_declarator name: (identifier) @name value: (_) @value))
     (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value))])))))) @const.def
(program (expression_statement (call_expression
  function: (parenthesized_expression (function_expression body: (statement_block
    [(variable_declaration (variable_declarator name: (identifier) @name value: (_) @value))
     (lexical_declaration (variable_declarator name: (identifier) @name value: (_) @value))])))))) @const.def
