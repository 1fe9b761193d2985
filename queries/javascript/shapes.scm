;; Calls on a receiver, `obj.method(…)`, that differ only in the method's name: one pattern
;; for all of them, the names in the sorted tables of src/lang/ts_shapes.rs, which turns each
;; match into the matches of the patterns it stands for (routes, mounts, HTTP calls, tables,
;; queues: see the other files). One pattern instead of thirteen: tree-sitter analyses each
;; pattern against the grammar when the query is compiled, and keeps a state for each at every
;; call it runs on. Joined last, after every other pattern of the architecture query.

; app.get('/p', h)   app.use(r)   axios.post(url)   users.insertOne(doc)   redis.hSet(k, v)   channel.sendToQueue(q, m)
; matched in Rust: src/lang/ts_natives.rs, CALL_METHOD
