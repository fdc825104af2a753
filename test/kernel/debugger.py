"""The JupyterLab debugger's conversation through jupyter_client: debug_request on control, debug_event on iopub.
gcnlab: breakpoints in a function a cell defined, the stop, the stack, scopes, variables, stepping by TypeScript
lines, continue, inspectVariables. ipykernel (where debugpy is installed): the language-independent part, so the
expected conversation is measured against the reference kernel."""
import importlib.util
import os
import queue
import time
import unittest

from jupyter_client.manager import start_new_kernel


class Debuggee:
    def __init__(self, name):
        self.km, self.kc = start_new_kernel(kernel_name=name, startup_timeout=60)
        self.seq = 0
        self.events = []
        self.seqs = []

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def dap(self, command, arguments=None, timeout=15):
        self.seq += 1
        msg = self.kc.session.msg("debug_request", {"seq": self.seq, "type": "request", "command": command, "arguments": arguments or {}})
        self.kc.control_channel.send(msg)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                reply = self.kc.get_control_msg(timeout=0.2)
            except queue.Empty:
                self.drain()
                continue
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply["content"]
        raise TimeoutError(f"no debug_reply to {command}")

    def control(self, msg_type, timeout=10):
        """A control request's reply content."""
        msg = self.kc.session.msg(msg_type, {})
        self.kc.control_channel.send(msg)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                reply = self.kc.get_control_msg(timeout=0.2)
            except queue.Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return reply["content"]
        raise TimeoutError(f"no reply to {msg_type}")

    def drain(self):
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                return
            if msg["msg_type"] == "debug_event":
                self.events.append(msg["content"])
                self.seqs.append(msg["content"]["seq"])

    def wait_event(self, event, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("event") == event:
                    return self.events.pop(i)
            self.drain()
        raise TimeoutError(f"no {event} event; got {[e.get('event') for e in self.events]}")

    def execute(self, code):
        return self.kc.execute(code)

    def wait_output(self, text, timeout=30):
        """Until a stream output containing `text` (the debug events seen meanwhile are kept)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                continue
            if msg["msg_type"] == "debug_event":
                self.events.append(msg["content"])
                self.seqs.append(msg["content"]["seq"])
            elif msg["msg_type"] == "stream" and text in msg["content"]["text"]:
                return
        raise TimeoutError(f"no output {text!r}")

    def reply(self, msg_id, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=0.2)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]
        raise TimeoutError("no execute_reply")


def start_conversation(test, k):
    """initialize, attach, debugInfo, dumpCell: what JupyterLab sends when its debugger is switched on."""
    init = k.dap("initialize", {"clientID": "jupyterlab", "adapterID": "python", "linesStartAt1": True, "columnsStartAt1": True, "pathFormat": "path"})
    test.assertTrue(init["success"], init)
    test.assertTrue(k.dap("attach")["success"])
    info = k.dap("debugInfo")
    test.assertTrue(info["success"], info)
    body = info["body"]
    for field in ("isStarted", "hashMethod", "hashSeed", "tmpFilePrefix", "tmpFileSuffix", "breakpoints", "stoppedThreads", "richRendering", "exceptionPaths"):
        test.assertIn(field, body)
    test.assertTrue(body["isStarted"])
    test.assertEqual(body["hashMethod"], "Murmur2")
    return body


def modules_before_initialize(test, k):
    """JupyterLab's debugger asks for the kernel's modules when a notebook opens, before any initialize, and reads
    body.modules of the reply (a reply without it was a TypeError in the page)."""
    reply = k.dap("modules", {})
    # ipykernel answers it statically, with a body and no success field; what the page reads is body.modules.
    test.assertIsInstance(reply.get("body", {}).get("modules"), list, reply)


def breakpoint_in_a_cell_run_before_the_debugger(test, k, define, call, line, stops=None):
    """The usual way to the debugger: cells ran, something is wrong, the user switches the debugger on, sets a
    breakpoint in a function an earlier cell defined (JupyterLab: dumpCell of that cell, setBreakpoints) and calls it.
    A breakpoint on a line with no code (a comment) is answered on the line it will stop on, `stops`."""
    stops = stops or line
    test.assertEqual(k.reply(k.execute(define))["status"], "ok")
    start_conversation(test, k)
    path = k.dap("dumpCell", {"code": define})["body"]["sourcePath"]
    set_ = k.dap("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": line}], "sourceModified": False})
    test.assertTrue(set_["success"], set_)
    test.assertTrue(set_["body"]["breakpoints"][0]["verified"], set_)
    test.assertEqual(set_["body"]["breakpoints"][0]["line"], stops, set_)
    k.dap("configurationDone")
    running = k.execute(call)
    test.assertEqual(k.wait_event("stopped", timeout=10)["body"]["reason"], "breakpoint")
    top = k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
    test.assertEqual((top["source"]["path"], top["line"]), (path, stops))
    # Locals, and Globals with what the earlier cell defined.
    scopes = {s["name"]: s for s in k.dap("scopes", {"frameId": top["id"]})["body"]["scopes"]}
    test.assertIn("Locals", scopes)
    test.assertIn("Globals", scopes)
    names = {v["name"] for v in k.dap("variables", {"variablesReference": scopes["Globals"]["variablesReference"]})["body"]["variables"]}
    # debugpy files functions under a "function variables" group (measured); gcnlab lists them by name.
    test.assertTrue("triple" in names or "function variables" in names, names)
    k.dap("continue", {"threadId": 1})
    test.assertEqual(k.reply(running)["status"], "ok")
    k.drain()
    # Each event has its own sequence number, counting up.
    test.assertGreaterEqual(len(k.seqs), 2)
    test.assertEqual(k.seqs, sorted(set(k.seqs)), k.seqs)


def stepping_off_the_end_of_a_cell(test, k, cell, rounds=2):
    """Next on a cell's last line lets it finish: the front end is told the thread runs again ('continued', on which
    JupyterLab clears its stack and variables) and no stop comes on a line the cell does not have. Run again, the cell
    stops at its breakpoint, a breakpoint stop. ipykernel runs one round: its step stays pending and stops the next
    run on line 1 with reason 'step' (measured, debugpy 1.6), which gcnlab does not copy."""
    start_conversation(test, k)
    path = k.dap("dumpCell", {"code": cell})["body"]["sourcePath"]
    k.dap("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": 2}]})
    k.dap("configurationDone")
    lines = cell.rstrip("\n").count("\n") + 1
    for _ in range(rounds):
        running = k.execute(cell)
        test.assertEqual(k.wait_event("stopped")["body"]["reason"], "breakpoint")
        test.assertEqual(k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]["line"], 2)
        k.events.clear()
        test.assertTrue(k.dap("next", {"threadId": 1})["success"])
        k.wait_event("continued", timeout=5)
        test.assertEqual(k.reply(running)["status"], "ok")
        stops = [e for e in k.events if e.get("event") == "stopped"]
        for stop in stops:
            top = k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
            test.assertLessEqual(top["line"], lines, f"stopped on line {top['line']} of a {lines}-line cell")
        test.assertEqual(k.dap("debugInfo")["body"]["stoppedThreads"], [])


def imports_under_raised_exceptions(test, k, code):
    """With Raised Exceptions on, a cell that imports a library runs through: nothing the user's code raised."""
    init = k.dap("initialize", {"clientID": "jupyterlab", "adapterID": "python", "linesStartAt1": True, "columnsStartAt1": True, "pathFormat": "path"})
    test.assertTrue(init["success"], init)
    k.dap("attach")
    test.assertTrue(k.dap("setExceptionBreakpoints", {"filters": ["raised"]})["success"])
    k.dap("configurationDone")
    # Paused, the cell would send no reply: this wait would time out.
    test.assertEqual(k.reply(k.execute(code), timeout=30)["status"], "ok")
    k.drain()
    test.assertEqual([e for e in k.events if e.get("event") == "stopped"], [])


