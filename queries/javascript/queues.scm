; JavaScript/TypeScript brokers: amqplib (sendToQueue, publish, consume),
; kafkajs (producer.send({ topic }), consumer.subscribe({ topic })), Redis pub/sub.

(call_expression
  function: (member_expression object: (_) @obj property: (property_identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "sendToQueue" "publish" "consume" "send" "subscribe")) @queue.op
