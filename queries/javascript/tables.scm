; JavaScript/TypeScript tables: SQL strings, TypeORM, Drizzle, knex, Sequelize,
; Mongoose, MongoDB collections, Prisma client calls.

; matched in Rust: src/lang/ts_natives.rs, SQL_STRING
; matched in Rust: src/lang/ts_natives.rs, SQL_TEMPLATE

; @Entity('orders') export class Order {}   @Entity() class Order {}
; matched in Rust: src/lang/ts_natives.rs, ENTITY_DECORATOR

; pgTable('users', {...})   mysqlTable(…)   sqliteTable(…)
; matched in Rust: src/lang/ts_natives.rs, DRIZZLE_TABLE

; knex('users').where(…)   knex.select().from('users')   db('users').insert(…)
; matched in Rust: src/lang/ts_natives.rs, KNEX_TABLE

; Calls on a receiver that differ only in the method's name are matched by shapes.scm,
; with the names in sorted tables of src/lang/ts_shapes.rs:
; sequelize.define('user', attrs, { tableName: 'users' })   Model.init(attrs, { tableName: 'x' })   (SEQUELIZE_METHODS)
; mongoose.model('User', schema, 'users')   (@db.mongoose)
; MongooseModule.forFeature([{ name: 'User', schema: UserSchema, collection: 'users' }])  (@nestjs/mongoose;
; without `collection`, Mongoose pluralizes the model name: `name: Cat.name` is `cats`)   (NEST_MONGOOSE_METHODS)

; db.collection('orders').find(…)
; matched in Rust: src/lang/ts_natives.rs, MONGO_COLLECTION

; prisma.user.findMany(…)   this.prisma.order.create(…)
; matched in Rust: src/lang/ts_natives.rs, PRISMA_MODEL

; collection = db.collection('products')   const users = db.collection('users')   then users.insertOne(…)
; matched in Rust: src/lang/ts_natives.rs, COLLECTION_VAR_ASSIGN
; matched in Rust: src/lang/ts_natives.rs, COLLECTION_VAR_DECL
; users.insertOne(…)   (COLLECTION_METHODS, matched by shapes.scm)

; Redis as a datastore: const redis = new Redis(…)   const client = createClient(…)   this.cache = new IORedis()
; matched in Rust: src/lang/ts_natives.rs, KV_CLIENT_DECL
; matched in Rust: src/lang/ts_natives.rs, KV_CLIENT_ASSIGN

; redis.get(k)   client.hSet(…)   this.cache.del(k)   (the receiver must be a Redis client; list
; pushes and pops are queues)   (KV_METHODS, any case, matched by shapes.scm)

; sequelize-typescript: @Table({ tableName: 'feed_items' }) class FeedItem extends Model {}
; (a bare `@Table` takes Sequelize's pluralised default, which is not guessed);
; @nestjs/mongoose: @Schema({ collection: 'ads' }) class VehicleAd {}
; matched in Rust: src/lang/ts_natives.rs, SCHEMA_DECORATOR

; Migrations name their tables: queryInterface.createTable('FeedItem', {…}) (Sequelize),
; knex.schema.createTable('users', (t) => …)   (SINGLE_METHODS `createTable`, matched by shapes.scm)
