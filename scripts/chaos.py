"""The chaos run's driver (started by scripts/chaos on a cluster scripts/cluster made).

Readers (wrk through the front haproxy), writers (posts and image uploads through the REST API
with an application password and idempotency keys, comments through the form) and a fault
at each known time; then the checks, and the table BENCHMARKS.md reports. Standard library
only. Exits 1 when a check fails.
"""

import argparse
import json
import os
import re
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from base64 import b64encode

FRONT = "http://127.0.0.1:8090"
# Writers come through HTTPS, as application passwords are accepted only over HTTPS (or from
# the machine itself, which a request through a proxy is not); the certificate is the one
# scripts/cluster made.
FRONT_TLS = "https://127.0.0.1:8443"
NODES = ["http://127.0.0.1:8091", "http://127.0.0.1:8092", "http://127.0.0.1:8093"]
DB = ["psql", "-h", "127.0.0.1", "-p", "25430", "-U", "postgres", "-d", "gazette", "-Atc"]
# How long after a fault's end errors still count as its own: the health checks' 2 s to mark a
# node down or up again, and a client's retry.
GRACE = 10.0
# Reader errors are known to the second (see main): how far before a fault one may fall.
READER_SLACK = 0.5

started = time.monotonic()


def now():
    return time.monotonic() - started


