; The patterns these comments describe are matched in Rust: src/lang/py_natives.rs quotes
; each one and tests it against the compiled quote. A pattern added here would be compiled
; into the query again (tree-sitter analyses each one at start-up): add a native instead.
;
; Python tables: SQL string literals, SQLAlchemy/SQLModel/Django models and
; their uses, MongoDB collections. Table names come from the source only.

; "SELECT … FROM t"   """INSERT INTO t …"""   f"UPDATE t SET …"

; class User(Base): __tablename__ = "users"

; users = Table("users", metadata, ...)

; class Item(models.Model): ... (class Meta: db_table = "x")

; class Hero(SQLModel, table=True)

; Item.objects.filter(...)   User.query.filter_by(...)

; session.query(User)   select(User)   insert(User)   update(User)   delete(User)

; db.users.find(...)   db["users"].insert_one(...)   (MONGO_METHODS, matched as shapes (py_natives, py_shapes))

; Peewee: class User(BaseModel) with class Meta: table_name = "x" (which classes are models is
; decided from the file's class chain in src/lang/py_arch.rs)

; Peewee queries: User.select()   User.create(...)   User.get_or_none(...)   User.delete().where(...)
; (PEEWEE_METHODS, matched as shapes (py_natives, py_shapes))

; Redis as a datastore: r = redis.Redis(...)   self.cache = Redis.from_url(...)   (KV_CTORS)
; r.get("k")   self.cache.hset(...)   (KV_METHODS; the receiver must be a Redis client; key ops
; only, list push/pop are queues): both matched as shapes (py_natives, py_shapes)
