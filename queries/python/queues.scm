; Python message brokers: RabbitMQ (pika), Kafka (kafka-python,
; confluent-kafka), Redis pub/sub, SQS/SNS (boto3). The queue, topic or
; exchange name is read from the arguments by src/lang/py_arch.rs.

; channel.basic_publish(exchange="", routing_key="q")   channel.basic_consume(queue="q", ...)
; producer.send("topic", ...)   producer.produce("topic", ...)   consumer.subscribe(["t"])
; r.publish("channel", m)   pubsub.subscribe("channel")   sqs.send_message(QueueUrl=...)
; redis.rpush("votes", v) / blpop("votes"): a Redis list used as a work queue
; (QUEUE_METHODS)   KafkaConsumer("topic", ...)   KafkaProducer(...)   (QUEUE_FUNCTIONS):
; matched as shapes (py_natives, py_shapes), the names in src/lang/py_arch.rs.
