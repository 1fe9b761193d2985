; JavaScript/TypeScript tables: SQL strings, TypeORM, Drizzle, knex, Sequelize,
; Mongoose, MongoDB collections, Prisma client calls.

((string) @sql
  (#match? @sql "^.\\s*(?i:select|insert|update|delete|with|create|alter|replace)\\s")) @db.sql
((template_string) @sql
  (#match? @sql "^`\\s*(?i:select|insert|update|delete|with|create|alter|replace)\\s")) @db.sql

; @Entity('orders') export class Order {}   @Entity() class Order {}
(decorator
  (call_expression function: (identifier) @_e arguments: (arguments) @args)
  (#eq? @_e "Entity")) @db.entity

; pgTable('users', {...})   mysqlTable(…)   sqliteTable(…)
(call_expression
  function: (identifier) @_f
  arguments: (arguments . (string) @name)
  (#any-of? @_f "pgTable" "mysqlTable" "sqliteTable")) @db.table

; knex('users').where(…)   knex.select().from('users')   db('users').insert(…)
(call_expression
  function: (identifier) @_f
  arguments: (arguments . (string) @name)
  (#any-of? @_f "knex" "db" "trx")) @db.knex

; Calls on a receiver that differ only in the method's name are matched by shapes.scm,
; with the names in sorted tables of src/lang/ts_shapes.rs:
; sequelize.define('user', attrs, { tableName: 'users' })   Model.init(attrs, { tableName: 'x' })   (SEQUELIZE_METHODS)
; mongoose.model('User', schema, 'users')   (@db.mongoose)
; MongooseModule.forFeature([{ name: 'User', schema: UserSchema, collection: 'users' }])  (@nestjs/mongoose;
; without `collection`, Mongoose pluralizes the model name: `name: Cat.name` is `cats`)   (NEST_MONGOOSE_METHODS)

; db.collection('orders').find(…)
(call_expression
  function: (member_expression
    object: (call_expression
      function: (member_expression property: (property_identifier) @_c)
      arguments: (arguments . (string) @name))
    property: (property_identifier) @op)
  (#eq? @_c "collection")) @db.mongo

; prisma.user.findMany(…)   this.prisma.order.create(…)
(call_expression
  function: (member_expression
    object: (member_expression object: (_) @_p property: (property_identifier) @class)
    property: (property_identifier) @op)
  (#match? @_p "prisma$")) @db.prisma

; collection = db.collection('products')   const users = db.collection('users')   then users.insertOne(…)
(assignment_expression
  left: (identifier) @name
  right: (call_expression
    function: (member_expression property: (property_identifier) @_c)
    arguments: (arguments . (string) @value))
  (#eq? @_c "collection")) @db.collection_var
(variable_declarator
  name: (identifier) @name
  value: (call_expression
    function: (member_expression property: (property_identifier) @_c)
    arguments: (arguments . (string) @value))
  (#eq? @_c "collection")) @db.collection_var
; users.insertOne(…)   (COLLECTION_METHODS, matched by shapes.scm)

; Redis as a datastore: const redis = new Redis(…)   const client = createClient(…)   this.cache = new IORedis()
(variable_declarator
  name: (identifier) @name
  value: [(new_expression constructor: (_) @ctor)
          (call_expression function: (_) @ctor)
          (await_expression (call_expression function: (_) @ctor))]
  (#match? @ctor "(^|\\.)(Redis|IORedis|createClient|createCluster|Cluster)$")) @kv.client
(assignment_expression
  left: (member_expression) @name
  right: [(new_expression constructor: (_) @ctor) (call_expression function: (_) @ctor)]
  (#match? @ctor "(^|\\.)(Redis|IORedis|createClient|createCluster|Cluster)$")) @kv.client

; redis.get(k)   client.hSet(…)   this.cache.del(k)   (the receiver must be a Redis client; list
; pushes and pops are queues)   (KV_METHODS, any case, matched by shapes.scm)

; sequelize-typescript: @Table({ tableName: 'feed_items' }) class FeedItem extends Model {}
; (a bare `@Table` takes Sequelize's pluralised default, which is not guessed);
; @nestjs/mongoose: @Schema({ collection: 'ads' }) class VehicleAd {}
(decorator
  (call_expression function: (identifier) @_t arguments: (arguments . (object)) @args)
  (#any-of? @_t "Schema" "Table")) @db.sequelize

; Migrations name their tables: queryInterface.createTable('FeedItem', {…}) (Sequelize),
; knex.schema.createTable('users', (t) => …)   (SINGLE_METHODS `createTable`, matched by shapes.scm)