def paused_in(test, k, code, line, call):
    """Runs `code` (a cell defining a function) with a breakpoint on its `line`, then `call`, until it stops there:
    the call's msg_id and the top stack frame."""
    path = k.dap("dumpCell", {"code": code})["body"]["sourcePath"]
    k.dap("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": line}]})
    k.dap("configurationDone")
    test.assertEqual(k.reply(k.execute(code))["status"], "ok")
    running = k.execute(call)
    k.wait_event("stopped")
    return running, k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]


def assigning_a_notebook_variable_while_paused(test, k, define, cell, line, assign, check):
    """Paused in a cell, the debug console assigns a variable an earlier cell defined: the cell goes on with the new
    value, and later cells see it."""
    test.assertEqual(k.reply(k.execute(define))["status"], "ok")
    start_conversation(test, k)
    path = k.dap("dumpCell", {"code": cell})["body"]["sourcePath"]
    test.assertTrue(k.dap("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": line}]})["success"])
    k.dap("configurationDone")
    run = k.execute(cell)
    k.wait_event("stopped")
    top = k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
    assigned = k.dap("evaluate", {"expression": assign, "frameId": top["id"], "context": "repl"})
    test.assertTrue(assigned["success"], assigned)
    k.dap("continue", {"threadId": 1})
    test.assertEqual(k.reply(run)["status"], "ok")
    checked = k.reply(k.execute(check))
    test.assertEqual(checked["status"], "ok", checked.get("evalue"))


