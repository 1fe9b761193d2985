; Python tables: SQL string literals, SQLAlchemy/SQLModel/Django models and
; their uses, MongoDB collections. Table names come from the source only.

; "SELECT … FROM t"   """INSERT INTO t …"""   f"UPDATE t SET …"
((string) @sql
  (#match? @sql "^[a-zA-Z]{0,2}(\"|')+\\s*(?i:select|insert|update|delete|with|create|alter|replace)\\s")) @db.sql

; class User(Base): __tablename__ = "users"
(class_definition
  name: (identifier) @class
  body: (block
    (expression_statement
      (assignment left: (identifier) @_k right: (string) @name)))
  (#eq? @_k "__tablename__")) @db.table

; users = Table("users", metadata, ...)
(call
  function: [(identifier) (attribute)] @_f
  arguments: (argument_list . (string) @name)
  (#match? @_f "(^|\\.)Table$")) @db.table

; class Item(models.Model): ... (class Meta: db_table = "x")
(class_definition
  name: (identifier) @class
  superclasses: (argument_list [(attribute) (identifier)] @base)
  body: (block) @body
  (#match? @base "(^|\\.)Model$")) @db.model

; class Hero(SQLModel, table=True)
(class_definition
  name: (identifier) @class
  superclasses: (argument_list
    (keyword_argument name: (identifier) @_k value: (true)))
  (#eq? @_k "table")) @db.sqlmodel

; Item.objects.filter(...)   User.query.filter_by(...)
(call
  function: (attribute
    object: (attribute object: (identifier) @class attribute: (identifier) @_o)
    attribute: (identifier) @op)
  (#any-of? @_o "objects" "query")) @db.model_use

; session.query(User)   select(User)   insert(User)   update(User)   delete(User)
(call
  function: [(identifier) (attribute)] @op
  arguments: (argument_list . (identifier) @class)
  (#match? @op "(^|\\.)(query|select|insert|update|delete)$")) @db.model_use

; db.users.find(...)   db["users"].insert_one(...)
(call
  function: (attribute
    object: [(attribute attribute: (identifier) @name)
             (subscript subscript: (string) @name)]
    attribute: (identifier) @op)
  (#any-of? @op "find" "find_one" "insert_one" "insert_many" "update_one" "update_many" "delete_one" "delete_many" "replace_one" "aggregate" "count_documents" "find_one_and_update" "bulk_write")) @db.mongo

; Peewee: class User(BaseModel) with class Meta: table_name = "x" (which classes are models is
; decided from the file's class chain in src/lang/py_arch.rs)
(class_definition
  name: (identifier) @class
  superclasses: (argument_list [(attribute) (identifier)] @base)
  body: (block) @body) @db.class

; Peewee queries: User.select()   User.create(...)   User.get_or_none(...)   User.delete().where(...)
(call
  function: (attribute object: (identifier) @class attribute: (identifier) @op)
  (#any-of? @op "select" "create" "get" "get_or_none" "get_by_id" "get_or_create" "insert" "insert_many" "update" "delete" "delete_by_id" "bulk_create" "replace")) @db.peewee_use

; Redis as a datastore: r = redis.Redis(...)   self.cache = Redis.from_url(...)
(assignment
  left: [(identifier) (attribute)] @name
  right: (call function: [(identifier) (attribute)] @ctor)
  (#match? @ctor "(^|\\.)(Redis|StrictRedis|RedisCluster|from_url)$")) @kv.client

; r.get("k")   self.cache.hset(...)   (the receiver must be a Redis client; key ops only,
; list push/pop are queues in queues.scm)
(call
  function: (attribute object: (_) @obj attribute: (identifier) @op)
  (#any-of? @op "get" "set" "setex" "setnx" "mget" "mset" "getset" "getdel" "incr" "incrby" "decr" "decrby" "delete" "exists" "expire" "hget" "hset" "hsetnx" "hmget" "hmset" "hgetall" "hdel" "hincrby" "hkeys" "hvals" "hexists" "sadd" "srem" "smembers" "sismember" "scard" "zadd" "zrem" "zincrby" "zrange" "zrevrange" "zrangebyscore" "zscore" "zcard" "lrange" "llen")) @kv.op
