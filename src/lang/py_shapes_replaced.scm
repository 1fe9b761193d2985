; The per-framework patterns queries/python/shapes.scm replaced, in their order, kept for
; the test that compares the two (src/lang/py_shapes.rs).
(assignment
  left: (identifier) @name
  right: (call function: [(identifier) (attribute)] @ctor arguments: (argument_list) @args)
  (#match? @ctor "(^|\\.)(Flask|Blueprint|FastAPI|APIRouter|InferringRouter|Quart|Starlette|Sanic|DefaultRouter|SimpleRouter|Application|RouteTableDef)$")) @router.def
(assignment
  left: (attribute) @name
  right: (call function: [(identifier) (attribute)] @ctor arguments: (argument_list) @args)
  (#match? @ctor "(^|\\.)(Flask|Blueprint|FastAPI|APIRouter|Quart)$")) @router.def
(call
  function: (attribute object: (_) @router attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "add_url_rule" "add_api_route")) @endpoint.route
(call
  function: (attribute object: (_) @parent attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "register_blueprint" "include_router")) @router.mount
(call
  function: (identifier) @method
  arguments: (argument_list) @args
  (#any-of? @method "path" "re_path" "url")) @endpoint.django
(call
  function: (attribute object: (identifier) @_w attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#eq? @_w "web")
  (#any-of? @method "get" "post" "put" "patch" "delete" "head" "options" "route" "view")) @endpoint.listed
(call
  function: [(identifier) (attribute)] @method
  arguments: (argument_list) @args
  (#match? @method "(^|\\.)(Route|WebSocketRoute|Mount)$")) @endpoint.listed
(call
  function: (attribute object: (_) @router attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "add_get" "add_post" "add_put" "add_patch" "add_delete" "add_head" "add_route" "add_view" "add_routes" "add_subapp")) @endpoint.aiohttp
(call
  function: (identifier) @method
  arguments: (argument_list) @args
  (#any-of? @method "add_get" "add_post" "add_put" "add_patch" "add_delete" "add_route")) @endpoint.aiohttp
(call
  function: (attribute object: (_) @client attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "get" "post" "put" "patch" "delete" "head" "options" "request" "stream")) @http.call
(call
  function: [(identifier) (attribute)] @client
  arguments: (argument_list) @args
  (#match? @client "(^|\\.)urlopen$")) @http.call
(call
  function: [(identifier) (attribute)] @client
  arguments: (argument_list) @args
  (#match? @client "(^|\\.)streamable_?http_client$")) @http.call
(assignment
  left: [(identifier) (attribute)] @name
  right: (call function: [(identifier) (attribute)] @ctor arguments: (argument_list) @args)
  (#match? @ctor "(^|\\.)(Client|AsyncClient|Session|ClientSession)$")) @client.def
(call
  function: [(identifier) (attribute)] @name
  (#match? @name "(^|\\.)add_[A-Za-z0-9_]+Servicer_to_server$")) @grpc.server
(call
  function: [(identifier) (attribute)] @name
  (#match? @name "(^|\\.)[A-Za-z0-9_]+Stub$")) @grpc.client
(call
  function: (attribute
    object: [(attribute attribute: (identifier) @name)
             (subscript subscript: (string) @name)]
    attribute: (identifier) @op)
  (#any-of? @op "find" "find_one" "insert_one" "insert_many" "update_one" "update_many" "delete_one" "delete_many" "replace_one" "aggregate" "count_documents" "find_one_and_update" "bulk_write")) @db.mongo
(call
  function: (attribute object: (identifier) @class attribute: (identifier) @op)
  (#any-of? @op "select" "create" "get" "get_or_none" "get_by_id" "get_or_create" "insert" "insert_many" "update" "delete" "delete_by_id" "bulk_create" "replace" "all" "all_pks" "find" "find_all" "find_one")) @db.peewee_use
(assignment
  left: [(identifier) (attribute)] @name
  right: (call function: [(identifier) (attribute)] @ctor)
  (#match? @ctor "(^|\\.)(Redis|StrictRedis|RedisCluster|from_url)$")) @kv.client
(call
  function: (attribute object: (_) @obj attribute: (identifier) @op)
  (#any-of? @op "get" "set" "setex" "setnx" "mget" "mset" "getset" "getdel" "incr" "incrby" "decr" "decrby" "delete" "exists" "expire" "hget" "hset" "hsetnx" "hmget" "hmset" "hgetall" "hdel" "hincrby" "hkeys" "hvals" "hexists" "sadd" "srem" "smembers" "sismember" "scard" "zadd" "zrem" "zincrby" "zrange" "zrevrange" "zrangebyscore" "zscore" "zcard" "lrange" "llen")) @kv.op
(call
  function: (attribute object: (_) @obj attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "basic_publish" "basic_consume" "send" "send_and_wait" "produce" "subscribe" "publish" "send_message" "receive_message" "request" "rpush" "lpush" "blpop" "brpop" "consume" "declare_queue" "queue_bind" "exchange_declare" "bind" "declare" "xadd" "xread" "xreadgroup")) @queue.op
(call
  function: [(identifier) (attribute)] @method
  arguments: (argument_list) @args
  (#match? @method "(^|\\.)(AIO)?Kafka(Consumer|Producer)$")) @queue.op