def pausing_while_a_cell_waits(test, k, cell, lines):
    """Pause while a cell waits (a timer; Python's sleep; the cell prints 'waiting' first) stops in that cell, on one
    of `lines`, with reason 'pause'; before, gcnlab stopped in whatever JavaScript ran next (Node's timers, the
    kernel's messages). Continue lets it finish."""
    start_conversation(test, k)
    path = k.dap("dumpCell", {"code": cell})["body"]["sourcePath"]
    k.dap("configurationDone")
    running = k.execute(cell)
    k.wait_output("waiting")
    time.sleep(0.2)
    test.assertTrue(k.dap("pause", {"threadId": 1})["success"])
    test.assertEqual(k.wait_event("stopped", timeout=10)["body"]["reason"], "pause")
    top = k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
    test.assertEqual(top["source"]["path"], path, top)
    test.assertIn(top["line"], lines, top)
    k.dap("continue", {"threadId": 1})
    test.assertEqual(k.reply(running)["status"], "ok")


class Gcnlab(unittest.TestCase):
    def test_breakpoints_and_tracebacks_in_cells_with_a_magic(self):
        k = self.k
        start_conversation(self, k)
        k.dap("configurationDone")
        for cell, line in (("%%time\nlet u = 1;\nlet w = u + 1;\n", 3), ("%time let v = 1;\nlet z = v + 1;\n", 2)):
            path = k.dap("dumpCell", {"code": cell})["body"]["sourcePath"]
            k.dap("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": line}]})
            running = k.execute(cell)
            k.wait_event("stopped", timeout=10)
            top = k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
            self.assertEqual((top["source"]["path"], top["line"]), (path, line), cell)
            k.dap("continue", {"threadId": 1})
            self.assertEqual(k.reply(running)["status"], "ok")
        failed = k.reply(k.execute('%%time\nconst q = 1;\nthrow new Error("in a timed cell");'))
        self.assertIn(f"cell[{failed['execution_count']}], line 3", "\n".join(failed["traceback"]))

    def test_big_arrays_maps_sets_and_private_fields_in_the_variables_view(self):
        k = self.k
        start_conversation(self, k)
        code = ("class P { x = 1; #secret = 3; }\n"
                "function look(): number {\n"
                "  const big = Array.from({ length: 1000000 }, (_, i) => i);\n"
                "  const f64 = new Float64Array(1000000);\n"
                "  const m = new Map<string, number>([['a', 1], ['b', 2]]);\n"
                "  const s = new Set([1, 2, 3]);\n"
                "  const p = new P();\n"
                "  return big.length + f64.length + m.size + s.size + p.x;\n"
                "}")
        running, top = paused_in(self, k, code, 8, "look()")
        scope = k.dap("scopes", {"frameId": top["id"]})["body"]["scopes"][0]
        local = {v["name"]: v for v in k.dap("variables", {"variablesReference": scope["variablesReference"]})["body"]["variables"]}
        children = lambda name: {v["name"]: v for v in k.dap("variables", {"variablesReference": local[name]["variablesReference"]}, timeout=5)["body"]["variables"]}
        for name in ("big", "f64"):
            started = time.time()
            shown = children(name)
            self.assertLess(time.time() - started, 3, f"{name} took {time.time() - started:.1f} s")
            self.assertLessEqual(len(shown), 102, name)
            self.assertEqual((shown["0"]["value"], shown["99"]["value"], shown["length"]["value"]), ("0", "99" if name == "big" else "0", "1000000"))
            self.assertIn("999,900 more", shown["…"]["value"])
        entries = children("m")["[[Entries]]"]
        pairs = {v["name"]: v["value"] for v in k.dap("variables", {"variablesReference": entries["variablesReference"]})["body"]["variables"]}
        self.assertEqual(pairs.get("length"), "2", pairs)
        self.assertIn('"a"', pairs["0"])
        self.assertIn("[[Entries]]", children("s"))
        self.assertEqual(children("p")["#secret"]["value"], "3")
        k.dap("continue", {"threadId": 1})
        self.assertEqual(k.reply(running)["status"], "ok")

    def test_stepping_off_the_end_of_a_cell(self):
        stepping_off_the_end_of_a_cell(self, self.k, "let x = 1;\nlet y = x + 1;\n")

    def test_breakpoint_in_a_cell_run_before_the_debugger(self):
        define = "function triple(a: number): number {\n  // three times\n  const t: number = a * 3;\n  return t;\n}"
        breakpoint_in_a_cell_run_before_the_debugger(self, self.k, define, "triple(2)", 2, stops=3)
        # Its tracebacks still name cells, debugger on or off.
        failed = self.k.reply(self.k.execute('function bad(): never {\n  throw new Error("bad");\n}\nbad()'))
        self.assertIn(f"cell[{failed['execution_count']}], line 2", "\n".join(failed["traceback"]))


    def test_modules_before_initialize(self):
        modules_before_initialize(self, self.k)

    def setUp(self):
        self.k = Debuggee("gcnlab")

    def tearDown(self):
        self.k.close()

    def test_info_advertises_unless_turned_off(self):
        info = self.k.kc.kernel_info(reply=True)["content"]
        self.assertEqual(info["debugger"], os.environ.get("GCNLAB_DEBUGGER") != "0")

    def test_breakpoint_stack_variables_stepping(self):
        k = self.k
        before = k.execute("const earlier: number = 41;")
        self.assertEqual(k.reply(before)["status"], "ok")
        info = start_conversation(self, k)
        self.assertEqual(info["tmpFileSuffix"], ".ts")
        code = "function double(a: number): number {\n  const twice: number = a * 2;\n  const more: number = twice + 1;\n  return more;\n}"
        dumped = k.dap("dumpCell", {"code": code})
        self.assertTrue(dumped["success"], dumped)
        path = dumped["body"]["sourcePath"]
        with open(path) as f:
            self.assertEqual(f.read(), code)
        self.assertTrue(path.startswith(info["tmpFilePrefix"]) and path.endswith(".ts"), path)
        bp = k.dap("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": 2}], "sourceModified": False})
        self.assertTrue(bp["success"], bp)
        self.assertTrue(k.dap("configurationDone")["success"])
        self.assertEqual(k.reply(k.execute(code))["status"], "ok")
        self.assertEqual(k.dap("debugInfo")["body"]["breakpoints"], [{"source": path, "breakpoints": [{"line": 2}]}])

        call = k.execute("double(20)")
        stopped = k.wait_event("stopped")
        self.assertEqual(stopped["body"]["threadId"], 1)
        threads = k.dap("threads")["body"]["threads"]
        self.assertEqual([t["id"] for t in threads], [1])
        # While paused the control channel still answers.
        self.assertEqual(k.control("kernel_info_request")["implementation"], "gcnlab")
        trace = k.dap("stackTrace", {"threadId": 1})
        self.assertTrue(trace["success"], trace)
        top = trace["body"]["stackFrames"][0]
        self.assertEqual((top["source"]["path"], top["line"], top["name"]), (path, 2, "double"))
        scopes = k.dap("scopes", {"frameId": top["id"]})["body"]["scopes"]
        self.assertEqual(scopes[0]["name"], "Locals")
        local = {v["name"]: v["value"] for v in k.dap("variables", {"variablesReference": scopes[0]["variablesReference"]})["body"]["variables"]}
        self.assertEqual(local["a"], "20")
        globals_ = {v["name"]: v["value"] for v in k.dap("variables", {"variablesReference": scopes[-1]["variablesReference"]})["body"]["variables"]}
        self.assertEqual((scopes[-1]["name"], globals_.get("earlier")), ("Globals", "41"))

        self.assertTrue(k.dap("next", {"threadId": 1})["success"])
        k.wait_event("stopped")
        top = k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
        self.assertEqual((top["source"]["path"], top["line"]), (path, 3))
        scopes = k.dap("scopes", {"frameId": top["id"]})["body"]["scopes"]
        local = {v["name"]: v["value"] for v in k.dap("variables", {"variablesReference": scopes[0]["variablesReference"]})["body"]["variables"]}
        self.assertEqual(local["twice"], "40")
        value = k.dap("evaluate", {"expression": "twice + 2", "frameId": top["id"], "context": "watch"})
        self.assertEqual(value["body"]["result"], "42")
        # The console takes TypeScript, as the cells do.
        typed = k.dap("evaluate", {"expression": "(twice as number) + 3", "frameId": top["id"], "context": "repl"})
        self.assertEqual(typed["body"]["result"], "43", typed)
        failed = k.dap("evaluate", {"expression": "(twice as number).nope()", "frameId": top["id"], "context": "repl"})
        self.assertFalse(failed["success"])
        self.assertIn("TypeError", failed["message"])

        self.assertTrue(k.dap("continue", {"threadId": 1})["success"])
        k.wait_event("continued")
        self.assertEqual(k.reply(call)["status"], "ok")
        names = {v["name"]: v["value"] for v in k.dap("inspectVariables")["body"]["variables"]}
        self.assertEqual(names.get("earlier"), "41")
        self.assertIn("double", names)
        self.assertTrue(k.dap("disconnect", {"restart": False, "terminateDebuggee": True})["success"])
        # Off again: cells run as before.
        self.assertEqual(k.reply(k.execute("double(1)"))["status"], "ok")
        self.assertFalse(k.dap("debugInfo")["body"]["isStarted"])

    def test_step_in_out_and_interrupt_while_paused(self):
        k = self.k
        start_conversation(self, k)
        inner = "function double(a: number): number {\n  const twice: number = a * 2;\n  return twice;\n}"
        outer = "function quad(a: number): number {\n  const q: number = double(a) * 2;\n  return q;\n}"
        inner_path = k.dap("dumpCell", {"code": inner})["body"]["sourcePath"]
        outer_path = k.dap("dumpCell", {"code": outer})["body"]["sourcePath"]
        k.dap("setBreakpoints", {"source": {"path": outer_path}, "breakpoints": [{"line": 2}]})
        k.dap("configurationDone")
        self.assertEqual(k.reply(k.execute(inner))["status"], "ok")
        self.assertEqual(k.reply(k.execute(outer))["status"], "ok")
        call = k.execute("quad(5)")
        k.wait_event("stopped")
        top = lambda: k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
        self.assertEqual((top()["source"]["path"], top()["line"]), (outer_path, 2))
        k.dap("stepIn", {"threadId": 1})
        k.wait_event("stopped")
        frame = top()
        self.assertEqual((frame["source"]["path"], frame["line"], frame["name"]), (inner_path, 2, "double"))
        k.dap("stepOut", {"threadId": 1})
        k.wait_event("stopped")
        self.assertEqual(top()["source"]["path"], outer_path)
        k.dap("continue", {"threadId": 1})
        self.assertEqual(k.reply(call)["status"], "ok")

        # Interrupting a paused cell resumes it and stops it; the kernel goes on.
        call = k.execute("quad(1)")
        k.wait_event("stopped")
        self.assertEqual(k.control("interrupt_request")["status"], "ok")
        self.assertNotEqual(k.reply(call)["status"], "ok")
        k.dap("setBreakpoints", {"source": {"path": outer_path}, "breakpoints": []})
        self.assertEqual(k.reply(k.execute("quad(2)"))["status"], "ok")


    def test_tensor_locals_and_tracebacks_name_cells(self):
        k = self.k
        start_conversation(self, k)
        code = 'import * as tf from "@tensorflow/tfjs-core";\nfunction scale(m: tf.Tensor): tf.Tensor {\n  const doubled = tf.mul(m, 2);\n  return doubled;\n}'
        path = k.dap("dumpCell", {"code": code})["body"]["sourcePath"]
        k.dap("setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": 4}]})
        k.dap("configurationDone")
        defined = k.reply(k.execute(code))
        self.assertEqual(defined["status"], "ok", defined)
        call = k.execute("scale(tf.tensor2d([[1, 2], [3, 4]])).shape")
        k.wait_event("stopped")
        top = k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
        self.assertEqual((top["source"]["path"], top["line"]), (path, 4))
        scopes = k.dap("scopes", {"frameId": top["id"]})["body"]["scopes"]
        local = {v["name"]: v for v in k.dap("variables", {"variablesReference": scopes[0]["variablesReference"]})["body"]["variables"]}
        # A tensor shows its dtype, shape and device, and its values where small.
        self.assertRegex(local["m"]["value"], r"^Tensor float32 \[2,2\] on \w+ \[\[1,2\],\[3,4\]\]$")
        self.assertRegex(local["doubled"]["value"], r"^Tensor float32 \[2,2\] on \w+ \[\[2,4\],\[6,8\]\]$")
        self.assertGreater(local["doubled"]["variablesReference"], 0)
        rich = k.dap("richInspectVariables", {"variableName": "doubled", "frameId": top["id"]})
        self.assertEqual(rich["body"]["data"]["text/plain"], local["doubled"]["value"])
        k.dap("continue", {"threadId": 1})
        self.assertEqual(k.reply(call)["status"], "ok")

        # Cells run under their debug paths; a traceback still names them cell[N].
        thrower = k.reply(k.execute('function boom(): never {\n  throw new Error("boom");\n}'))
        failed = k.reply(k.execute("boom()"))
        self.assertEqual(failed["status"], "error")
        traceback = "\n".join(failed["traceback"])
        self.assertIn(f"cell[{thrower['execution_count']}], line 2", traceback)
        self.assertIn(f"cell[{failed['execution_count']}], line 1", traceback)
        self.assertNotIn(os.path.dirname(path), traceback)


    def test_assigning_a_notebook_variable_while_paused(self):
        # Before, the assignment made a global of that name, which the cells' code (reading exports.level) never read.
        assigning_a_notebook_variable_while_paused(self, self.k, "let level = 1;", "let x = 1;\nlet y = level + x;\n", 2, "level = 1000",
                                                   "if (y !== 1001 || level !== 1000) throw new Error(`y ${y}, level ${level}`);")

    def test_the_console_in_a_function_reads_its_own_names_first(self):
        # JavaScript's scoping: inside bump, `a` is its parameter (not the notebook's a) and `level` the notebook's.
        k = self.k
        self.assertEqual(k.reply(k.execute("let level = 1;\nlet a = 5;"))["status"], "ok")
        start_conversation(self, k)
        code = "function bump(a: number): number {\n  const local = a;\n  return local + level;\n}"
        call, top = paused_in(self, k, code, 3, "const got = bump(10);")
        frame = top["id"]
        said = lambda e: k.dap("evaluate", {"expression": e, "frameId": frame, "context": "repl"})["body"]["result"]
        self.assertEqual((said("a"), said("level"), said("level = 1000"), said("level as number")), ("10", "1", "1000", "1000"))
        k.dap("continue", {"threadId": 1})
        self.assertEqual(k.reply(call)["status"], "ok")
        checked = k.reply(k.execute("if (got !== 1010 || a !== 5) throw new Error(`got ${got}, a ${a}`);"))
        self.assertEqual(checked["status"], "ok", checked.get("evalue"))

    def test_importing_gcnlab_under_raised_exceptions(self):
        # Before, the kernel required gcnlab from the cells' folder first and caught Node's MODULE_NOT_FOUND there:
        # Raised Exceptions stopped on that in every notebook's first cell.
        imports_under_raised_exceptions(self, self.k, "import * as gcnlab from 'gcnlab';\nimport * as tf from '@tensorflow/tfjs-core';\nconst n = gcnlab.syntheticGraph({ nodes: 10, avgDegree: 2, features: 3, seed: 0 }).numNodes + tf.scalar(1).size;")

    def test_pausing_while_a_cell_awaits(self):
        pausing_while_a_cell_waits(self, self.k, "console.log('waiting');\nawait new Promise((r) => setTimeout(r, 1500));\nlet woke = 1;\nwoke", (2, 3))

    def test_pausing_while_no_cell_runs_stops_in_the_next_cell(self):
        # Nothing of the user's runs: the pause waits for their code (the next cell's first line), as it does while a
        # cell awaits; it does not stop in the kernel's own message handling.
        k = self.k
        start_conversation(self, k)
        k.dap("configurationDone")
        self.assertTrue(k.dap("pause", {"threadId": 1})["success"])
        time.sleep(0.5)
        k.drain()
        self.assertEqual([e for e in k.events if e.get("event") == "stopped"], [])
        cell = "let first = 1;\nlet second = first + 1;"
        path = k.dap("dumpCell", {"code": cell})["body"]["sourcePath"]
        running = k.execute(cell)
        self.assertEqual(k.wait_event("stopped", timeout=10)["body"]["reason"], "pause")
        top = k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
        self.assertEqual((top["source"]["path"], top["line"]), (path, 1))
        k.dap("continue", {"threadId": 1})
        self.assertEqual(k.reply(running)["status"], "ok")
        # The pause is spent: the next cell runs through.
        self.assertEqual(k.reply(k.execute("second + 1"))["status"], "ok")

    def test_interrupting_a_cell_a_pause_waits_in(self):
        # The pause waits for the awaiting cell's next line; interrupted instead, the cell ends, and the pause goes
        # with it: the next cell runs through.
        k = self.k
        start_conversation(self, k)
        k.dap("configurationDone")
        running = k.execute("console.log('waiting');\nawait new Promise((r) => setTimeout(r, 20000));\nlet never = 1;")
        k.wait_output("waiting")
        time.sleep(0.2)
        self.assertTrue(k.dap("pause", {"threadId": 1})["success"])
        time.sleep(0.3)
        self.assertEqual(k.control("interrupt_request")["status"], "ok")
        self.assertEqual(k.reply(running, timeout=10)["status"], "error")
        self.assertEqual(k.reply(k.execute("let after = 2;\nafter + 1"))["status"], "ok")
        k.drain()
        self.assertEqual([e for e in k.events if e.get("event") == "stopped"], [])

    def test_exception_breakpoints(self):
        k = self.k
        init = k.dap("initialize", {"clientID": "jupyterlab", "adapterID": "python", "linesStartAt1": True, "columnsStartAt1": True, "pathFormat": "path"})
        self.assertEqual([f["filter"] for f in init["body"]["exceptionBreakpointFilters"]], ["raised"])
        k.dap("attach")
        refused = k.dap("setExceptionBreakpoints", {"filters": ["uncaught"]})
        self.assertFalse(refused["success"])
        self.assertIn("'uncaught'", refused["message"])
        self.assertTrue(k.dap("setExceptionBreakpoints", {"filters": ["raised"]})["success"])
        k.dap("configurationDone")
        thrower = 'function boom(): never {\n  throw new Error("boom");\n}'
        path = k.dap("dumpCell", {"code": thrower})["body"]["sourcePath"]
        self.assertEqual(k.reply(k.execute(thrower))["status"], "ok")
        call = k.execute("boom()")
        self.assertEqual(k.wait_event("stopped")["body"]["reason"], "exception")
        top = k.dap("stackTrace", {"threadId": 1})["body"]["stackFrames"][0]
        self.assertEqual((top["source"]["path"], top["line"], top["name"]), (path, 2, "boom"))
        k.dap("continue", {"threadId": 1})
        self.assertEqual(k.reply(call)["evalue"], "boom")
        # Off again: the same error goes straight to the reply.
        self.assertTrue(k.dap("setExceptionBreakpoints", {"filters": []})["success"])
        self.assertEqual(k.reply(k.execute("boom()"))["evalue"], "boom")
        self.assertEqual([e for e in k.events if e.get("event") == "stopped"], [])


