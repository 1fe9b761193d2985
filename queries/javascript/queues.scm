; JavaScript/TypeScript brokers: amqplib (sendToQueue, publish, consume),
; kafkajs (producer.send({ topic }), consumer.subscribe({ topic })), Redis pub/sub,
; SQS/SNS through the AWS SDK (v2 methods, v3 command objects).

(call_expression
  function: (member_expression object: (_) @obj property: (property_identifier) @method)
  arguments: (arguments) @args
  (#any-of? @method "sendToQueue" "publish" "consume" "send" "subscribe" "sendMessage" "sendMessageBatch" "receiveMessage")) @queue.op

; AWS SDK v3: new SendMessageCommand({ QueueUrl })   new ReceiveMessageCommand({ QueueUrl })   new PublishCommand({ TopicArn })
(new_expression
  constructor: (identifier) @method
  arguments: (arguments) @args
  (#match? @method "^(SendMessage|SendMessageBatch|ReceiveMessage|Publish|PublishBatch)Command$")) @queue.op

; NestJS microservices (Kafka, NATS, Redis, RabbitMQ transports): a client's
; `this.client.emit('topic', data)` publishes (`send` is matched above), a controller's
; `@EventPattern('topic')` / `@MessagePattern('pattern')` handler consumes.
(call_expression
  function: (member_expression object: (_) @obj property: (property_identifier) @method)
  arguments: (arguments . (_)) @args
  (#eq? @method "emit")) @queue.op
(decorator
  (call_expression function: (identifier) @method arguments: (arguments . (_)) @args)
  (#any-of? @method "EventPattern" "MessagePattern")) @queue.op
