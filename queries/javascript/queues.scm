; JavaScript/TypeScript brokers: amqplib (sendToQueue, publish, consume, and the exchanges
; and bindings of assertExchange, bindQueue), kafkajs (producer.send({ topic }),
; consumer.subscribe({ topic })), kafka-node (producer.send([{ topic }]),
; new Consumer(client, [{ topic }])), Redis pub/sub,
; SQS/SNS through the AWS SDK (v2 methods, v3 command objects).

; channel.sendToQueue(q, msg)   producer.send({ topic })   sqs.sendMessage({ QueueUrl })
; (QUEUE_METHODS, matched by shapes.scm)

; AWS SDK v3: new SendMessageCommand({ QueueUrl })   new ReceiveMessageCommand({ QueueUrl })   new PublishCommand({ TopicArn })
; matched in Rust: src/lang/ts_natives.rs, QUEUE_COMMAND

; kafka-node: new Consumer(client, [{ topic: 'orders' }])   new kafka.ConsumerGroup(options, ['orders'])
; matched in Rust: src/lang/ts_natives.rs, QUEUE_CONSUMER

; NestJS microservices (Kafka, NATS, Redis, RabbitMQ transports): a client's
; `this.client.emit('topic', data)` publishes (`send` is matched above), a controller's
; `@EventPattern('topic')` / `@MessagePattern('pattern')` handler consumes. (`emit` is in
; SINGLE_METHODS, matched by shapes.scm)
; matched in Rust: src/lang/ts_natives.rs, PATTERN_DECORATOR
