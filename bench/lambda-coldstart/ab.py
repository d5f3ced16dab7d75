#!/usr/bin/env python3
"""Interleaved A/B of bootstrap bundles' cold start: the same stand-ins and the same measurement as measure.py
(process start -> first `GET /runtime/invocation/next`, wall and CPU), the bundles taking turns run by run so that
machine load falls on all of them alike.

usage: ab.py [--runs N] [--write NAME] LABEL=<bundle dir> LABEL=<bundle dir> ...
  --write NAME stores bench/results/NAME.{json,md}.
Run it on an idle machine, not niced: cold start is wall time.
"""

import json
import os
import platform
import statistics
import sys
import threading
import time
import http.server

sys.path.insert(0, os.path.dirname(__file__))
import measure  # noqa: E402


def main():
    args = sys.argv[1:]
    runs, write, bundles = 20, None, []
    while args:
        a = args.pop(0)
        if a == "--runs":
            runs = int(args.pop(0))
        elif a == "--write":
            write = args.pop(0)
        else:
            label, path = a.split("=", 1)
            bundles.append((label, os.path.join(os.path.abspath(path), "bootstrap")))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), measure.StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    s3 = http.server.ThreadingHTTPServer(("127.0.0.1", 0), measure.S3StandIn)
    threading.Thread(target=s3.serve_forever, daemon=True).start()
    measure.S3_PORT[0] = s3.server_address[1]
    port = server.server_address[1]
    for _, bootstrap in bundles:
        measure.run_once(bootstrap, port)  # each bundle answers a real plan event (and is in the file cache)
    samples = {label: {"wall": [], "cpu": []} for label, _ in bundles}
    loads = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for i in range(runs):
        order = bundles if i % 2 == 0 else list(reversed(bundles))
        for label, bootstrap in order:
            wall, cpu = measure.run_cold(bootstrap, port)
            samples[label]["wall"].append(wall)
            samples[label]["cpu"].append(cpu)
        loads.append(os.getloadavg()[0])
    server.shutdown()
    s3.shutdown()

    def stats(values):
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    result = {
        "started": started,
        "runs": runs,
        "loadAverage1m": {"min": min(loads), "max": max(loads)},
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "bundles": {label: {"path": os.path.dirname(b), "coldStartMs": stats(samples[label]["wall"]), "coldStartCpuMs": stats(samples[label]["cpu"])} for label, b in bundles},
    }
    print(json.dumps(result, indent=2))
    if write:
        with open(os.path.join(measure.RESULTS, write + ".json"), "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        with open(os.path.join(measure.RESULTS, write + ".md"), "w") as f:
            f.write("# Lambda bootstrap cold start, A/B\n\n")
            f.write("`python3 bench/lambda-coldstart/ab.py --runs %d --write %s %s` (%s): process start -> first `next` request, a fresh\n"
                    % (runs, write, " ".join("%s=<bundle>" % label for label, _ in bundles), started))
            f.write("process per run, the bundles taking turns; %d CPUs, load average %.1f-%.1f during the runs.\n\n" % (os.cpu_count(), min(loads), max(loads)))
            f.write("| bundle | wall median | wall min | wall max | CPU median | CPU min | CPU max |\n|---|---|---|---|---|---|---|\n")
            for label, _ in bundles:
                w, c = stats(samples[label]["wall"]), stats(samples[label]["cpu"])
                f.write("| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms |\n" % (label, w["median"], w["min"], w["max"], c["median"], c["min"], c["max"]))


if __name__ == "__main__":
    main()
