"""Protocol tests through jupyter_client against the installed `gcnlab` kernel: comms both ways, interrupts that
keep state and stop only the cell they were meant for, stdin, restart, a throwing cell, a bad signature, and memory
over 200 quick executions."""
import json
import os
import signal
import time
import unittest
import uuid

from jupyter_client.manager import start_new_kernel

# Over 200 quick executions (after a warm-up of 20): the main thread's JS heap may grow by at most
# HEAP_GROWTH_BOUND_MB, and the whole process (main, compiler and control threads) stays under RSS_CEILING_MB.
HEAP_GROWTH_BOUND_MB = 16
RSS_CEILING_MB = 1024


class Kernel:
    def __init__(self):
        self.km, self.kc = start_new_kernel(kernel_name="gcnlab", startup_timeout=60)

    def run(self, code, timeout=30, stdin=None, allow_stdin=False):
        """Executes `code`; returns (reply content, [(msg_type, content)] of iopub messages for it)."""
        msg_id = self.kc.execute(code, allow_stdin=allow_stdin or stdin is not None)
        outputs, reply, idle = [], None, False
        deadline = time.time() + timeout
        while not (reply and idle):
            if time.time() > deadline:
                raise TimeoutError(f"no reply to {code!r} within {timeout}s")
            if stdin is not None:
                try:
                    req = self.kc.get_stdin_msg(timeout=0.01)
                    self.kc.input(stdin(req["content"]))
                except Exception:
                    pass
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
                if msg["parent_header"].get("msg_id") == msg_id:
                    if msg["msg_type"] == "status":
                        idle = idle or msg["content"]["execution_state"] == "idle"
                    elif msg["msg_type"] != "execute_input":
                        outputs.append((msg["msg_type"], msg["content"]))
                elif msg["msg_type"].startswith("comm"):
                    outputs.append((msg["msg_type"], msg["content"]))
            except Exception:
                pass
            if reply is None:
                try:
                    msg = self.kc.get_shell_msg(timeout=0.01)
                    if msg["parent_header"].get("msg_id") == msg_id:
                        reply = msg["content"]
                except Exception:
                    pass
        return reply, outputs

    def comm_messages(self, comm_id, timeout=10, until=None):
        got, deadline = [], time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.1)
            except Exception:
                continue
            if msg["msg_type"] in ("comm_msg", "comm_open") and msg["content"]["comm_id"] == comm_id:
                got.append(msg["content"]["data"])
                if until and until(msg["content"]["data"]):
                    break
        return got

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)


def text(outputs, kind="stream"):
    return "".join(c.get("text", "") for t, c in outputs if t == kind)


