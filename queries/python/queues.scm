; Python message brokers: RabbitMQ (pika), Kafka (kafka-python,
; confluent-kafka), Redis pub/sub, SQS/SNS (boto3). The queue, topic or
; exchange name is read from the arguments by src/lang/py_arch.rs.

; channel.basic_publish(exchange="", routing_key="q")   channel.basic_consume(queue="q", ...)
; producer.send("topic", ...)   producer.produce("topic", ...)   consumer.subscribe(["t"])
; r.publish("channel", m)   pubsub.subscribe("channel")   sqs.send_message(QueueUrl=...)
; redis.rpush("votes", v) / blpop("votes"): a Redis list used as a work queue
(call
  function: (attribute object: (_) @obj attribute: (identifier) @method)
  arguments: (argument_list) @args
  (#any-of? @method "basic_publish" "basic_consume" "send" "produce" "subscribe" "publish" "send_message" "receive_message" "rpush" "lpush" "blpop" "brpop")) @queue.op

; KafkaConsumer("topic", ...)   KafkaProducer(...)
(call
  function: [(identifier) (attribute)] @method
  arguments: (argument_list) @args
  (#match? @method "(^|\\.)Kafka(Consumer|Producer)$")) @queue.op
