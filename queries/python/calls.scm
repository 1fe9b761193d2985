; The patterns these comments describe are matched in Rust: src/lang/py_natives.rs quotes
; each one and tests it against the compiled quote. A pattern added here would be compiled
; into the query again (tree-sitter analyses each one at start-up): add a native instead.
;
; Python outgoing HTTP calls and client objects. src/lang/py_arch.rs keeps a
; call only when its receiver is an HTTP client module (requests, httpx…) or a
; variable bound to a client constructor in the same file.

; requests.get(url)   httpx.post(url)   session.get(url)   client.request("GET", url)   (HTTP_METHODS)
; urllib.request.urlopen(url); MCP's Streamable HTTP transport: streamablehttp_client(url) /
; streamable_http_client(url=url) POSTs every JSON-RPC message to its URL (METHODLESS_CLIENTS)
; are matched as shapes (py_natives, py_shapes), the names in src/lang/py_arch.rs.

; client = httpx.Client(base_url=...)   session = requests.Session()   (CLIENT_CTORS, a shape)
; with aiohttp.ClientSession() as s:

; Constants are matched in Rust (py_arch::constant; the patterns it stands for are quoted there):
; BASE_URL = os.environ.get("X", "http://…")   API = "http://…"   at module level (any value);
; class Settings: API_V1_STR: str = "/api/v1"; catalog_addr = os.environ.get("ADDR", "") in a
; function or an if block; app.config["ORDERS_URI"] = "http://{}/orders".format(…) anywhere.
; They are most of the statements of a file, and the query run at each cost more than the rest.

; gRPC: add_CartServiceServicer_to_server(impl, server)   stub = CartServiceStub(channel)
; are matched as shapes (py_natives, py_shapes) (py_arch::grpc_function).

; grpc.insecure_channel("cart:7070")   grpc.secure_channel(addr, creds): where gRPC stubs send