@unittest.skipUnless(importlib.util.find_spec("ipykernel") and importlib.util.find_spec("debugpy"), "ipykernel with debugpy is not installed")
class Ipykernel(unittest.TestCase):
    """The same opening conversation with the reference kernel."""

    def test_modules_before_initialize(self):
        k = Debuggee("python3")
        try:
            modules_before_initialize(self, k)
        finally:
            k.close()

    def test_breakpoint_in_a_cell_run_before_the_debugger(self):
        k = Debuggee("python3")
        try:
            # No comment line here: debugpy answers a breakpoint on one with line 1 (measured, debugpy 1.6).
            breakpoint_in_a_cell_run_before_the_debugger(self, k, "def triple(a):\n    t = a * 3\n    return t\n", "triple(2)", 2)
        finally:
            k.close()

    def test_stepping_off_the_end_of_a_cell(self):
        k = Debuggee("python3")
        try:
            stepping_off_the_end_of_a_cell(self, k, "x = 1\ny = x + 1\n", rounds=1)
        finally:
            k.close()

    def test_assigning_a_notebook_variable_while_paused(self):
        k = Debuggee("python3")
        try:
            assigning_a_notebook_variable_while_paused(self, k, "level = 1", "x = 1\ny = level + x\n", 2, "level = 1000", "assert y == 1001 and level == 1000, (y, level)")
        finally:
            k.close()

    def test_importing_under_raised_exceptions(self):
        k = Debuggee("python3")
        try:
            imports_under_raised_exceptions(self, k, "import json, email.mime.text\nn = len(json.dumps([1]))")
        finally:
            k.close()

    def test_pausing_while_a_cell_waits(self):
        k = Debuggee("python3")
        try:
            pausing_while_a_cell_waits(self, k, "import time\nprint('waiting', flush=True)\ntime.sleep(1.5)\nwoke = 1\nwoke", (3, 4))
        finally:
            k.close()

    def test_language_independent_part(self):
        k = Debuggee("python3")
        try:
            start_conversation(self, k)
            dumped = k.dap("dumpCell", {"code": "x = 1\n"})
            self.assertTrue(dumped["success"], dumped)
            self.assertTrue(os.path.isfile(dumped["body"]["sourcePath"]))
            self.assertTrue(k.dap("disconnect", {"restart": False, "terminateDebuggee": True})["success"])
        finally:
            k.close()


if __name__ == "__main__":
    unittest.main()