def cluster(*args):
    result = subprocess.run(["scripts/cluster", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"scripts/cluster {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout.strip()


def sql(query):
    for _ in range(30):
        result = subprocess.run(DB + [query], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.strip()
        time.sleep(1)
    raise SystemExit(f"the database did not answer: {result.stderr}")


TLS = ssl.create_default_context()


def request(method, url, body=None, headers=None, timeout=30):
    """(status, body bytes); status 0 when no answer came."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=TLS) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def png(seed):
    """A small PNG of its own: a 64×48 image whose colour comes from the seed."""
    width, height = 64, 48
    colour = bytes([seed * 37 % 256, seed * 91 % 256, seed * 13 % 256])
    rows = b"".join(b"\x00" + colour * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Writers:
    """Posts, uploads and comments; every attempt is recorded with its outcome."""

    def __init__(self, secret, article_id):
        self.auth = "Basic " + b64encode(f"admin@localhost:{secret}".encode()).decode()
        self.article_id = article_id
        self.events = []  # (t, kind, key, outcome, detail)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def record(self, kind, key, outcome, detail=None):
        with self.lock:
            self.events.append((now(), kind, key, outcome, detail))

    @staticmethod
    def outcome(status, body):
        if status == 201:
            return "made"
        if status == 503 and b"rest_outcome_unknown" in body:
            return "unknown"
        return f"refused {status}"

    def post(self, n):
        key = f"chaos-post-{n}"
        body = json.dumps({"title": f"Chaos story {n}", "content": f"Story {n}.", "status": "publish"})
        status, answer = request("POST", FRONT_TLS + "/wp-json/wp/v2/posts", body.encode(), {
            "Authorization": self.auth, "Content-Type": "application/json", "Idempotency-Key": key})
        outcome = self.outcome(status, answer)
        detail = json.loads(answer)["id"] if outcome == "made" else None
        return key, outcome, detail

    def upload(self, n):
        key = f"chaos-upload-{n}"
        status, answer = request("POST", FRONT_TLS + "/wp-json/wp/v2/media", png(n), {
            "Authorization": self.auth, "Content-Type": "image/png", "Idempotency-Key": key,
            "Content-Disposition": f'attachment; filename="chaos-{n}.png"'})
        outcome = self.outcome(status, answer)
        detail = None
        if outcome == "made":
            made = json.loads(answer)
            detail = (made["id"], re.sub(r"^https?://[^/]+", "", made["source_url"]))
        return key, outcome, detail

    def comment(self, n, token):
        text = f"Chaos comment {n}: a reader's view of the story, at some length."
        form = urllib.parse.urlencode({
            "comment_post_ID": self.article_id, "comment": text, "author": f"Reader {n}",
            "email": f"chaos{n}@chaos.example", "form_token": token}).encode()
        opener = urllib.request.build_opener(NoRedirect)
        req = urllib.request.Request(FRONT + "/comments/", data=form, method="POST", headers={
            "X-Forwarded-For": f"10.88.{n // 250 % 250}.{n % 250 + 1}"})
        try:
            with opener.open(req, timeout=30) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError):
            status = 0
        return text, "made" if status == 303 else f"refused {status}", None

    def loop(self, kind, every, act):
        n = 0
        while not self.stop.is_set():
            n += 1
            key, outcome, detail = act(n)
            self.record(kind, key, outcome, detail)
            self.stop.wait(every)

    def comments(self, every):
        tokens = []
        n = 0
        while not self.stop.is_set():
            status, answer = request("GET", FRONT + "/comments/token")
            if status == 200:
                tokens.append((now(), json.loads(answer)["token"]))
            # The form refuses tokens younger than 3 s: use one fetched at least 4 s ago.
            if tokens and now() - tokens[0][0] >= 4:
                n += 1
                _, token = tokens.pop(0)
                text, outcome, _ = self.comment(n, token)
                self.record("comment", text, outcome)
            self.stop.wait(every)


def readers(duration, work):
    """wrk on article, home and feed through the front haproxy; per-second error counts."""
    script = os.path.join(work, "readers.lua")
    with open(script, "w") as f:
        f.write("""
local paths = {"/", "/feed/", os.getenv("ARTICLE")}
local n = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() errors = {} end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
function response(status)
  if status >= 500 then
    local second = os.time()
    errors[second] = (errors[second] or 0) + 1
  end
end
function done()
  local out = {}
  for _, thread in ipairs(threads) do
    for second, count in pairs(thread:get("errors")) do
      table.insert(out, string.format('"%d": %d', second, count))
    end
  end
  io.write("ERRORS {" .. table.concat(out, ", ") .. "}\\n")
end
""")
    return subprocess.Popen(
        ["wrk", "-t2", "-c16", f"-d{int(duration)}s", "--timeout", "20s", "-s", script, FRONT],
        stdout=subprocess.PIPE, text=True, env={**os.environ})


class Fault:
    def __init__(self, name, at, action):
        self.name, self.at, self.action = name, at, action
        self.start = self.end = self.ready = None


def wait_ready(limit=180):
    """Seconds until every node answers /readyz and a write through the front succeeds."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if all(request("GET", node + "/readyz", timeout=3)[0] == 200 for node in NODES):
            return time.monotonic() - began
        time.sleep(0.25)
    return None


def faults(scale, binary):
    def kill_node():
        cluster("stop-node", "1", "KILL")
        time.sleep(10 * scale)
        cluster("start-node", "1")

    def stop_node():
        cluster("stop-node", "2", "TERM")
        time.sleep(10 * scale)
        cluster("start-node", "2")

    def primary_dies():
        member = cluster("kill-primary")
        time.sleep(30 * scale)
        cluster("start-member", member[2:])

    def primary_frozen():
        member = cluster("primary")
        cluster("freeze-member", member[2:])
        time.sleep(25)  # past the 10 s TTL whatever the scale
        cluster("thaw-member", member[2:])

    def etcd_restarted():
        cluster("stop-etcd")
        time.sleep(5 * scale)
        cluster("start-etcd")

    def weed_restarted():
        cluster("restart-weed")

    def node_killed_in_failover():
        member = cluster("kill-primary")
        time.sleep(2)
        cluster("stop-node", "3", "KILL")
        time.sleep(10 * scale)
        cluster("start-node", "3")
        time.sleep(20 * scale)
        cluster("start-member", member[2:])

    def rolling_upgrade():
        # Each node in turn is drained and started again on the other binary: first the
        # previous release against the schema this one migrated to, then this one again.
        for release in (binary or os.environ["NODE_BINARY"], os.environ["NODE_BINARY"]):
            for n in ("1", "2", "3"):
                cluster("stop-node", n, "TERM")
                cluster("start-node", n, release)
                deadline = time.monotonic() + 120
                while request("GET", NODES[int(n) - 1] + "/readyz", timeout=3)[0] != 200:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"node {n} on {release} was not ready within 120 s")
                    time.sleep(0.25)

    upgrade = ("rolling upgrade (previous release, then this one, node by node)" if binary
               else "rolling restart (node by node; PREVIOUS_BINARY not given)")
    plan = [
        ("node killed (kill -9)", 30, kill_node),
        ("node stopped (SIGTERM, drains)", 80, stop_node),
        ("primary's machine dies (Patroni and postmaster killed)", 130, primary_dies),
        ("primary frozen (SIGSTOP) past its TTL", 210, primary_frozen),
        ("etcd killed and restarted", 270, etcd_restarted),
        ("SeaweedFS restarted", 320, weed_restarted),
        ("node killed during a failover", 370, node_killed_in_failover),
        (upgrade, 440, rolling_upgrade),
    ]
    return [Fault(name, at * scale, action) for name, at, action in plan]


def run_faults(plan, stop):
    for fault in plan:
        while now() < fault.at:
            if stop.wait(0.2):
                return
        fault.start = now()
        try:
            fault.action()
        except SystemExit as failure:
            print(f"[chaos] {fault.name}: {failure}", flush=True)
            return
        fault.end = now()
        fault.ready = wait_ready()
        print(f"[chaos] {fault.name}: {fault.end - fault.start:.1f} s, ready again "
              f"{fault.ready if fault.ready is None else round(fault.ready, 1)} s after", flush=True)


def resolve_unknown(writers):
    """Sends every write whose outcome was unknown again with its key, until answered."""
    resolved = 0
    for i, (t, kind, key, outcome, _) in enumerate(list(writers.events)):
        if outcome != "unknown":
            continue
        n = int(key.rsplit("-", 1)[1])
        for _ in range(30):
            _, again, detail = (writers.post if kind == "post" else writers.upload)(n)
            if again == "made":
                writers.events[i] = (t, kind, key, "unknown, then made", detail)
                resolved += 1
                break
            time.sleep(1)
        else:
            raise SystemExit(f"{key}: outcome unknown, and never answered when sent again")
    return resolved


def check(writers, log_dir):
    """Every acknowledged write present once and served by every node; gapless change ids;
    every job done once. Returns the problems found."""
    problems = []
    made = [e for e in writers.events if e[3].endswith("made")]
    posts = [e for e in made if e[1] == "post"]
    uploads = [e for e in made if e[1] == "upload"]
    comments = [e for e in made if e[1] == "comment"]
    counts = dict(line.split("|") for line in sql(
        "select headline, count(*) from articles where headline like 'Chaos story %' "
        "group by headline").splitlines() if line)
    for _, _, key, _, post_id in posts:
        title = "Chaos story " + key.rsplit("-", 1)[1]
        if counts.get(title) != "1":
            problems.append(f"{title} (acknowledged as {post_id}) is there {counts.get(title, 0)} times")
    twice = [title for title, count in counts.items() if count != "1"]
    if twice:
        problems.append(f"made more than once: {twice[:5]}")
    bodies = dict(line.split("|") for line in sql(
        "select body, count(*) from comments where body like 'Chaos comment %' "
        "group by body").splitlines() if line)
    for _, _, text, _, _ in comments:
        if bodies.get(text) != "1":
            problems.append(f"comment {text[:20]}… is there {bodies.get(text, 0)} times")
    for node in NODES:
        for _, _, _, _, post_id in posts[:: max(1, len(posts) // 100)]:
            status, _ = request("GET", f"{node}/wp-json/wp/v2/posts/{post_id}")
            if status != 200:
                problems.append(f"{node} answers {status} for post {post_id}")
        for _, _, _, _, (media_id, path) in uploads:
            status, _ = request("GET", node + path)
            if status != 200:
                problems.append(f"{node} answers {status} for upload {media_id} at {path}")
    low, high, rows = sql("select min(id), max(id), count(*) from changes").split("|")
    if int(high) - int(low) + 1 != int(rows):
        problems.append(f"change ids have gaps: {rows} rows between {low} and {high}")
    done = {}
    for name in os.listdir(log_dir):
        if re.fullmatch(r"node\d\.log", name):
            for line in open(os.path.join(log_dir, name), errors="replace"):
                match = re.search(r"job=(\d+).*job done", line)
                if match:
                    done[match.group(1)] = done.get(match.group(1), 0) + 1
    repeated = [job for job, count in done.items() if count > 1]
    if repeated:
        problems.append(f"jobs done more than once: {repeated[:10]}")
    failed = sql("select count(*) from jobs where status = 'failed'")
    if failed != "0":
        problems.append(f"{failed} jobs failed for good")
    return problems, len(done)


def window(events, fault):
    """(count, first, last) of the events inside the fault's window."""
    inside = [t for t in events
              if fault.start - READER_SLACK <= t <= fault.end + (fault.ready or 0) + GRACE]
    if not inside:
        return 0, None, None
    return len(inside), min(inside), max(inside)


def writes_back(writers, fault, errors):
    """Seconds from the fault until the first post made after its last writer error."""
    count, _, last = errors
    if not count:
        return "no interruption"
    made = [t for t, kind, _, outcome, _ in writers.events
            if kind == "post" and outcome == "made" and t > last]
    return f"{min(made) - fault.start:.1f} s" if made else "never"


def describe(count, first, last, fault):
    if not count:
        return "none"
    return f"{count} in {last - first:.1f} s (from +{max(first - fault.start, 0):.1f} s)"


def main():
    TLS.load_verify_locations(os.path.join(os.environ["CLUSTER_DIR"], "front.crt"))
    parser = argparse.ArgumentParser()
    parser.add_argument("--secret", required=True)
    parser.add_argument("--article", required=True)
    parser.add_argument("--article-path", required=True)
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--work", required=True)
    parser.add_argument("--logs", required=True)
    parser.add_argument("--binary", default="")
    args = parser.parse_args()
    scale = args.duration / 600

    writers = Writers(args.secret, args.article)
    os.environ["ARTICLE"] = args.article_path
    wrk = readers(args.duration, args.work)
    threads = [
        threading.Thread(target=writers.loop, args=("post", 0.25, writers.post)),
        threading.Thread(target=writers.loop, args=("upload", 2.0, writers.upload)),
        threading.Thread(target=writers.comments, args=(1.0,)),
    ]
    for thread in threads:
        thread.start()
    plan = faults(scale, args.binary)
    stop = threading.Event()
    chaos = threading.Thread(target=run_faults, args=(plan, stop))
    chaos.start()
    output, _ = wrk.communicate()
    stop.set()
    chaos.join()
    writers.stop.set()
    for thread in threads:
        thread.join()
    ready_at_end = wait_ready()

    unknown = resolve_unknown(writers)
    problems, jobs_done = check(writers, args.logs)
    reads = int(re.search(r"(\d+) requests in", output).group(1))
    per_second = json.loads(re.search(r"ERRORS (\{.*\})", output).group(1))
    # wrk's seconds are the wall clock's: turn them into seconds of this run.
    offset = time.time() - now()
    reader_errors = []
    for second, count in per_second.items():
        # wrk counts by whole seconds of the wall clock: an error counted at second S happened
        # within [S, S + 1), so it is placed at the middle of that second, and a window is
        # given half a second each side for them (READER_SLACK).
        reader_errors += [int(second) + 0.5 - offset] * count
    writer_errors = [t for t, _, _, outcome, _ in writers.events if outcome.startswith("refused")]
    unknown_times = [t for t, _, _, outcome, _ in writers.events if outcome.startswith("unknown")]

    rows = []
    for fault in plan:
        if fault.start is None or fault.end is None:
            problems.append(f"{fault.name}: never ran or never finished (the run is too short?)")
            continue
        if fault.ready is None:
            problems.append(f"{fault.name}: the nodes were not all ready again within 180 s")
        r = window(reader_errors, fault)
        w = window(writer_errors + unknown_times, fault)
        ready = "not ready" if fault.ready is None else f"{fault.end - fault.start + fault.ready:.1f} s"
        rows.append(f"| {fault.name} | {describe(*r, fault)} | {describe(*w, fault)} | "
                    f"{writes_back(writers, fault, w)} | {ready} |")
    finished = [f for f in plan if f.start is not None and f.end is not None]

    def inside_a_window(t, slack):
        return any(f.start - slack <= t <= f.end + (f.ready or 0) + GRACE for f in finished)

    outside = [t for t in reader_errors if not inside_a_window(t, READER_SLACK)]
    outside += [t for t in writer_errors if not inside_a_window(t, 0)]
    if outside:
        problems.append(f"{len(outside)} errors outside every fault's window, at {sorted(outside)[:5]}")
    if ready_at_end is None:
        problems.append("the nodes were not all ready at the end")

    counts = {kind: [e for e in writers.events if e[1] == kind] for kind in ("post", "upload", "comment")}
    made = {kind: sum(1 for e in events if e[3].endswith("made")) for kind, events in counts.items()}
    print(f"\nChaos run of {args.duration:.0f} s on {time.strftime('%Y-%m-%d')}: 3 nodes behind haproxy, "
          "Patroni with synchronous replication (3 members), etcd, SeaweedFS.\n")
    print(f"Readers: {reads:,} requests (wrk -t2 -c16, article, home and feed), "
          f"{len(reader_errors)} answered 5xx. Writers: {made['post']} of {len(counts['post'])} posts, "
          f"{made['upload']} of {len(counts['upload'])} uploads, {made['comment']} of "
          f"{len(counts['comment'])} comments acknowledged; {unknown} outcomes unknown, each made once "
          f"when sent again with its key. {jobs_done} jobs done, none twice.\n")
    print("| Fault | Reader errors (5xx) | Writer errors (refused or unknown) | Writes back after | "
          "All nodes ready after (fault's own steps included) |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    if problems:
        print("\nFAILED:\n- " + "\n- ".join(problems[:40]))
        sys.exit(1)
    print("\nPassed: every acknowledged write is there once and served by every node, change ids "
          "are gapless, no job ran twice, and every error fell inside a fault's window.")


if __name__ == "__main__":
    main()
