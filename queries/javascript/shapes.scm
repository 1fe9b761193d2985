;; Calls on a receiver, `obj.method(…)`, that differ only in the method's name: one pattern
;; for all of them, the names in the sorted tables of src/lang/ts_shapes.rs, which turns each
;; match into the matches of the patterns it stands for (routes, mounts, HTTP calls, tables,
;; queues: see the other files). One pattern instead of thirteen: tree-sitter analyses each
;; pattern against the grammar when the query is compiled, and keeps a state for each at every
;; call it runs on. Joined last, after every other pattern of the architecture query.

; app.get('/p', h)   app.use(r)   axios.post(url)   users.insertOne(doc)   redis.hSet(k, v)   channel.sendToQueue(q, m)
(call_expression
  function: (member_expression property: (property_identifier) @method)
  (#match? @method "^(addService|aggregate|all|assertExchange|bindQueue|bulkWrite|consume|countDocuments|createTable|define|delete|deleteMany|deleteOne|emit|find|findOne|findOneAndUpdate|forFeature|forFeatureAsync|get|getService|head|init|insertMany|insertOne|listen|model|options|patch|post|publish|put|receiveMessage|register|replaceOne|request|route|send|sendMessage|sendMessageBatch|sendToQueue|setGlobalPrefix|subscribe|updateMany|updateOne|use|(?i:decr|decrby|del|exists|expire|get|getdel|getset|hdel|hexists|hget|hgetall|hincrby|hkeys|hmget|hmset|hset|hsetnx|hvals|incr|incrby|llen|lrange|mget|mset|sadd|scard|set|setex|setnx|sismember|smembers|srem|zadd|zcard|zincrby|zrange|zrangebyscore|zrem|zrevrange|zscore))$")) @call.method