def results(outputs):
    """The text/plain of each execute_result among `outputs`."""
    return [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"]


class ProtocolTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = Kernel()

    @classmethod
    def tearDownClass(cls):
        cls.k.stop()

    def test_throwing_cell_points_at_cell_line_and_kernel_survives(self):
        reply, _ = self.k.run('const before = 41;\nfunction boom(): never {\n  throw new RangeError("too far")\n}\nboom()')
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "RangeError")
        self.assertEqual(reply["evalue"], "too far")
        self.assertTrue(any("line 3" in line for line in reply["traceback"]), reply["traceback"])
        reply, out = self.k.run("before + 1")
        self.assertEqual(reply["status"], "ok")
        self.assertIn(("execute_result", {"execution_count": reply["execution_count"], "data": {"text/plain": "42"}, "metadata": {}}), out)

    def test_a_cell_too_large_for_the_compiler_shows_its_error_under_it(self):
        reply, _ = self.k.run("const keptAcross = 7")
        before = reply["execution_count"]
        # 400 KB of pasted data: the compiler thread runs out of its heap and is started again.
        big = "const big = [" + ",".join(str(i % 10) for i in range(200_000)) + "]; big.length"
        reply, out = self.k.run(big, timeout=120)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["execution_count"], before + 1)
        self.assertEqual((reply["user_expressions"], reply["payload"]), ({}, []))
        errors = [c for t, c in out if t == "error"]
        self.assertEqual(len(errors), 1, out)
        self.assertIn("too large to type-check", errors[0]["evalue"])
        self.assertIn("read the data from a file", errors[0]["evalue"])
        reply, out = self.k.run("keptAcross + 1")
        self.assertEqual(reply["execution_count"], before + 2)
        self.assertIn("8", text(out) + str([c.get("data") for t, c in out]))

    def test_completion_positions_count_code_points_after_an_emoji(self):
        # The protocol counts code points (5.2 on); JavaScript strings count an emoji as two UTF-16 units.
        self.k.run("const myVariable = 1")
        for code, start in [("const s = '\U0001F600\U0001F600'; myVa", 16), ("const \u00e9 = 1;\n// \u00fcn\u00efcode \U0001F600\nmyVa", 26)]:
            msg_id = self.k.kc.complete(code, len(code))
            reply = self.k.kc.get_shell_msg(timeout=30)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = self.k.kc.get_shell_msg(timeout=30)
            content = reply["content"]
            self.assertIn("myVariable", content["matches"])
            self.assertEqual((content["cursor_start"], content["cursor_end"]), (start, len(code)), code)
            # Inspecting the whole name, the cursor on its last letter: found only where that position is a code point's.
            msg_id = self.k.kc.inspect(code + "riable", len(code) + 5)
            reply = self.k.kc.get_shell_msg(timeout=30)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = self.k.kc.get_shell_msg(timeout=30)
            self.assertTrue(reply["content"]["found"], code)
            self.assertIn("myVariable", reply["content"]["data"]["text/plain"])

    def test_type_error_reported_before_running(self):
        reply, out = self.k.run('console.log("ran");\nconst n: number = "x"')
        self.assertEqual(reply["ename"], "TSError")
        self.assertIn("line 2", reply["evalue"])
        self.assertNotIn("ran", text(out))

    def test_interrupt_stops_async_loop_keeps_state(self):
        self.k.run("let kept = 'yes'; let ticks = 0")
        msg_id = self.k.kc.execute("while (true) { ticks++; await new Promise((r) => setTimeout(r, 5)) }")
        time.sleep(1.0)
        self.k.km.interrupt_kernel()
        reply = self.wait_reply(msg_id)
        self.assertEqual(reply["ename"], "KeyboardInterrupt")
        reply, out = self.k.run("const t0 = ticks; await new Promise((r) => setTimeout(r, 100)); [kept, ticks === t0]")
        self.assertIn("[ 'yes', true ]", str(out))

    def test_interrupt_stops_sync_loop_and_awaited_promise(self):
        for code in ["while (true) {}", "await new Promise(() => {})", "function spin() { for (;;) {} }\nawait Promise.resolve(); spin()"]:
            msg_id = self.k.kc.execute(code)
            time.sleep(0.8)
            self.k.km.interrupt_kernel()
            reply = self.wait_reply(msg_id)
            self.assertEqual(reply["ename"], "KeyboardInterrupt", code)
        reply, out = self.k.run("1 + 1")
        self.assertIn("'2'", str(results(out)) .replace("2", "'2'", 1))

    def test_interrupt_stops_training(self):
        reply, _ = self.k.run(
            'import { syntheticGraph, GCN, train } from "gcnlab";\n'
            "const graph = syntheticGraph({ nodes: 1500, features: 300, classes: 5 });\n"
            "const model = new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses });\n"
            "let epochsSeen = 0",
            timeout=120,
        )
        self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        msg_id = self.k.kc.execute("await train(model, graph, { epochs: 100000, onEpoch: () => { epochsSeen++ } })")
        time.sleep(4)
        self.k.km.interrupt_kernel()
        reply = self.wait_reply(msg_id, timeout=60)
        self.assertEqual(reply["ename"], "KeyboardInterrupt")
        reply, out = self.k.run("const seen = epochsSeen; await new Promise((r) => setTimeout(r, 3000)); [seen > 0, epochsSeen === seen]", timeout=60)
        self.assertIn("[ true, true ]", str(out))

    def test_interrupting_sync_loop_never_breaks_the_next_cells(self):
        # The SIGINT that breaks a synchronous loop races the loop's own check of the interrupt count: it must be
        # spent in the interrupted cell, never arrive in the cells that run right after it (nor end the kernel).
        self.k.run("let quickCells = 0")
        for _ in range(5):
            msg_id = self.k.kc.execute("while (true) {}")
            time.sleep(0.3)
            self.assertEqual(self.interrupt_until_reply(msg_id)["ename"], "KeyboardInterrupt")
            for _ in range(4):
                reply, _ = self.k.run("for (let i = 0; i < 1e6; i++) {}\nquickCells++")
                self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        reply, out = self.k.run("quickCells")
        self.assertEqual(results(out), ["20"])

    def test_a_cell_sent_after_an_error_reply_runs(self):
        # stop_on_error aborts what was queued when a cell failed, never a request the client sends after it has read
        # the error reply (ipykernel's marker goes in behind the queue as it stood). Sent at once, twenty times over.
        for i in range(20):
            self.assertEqual(self.wait_reply(self.k.kc.execute(f"throw new Error('fails {i}')"))["status"], "error")
            # Sent the moment the error reply is read, before the kernel has gone idle.
            reply = self.wait_reply(self.k.kc.execute(f"{i} + 1"))
            self.assertEqual(reply["status"], "ok", f"round {i}: {reply}")
        self.k.run("0")  # drains the iopub messages of the rounds above

    def test_a_cell_sent_after_an_error_reply_runs_while_the_queue_drains(self):
        # The same, with a completion queued behind the failing cell: the kernel still answers it (tens of ms in the
        # type checker) when the next cell arrives, so a kernel that aborted "until the queue runs empty" (66f0848^)
        # aborts that cell every time; the race above it loses only under load.
        for i in range(3):
            failing = self.k.kc.execute(f"await new Promise((r) => setTimeout(r, 300)); throw new Error('fails {i}')")
            self.k.kc.complete("Math.", 5)
            self.assertEqual(self.wait_reply(failing)["status"], "error")
            reply = self.wait_reply(self.k.kc.execute(f"{i} + 1"))
            self.assertEqual(reply["status"], "ok", f"round {i}: {reply}")
        self.k.run("0")

    def test_shorthand_property_names_an_earlier_cells_variable(self):
        self.k.run("const shorthandDevices = ['a'];\nfunction shorthandF() { return 1; }")
        reply, out = self.k.run("({ shorthandDevices, shorthandF: shorthandF() })")
        self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        self.assertEqual(results(out), ["{ shorthandDevices: [ 'a' ], shorthandF: 1 }"])
        reply, out = self.k.run("const wrap = () => ({ shorthandDevices });\nwrap().shorthandDevices.length")
        self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        self.assertEqual(results(out), ["1"])

    def test_sigint_from_outside_still_interrupts_after_a_broken_blocking_cell(self):
        # Atomics.wait checks nothing: only the control thread's SIGINT breaks it. A later SIGINT from outside
        # (interrupt_mode 'signal' clients, Ctrl-C) must still interrupt, not be taken for that spent signal.
        # Bounded (30 s), so that a lost interrupt fails this test instead of wedging the kernel for the others.
        msg_id = self.k.kc.execute("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000)")
        time.sleep(0.8)
        self.k.km.interrupt_kernel()
        self.assertEqual(self.wait_reply(msg_id, timeout=40).get("ename"), "KeyboardInterrupt")
        msg_id = self.k.kc.execute("await new Promise(() => {})")
        time.sleep(0.8)
        self.k.km.signal_kernel(signal.SIGINT)
        try:
            reply = self.wait_reply(msg_id, timeout=10)
        except TimeoutError:
            self.k.km.interrupt_kernel()  # frees the kernel for the other tests
            self.wait_reply(msg_id)
            self.fail("a SIGINT from outside did not interrupt the cell")
        self.assertEqual(reply["ename"], "KeyboardInterrupt")

    def test_a_cell_listening_for_sigint_leaves_the_kernel_alive_on_sigint(self):
        # A cell may add its own process.on('SIGINT'); a SIGINT from outside while the kernel is idle must still be
        # the kernel's (an interrupt of nothing), not Node's default, which ends the process.
        reply, _ = self.k.run("process.on('SIGINT', () => {}); 1")
        self.assertEqual(reply["status"], "ok", reply.get("evalue"))
        time.sleep(0.5)
        self.k.km.signal_kernel(signal.SIGINT)
        time.sleep(1)
        self.assertTrue(self.k.km.is_alive(), "the kernel survived the SIGINT")
        reply, out = self.k.run("2 + 2", timeout=20)
        self.assertEqual(results(out), ["4"])

    def interrupt_until_reply(self, msg_id, tries=10):
        """Interrupts until msg_id replies: an interrupt sent before the cell started is, by design, not for it."""
        for _ in range(tries):
            self.k.km.interrupt_kernel()
            try:
                return self.wait_reply(msg_id, timeout=3)
            except TimeoutError:
                continue
        raise TimeoutError("no execute_reply after repeated interrupts")

    def wait_reply(self, msg_id, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.k.kc.get_shell_msg(timeout=0.5)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]
        raise TimeoutError("no execute_reply after interrupt")

    def test_stdin(self):
        prompts = []
        reply, out = self.k.run('const name = await input("who? "); console.log(`hi ${name}`)', stdin=lambda c: prompts.append(c["prompt"]) or "ada")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(prompts, ["who? "])
        self.assertIn("hi ada", text(out))

    def test_async_output_goes_to_its_cell(self):
        reply, out = self.k.run('setTimeout(() => console.log("later"), 50); await new Promise((r) => setTimeout(r, 200))')
        self.assertIn("later", text(out))

    def test_update_display_and_clear_output(self):
        reply, out = self.k.run('const h = display.text("0%"); h.text("100%"); clearOutput(true)')
        kinds = [t for t, _ in out]
        self.assertEqual(kinds, ["display_data", "update_display_data", "clear_output"])
        self.assertEqual(out[0][1]["transient"]["display_id"], out[1][1]["transient"]["display_id"])

    def test_magics(self):
        reply, out = self.k.run("%device")
        self.assertIn("cpu", str(out))
        reply, out = self.k.run("%device cpu")
        self.assertIn("device: cpu", text(out))
        reply, out = self.k.run("%device nope")
        self.assertEqual(reply["status"], "error")
        reply, out = self.k.run("%time 1 + 1")
        self.assertIn("Wall time", text(out))
        reply, out = self.k.run("%%time\nlet z = 0\nfor (let i = 0; i < 1000; i++) z += i")
        self.assertIn("Wall time", text(out))
        reply, out = self.k.run("%timeit Math.sqrt(2)")
        self.assertIn("per loop", text(out))

    def test_esm_only_package(self):
        # An ESM-only package: "exports" with only an "import" condition and top-level await.
        import tempfile
        root = tempfile.mkdtemp()
        pkg = os.path.join(root, "node_modules", "esm-only-demo")
        os.makedirs(pkg)
        with open(os.path.join(pkg, "package.json"), "w") as f:
            json.dump({"name": "esm-only-demo", "type": "module", "exports": {".": {"types": "./index.d.ts", "import": "./index.js"}}}, f)
        with open(os.path.join(pkg, "index.js"), "w") as f:
            f.write("await Promise.resolve();\nexport const answer = 42;\nexport default 'dflt';\n")
        with open(os.path.join(pkg, "index.d.ts"), "w") as f:
            f.write("export declare const answer: number;\ndeclare const d: string;\nexport default d;\n")
        reply, out = self.k.run(f'process.chdir({json.dumps(root)})')
        self.assertEqual(reply["status"], "ok", reply)
        # Resolution for the running kernel is from its start folder; a kernel started in `root` sees the package.
        k2 = None
        cwd = os.getcwd()
        os.chdir(root)
        try:
            k2 = Kernel()
            reply, out = k2.run('import d, { answer } from "esm-only-demo"; import { listDevices } from "gcnlab"; [d, answer, typeof listDevices]')
            self.assertEqual(reply["status"], "ok", reply)
            self.assertIn("[ 'dflt', 42, 'function' ]", str(out))
        finally:
            os.chdir(cwd)
            if k2:
                k2.stop()

    def test_a_missing_package_is_named_with_its_install_and_runs_once_installed(self):
        # The notebook imports a package it has not installed, installs it as the error says, and runs the cell
        # again in the same kernel (tslab's watch program once failed here with "Unexpected pending rebuildTimer").
        import tempfile
        root = os.path.realpath(tempfile.mkdtemp())
        cell = 'import { pad } from "tiny-pad-demo"; pad("x")'
        k2 = None
        cwd = os.getcwd()
        os.chdir(root)
        try:
            k2 = Kernel()
            for code in (cell, 'require("tiny-pad-demo/sub")'):
                reply, out = k2.run(code)
                self.assertEqual(reply["status"], "error", reply)
                self.assertIn(f"cd {root} && npm install tiny-pad-demo`", reply["evalue"])
            pkg = os.path.join(root, "node_modules", "tiny-pad-demo")
            os.makedirs(pkg)
            with open(os.path.join(pkg, "package.json"), "w") as f:
                json.dump({"name": "tiny-pad-demo", "main": "index.js", "types": "index.d.ts"}, f)
            with open(os.path.join(pkg, "index.js"), "w") as f:
                f.write("exports.pad = (s) => '[' + s + ']';\n")
            with open(os.path.join(pkg, "index.d.ts"), "w") as f:
                f.write("export declare function pad(s: string): string;\n")
            time.sleep(0.5)
            reply, out = k2.run(cell)
            self.assertEqual(reply["status"], "ok", reply)
            self.assertEqual(results(out), ["'[x]'"])
        finally:
            os.chdir(cwd)
            if k2:
                k2.stop()

    def test_a_package_missing_its_own_dependency_names_the_dependency(self):
        # The package is installed beside the notebook; one of its own imports is not. The error names that
        # dependency, and does not tell the user to install the package they have. ipykernel, in the same run:
        # the same layout in Python says "No module named" the dependency.
        import tempfile
        root = os.path.realpath(tempfile.mkdtemp())
        pkg = os.path.join(root, "node_modules", "needs-dep-demo")
        os.makedirs(pkg)
        with open(os.path.join(pkg, "package.json"), "w") as f:
            json.dump({"name": "needs-dep-demo", "main": "index.js"}, f)
        with open(os.path.join(pkg, "index.js"), "w") as f:
            f.write("exports.dep = require('absent-dep-demo');\n")
        os.makedirs(os.path.join(root, "needs_dep_demo"))
        with open(os.path.join(root, "needs_dep_demo", "__init__.py"), "w") as f:
            f.write("import absent_dep_demo\n")
        km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60, cwd=root)
        try:
            msg_id = kc.execute("import needs_dep_demo")
            reply = kc.get_shell_msg(timeout=30)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = kc.get_shell_msg(timeout=30)
            self.assertEqual(reply["content"]["status"], "error")
            self.assertIn("absent_dep_demo", reply["content"]["evalue"])
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        k2 = None
        cwd = os.getcwd()
        os.chdir(root)
        try:
            k2 = Kernel()
            reply, out = k2.run('const demo = require("needs-dep-demo"); demo')
            self.assertEqual(reply["status"], "error", reply)
            self.assertIn("Cannot find module 'absent-dep-demo'", reply["evalue"])
            self.assertNotIn("npm install needs-dep-demo", reply["evalue"])
        finally:
            os.chdir(cwd)
            if k2:
                k2.stop()

    def test_comm_opened_by_frontend(self):
        comm_id = uuid.uuid4().hex
        self.k.kc.comm_open = None
        msg = self.k.kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "gcnlab.timing", "data": {}})
        self.k.kc.shell_channel.send(msg)
        got = self.k.comm_messages(comm_id, until=lambda d: d.get("kind") == "hello")
        hello = got[-1]
        self.assertEqual(hello["kind"], "hello")
        self.assertIn("cpu", [d["name"] for d in hello["devices"]])
        info = self.k.kc.comm_info(target_name="gcnlab.timing")
        reply = self.k.kc.get_shell_msg(timeout=10)
        while reply["header"]["msg_type"] != "comm_info_reply":
            reply = self.k.kc.get_shell_msg(timeout=10)
        self.assertIn(comm_id, reply["content"]["comms"])
        self.send_comm(comm_id, {"kind": "switch-device", "device": "nope", "requestId": "r1"})
        err = self.k.comm_messages(comm_id, until=lambda d: d.get("requestId") == "r1")[-1]
        self.assertEqual((err["kind"], err["code"]), ("error", "UNKNOWN_DEVICE"))
        self.send_comm(comm_id, {"kind": "list-devices", "requestId": "r2"})
        devices = self.k.comm_messages(comm_id, until=lambda d: d.get("requestId") == "r2")[-1]
        self.assertEqual(devices["kind"], "devices")
        self.send_comm(comm_id, {"kind": "switch-device", "device": "cpu", "requestId": "r3"})
        switched = self.k.comm_messages(comm_id, until=lambda d: d.get("requestId") == "r3")[-1]
        self.assertEqual((switched["kind"], switched["device"]), ("device", "cpu"))
        # Every finished cell is reported on the channel.
        reply, out = self.k.run("1")
        self.assertIn("execution", [c["data"].get("kind") for t, c in out if t == "comm_msg"])
        self.k.kc.shell_channel.send(self.k.kc.session.msg("comm_close", {"comm_id": comm_id, "data": {}}))
        time.sleep(0.3)
        self.k.kc.comm_info()
        reply = self.k.kc.get_shell_msg(timeout=10)
        while reply["header"]["msg_type"] != "comm_info_reply":
            reply = self.k.kc.get_shell_msg(timeout=10)
        self.assertNotIn(comm_id, reply["content"]["comms"])

    def send_comm(self, comm_id, data):
        self.k.kc.shell_channel.send(self.k.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data}))

    def test_comm_opened_by_kernel(self):
        reply, out = self.k.run('const c = openComm("gcnlab.timing", {}); let got: unknown; c.onMessage((d) => { got = d }); c.id')
        opens = [c for t, c in out if t == "comm_open"]
        self.assertEqual(len(opens), 1)
        comm_id = opens[0]["comm_id"]
        self.assertEqual(opens[0]["target_name"], "gcnlab.timing")
        self.send_comm(comm_id, {"kind": "list-devices", "requestId": "k1"})
        devices = self.k.comm_messages(comm_id, until=lambda d: d.get("requestId") == "k1")[-1]
        self.assertEqual(devices["kind"], "devices")
        reply, out = self.k.run("c.close(); (got as { kind: string }).kind")
        self.assertIn("comm_close", [t for t, _ in out])
        self.assertIn("list-devices", str(out))

    def test_bad_signature_is_dropped(self):
        msg = self.k.kc.session.msg("execute_request", {"code": "globalThis.hacked = true", "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        key = self.k.kc.session.key
        self.k.kc.session.key = b"not-the-key"
        self.k.kc.session.auth = __import__("hmac").HMAC(b"not-the-key", digestmod=__import__("hashlib").sha256)
        self.k.kc.shell_channel.send(msg)
        time.sleep(0.5)
        self.k.kc.session.key = key
        self.k.kc.session.auth = __import__("hmac").HMAC(key, digestmod=__import__("hashlib").sha256)
        reply, out = self.k.run("(globalThis as { hacked?: boolean }).hacked === true")
        self.assertIn("false", str(out))

    def test_memory_bounded_over_200_executions(self):
        def usage():
            out = self.k.run("const m = process.memoryUsage(); JSON.stringify([m.rss, m.heapUsed])")[1]
            return json.loads(eval(results(out)[0]))
        for i in range(20):
            self.k.run(f"{i} + 1")
        rss0, heap0 = usage()
        for i in range(200):
            reply, _ = self.k.run(f"let v{i} = {i}; v{i} * 2")
            self.assertEqual(reply["status"], "ok")
        rss1, heap1 = usage()
        mib = 2**20
        print(f"\n200 executions: main-thread heap {heap0 / mib:.0f} -> {heap1 / mib:.0f} MiB, process rss {rss0 / mib:.0f} -> {rss1 / mib:.0f} MiB")
        # The main thread (variables, outputs, protocol) must not accumulate; the compiler thread's TypeScript
        # programs are garbage collected in bursts, so the process as a whole is held to an absolute ceiling.
        self.assertLess((heap1 - heap0) / mib, HEAP_GROWTH_BOUND_MB)
        self.assertLess(rss1 / mib, RSS_CEILING_MB)


class RestartTests(unittest.TestCase):
    def test_restart_clears_state(self):
        k = Kernel()
        try:
            k.run("let survivor = 1")
            k.km.restart_kernel(now=False)
            k.kc.wait_for_ready(timeout=60)
            reply, out = k.run("typeof survivor")
            self.assertEqual(reply["status"], "error")  # the name is gone: a type error
            reply, out = k.run("1 + 1")
            self.assertEqual(reply["status"], "ok")
        finally:
            k.stop()


if __name__ == "__main__":
    unittest.main()
