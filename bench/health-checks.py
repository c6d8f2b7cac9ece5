#!/usr/bin/env python3
"""Active-check load: starts its own Beacon (target/beacon.jar) on a free port of 127.0.0.1, registers N
instances whose HTTP check targets that Beacon's /actuator/health/ping, lets the checks run for a while,
prints the check rate and Beacon's CPU use, and stops Beacon.

Usage: ./mvnw -B -q package -DskipTests && bench/health-checks.py --instances 10000 --interval 10s --seconds 30
Bounded in time and count; talks only to the Beacon it started.
"""
import argparse
import http.client
import json
import re
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_beacon(jar, port):
    proc = subprocess.Popen(["java", "-Xmx512m", "-jar", jar, "--server.address=127.0.0.1", f"--server.port={port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"Beacon exited with {proc.returncode} (port {port} taken?)")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/actuator/health/ping")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("Beacon did not start within 120 s")


def scrape(conn):
    conn.request("GET", "/actuator/prometheus")
    body = conn.getresponse().read().decode()
    checks = sum(float(m.group(1)) for m in re.finditer(r'^beacon_checks_total\{[^}]*\} (\S+)', body, re.M))
    cpu = re.search(r'^process_cpu_usage\s+(\S+)', body, re.M)
    return checks, float(cpu.group(1)) if cpu else float("nan")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jar", default="target/beacon.jar")
    p.add_argument("--instances", type=int, default=10000)
    p.add_argument("--interval", default="10s")
    p.add_argument("--seconds", type=int, default=40)
    a = p.parse_args()
    port = free_port()
    proc = start_beacon(a.jar, port)
    try:
        run(a, port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run(a, port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    target = f"http://127.0.0.1:{port}/actuator/health/ping"
    start = time.time()
    for n in range(a.instances):
        body = json.dumps({"name": f"bench{n % 100}", "id": f"i{n}", "address": "127.0.0.1", "port": 9000,
                           "leaseSeconds": 3600,
                           "check": {"http": target, "interval": a.interval, "timeout": "2s"}})
        conn.request("POST", "/register", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        if r.status not in (200, 201):
            raise SystemExit(f"register failed: {r.status}")
    print(f"registered {a.instances} instances in {time.time() - start:.1f}s")
    time.sleep(12)  # let the jittered first runs begin
    c0, _ = scrape(conn)
    t0 = time.time()
    samples = []
    while time.time() - t0 < a.seconds:
        time.sleep(5)
        samples.append(scrape(conn)[1])
    c1, _ = scrape(conn)
    elapsed = time.time() - t0
    print(f"checks run: {c1 - c0:.0f} in {elapsed:.1f}s = {(c1 - c0) / elapsed:.0f}/s "
          f"(expected {a.instances / float(a.interval.rstrip('s')):.0f}/s)")
    print("process_cpu_usage samples (share of all cores): " + ", ".join(f"{s:.2f}" for s in samples))


if __name__ == "__main__":
    main()
