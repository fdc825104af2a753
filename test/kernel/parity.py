"""Issue 11's table, row by row, through jupyter_client: each behaviour measured on the gcnlab kernel and, where it
does not depend on the language, on ipykernel (Debian's, kernel name 'python3') in the same run, with the same
assertions. Each test class starts one kernel; the code it runs is in that language."""
import hashlib
import hmac
import json
import os
import tempfile
import time
import unittest
import uuid

from jupyter_client.manager import KernelManager, start_new_kernel

# The same request written in each kernel's language.
CODE = {
    "gcnlab": {
        "define": "let kept = 41",
        "kept": "kept + 1",
        "fail": 'throw new Error("boom")',
        "sleep": "await new Promise((r) => setTimeout(r, 1500))",
        "print_later": 'setTimeout(() => console.log("printed later"), 300)',
        "exit1": "process.exit(1)",
        "exit0": "process.exit(0)",
        "bump": "counter += 1",
        "counter_init": "let counter = 0",
        "counter": "counter",
        "expression": "kept * 2",
        "bad_expression": "kept.nope()",
        "incomplete": ["`open ", "%%time\nfor (;;) {"],
        "missing_name": "nowhereDefinedName",
        "comm_echo": (
            'const echo = openComm("gcnlab.echo");\n'
            "echo.onMessage((data, buffers) => echo.send({ got: buffers.length }, [new TextEncoder().encode('pong'), ...buffers]))"
        ),
        "throw_in_timer": 'setTimeout(() => { throw new RangeError("from a timer") }, 50)',
        "throw_later": 'setTimeout(() => { throw new RangeError("thrown later") }, 800); 1',
        "sleep_long": "await new Promise((r) => setTimeout(r, 3000))",
        "thrown_later": "RangeError",
        "busy_ticks": "for (let i = 0; i < 3; i++) { console.log(`tick ${i}`); const t = Date.now(); while (Date.now() - t < 600) {} }",
        "time_value": "%time kept + 1",
        "time_error": "%time kept.nope()",
        "open_calls": ["Math.max(", "Math.max(1, ", "Math.max(1, 2)", "console.log(Math.max(1, 2), "],
        "open_call_names": ["max", "max", "max", "log"],
    },
    "python3": {
        "define": "kept = 41",
        "kept": "kept + 1",
        "fail": 'raise ValueError("boom")',
        "sleep": "import time; time.sleep(1.5)",
        "print_later": 'import threading; threading.Timer(0.3, lambda: print("printed later")).start()',
        "exit1": "import sys; sys.exit(1)",
        "exit0": "import sys; sys.exit(0)",
        "bump": "counter += 1",
        "counter_init": "counter = 0",
        "counter": "counter",
        "expression": "kept * 2",
        "bad_expression": "kept.nope()",
        "incomplete": ["'''open ", "%%time\nfor i in range(3):"],
        "missing_name": "nowhere_defined_name",
        "comm_echo": (
            "from ipykernel.comm import Comm\n"
            "echo = Comm(target_name='gcnlab.echo')\n"
            "echo.on_msg(lambda m: echo.send({'got': len(m['buffers'])}, buffers=[b'pong'] + [bytes(b) for b in m['buffers']]))"
        ),
        "throw_in_timer": 'import threading; threading.Timer(0.05, lambda: 1 / 0).start()',
        "throw_later": "import threading; threading.Timer(0.8, lambda: 1 / 0).start()",
        "sleep_long": "import time; time.sleep(3)",
        "thrown_later": "ZeroDivisionError",
        "busy_ticks": "import time\nfor i in range(3):\n    print(f'tick {i}')\n    t = time.time()\n    while time.time() - t < 0.6: pass",
        "time_value": "%time kept + 1",
        "time_error": "%time kept.nope()",
        "open_calls": ["max(", "max(1, ", "max(1, 2)", "print(max(1, 2), "],
        "open_call_names": ["max", "max", "max", "print"],
    },
}


