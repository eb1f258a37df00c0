"""How soon a long-polling ReceiveMessage returns after the SendMessage that satisfies it.

Usage: python3 bench/scripts/sqs_longpoll_latency.py http://127.0.0.1:4566 [rounds]
Each round starts a receive (WaitTimeSeconds=5) on a thread, waits 200 ms so it is really waiting, then sends one
message; the figure is the time from the start of the send call to the return of the receive, so it includes the
send's own round trip.
"""
import statistics
import sys
import threading
import time

import boto3

endpoint = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 50
sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
url = sqs.create_queue(QueueName="nephele-bench-longpoll")["QueueUrl"]
latencies = []
for _ in range(rounds):
    got = {}

    def receive():
        response = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5, MaxNumberOfMessages=1)
        got["at"] = time.perf_counter()
        got["messages"] = response.get("Messages", [])

    waiter = threading.Thread(target=receive)
    waiter.start()
    time.sleep(0.2)
    sent = time.perf_counter()
    sqs.send_message(QueueUrl=url, MessageBody="x")
    waiter.join()
    if not got["messages"]:
        sys.exit("a long poll returned without the message")
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got["messages"][0]["ReceiptHandle"])
    latencies.append((got["at"] - sent) * 1000)
latencies.sort()
print(f"{rounds} rounds, send start to receive return: p50 {statistics.median(latencies):.2f} ms, "
      f"p90 {latencies[int(rounds * 0.9) - 1]:.2f} ms, max {latencies[-1]:.2f} ms")
sqs.delete_queue(QueueUrl=url)
