"""Kernel latency and memory, gcnlab beside ipykernel in the same run: start-up to the first kernel_info reply (several
starts, the kernels alternating, so a busy moment hits all), execute round trips (request sent -> execute_reply
received), and the kernel process's resident set idle and after CELLS trivial cells. gcnlab three ways: its debugger
idle (advertised, as by default), off (GCNLAB_DEBUGGER=0), and started (JupyterLab's initialize, attach and
configurationDone sent, no breakpoint), so what the debugger costs a cell is measured. Prints JSON.
Arguments: ROUNDS STARTS CELLS (defaults 30 5 1000)."""
import json
import os
import statistics
import sys
import time

import psutil
from jupyter_client.manager import KernelManager

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
STARTS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
CELLS = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
MIB = 2**20
# label -> (kernelspec, environment changes, debugger started before timing)
KERNELS = {
    "gcnlab": ("gcnlab", {}, False),
    "gcnlab_debugger_off": ("gcnlab", {"GCNLAB_DEBUGGER": "0"}, False),
    "gcnlab_debugger_started": ("gcnlab", {}, True),
    "ipykernel": ("python3", {}, False),
}
STARTUP_KERNELS = ("gcnlab", "gcnlab_debugger_off", "ipykernel")


def start_debugger(kc):
    """What JupyterLab sends when its bug icon is pressed (no breakpoint set): initialize, attach, configurationDone."""
    for seq, command in enumerate(("initialize", "attach", "configurationDone"), 1):
        msg = kc.session.msg("debug_request", {"seq": seq, "type": "request", "command": command, "arguments": {}})
        kc.control_channel.send(msg)
        while True:
            reply = kc.get_control_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                if not reply["content"].get("success"):
                    raise RuntimeError(f"debug_request {command} failed: {reply['content']}")
                break


def start(label):
    name, env, debugging = KERNELS[label]
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel(env={**os.environ, **env})
    kc = km.client()
    kc.start_channels()
    # The first kernel_info_reply marks start-up (jupyter_client's wait_for_ready sends the same request).
    sent = set()
    while True:
        sent.add(kc.kernel_info())
        try:
            reply = kc.get_shell_msg(timeout=0.2)
            if reply["parent_header"].get("msg_id") in sent:
                break
        except Exception:
            pass
    startup = time.perf_counter() - t0
    kc.wait_for_ready(timeout=60)
    if debugging:
        start_debugger(kc)
    return km, kc, startup


def startups():
    times = {label: [] for label in STARTUP_KERNELS}
    for _ in range(STARTS):
        for label in STARTUP_KERNELS:
            km, kc, startup = start(label)
            times[label].append(startup)
            kc.stop_channels()
            km.shutdown_kernel(now=False)
    return {label: {"median_s": round(statistics.median(t), 3), "min_s": round(min(t), 3), "starts": len(t)} for label, t in times.items()}


def measure(label, codes):
    km, kc, startup = start(label)

    def roundtrip(code):
        t = time.perf_counter()
        msg_id = kc.execute(code)
        while True:
            reply = kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                return (time.perf_counter() - t) * 1000

    first = roundtrip(codes(0))
    result = {"startup_s": round(startup, 3), "first_execute_ms": round(first, 2)}
    for label, make in (("same_cell", lambda i: codes(0)), ("distinct_cells", lambda i: codes(i + 1))):
        times = sorted(roundtrip(make(i)) for i in range(ROUNDS))
        result[label] = {
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
        }
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return result


def memory(label, codes):
    """Resident set of the kernel process (all its threads): idle after one cell and a pause, then after CELLS
    distinct trivial cells (each one compiled anew), one at a time."""
    km, kc, _ = start(label)
    process = psutil.Process(km.provisioner.process.pid)

    def run(code):
        msg_id = kc.execute(code)
        while kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != msg_id:
            pass

    run(codes(0))
    time.sleep(2)
    idle = process.memory_info().rss
    for i in range(CELLS):
        run(codes(i + 1))
    time.sleep(2)
    after = process.memory_info().rss
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return {
        "idle_rss_mib": round(idle / MIB, 1),
        "rss_after_cells_mib": round(after / MIB, 1),
        "growth_mib": round((after - idle) / MIB, 1),
        "cells": CELLS,
    }


starts = startups()
cell = lambda i: "1 + 1" if i == 0 else f"1 + {i}"
out = {
    "rounds": ROUNDS,
    "startup": starts,
    "code": "'1 + 1' repeated (same_cell), '1 + i' with i changing (distinct_cells: the TypeScript checker runs each time)",
    "debugger": "gcnlab: debugger advertised and idle (the default); gcnlab_debugger_off: GCNLAB_DEBUGGER=0; "
    "gcnlab_debugger_started: initialize, attach, configurationDone sent first, no breakpoint",
    **{label: measure(label, cell) for label in KERNELS},
    "memory": {
        "code": "'1 + i', i = 1..cells; resident set of the kernel process",
        **{label: memory(label, lambda i: f"1 + {i}") for label in KERNELS},
    },
}
print(json.dumps(out, indent=2))