class Client:
    """One kernel and its client, with the waits the tests share."""

    def __init__(self, name, **kwargs):
        self.name = name
        self.km, self.kc = start_new_kernel(kernel_name=name, startup_timeout=90, **kwargs)

    def send(self, msg_type, content, channel="shell"):
        msg = self.kc.session.msg(msg_type, content)
        getattr(self.kc, f"{channel}_channel").send(msg)
        return msg

    def execute(self, code, **content):
        request = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        request.update(content)
        return self.send("execute_request", request)["header"]["msg_id"]

    def reply(self, msg_id, timeout=30, channel="shell"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                msg = getattr(self.kc, f"get_{channel}_msg")(timeout=0.2)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        return None

    def iopub_until_idle(self, msg_id, timeout=30):
        """Every iopub message parented to msg_id, up to and including its idle status."""
        got, deadline = [], time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.2)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            got.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return got
        raise TimeoutError(f"{self.name}: no idle for {msg_id} within {timeout}s")

    def run(self, code, timeout=30, **content):
        """(reply content, iopub messages) of one execution."""
        msg_id = self.execute(code, **content)
        reply = self.reply(msg_id, timeout)
        if reply is None:
            raise TimeoutError(f"{self.name}: no reply to {code!r}")
        return reply["content"], self.iopub_until_idle(msg_id, timeout)

    def value(self, code):
        reply, iopub = self.run(code)
        results = [m["content"]["data"]["text/plain"] for m in iopub if m["msg_type"] == "execute_result"]
        return reply, results[0] if results else None

    def drain(self, seconds=0.3):
        end = time.time() + seconds
        while time.time() < end:
            for get in (self.kc.get_iopub_msg, self.kc.get_shell_msg, self.kc.get_control_msg):
                try:
                    get(timeout=0.02)
                except Exception:
                    pass

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


