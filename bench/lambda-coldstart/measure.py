#!/usr/bin/env python3
"""Cold start of the Lambda bootstrap: process start -> its first `GET /runtime/invocation/next`.

Measured as Lambda sees it: a Runtime API stand-in on loopback (this script) records when the
first `next` request arrives; the clock starts just before the process is spawned. Each run is a
fresh process (a cold sandbox). Then one plan invocation is timed (first event -> response).

usage: measure.py <bundle dir holding bootstrap> [runs] [--write]
  `stockflow package --output artifacts` and unzip artifacts/lambda/plan.zip give the bundle.
  --write stores bench/results/lambda-coldstart.{json,md}.
"""

import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time

RESULTS = os.path.join(os.path.dirname(__file__), "..", "results")


class StandIn(http.server.BaseHTTPRequestHandler):
    first_next = None
    responded = None
    event = b'{"executionName":"bench-1","bucket":"bench-lake","request":{"provider":"sample","symbols":["AAPL"],"from":"2024-01-01","to":"2024-01-31"}}'
    served = False
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):
        cls = type(self)
        with cls.lock:
            if cls.first_next is None:
                cls.first_next = time.perf_counter()
            serve = not cls.served
            cls.served = True
        if not serve:
            time.sleep(30)  # the sandbox would be frozen here
            return
        cls.sent = time.perf_counter()
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", "bench-request")
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 60000))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(cls.event)))
        self.end_headers()
        self.wfile.write(cls.event)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        cls = type(self)
        cls.responded = (time.perf_counter(), self.path, body)
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()


class S3StandIn(http.server.BaseHTTPRequestHandler):
    """Just enough of S3 for the plan: it PUTs the work list (accepted and dropped) and GETs nothing that exists."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("ETag", '"00000000000000000000000000000000"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        body = b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>none</Message></Error>'
        self.send_response(404)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


S3_PORT = [9]


def environment(port):
    return {
        "PATH": os.environ.get("PATH", ""),
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % port,
        "_HANDLER": "plan",
        "STOCKFLOW_LAKE_BUCKET": "bench-lake",
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        # The plan of explicit symbols with an explicit range reads no watermark; it writes its work list.
        "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:%d" % S3_PORT[0],
        "STOCKFLOW_S3_FORCE_PATH_STYLE": "true",
    }


def run_cold(bootstrap, port):
    """Wall and CPU time (user + system) from spawn to the first `next`; no event is served."""
    StandIn.first_next = None
    StandIn.served = True
    started = time.perf_counter()
    process = subprocess.Popen([bootstrap], env=environment(port), cwd=os.path.dirname(bootstrap), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = started + 30
    while StandIn.first_next is None and time.perf_counter() < deadline:
        time.sleep(0.0005)
    if StandIn.first_next is None:
        process.kill()
        raise RuntimeError("the bootstrap did not ask for an event within 30 s")
    wall = (StandIn.first_next - started) * 1000
    process.kill()
    _, _, usage = os.wait4(process.pid, 0)
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def run_once(bootstrap, port):
    StandIn.first_next = None
    StandIn.responded = None
    StandIn.served = False
    started = time.perf_counter()
    process = subprocess.Popen([bootstrap], env=environment(port), cwd=os.path.dirname(bootstrap), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = started + 30
        while StandIn.responded is None and time.perf_counter() < deadline:
            time.sleep(0.001)
        if StandIn.first_next is None or StandIn.responded is None:
            raise RuntimeError("the bootstrap did not answer within 30 s")
        done, path, body = StandIn.responded
        if not path.endswith("/response"):
            raise RuntimeError("the invocation failed: %s %s" % (path, body[:500]))
        return (StandIn.first_next - started) * 1000, (done - StandIn.sent) * 1000
    finally:
        process.kill()
        process.wait()


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    bundle = os.path.abspath(args[0])
    runs = int(args[1]) if len(args) > 1 else 20
    bootstrap = os.path.join(bundle, "bootstrap")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    s3 = http.server.ThreadingHTTPServer(("127.0.0.1", 0), S3StandIn)
    threading.Thread(target=s3.serve_forever, daemon=True).start()
    S3_PORT[0] = s3.server_address[1]
    run_once(bootstrap, port)  # warm the OS file cache, as a reused Lambda host has it
    cold, cpu, first = [], [], []
    for _ in range(runs):
        wall, used = run_cold(bootstrap, port)
        cold.append(wall)
        cpu.append(used)
        first.append(run_once(bootstrap, port)[1])
    load = os.getloadavg()[0]
    result = {
        "runs": runs,
        "coldStartMs": {"median": statistics.median(cold), "min": min(cold), "max": max(cold)},
        # CPU time is what the wall time would be on an idle core; the wall time follows the machine's load.
        "coldStartCpuMs": {"median": statistics.median(cpu), "min": min(cpu), "max": max(cpu)},
        "firstInvocationMs": {"median": statistics.median(first), "min": min(first), "max": max(first)},
        "loadAverage1m": load,
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
    }
    print(json.dumps(result, indent=2))
    if "--write" in sys.argv:
        with open(os.path.join(RESULTS, "lambda-coldstart.json"), "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        with open(os.path.join(RESULTS, "lambda-coldstart.md"), "w") as f:
            f.write("# Lambda bootstrap cold start\n\n")
            f.write("`python3 bench/lambda-coldstart/measure.py <unzipped plan.zip> %d --write`: a fresh `bootstrap` process per run\n" % runs)
            f.write("(self-contained, ReadyToRun, linux-x64) against a loopback Runtime API stand-in; %d CPUs, load average %.1f.\n\n" % (os.cpu_count(), load))
            f.write("| measure | median | min | max |\n|---|---|---|---|\n")
            f.write("| process start -> first `next` request, wall | %.0f ms | %.0f ms | %.0f ms |\n" % (statistics.median(cold), min(cold), max(cold)))
            f.write("| same, CPU time (user + system) of the process | %.0f ms | %.0f ms | %.0f ms |\n" % (statistics.median(cpu), min(cpu), max(cpu)))
            f.write("| first plan invocation (event -> response) | %.0f ms | %.0f ms | %.0f ms |\n" % (statistics.median(first), min(first), max(first)))
    server.shutdown()
    s3.shutdown()


if __name__ == "__main__":
    main()
