; The patterns these comments describe are matched in Rust: src/lang/py_natives.rs quotes
; each one and tests it against the compiled quote. A pattern added here would be compiled
; into the query again (tree-sitter analyses each one at start-up): add a native instead.
;
;; Python calls that differ only in a name: one native per shape, the names in the
;; sorted tables of src/lang/py_shapes.rs, which turns each match into the match of the
;; framework it belongs to (routes, mounts, HTTP calls, tables, queues: see the other files).
;; One pattern instead of one per framework: tree-sitter analyses each pattern when the
;; query is compiled and keeps a state for each at every call it runs on.

; app.include_router(r)   requests.get(url)   db.users.find(…)   User.select()   r.hset(k, v)   ch.basic_publish(…)

; path("p/", v)   Route("/p", h)   add_get("/p", h)   urlopen(url)   add_XServicer_to_server(s, srv)   XStub(ch)   KafkaConsumer("t")   AIOKafkaConsumer(*TOPICS)

; app = Flask(__name__)   self.app = FastAPI()   client = httpx.Client(…)   r = redis.Redis(…)
