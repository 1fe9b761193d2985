; The JavaScript/TypeScript patterns that queries/javascript/shapes.scm replaced, as they
; were (in their files' order: endpoints, calls, tables, queues). Kept only for the test in
; src/lang/ts_shapes.rs that checks the shape gives exactly their matches.

; app.get('/p', handler)   router.post('/p', mw, handler)   app.all('/p', h)
(call_expression
  function: (member_expression object: (_) @router property: (property_identifier) @method)
  arguments: (arguments . (_) @path) @args
  (#any-of? @method "get" "post" "put" "patch" "delete" "head" "options" "all")) @endpoint.route

; router.route('/p').get(h).post(h)  (Express)   app.route('/p', sub)  (Hono mount)
(call_expression
  function: (member_expression object: (_) @router property: (property_identifier) @_r)
  arguments: (arguments . (_) @path) @args
  (#eq? @_r "route")) @endpoint.chain

; fastify.route({ method: 'GET', url: '/p', handler })
(call_expression
  function: (member_expression object: (_) @router property: (property_identifier) @_r)
  arguments: (arguments . (object) @args)
  (#eq? @_r "route")) @endpoint.object

; app.use('/api', router)   app.use(router)   fastify.register(plugin, { prefix: '/v1' })
(call_expression
  function: (member_expression object: (_) @parent property: (property_identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "use" "register")) @router.mount

; NestJS: app.setGlobalPrefix('api')
(call_expression
  function: (member_expression property: (property_identifier) @_g)
  arguments: (arguments . (_) @path)
  (#eq? @_g "setGlobalPrefix")) @router.global

; axios.get(url)   got.post(url)   http.request(url)   api.get(url)
(call_expression
  function: (member_expression object: (_) @client property: (property_identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "get" "post" "put" "patch" "delete" "head" "request")) @http.call

; gRPC: server.addService(proto.shop.Cart.service, impl)
(call_expression
  function: (member_expression property: (property_identifier) @_m)
  arguments: (arguments . (_) @name)
  (#eq? @_m "addService")) @grpc.server

; sequelize.define('user', attrs, { tableName: 'users' })   Model.init(attrs, { tableName: 'x' })
(call_expression
  function: (member_expression property: (property_identifier) @op)
  arguments: (arguments) @args
  (#any-of? @op "define" "init")) @db.sequelize

; mongoose.model('User', schema, 'users')
(call_expression
  function: (member_expression object: (identifier) @_m property: (property_identifier) @_d)
  arguments: (arguments . (string) @name) @args
  (#eq? @_m "mongoose")
  (#eq? @_d "model")) @db.mongoose

; MongooseModule.forFeature([{ name: 'User', schema: UserSchema, collection: 'users' }])
(call_expression
  function: (member_expression object: (identifier) @_m property: (property_identifier) @_f)
  arguments: (arguments . (array) @args)
  (#eq? @_m "MongooseModule")
  (#any-of? @_f "forFeature" "forFeatureAsync")) @db.nest_mongoose

; users.insertOne(…) on a collection variable
(call_expression
  function: (member_expression object: (identifier) @obj property: (property_identifier) @op)
  (#any-of? @op "find" "findOne" "insertOne" "insertMany" "updateOne" "updateMany" "deleteOne" "deleteMany" "replaceOne" "aggregate" "countDocuments" "findOneAndUpdate" "bulkWrite")) @db.collection_op

; this.users.insertOne(…) on a collection class field
(call_expression
  function: (member_expression
    object: (member_expression object: (this) property: (property_identifier)) @obj
    property: (property_identifier) @op)
  (#any-of? @op "find" "findOne" "insertOne" "insertMany" "updateOne" "updateMany" "deleteOne" "deleteMany" "replaceOne" "aggregate" "countDocuments" "findOneAndUpdate" "bulkWrite")) @db.collection_op

; redis.get(k)   client.hSet(…)   this.cache.del(k)
(call_expression
  function: (member_expression object: (_) @obj property: (property_identifier) @op)
  (#match? @op "^(?i:get|set|setex|setnx|mget|mset|getset|getdel|incr|incrby|decr|decrby|del|exists|expire|hget|hset|hsetnx|hmget|hmset|hgetall|hdel|hincrby|hkeys|hvals|hexists|sadd|srem|smembers|sismember|scard|zadd|zrem|zincrby|zrange|zrevrange|zrangebyscore|zscore|zcard|lrange|llen)$")) @kv.op

; channel.sendToQueue(q, msg)   producer.send({ topic })   sqs.sendMessage({ QueueUrl })
(call_expression
  function: (member_expression object: (_) @obj property: (property_identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "sendToQueue" "publish" "consume" "assertExchange" "bindQueue" "send" "subscribe" "sendMessage" "sendMessageBatch" "receiveMessage" "request" "xadd" "xAdd" "xread" "xRead" "xreadgroup" "xReadGroup")) @queue.op

; The port a server listens on: app.listen(3000)   app.listen(PORT, cb)   fastify.listen({ port: 4000 })
; (a `localhost:PORT` call no deployment file publishes reaches the one service binding it)
(call_expression
  function: (member_expression property: (property_identifier) @_l)
  arguments: (arguments . (_) @value)
  (#eq? @_l "listen")) @server.listen

; NestJS microservices: this.client.emit('topic', data)
(call_expression
  function: (member_expression object: (_) @obj property: (property_identifier) @method)
  arguments: (arguments . (_)) @args
  (#eq? @method "emit")) @queue.op

; Migrations name their tables: queryInterface.createTable('FeedItem', {…}) (Sequelize),
; knex.schema.createTable('users', (t) => …)
(call_expression
  function: (member_expression property: (property_identifier) @_c)
  arguments: (arguments . (string) @name)
  (#eq? @_c "createTable")) @db.create_table

; NestJS: this.client.getService<UserService>('UserService') on a ClientGrpc
(call_expression
  function: (member_expression property: (property_identifier) @_m)
  arguments: (arguments . (string) @name)
  (#eq? @_m "getService")) @grpc.client

; NestJS: this.client.getService<UserService>(USER_SERVICE_NAME), a constant (ts-proto's)
(call_expression
  function: (member_expression property: (property_identifier) @_m)
  arguments: (arguments . [(identifier) (member_expression)] @value)
  (#eq? @_m "getService")) @grpc.client