class Parity:
    """Every test runs against one kernel, `KERNEL`; the subclasses below name gcnlab and ipykernel."""

    KERNEL = ""

    @classmethod
    def setUpClass(cls):
        cls.k = Client(cls.KERNEL)
        cls.code = CODE[cls.KERNEL]
        reply, _ = cls.k.run(cls.code["define"], timeout=90)
        assert reply["status"] == "ok", reply

    @classmethod
    def tearDownClass(cls):
        cls.k.stop()

    def setUp(self):
        self.k.drain(0.1)

    def assertKeptState(self):
        reply, value = self.k.value(self.code["kept"])
        self.assertEqual((reply["status"], value), ("ok", "42"), f"{self.KERNEL} lost its variables")

    # --- a throwing timer: error shown, kernel lives

    def test_throwing_timer_leaves_the_kernel_alive(self):
        reply, _ = self.k.run(self.code["throw_in_timer"])
        self.assertEqual(reply["status"], "ok")
        time.sleep(0.5)
        self.assertTrue(self.k.km.is_alive())
        self.assertKeptState()

    def test_an_error_thrown_after_its_cell_ended_shows_under_the_running_cell(self):
        # The cell that started the timer has ended (a client no longer shows its outputs): the error goes under the
        # cell that runs when it is thrown (ipykernel: the thread's traceback on stderr; gcnlab: an error output).
        first, before = self.k.run(self.code["throw_later"])
        self.assertEqual(first["status"], "ok")
        reply, running = self.k.run(self.code["sleep_long"])
        self.assertEqual(reply["status"], "ok")
        shown = [json.dumps(m["content"]) for m in running if m["msg_type"] in ("error", "stream")]
        self.assertTrue(any(self.code["thrown_later"] in text for text in shown), shown)
        self.assertFalse(any(self.code["thrown_later"] in json.dumps(m["content"]) for m in before if m["msg_type"] in ("error", "stream")), "shown under the finished cell")
        self.assertTrue(self.k.km.is_alive())
        self.assertKeptState()

    # --- process.exit / sys.exit

    def test_exit_in_a_cell_is_a_catchable_error_and_the_kernel_lives(self):
        for code in (self.code["exit1"], self.code["exit0"]):
            reply, iopub = self.k.run(code)
            self.assertEqual(reply["status"], "error", code)
            self.assertEqual(reply["ename"], "SystemExit")
            self.assertIn("error", [m["msg_type"] for m in iopub])
            time.sleep(0.3)
            self.assertTrue(self.k.km.is_alive(), code)
        self.assertKeptState()

    # --- stop_on_error

    def test_failed_cell_aborts_the_queued_cells_until_idle(self):
        self.k.run(self.code["counter_init"])
        ids = [self.k.execute(self.code["fail"])] + [self.k.execute(self.code["bump"]) for _ in range(3)]
        statuses = [self.k.reply(i)["content"]["status"] for i in ids]
        self.assertEqual(statuses, ["error", "aborted", "aborted", "aborted"])
        for i in ids:
            self.k.iopub_until_idle(i)
        # Once idle, cells run again; none of the aborted ones ran.
        reply, value = self.k.value(self.code["counter"])
        # ipykernel 6.17 ends its abort window with a call_later(0) callback (kernelbase._abort_queues) that runs only
        # after the aborted requests have drained; a request that reaches the socket before it runs, even one sent
        # after idle, is aborted too (once in a clean-clone CI run on 2026-12-08; 5 of 500 repeats here, unloaded).
        # gcnlab's window ends at idle: it gets no second try.
        tries = 1
        while self.KERNEL == "python3" and reply["status"] == "aborted" and tries < 10:
            time.sleep(0.2)
            reply, value = self.k.value(self.code["counter"])
            tries += 1
        self.assertEqual((reply["status"], value), ("ok", "0"), f"{self.KERNEL}: after {tries} tries")

    def test_without_stop_on_error_the_queued_cells_run(self):
        self.k.run(self.code["counter_init"])
        ids = [self.k.execute(self.code["fail"], stop_on_error=False)] + [self.k.execute(self.code["bump"]) for _ in range(2)]
        self.assertEqual([self.k.reply(i)["content"]["status"] for i in ids], ["error", "ok", "ok"])
        for i in ids:
            self.k.iopub_until_idle(i)
        self.assertEqual(self.k.value(self.code["counter"])[1], "2")

    # --- silent / store_history

    def test_silent_uses_no_execution_count_and_is_not_in_history(self):
        before, _ = self.k.run(self.code["kept"])
        marker = f"{self.code['kept']}  # silent {uuid.uuid4().hex[:6]}" if self.KERNEL == "python3" else f"{self.code['kept']} // silent {uuid.uuid4().hex[:6]}"
        reply, iopub = self.k.run(marker, silent=True, store_history=True)
        self.assertEqual(reply["execution_count"], before["execution_count"])
        self.assertEqual([m["msg_type"] for m in iopub if m["msg_type"] not in ("status",)], [])
        after, _ = self.k.run(self.code["kept"])
        self.assertEqual(after["execution_count"], before["execution_count"] + 1)
        history = self.history(hist_access_type="tail", n=50)
        self.assertNotIn(marker, [h[2] for h in history])

    # --- user_expressions

    def test_user_expressions_are_evaluated_one_result_each(self):
        reply, _ = self.k.run(self.code["kept"], user_expressions={"double": self.code["expression"], "broken": self.code["bad_expression"]})
        expressions = reply["user_expressions"]
        self.assertEqual(expressions["double"]["status"], "ok")
        self.assertEqual(expressions["double"]["data"]["text/plain"], "82")
        self.assertEqual(expressions["broken"]["status"], "error")
        self.assertTrue(expressions["broken"]["ename"])

    # --- output of a timer while a later cell runs

    def test_timer_output_goes_under_the_running_cell(self):
        first, _ = self.k.run(self.code["print_later"])
        self.assertEqual(first["status"], "ok")
        reply, iopub = self.k.run(self.code["sleep"])
        streams = "".join(m["content"]["text"] for m in iopub if m["msg_type"] == "stream")
        self.assertIn("printed later", streams)

    # --- output printed by a cell that never yields arrives while it runs, not at its end

    def test_a_busy_loop_shows_its_output_as_it_prints(self):
        msg_id = self.k.execute(self.code["busy_ticks"])
        arrivals, deadline = [], time.time() + 30
        while time.time() < deadline:
            try:
                msg = self.k.kc.get_iopub_msg(timeout=0.05)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            arrivals.append((time.time(), msg))
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        self.k.reply(msg_id)
        ticks = [(t, m["content"]["text"]) for t, m in arrivals if m["msg_type"] == "stream"]
        self.assertEqual("".join(text for _, text in ticks), "tick 0\ntick 1\ntick 2\n")
        idle = arrivals[-1][0]
        # tick 0 is printed 1.8 s before the loop ends; sent at the end it would arrive with the idle status
        self.assertGreater(idle - ticks[0][0], 0.8, f"{self.KERNEL}: the first tick arrived {idle - ticks[0][0]:.2f}s before idle")

    # --- %time prints the time before the result, and no time after an error

    def test_time_magic_prints_the_time_before_the_result(self):
        reply, iopub = self.k.run(self.code["time_value"])
        self.assertEqual(reply["status"], "ok")
        kinds = [m["msg_type"] for m in iopub if m["msg_type"] in ("stream", "execute_result")]
        texts = [m["content"].get("text", "") for m in iopub if m["msg_type"] == "stream"]
        self.assertIn("Wall time", "".join(texts))
        self.assertEqual(kinds[-1], "execute_result", f"{self.KERNEL}: {kinds}")
        # (ipykernel replies ok to a %time whose code raised, having shown the traceback; gcnlab replies error)
        _, iopub = self.k.run(self.code["time_error"])
        self.assertIn("error", [m["msg_type"] for m in iopub])
        self.assertNotIn("Wall time", "".join(m["content"].get("text", "") for m in iopub if m["msg_type"] == "stream"))

    # --- comms with buffers, replies parented to the comm_msg

    def test_comm_buffers_both_ways_with_the_comm_msg_as_parent(self):
        reply, iopub = self.k.run(self.code["comm_echo"])
        self.assertEqual(reply["status"], "ok", reply)
        opened = [m["content"]["comm_id"] for m in iopub if m["msg_type"] == "comm_open"]
        self.assertEqual(len(opened), 1)
        msg = self.k.kc.session.msg("comm_msg", {"comm_id": opened[0], "data": {"ping": 1}})
        self.k.kc.session.send(self.k.kc.shell_channel.socket, msg, buffers=[b"abc", b"\x00\x01\x02"])
        deadline, echo = time.time() + 10, None
        while time.time() < deadline and echo is None:
            try:
                got = self.k.kc.get_iopub_msg(timeout=0.2)
            except Exception:
                continue
            if got["msg_type"] == "comm_msg" and got["content"]["comm_id"] == opened[0]:
                echo = got
        self.assertIsNotNone(echo, "no comm_msg came back")
        self.assertEqual(echo["content"]["data"], {"got": 2})
        self.assertEqual([bytes(b) for b in echo["buffers"]], [b"pong", b"abc", b"\x00\x01\x02"])
        self.assertEqual(echo["parent_header"]["msg_id"], msg["header"]["msg_id"])

    # --- is_complete, inspect

    def test_is_complete_sees_unfinished_strings_and_magic_bodies(self):
        for code in self.code["incomplete"]:
            msg_id = self.k.send("is_complete_request", {"code": code})["header"]["msg_id"]
            self.assertEqual(self.k.reply(msg_id)["content"]["status"], "incomplete", code)

    def test_inspect_of_an_unknown_name_is_not_found(self):
        code = self.code["missing_name"]
        msg_id = self.k.send("inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})["header"]["msg_id"]
        reply = self.k.reply(msg_id)["content"]
        self.assertEqual((reply["status"], reply["found"]), ("ok", False))

    def test_inspect_inside_a_call_shows_the_function_called(self):
        for code, name in zip(self.code["open_calls"], self.code["open_call_names"]):
            msg_id = self.k.send("inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})["header"]["msg_id"]
            reply = self.k.reply(msg_id)["content"]
            self.assertEqual((reply["status"], reply["found"]), ("ok", True), code)
            self.assertIn(name, reply["data"]["text/plain"], code)

    # --- control requests

    def test_control_requests_publish_busy_and_idle(self):
        for msg_type in ("kernel_info_request", "interrupt_request"):
            msg_id = self.k.send(msg_type, {}, channel="control")["header"]["msg_id"]
            self.assertIsNotNone(self.k.reply(msg_id, channel="control"), msg_type)
            states = [m["content"]["execution_state"] for m in self.k.iopub_until_idle(msg_id, timeout=10) if m["msg_type"] == "status"]
            self.assertEqual(states, ["busy", "idle"], msg_type)

    def test_usage_request_answers_in_the_resource_usage_shape(self):
        msg_id = self.k.send("usage_request", {}, channel="control")["header"]["msg_id"]
        reply = self.k.reply(msg_id, channel="control")
        self.assertEqual(reply["header"]["msg_type"], "usage_reply")
        content = reply["content"]
        for key in ("hostname", "pid", "kernel_cpu", "kernel_memory", "cpu_count", "host_virtual_memory"):
            self.assertIn(key, content)
        self.assertGreater(content["kernel_memory"], 10 * 2**20)
        self.assertEqual(content["pid"], self.k.km.provisioner.process.pid if hasattr(self.k.km, "provisioner") else content["pid"])
        self.assertIn("total", content["host_virtual_memory"])

    # --- wire robustness

    def test_prototype_names_and_missing_msg_type_are_ignored_and_interrupts_still_work(self):
        sent = []
        for msg_type in ("__proto__", "constructor", "toString", "no_such_request"):
            sent.append(("shell", self.k.send(msg_type, {})["header"]["msg_id"]))
            sent.append(("control", self.k.send(msg_type, {}, channel="control")["header"]["msg_id"]))
        # Ignored: no reply on either channel (ipykernel logs them and answers nothing).
        for channel, msg_id in sent:
            self.assertIsNone(self.k.reply(msg_id, timeout=0.5, channel=channel), f"a reply to an unknown type on {channel}")
        # A control message whose header has no msg_type, signed with the session's key.
        session = self.k.kc.session
        header = json.dumps({"msg_id": uuid.uuid4().hex, "session": session.session, "username": "test", "date": "2026-12-01T00:00:00Z", "version": "5.3"}).encode()
        parts = [header, b"{}", b"{}", b"{}"]
        signature = hmac.new(session.key, b"".join(parts), hashlib.sha256).hexdigest().encode()
        self.k.kc.control_channel.socket.send_multipart([b"<IDS|MSG>", signature, *parts])
        time.sleep(0.5)
        self.assertTrue(self.k.km.is_alive())
        msg_id = self.k.execute(self.code["sleep"].replace("1500", "20000").replace("1.5", "20"))
        time.sleep(1)
        interrupt = self.k.send("interrupt_request", {}, channel="control")["header"]["msg_id"]
        self.assertIsNotNone(self.k.reply(interrupt, channel="control", timeout=10), "the control loop stopped")
        reply = self.k.reply(msg_id, timeout=15)
        self.assertIsNotNone(reply, "the interrupt never reached the cell")
        self.assertEqual(reply["content"]["status"], "error")
        self.k.iopub_until_idle(msg_id)
        # The interrupted cell is an error under stop_on_error: ipykernel aborts what reaches it before its
        # stop-aborting callback has run, which under load can be the next request (seen once in a loaded run).
        self.k.drain(0.5)
        self.assertKeptState()

    def test_a_replayed_message_runs_once(self):
        self.k.run(self.code["counter_init"])
        msg = self.k.kc.session.msg("execute_request", {"code": self.code["bump"], "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        self.k.kc.session.send(self.k.kc.shell_channel.socket, msg)
        self.k.kc.session.send(self.k.kc.shell_channel.socket, msg)
        self.k.reply(msg["header"]["msg_id"])
        self.k.iopub_until_idle(msg["header"]["msg_id"])
        time.sleep(0.5)
        self.k.drain(0.2)
        self.assertEqual(self.k.value(self.code["counter"])[1], "1")

    def test_execute_request_without_string_code(self):
        missing = self.k.send("execute_request", {"silent": False})["header"]["msg_id"]
        self.assertIsNone(self.k.reply(missing, timeout=2), "a request without code got a reply")
        number = self.k.send("execute_request", {"code": 42, "silent": False})["header"]["msg_id"]
        reply = self.k.reply(number)
        self.assertEqual(reply["content"]["status"], "error")
        self.k.iopub_until_idle(number)
        inputs = [h[2] for h in self.history(hist_access_type="tail", n=50)]
        self.assertNotIn(42, inputs)
        self.assertNotIn(None, inputs)
        self.assertKeptState()

    def history(self, **content):
        msg_id = self.k.send("history_request", {"output": False, "raw": True, **content})["header"]["msg_id"]
        return self.k.reply(msg_id)["content"]["history"]


class GcnlabParity(Parity, unittest.TestCase):
    KERNEL = "gcnlab"

    # --- what only a JavaScript kernel can do wrong

    def test_unhandled_rejection_and_forgotten_await_are_errors_under_the_cell(self):
        reply, iopub = self.k.run('Promise.reject(new TypeError("nobody awaited me")); await new Promise((r) => setTimeout(r, 300))')
        errors = [m["content"] for m in iopub if m["msg_type"] == "error"]
        self.assertEqual([e["ename"] for e in errors], ["TypeError"])
        self.assertTrue(any("line 1" in line for line in errors[0]["traceback"]), errors[0]["traceback"])
        reply, value = self.k.value('import { listDevices } from "gcnlab"; (await listDevices()).find((d) => d.name === "webgpu")!.available')
        if value == "false":
            # useDevice without await where webgpu is unavailable: the rejection surfaces while the next cell runs.
            # Its rejection surfaces under this cell, or under the next one if this one has ended by then.
            _, first = self.k.run('import { useDevice } from "gcnlab"; useDevice("webgpu"); 0')
            _, second = self.k.run("await new Promise((r) => setTimeout(r, 3000))")
            self.assertEqual(["DeviceUnavailableError"], [m["content"]["ename"] for m in first + second if m["msg_type"] == "error"])
        self.assertTrue(self.k.km.is_alive())
        self.assertKeptState()

    def test_throwing_timer_is_an_error_under_the_running_cell(self):
        reply, iopub = self.k.run('setTimeout(() => { throw new RangeError("timer") }, 50); await new Promise((r) => setTimeout(r, 400))')
        errors = [m["content"] for m in iopub if m["msg_type"] == "error"]
        self.assertIn("RangeError", [e["ename"] for e in errors])
        self.assertKeptState()

    def test_exit_can_be_caught(self):
        reply, value = self.k.value('let how = ""; try { process.exit(3) } catch (e) { how = (e as Error).name }; how')
        self.assertEqual(value, "'SystemExit'")

    def test_utf8_split_over_two_writes_prints_whole(self):
        reply, iopub = self.k.run("process.stdout.write(Buffer.from([0xe2, 0x82])); process.stdout.write(Buffer.from([0xac, 0x0a]))")
        text = "".join(m["content"]["text"] for m in iopub if m["msg_type"] == "stream")
        self.assertEqual(text, "€\n")

    def test_usage_reply_has_gcnlab_figures_while_a_cell_blocks(self):
        msg_id = self.k.execute("const until = Date.now() + 3000; while (Date.now() < until) {}")
        time.sleep(1)
        usage = self.k.send("usage_request", {}, channel="control")["header"]["msg_id"]
        reply = self.k.reply(usage, channel="control", timeout=2)
        self.assertIsNotNone(reply, "no usage_reply while the main thread was busy")
        figures = reply["content"]["gcnlab"]
        self.assertGreater(figures["heap"]["used"], 0)
        self.assertIn("numTensors", figures["tensors"])
        self.assertIn("cpu", [d["device"] for d in figures["tensors"]["devices"]])
        self.k.reply(msg_id)
        self.k.iopub_until_idle(msg_id)

    def test_usage_reply_counts_the_tensors_a_cell_keeps(self):
        def tensors():
            time.sleep(0.6)  # the main thread's figures are sampled every 250 ms
            msg_id = self.k.send("usage_request", {}, channel="control")["header"]["msg_id"]
            return self.k.reply(msg_id, channel="control")["content"]["gcnlab"]["tensors"]

        reply, _ = self.k.run('import * as tf from "@tensorflow/tfjs-core"; tf.tensor1d([0]).dispose()', timeout=60)
        self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        before = tensors()
        reply, _ = self.k.run("const keptTensor = tf.zeros([1000, 25])")
        self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        after = tensors()
        self.assertEqual(after["numTensors"] - before["numTensors"], 1)
        self.assertEqual(after["numBytes"] - before["numBytes"], 1000 * 25 * 4)
        self.assertGreaterEqual(sum(d["dataBuffers"] for d in after["devices"]), 1, after["devices"])
        self.k.run("keptTensor.dispose()")
        self.assertEqual(tensors()["numBytes"], before["numBytes"])


class GcnlabHeap(unittest.TestCase):
    """A cell filling the heap is stopped before V8's limit ends Node (a kernel with a 256 MiB heap, to be quick)."""

    def test_a_cell_filling_the_heap_is_stopped_and_the_kernel_lives(self):
        os.environ["NODE_OPTIONS"] = "--max-old-space-size=256"
        try:
            k = Client("gcnlab")
        finally:
            del os.environ["NODE_OPTIONS"]
        try:
            k.run("let kept = 41", timeout=90)
            reply, _ = k.run("const hoard: number[][] = [];\nfor (;;) { hoard.push(new Array(12500).fill(1.5)); await new Promise((r) => setTimeout(r, 4)) }", timeout=120)
            self.assertEqual((reply["status"], reply.get("ename")), ("error", "HeapLimitError"), reply.get("evalue"))
            self.assertTrue(k.km.is_alive())
            # The heap is still above the watch's line until V8 collects: a cell that frees it is not stopped, even when
            # samples land while it compiles and runs (a slow one, so that several do).
            reply, _ = k.run("hoard.length = 0; await new Promise((r) => setTimeout(r, 1500)); kept + 1")
            self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        finally:
            k.stop()


class IpykernelParity(Parity, unittest.TestCase):
    KERNEL = "python3"


class Sessions:
    """History across restarts, and an unsigned connection: each starts kernels of its own."""

    KERNEL = ""

    def test_history_survives_a_restart_with_sessions_unique_and_newest(self):
        code = CODE[self.KERNEL]
        k = Client(self.KERNEL)
        try:
            tag = uuid.uuid4().hex[:8]
            line = f"{code['kept']} {'#' if self.KERNEL == 'python3' else '//'} {tag}"
            k.run(code["define"], timeout=90)
            k.run(line)
            k.run(line)
            k.km.restart_kernel(now=False)
            k.kc.wait_for_ready(timeout=90)
            k.drain(0.5)
            k.run(code["define"], timeout=90)
            k.run(line)

            def history(**content):
                msg_id = k.send("history_request", {"output": False, "raw": True, **content})["header"]["msg_id"]
                return k.reply(msg_id)["content"]["history"]

            previous = history(hist_access_type="range", session=-1, start=1, stop=None)
            self.assertEqual([h[2] for h in previous][-3:], [code["define"], line, line])
            # The current session asked for as 0 comes back numbered 0 (a client may match the entries to its request).
            current = history(hist_access_type="range", session=0, start=1, stop=None)
            self.assertEqual([h[2] for h in current], [code["define"], line])
            self.assertEqual({h[0] for h in current}, {0})
            found = history(hist_access_type="search", pattern=f"*{tag}*", unique=True, n=10)
            self.assertEqual(len(found), 1)
            newest = history(hist_access_type="tail", n=1)[0]
            self.assertEqual(found[0][:2], newest[:2], "unique kept an older entry")
        finally:
            k.stop()

    def test_shutdown_reply_also_goes_on_iopub_and_the_kernel_exits(self):
        # Every client sees the kernel going, not only the one that asked (ipykernel publishes the reply on iopub).
        k = Client(self.KERNEL)
        try:
            k.drain(0.3)
            msg_id = k.send("shutdown_request", {"restart": False}, channel="control")["header"]["msg_id"]
            reply = k.reply(msg_id, channel="control")
            self.assertIsNotNone(reply, "no shutdown_reply on control")
            self.assertEqual((reply["content"]["status"], reply["content"]["restart"]), ("ok", False))
            published, iopub = None, []
            deadline = time.time() + 10
            while published is None and time.time() < deadline:
                try:
                    msg = k.kc.get_iopub_msg(timeout=0.2)
                except Exception:
                    continue
                if msg["parent_header"].get("msg_id") == msg_id:
                    iopub.append(msg)
                    if msg["msg_type"] == "shutdown_reply":
                        published = msg
            self.assertIsNotNone(published, f"{self.KERNEL}: no shutdown_reply on iopub")
            self.assertEqual((published["content"]["status"], published["content"]["restart"]), ("ok", False))
            self.assertEqual([m["msg_type"] for m in iopub[:2]], ["status", "shutdown_reply"], "busy first")
            self.assertEqual(iopub[0]["content"]["execution_state"], "busy")
            deadline = time.time() + 10
            while k.km.is_alive() and time.time() < deadline:
                time.sleep(0.1)
            self.assertFalse(k.km.is_alive(), f"{self.KERNEL} still runs 10 s after its shutdown_reply")
        finally:
            try:
                k.stop()
            except Exception:
                pass

    def test_an_empty_key_means_unsigned_messages(self):
        km = KernelManager(kernel_name=self.KERNEL)
        km.session.key = b""
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=90)
            reply = kc.execute_interactive(CODE[self.KERNEL]["define"], timeout=60)
            self.assertEqual(reply["content"]["status"], "ok")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


class GcnlabSessions(Sessions, unittest.TestCase):
    KERNEL = "gcnlab"

    def test_an_empty_key_is_said_in_the_log(self):
        # Unsigned is allowed by the spec, but whoever reads the log should learn that anyone can run code.
        log = tempfile.TemporaryFile()
        km = KernelManager(kernel_name=self.KERNEL)
        km.session.key = b""
        km.start_kernel(stderr=log)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=90)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        log.seek(0)
        self.assertIn("empty key", log.read().decode())


class IpykernelSessions(Sessions, unittest.TestCase):
    KERNEL = "python3"


if __name__ == "__main__":
    unittest.main()
