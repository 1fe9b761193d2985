;; Python calls that differ only in a name: one pattern per shape, the names in the
;; sorted tables of src/lang/py_shapes.rs, which turns each match into the match of the
;; framework it belongs to (routes, mounts, HTTP calls, tables, queues: see the other files).
;; One pattern instead of one per framework: tree-sitter analyses each pattern when the
;; query is compiled and keeps a state for each at every call it runs on.

; app.include_router(r)   requests.get(url)   db.users.find(…)   User.select()   r.hset(k, v)   ch.basic_publish(…)
(call
  function: (attribute object: (_) @obj attribute: (identifier) @method)
  (#any-of? @method "add_api_route" "add_delete" "add_get" "add_head" "add_patch" "add_post" "add_put" "add_route" "add_routes" "add_subapp" "add_url_rule" "add_view" "aggregate" "all" "all_pks" "basic_consume" "basic_publish" "bind" "blpop" "brpop" "bulk_create" "bulk_write" "consume" "count_documents" "create" "declare" "declare_queue" "decr" "decrby" "delete" "delete_by_id" "delete_many" "delete_one" "exchange_declare" "exists" "expire" "find" "find_all" "find_one" "find_one_and_update" "get" "get_by_id" "get_or_create" "get_or_none" "getdel" "getset" "hdel" "head" "hexists" "hget" "hgetall" "hincrby" "hkeys" "hmget" "hmset" "hset" "hsetnx" "hvals" "include_router" "incr" "incrby" "insert" "insert_many" "insert_one" "llen" "lpush" "lrange" "mget" "mset" "options" "patch" "post" "produce" "publish" "put" "queue_bind" "receive_message" "register_blueprint" "replace" "replace_one" "request" "route" "rpush" "sadd" "scard" "select" "send" "send_and_wait" "send_message" "set" "setex" "setnx" "sismember" "smembers" "srem" "stream" "subscribe" "update" "update_many" "update_one" "view" "xadd" "xread" "xreadgroup" "zadd" "zcard" "zincrby" "zrange" "zrangebyscore" "zrem" "zrevrange" "zscore")) @call.method

; path("p/", v)   Route("/p", h)   add_get("/p", h)   urlopen(url)   add_XServicer_to_server(s, srv)   XStub(ch)   KafkaConsumer("t")   AIOKafkaConsumer(*TOPICS)
(call
  function: [(identifier) (attribute)] @function
  (#match? @function "(^|\\.)(AIOKafkaConsumer|AIOKafkaProducer|KafkaConsumer|KafkaProducer|Mount|Route|WebSocketRoute|add_delete|add_get|add_patch|add_post|add_put|add_route|path|re_path|streamable_http_client|streamablehttp_client|url|urlopen|add_[A-Za-z0-9_]+Servicer_to_server|[A-Za-z0-9_]+Stub)$")) @call.function

; app = Flask(__name__)   self.app = FastAPI()   client = httpx.Client(…)   r = redis.Redis(…)
(assignment
  left: [(identifier) (attribute)] @name
  right: (call function: [(identifier) (attribute)] @ctor) @value
  (#match? @ctor "(^|\\.)(APIRouter|Application|AsyncClient|Blueprint|Client|ClientSession|DefaultRouter|FastAPI|Flask|InferringRouter|Quart|Redis|RedisCluster|RouteTableDef|Sanic|Session|SimpleRouter|Starlette|StrictRedis|from_url)$")) @assign.call
