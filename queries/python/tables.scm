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

; db.users.find(...)   db["users"].insert_one(...)   (MONGO_METHODS, matched by shapes.scm)

; Peewee: class User(BaseModel) with class Meta: table_name = "x" (which classes are models is
; decided from the file's class chain in src/lang/py_arch.rs)
(class_definition
  name: (identifier) @class
  superclasses: (argument_list [(attribute) (identifier)] @base)
  body: (block) @body) @db.class

; Peewee queries: User.select()   User.create(...)   User.get_or_none(...)   User.delete().where(...)
; (PEEWEE_METHODS, matched by shapes.scm)

; Redis as a datastore: r = redis.Redis(...)   self.cache = Redis.from_url(...)   (KV_CTORS)
; r.get("k")   self.cache.hset(...)   (KV_METHODS; the receiver must be a Redis client; key ops
; only, list push/pop are queues): both matched by shapes.scm
